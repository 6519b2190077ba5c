"""The board's pages: who may read and change them (refusals audited), what wrong input
says, and a meeting recorded from the pages."""

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mappa.audit.models import AuditEvent
from mappa.smb import services
from mappa.smb.models import SmbAttendance, SmbMeeting, SmbMeetingStatus, SmbMembership
from tests.access.helpers import sign_in
from tests.conftest import Personas
from tests.smb.conftest import Board, Hold

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 3, 12)


def _date(name: str, day: dt.date | None) -> dict[str, str]:
    if day is None:
        return {f"{name}-day": "", f"{name}-month": "", f"{name}-year": ""}
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


@pytest.fixture
def meeting(personas: Personas, board: Board) -> SmbMeeting:
    return services.meeting_create(actor=personas.coordinator, date=DAY, venue="Police HQ")


Kwargs = Callable[[Board, SmbMeeting], dict[str, Any]]
NONE: Kwargs = lambda b, m: {}  # noqa: E731
SEAT: Kwargs = lambda b, m: {"pk": b.police.pk}  # noqa: E731
MEETING: Kwargs = lambda b, m: {"pk": m.pk}  # noqa: E731


def _holder(b: Board, m: SmbMeeting) -> dict[str, Any]:
    return {"pk": b.police.pk, "holder": SmbMembership.objects.get(seat=b.police).pk}


READS = ["smb:board", "smb:meetings", "smb:attendance"]
PAGES: list[tuple[str, Kwargs, bool]] = [
    ("smb:board", NONE, False),
    ("smb:meetings", NONE, False),
    ("smb:attendance", NONE, False),
    ("smb:meeting_detail", MEETING, False),
    ("smb:seat_add", NONE, True),
    ("smb:seat_edit", SEAT, True),
    ("smb:seat_end", SEAT, True),
    ("smb:holder_change", SEAT, True),
    ("smb:holder_edit", _holder, True),
    ("smb:meeting_add", NONE, True),
    ("smb:meeting_edit", MEETING, True),
    ("smb:meeting_record", MEETING, True),
    ("smb:meeting_cancel", MEETING, True),
]


def _refused(client: Client, user: Any, address: str, method: str = "get") -> None:
    sign_in(client, user)
    before = AuditEvent.objects.count()
    response = getattr(client, method)(address)
    assert response.status_code == 403
    refusal = AuditEvent.objects.get(actor=user, action="access.refused")
    assert refusal.detail["path"] == address
    assert AuditEvent.objects.count() == before + 1


@pytest.mark.parametrize(("name", "kwargs", "manage"), PAGES, ids=[p[0] for p in PAGES])
def test_each_page_serves_who_the_policy_allows(
    client: Client, personas: Personas, board: Board, meeting: SmbMeeting, name, kwargs, manage
) -> None:
    address = reverse(name, kwargs=kwargs(board, meeting))
    # The board reads; the co-ordinator and administrators change.
    for user in (personas.coordinator, personas.administrator) + (
        () if manage else (personas.smb_member, personas.auditor)
    ):
        sign_in(client, user)
        assert client.get(address).status_code == 200, (name, user)


@pytest.mark.parametrize(("name", "kwargs", "manage"), PAGES, ids=[p[0] for p in PAGES])
def test_a_practitioner_is_refused_every_page_with_an_audit_row(
    client: Client, personas: Personas, board: Board, meeting: SmbMeeting, name, kwargs, manage
) -> None:
    _refused(client, personas.owner, reverse(name, kwargs=kwargs(board, meeting)))


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [(n, k) for n, k, manage in PAGES if manage],
    ids=[p[0] for p in PAGES if p[2]],
)
@pytest.mark.parametrize("persona", ["smb_member", "auditor"])
def test_the_board_and_auditors_cannot_change_anything(
    client: Client, personas: Personas, board: Board, meeting: SmbMeeting, name, kwargs, persona
) -> None:
    _refused(
        client, getattr(personas, persona), reverse(name, kwargs=kwargs(board, meeting)), "post"
    )
    assert SmbMeeting.objects.get(pk=meeting.pk).status == SmbMeetingStatus.PLANNED


