"""Who sees and does what on meetings (J 4.2, 9.2), every refusal audited, every view
of a meeting audited."""

import pytest
from django.urls import reverse

from mappa.audit.models import AuditEvent
from mappa.meetings import services
from mappa.meetings.access import MeetingAction, decide
from mappa.meetings.models import Invitation
from tests.conftest import Personas
from tests.factories import make_nominal
from tests.meetings.conftest import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cases(personas: Personas, chair):
    """A meeting with two cases; housing is invited to the first only."""
    meeting = make_meeting(days=0, chair=chair)
    first = make_nominal(
        personas.coordinator,
        family_name="Firstcase",
        lead_agency=personas.probation,
        manager=personas.owner,
    )
    second = make_nominal(
        personas.coordinator,
        family_name="Secondcase",
        lead_agency=personas.police,
    )
    item_a = services.agenda_item_add(
        actor=personas.administrator, meeting=meeting, case=first.cases.get()
    )
    item_b = services.agenda_item_add(
        actor=personas.administrator, meeting=meeting, case=second.cases.get()
    )
    services.invitation_add(
        actor=personas.administrator,
        meeting=meeting,
        agenda_item=item_a,
        agency=personas.housing,
        name="Saskia Penhallow",
        email="s.penhallow@housing.example",
        role="Housing Officer",
    )
    return meeting, item_a, item_b


def test_an_outsider_agency_is_refused_and_the_refusal_audited(
    personas: Personas, two_cases, client
) -> None:
    meeting, _a, _b = two_cases
    client.force_login(personas.outsider)
    response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.status_code == 403
    event = AuditEvent.objects.filter(action="access.refused").order_by("-sequence").first()
    assert event is not None and event.outcome == "refused"
    assert event.detail["attempted"] == "meeting.view"
    assert event.object_id == str(meeting.pk)


def test_an_invited_agency_sees_only_its_cases(personas: Personas, two_cases, client) -> None:
    meeting, item_a, item_b = two_cases
    client.force_login(personas.partner)
    response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert item_a.case.reference in page and "Firstcase".upper() in page
    assert item_b.case.reference not in page and "SECONDCASE" not in page
    assert "Propose invitations" not in page
    view = AuditEvent.objects.filter(action="meeting.view").order_by("-sequence").first()
    assert view is not None and view.detail["cases"] == [item_a.case.reference]
    # The list shows them this meeting, and no other.
    listing = client.get(reverse("meetings:list")).content.decode()
    assert reverse("meetings:detail", args=[meeting.pk]) in listing


def test_the_lead_agency_sees_its_case_without_an_invitation(
    personas: Personas, two_cases, client
) -> None:
    meeting, item_a, item_b = two_cases
    client.force_login(personas.colleague)  # probation: lead agency of the first case
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert item_a.case.reference in page and item_b.case.reference not in page


def test_whole_meeting_roles(personas: Personas, two_cases, chair, client) -> None:
    meeting, item_a, item_b = two_cases
    for user in (personas.coordinator, personas.administrator, personas.auditor, chair):
        client.force_login(user)
        page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
        assert item_a.case.reference in page and item_b.case.reference in page, user
    assert AuditEvent.objects.filter(action="meeting.view").count() == 4


def test_auditors_and_chairs_change_nothing_but_chairs_record_attendance(
    personas: Personas, two_cases, chair, client
) -> None:
    meeting, _a, _b = two_cases
    assert not decide(personas.auditor, MeetingAction.MANAGE, meeting)
    assert decide(personas.auditor, MeetingAction.VIEW, meeting)
    assert not decide(personas.auditor, MeetingAction.ATTENDANCE, meeting)
    assert not decide(chair, MeetingAction.MANAGE, meeting)
    assert decide(chair, MeetingAction.ATTENDANCE, meeting)
    assert not decide(personas.smb_member, MeetingAction.LIST)
    client.force_login(personas.auditor)
    assert client.get(reverse("meetings:change", args=[meeting.pk])).status_code == 403
    assert AuditEvent.objects.filter(
        action="access.refused", detail__attempted="meeting.manage"
    ).exists()


def _routes(meeting, item, invitation) -> list[tuple[str, str, list]]:
    m, i = meeting.pk, item.pk
    return [
        ("get", "meetings:list", []),
        ("get", "meetings:schedule", []),
        ("get", "meetings:schedule_add", []),
        ("get", "meetings:standing_add", []),
        ("get", "meetings:add", []),
        ("get", "meetings:detail", [m]),
        ("get", "meetings:change", [m]),
        ("get", "meetings:cancel", [m]),
        ("post", "meetings:agenda_add", [m]),
        ("get", "meetings:agenda_remove", [m, i]),
        ("post", "meetings:agenda_move", [m, i]),
        ("get", "meetings:agenda_time", [m, i]),
        ("get", "meetings:attendance", [m, i]),
        ("get", "meetings:written_information", [m, i]),
        ("post", "meetings:invitations_propose", [m]),
        ("post", "meetings:invitations_confirm", [m]),
        ("get", "meetings:invitation_add", [m]),
        ("get", "meetings:invitation_cancel", [m, invitation.pk]),
        ("post", "meetings:invitations_send", [m]),
        ("get", "meetings:case", [item.case_id]),
    ]


def test_every_route_allows_the_administrator_and_refuses_an_outsider_with_an_audit_row(
    personas: Personas, two_cases, client
) -> None:
    meeting, item, _b = two_cases
    invitation = Invitation.objects.filter(meeting=meeting).first()
    routes = _routes(meeting, item, invitation)
    client.force_login(personas.smb_member)  # no case role: refused everywhere
    for method, name, args in routes:
        before = AuditEvent.objects.filter(action="access.refused").count()
        response = getattr(client, method)(reverse(name, args=args))
        assert response.status_code == 403, name
        assert AuditEvent.objects.filter(action="access.refused").count() == before + 1, name
    client.force_login(personas.administrator)
    for method, name, args in routes:
        response = getattr(client, method)(reverse(name, args=args))
        assert response.status_code in (200, 302), (name, response.status_code)
