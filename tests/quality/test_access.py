"""Who may read the quality audit: the policy in process, then over HTTP.

Co-ordinator, administrators and auditors: every case, with names and links. Board
members: every case by reference only (J 15). Practitioners, chairs and line managers:
cases whose record they may open. Anyone else: 403 and an audit row.
"""

import pytest
from django.urls import reverse

from mappa.access.policy import Action, decide
from mappa.audit.models import AuditEvent
from mappa.register import services as register_services
from tests.access.helpers import sign_in
from tests.conftest import Personas
from tests.factories import make_user
from tests.quality.conftest import Built

pytestmark = pytest.mark.django_db

EVERY_CASE = ("coordinator", "administrator", "auditor", "smb_member")


@pytest.mark.parametrize("name", EVERY_CASE)
def test_area_roles_and_the_board_see_every_case_and_meeting(
    case_a: Built, personas: Personas, name: str
) -> None:
    user = getattr(personas, name)
    for target in (case_a.case, case_a.second, None):
        assert decide(user, Action.QUALITY_VIEW, target), (name, target)


@pytest.mark.parametrize(
    ("name", "allowed"),
    [("owner", True), ("colleague", True), ("partner", False), ("outsider", False)],
)
def test_case_roles_see_the_cases_they_may_open(
    case_a: Built, personas: Personas, name: str, allowed: bool
) -> None:
    user = getattr(personas, name)
    assert bool(decide(user, Action.QUALITY_VIEW, case_a.case)) is allowed
    assert bool(decide(user, Action.QUALITY_VIEW, case_a.second)) is allowed


def test_a_practitioner_whose_agency_gains_a_part_is_allowed(
    case_a: Built, personas: Personas
) -> None:
    assert not decide(personas.partner, Action.QUALITY_VIEW, case_a.case)
    register_services.case_partner_add(
        actor=personas.coordinator, case=case_a.case, agency=personas.housing
    )
    assert decide(personas.partner, Action.QUALITY_VIEW, case_a.case)


def test_a_user_with_no_role_is_refused_everything(case_a: Built, personas: Personas) -> None:
    nobody = make_user("nobody", agency=personas.police)
    for target in (case_a.case, case_a.second, None):
        decision = decide(nobody, Action.QUALITY_VIEW, target)
        assert not decision
        assert "quality audit" in decision.reason


def test_vetting_expired_is_refused(case_a: Built, personas: Personas) -> None:
    import datetime as dt

    personas.coordinator.vetting_expires = dt.date(2020, 1, 1)
    assert decide(personas.coordinator, Action.QUALITY_VIEW, case_a.case).reason == (
        "vetting expired"
    )


# Over HTTP ------------------------------------------------------------------------------


def _refused(client, user, address: str) -> None:
    sign_in(client, user)
    before = AuditEvent.objects.count()
    response = client.get(address)
    assert response.status_code == 403
    refusal = AuditEvent.objects.get(actor=user, action="access.refused")
    assert refusal.detail["attempted"] == "quality.view"
    assert refusal.detail["path"] == address
    assert AuditEvent.objects.count() == before + 1


def test_outsider_is_refused_the_case_page_with_an_audit_row(
    client, case_a: Built, personas: Personas
) -> None:
    address = reverse("quality:case", args=[case_a.case.pk])
    _refused(client, personas.outsider, address)
    refusal = AuditEvent.objects.get(actor=personas.outsider, action="access.refused")
    assert refusal.nominal_id == str(case_a.nominal.pk)


def test_outsider_is_refused_the_meeting_page(client, case_a: Built, personas: Personas) -> None:
    _refused(client, personas.outsider, reverse("quality:meeting", args=[case_a.second.pk]))


def test_a_user_with_no_role_is_refused_the_area_list(client, personas: Personas) -> None:
    _refused(client, make_user("nobody", agency=personas.police), reverse("quality:area"))


def test_unknown_case_and_meeting_are_not_found(client, personas: Personas) -> None:
    import uuid

    sign_in(client, personas.coordinator)
    assert client.get(reverse("quality:case", args=[uuid.uuid4()])).status_code == 404
    assert client.get(reverse("quality:meeting", args=[uuid.uuid4()])).status_code == 404
