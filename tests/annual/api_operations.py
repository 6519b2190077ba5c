"""This app's rows of tests/api/test_access.py's table (allowed, refused, anonymous)."""

from typing import Any

from django.utils import timezone

from mappa.register.models import Nominal
from tests.api.operation import Operation
from tests.conftest import Personas


def _last_year(client: Any, personas: Personas, nominal: Nominal) -> dict[str, Any]:
    # The path's {year}: last calendar year, complete in every profile.
    return {"year": timezone.localdate().year - 1}


OPERATIONS: list[Operation] = [
    Operation("GET", "/api/v1/annual-report/{year}/", "smb_member", 200, "owner", setup=_last_year),
]