def test_an_unknown_meeting_or_seat_is_not_found(
    client: Client, personas: Personas, board: Board
) -> None:
    sign_in(client, personas.coordinator)
    assert (
        client.get(
            reverse("smb:meeting_detail", args=["0" * 8 + "-0000-0000-0000-" + "0" * 12])
        ).status_code
        == 404
    )
    assert client.get(reverse("smb:seat_edit", args=[99999])).status_code == 404
    other = services.seat_create(
        actor=personas.coordinator,
        title="Other",
        agency=personas.housing,
        minimum_grade="Any",
        created_on=DAY,
    )
    holder = SmbMembership.objects.get(seat=board.police)
    # Another seat's holder under this seat's address.
    assert client.get(reverse("smb:holder_edit", args=[other.pk, holder.pk])).status_code == 404


# Wrong input ----------------------------------------------------------------------------


def test_a_meeting_without_a_date_is_refused_with_a_message(
    client: Client, personas: Personas, board: Board
) -> None:
    sign_in(client, personas.coordinator)
    response = client.post(reverse("smb:meeting_add"), {**_date("date", None), "venue": "HQ"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Enter the date of the meeting" in response.text
    assert not SmbMeeting.objects.exists()
    response = client.post(
        reverse("smb:meeting_add"),
        {**_date("date", None), "date-day": "31", "date-month": "2", "date-year": "2025"},
    )
    assert "Date of the meeting must be a real date" in response.text


def test_marking_held_without_every_seat_says_which(
    client: Client, personas: Personas, board: Board, meeting: SmbMeeting
) -> None:
    sign_in(client, personas.coordinator)
    response = client.post(
        reverse("smb:meeting_record", args=[meeting.pk]),
        {
            f"seat_{board.police.pk}_status": "attended",
            "chair_seat": board.police.pk,
            "minutes": "Draft",
            "mark_held": "1",
        },
    )
    assert response.status_code == 200
    assert "Select how Assistant Chief Officer, Probation took part" in response.text
    assert "Select how Director, Housing took part" in response.text
    # The minutes typed are shown back, not lost.
    assert "Draft" in response.text
    meeting.refresh_from_db()
    assert meeting.status == SmbMeetingStatus.PLANNED


def test_a_seat_ending_before_it_began_is_refused(
    client: Client, personas: Personas, board: Board
) -> None:
    sign_in(client, personas.coordinator)
    response = client.post(
        reverse("smb:seat_end", args=[board.police.pk]), _date("ended_on", dt.date(2024, 12, 31))
    )
    assert response.status_code == 200
    assert (
        "The end date must be the same as or after the date the seat was created" in response.text
    )
    response = client.post(reverse("smb:seat_end", args=[board.police.pk]), _date("ended_on", None))
    assert "Enter the last day of the seat" in response.text


def test_a_holder_ending_before_they_started_is_refused(
    client: Client, personas: Personas, board: Board
) -> None:
    sign_in(client, personas.coordinator)
    holder = SmbMembership.objects.get(seat=board.police)
    response = client.post(
        reverse("smb:holder_edit", args=[board.police.pk, holder.pk]),
        {
            "name": holder.name,
            **_date("started_on", DAY),
            **_date("ended_on", DAY - dt.timedelta(days=1)),
        },
    )
    assert response.status_code == 200
    assert "The end date must be the same as or after the start date" in response.text


def test_a_seat_form_names_each_missing_answer(client: Client, personas: Personas) -> None:
    sign_in(client, personas.coordinator)
    response = client.post(reverse("smb:seat_add"), {"position": "x", **_date("created_on", None)})
    for message in (
        "Enter the seat",
        "Select the agency",
        "Enter the minimum grade for the seat",
        "Enter the date the seat was created",
        "order must be a whole number, like 3",
    ):
        assert message in response.text


def test_a_period_ending_before_it_starts_is_refused(client: Client, personas: Personas) -> None:
    sign_in(client, personas.smb_member)
    response = client.get(
        reverse("smb:attendance"),
        {**_date("start", dt.date(2025, 6, 30)), **_date("end", dt.date(2025, 4, 1))},
    )
    assert response.status_code == 200
    assert "The end date must be the same as or after the start date" in response.text
    response = client.get(reverse("smb:attendance"), {**_date("start", None), **_date("end", None)})
    assert "Enter the start date" in response.text
    assert "Enter the end date" in response.text


def test_cancelling_needs_a_reason(
    client: Client, personas: Personas, board: Board, meeting: SmbMeeting
) -> None:
    sign_in(client, personas.coordinator)
    response = client.post(reverse("smb:meeting_cancel", args=[meeting.pk]), {"reason": ""})
    assert "Enter the reason the meeting was cancelled" in response.text
    response = client.post(reverse("smb:meeting_cancel", args=[meeting.pk]), {"reason": "Snow"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancel_reason) == ("cancelled", "Snow")


# The whole job from the pages ----------------------------------------------------------


def test_a_meeting_is_planned_recorded_and_counted(
    client: Client, personas: Personas, board: Board
) -> None:
    sign_in(client, personas.coordinator)
    page = client.get(reverse("smb:meeting_add"))
    # The chair in rotation is proposed: nobody has chaired yet, so the first seat.
    assert "Next in rotation: <strong>Superintendent, Police</strong>" in page.text
    response = client.post(
        reverse("smb:meeting_add"),
        {**_date("date", DAY), "venue": "Police HQ", "chair_seat": board.police.pk},
    )
    meeting = SmbMeeting.objects.get()
    assert response.status_code == 302
    response = client.post(
        reverse("smb:meeting_record", args=[meeting.pk]),
        {
            f"seat_{board.police.pk}_status": "attended",
            f"seat_{board.probation.pk}_status": "deputy",
            f"seat_{board.probation.pk}_name": "Dana Le Sueur",
            f"seat_{board.housing.pk}_status": "apologies",
            "chair_seat": board.police.pk,
            "minutes": "Reviewed the quarter's KPIs.",
            "mark_held": "1",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == SmbMeetingStatus.HELD
    assert meeting.chair_name == "Supt Anne Renouf"
    assert dict(SmbAttendance.objects.values_list("seat__title", "attendee_name")) == {
        "Superintendent, Police": "Supt Anne Renouf",
        "Assistant Chief Officer, Probation": "Dana Le Sueur",
        "Director, Housing": "",
    }
    detail = client.get(reverse("smb:meeting_detail", args=[meeting.pk]))
    assert "A deputy attended" in detail.text
    assert "Reviewed the quarter" in detail.text
    table = client.get(
        reverse("smb:attendance"),
        {**_date("start", dt.date(2025, 1, 1)), **_date("end", dt.date(2025, 3, 31))},
    )
    assert table.status_code == 200
    # Police and probation 1 of 1; housing 0 of 1: not met.
    assert "Not met: at least one seat is below 90%" in table.text
    assert table.text.count("100.0%") == 2
    assert "0.0%" in table.text


def test_the_meetings_page_warns_of_a_quarter_without_a_meeting(
    client: Client, personas: Personas, board: Board, hold: Hold
) -> None:
    hold(DAY, {board.police: "attended", board.probation: "attended", board.housing: "absent"})
    sign_in(client, personas.smb_member)
    response = client.get(reverse("smb:meetings"))
    assert response.status_code == 200
    assert "No meeting was held in April to June 2025" in response.text
    assert "No meeting was held in January to March 2025" not in response.text


def test_the_board_shows_seats_in_order_with_their_holder(
    client: Client, personas: Personas, board: Board
) -> None:
    services.holder_change(
        actor=personas.coordinator, seat=board.police, name="Supt David Ozouf", started_on=DAY
    )
    sign_in(client, personas.smb_member)
    text = client.get(reverse("smb:board")).text
    assert text.index("Superintendent, Police") < text.index("Assistant Chief Officer, Probation")
    assert "Supt David Ozouf" in text
    assert "Record a new holder" not in text  # the board reads; it does not change
