import os
from dataclasses import dataclass

import pytest

from mappa.access.models import Agency, AgencyKind, Role, User
from tests.factories import make_agency, make_nominal, make_user


@dataclass
class Personas:
    """The standard cast: every view test asserts the outsider is refused."""

    police: Agency
    probation: Agency
    housing: Agency
    education: Agency
    coordinator: User
    administrator: User
    auditor: User
    smb_member: User
    owner: User  # probation practitioner managing the case
    colleague: User  # another probation practitioner
    partner: User  # housing officer; housing becomes a partner agency
    outsider: User  # education officer with no part in the case


@pytest.fixture
def personas(db: None) -> Personas:
    police = make_agency("States of Jersey Police", AgencyKind.POLICE, is_core=True)
    probation = make_agency("Probation and After-Care Service", AgencyKind.PROBATION, is_core=True)
    housing = make_agency("Housing", AgencyKind.HOUSING)
    education = make_agency("Education", AgencyKind.EDUCATION)
    coordination = make_agency("MAPPA Co-ordination Unit", AgencyKind.COORDINATION)
    return Personas(
        police=police,
        probation=probation,
        housing=housing,
        education=education,
        coordinator=make_user("coordinator", Role.COORDINATOR, agency=coordination),
        administrator=make_user("administrator", Role.ADMINISTRATOR, agency=coordination),
        auditor=make_user("auditor", Role.AUDITOR, agency=coordination),
        smb_member=make_user("smb", Role.SMB_MEMBER, agency=police),
        owner=make_user("owner", Role.PRACTITIONER, agency=probation),
        colleague=make_user("colleague", Role.PRACTITIONER, agency=probation),
        partner=make_user("partner", Role.PRACTITIONER, agency=housing),
        outsider=make_user("outsider", Role.PRACTITIONER, agency=education),
    )


@pytest.fixture
def nominal(personas: Personas):
    """A category 2, level 2 case led by probation, managed by the owner."""
    return make_nominal(
        personas.coordinator, lead_agency=personas.probation, manager=personas.owner
    )


@pytest.fixture(autouse=True)
def _force_login_gives_the_second_factor(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Most tests act as a user who has signed in fully (password and code).

    Tests of the sign-in itself mark themselves ``real_sign_in`` and go through the
    real flow.
    """
    if request.node.get_closest_marker("real_sign_in"):
        return
    from django.test import Client

    from mappa.accounts.testing import verify_session

    original = Client.force_login

    def force_login(self: Client, user, backend=None):
        original(self, user, backend)
        verify_session(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Browser tests are marked by folder so none can slip into the database runs unmarked.
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
