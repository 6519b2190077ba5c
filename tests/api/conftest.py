import pytest

from tests.api.helpers import line_manager_of
from tests.conftest import Personas


@pytest.fixture
def line_manager(personas: Personas):
    """The probation line manager who endorses the owner's referrals."""
    return line_manager_of(personas)
