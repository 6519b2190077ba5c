"""The case, meeting and area pages: what each viewer sees, and the audit of each view."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from mappa.audit.models import AuditEvent
from tests.access.helpers import sign_in
from tests.conftest import Personas
from tests.quality.conftest import Built

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_coordinator_sees_the_case_audit_with_names_and_links(
    client, case_a: Built, personas: Personas, frozen: dt.date
) -> None:
    sign_in(client, personas.coordinator)
    response = client.get(reverse("quality:case", args=[case_a.case.pk]))
    assert response.status_code == 200
    page = _text(response)
    assert "4 time limits missed, 3 actions not done by their deadline" in page
    assert "Barnaby Quennell" in page
    assert reverse("register:detail", args=[case_a.nominal.pk]) in page
    assert reverse("minutes:detail", args=[case_a.first_minutes.pk]) in page
    assert reverse("minutes:action", args=[case_a.actions[3].pk]) in page
    assert reverse("meetings:detail", args=[case_a.second.pk]) in page
    # Dates due, dates done and days late, e.g. the minutes of 30 March.
    assert "15 Apr 2026" in page and "16 Apr 2026" in page
    assert "Action 3 of the plan" in page
    # The per-agency table.
    assert "Probation and After-Care Service</th>" in page
    event = AuditEvent.objects.get(actor=personas.coordinator, action="quality.view")
    assert event.nominal_id == str(case_a.nominal.pk)
    assert event.detail["findings"] == 12


def test_the_board_sees_references_only(
    client, case_a: Built, personas: Personas, frozen: dt.date
) -> None:
    sign_in(client, personas.smb_member)
    response = client.get(reverse("quality:case", args=[case_a.case.pk]))
    assert response.status_code == 200
    page = _text(response)
    assert case_a.case.reference in page
    assert "4 time limits missed" in page
    assert "Quennell" not in page and "Barnaby" not in page
    for link in (
        reverse("register:detail", args=[case_a.nominal.pk]),
        reverse("minutes:detail", args=[case_a.first_minutes.pk]),
        reverse("minutes:action", args=[case_a.actions[3].pk]),
        reverse("meetings:detail", args=[case_a.second.pk]),
    ):
        assert link not in page
    # Action descriptions and owners can name people: not shown by reference.
    assert "Action 3 of the plan" not in page and "Morwenna" not in page
    assert "by case reference only" in page
    assert AuditEvent.objects.filter(actor=personas.smb_member, action="quality.view").count() == 1


def test_practitioner_of_the_lead_agency_sees_the_case(
    client, case_a: Built, personas: Personas, frozen: dt.date
) -> None:
    sign_in(client, personas.owner)
    page = _text(client.get(reverse("quality:case", args=[case_a.case.pk])))
    assert "Barnaby Quennell" in page
    assert reverse("minutes:detail", args=[case_a.first_minutes.pk]) in page


def test_a_clean_case_says_nothing_was_found(
    client, clean_case: Built, personas: Personas, frozen: dt.date
) -> None:
    sign_in(client, personas.coordinator)
    page = _text(client.get(reverse("quality:case", args=[clean_case.case.pk])))
    assert "Nothing was found missed, late or missing." in page
    assert "No time limit was missed." in page
    assert "Every action was done by its deadline" in page


def test_the_meeting_page(client, case_a: Built, personas: Personas, frozen: dt.date) -> None:
    sign_in(client, personas.coordinator)
    response = client.get(reverse("quality:meeting", args=[case_a.second.pk]))
    assert response.status_code == 200
    page = _text(response)
    assert "Quality audit of the meeting" in page
    assert (
        "1 time limit missed, 1 case discussion without a disclosure decision, "
        "2 attendance gaps." in page
    )
    assert "No decision on disclosure recorded" in page
    # Its minutes deadline, not yet due, and attendance: 1 of 3 invited agencies.
    assert "7 Jul 2026" in page and "Not yet due" in page and "1 of 3" in page
    # The case discussed, with its whole history's counts and a link to its audit.
    assert reverse("quality:case", args=[case_a.case.pk]) in page
    event = AuditEvent.objects.get(actor=personas.coordinator, action="quality.view")
    assert event.nominal_id == str(case_a.nominal.pk)
    assert event.detail == {"case": case_a.case.reference, "via": "meeting"}


def test_the_board_sees_the_meeting_by_reference(
    client, case_a: Built, personas: Personas, frozen: dt.date
) -> None:
    sign_in(client, personas.smb_member)
    page = _text(client.get(reverse("quality:meeting", args=[case_a.first.pk])))
    assert case_a.case.reference in page and "Quennell" not in page
    assert reverse("meetings:detail", args=[case_a.first.pk]) not in page


def test_area_list_filters_by_period_and_agency(
    client, case_a: Built, clean_case: Built, personas: Personas, frozen: dt.date
) -> None:
    sign_in(client, personas.coordinator)
    response = client.get(
        reverse("quality:area"),
        {
            "start-day": "1",
            "start-month": "4",
            "start-year": "2026",
            "end-day": "30",
            "end-month": "4",
            "end-year": "2026",
        },
    )
    page = _text(response)
    assert response.status_code == 200
    assert "1 April 2026 to 30 April 2026: 1 case." in page
    assert reverse("quality:case", args=[case_a.case.pk]) in page
    assert case_a.case.reference in page and clean_case.case.reference not in page
    event = AuditEvent.objects.get(actor=personas.coordinator, action="quality.list")
    assert event.detail["cases"] == 1
    response = client.get(
        reverse("quality:area"),
        {
            "start-day": "1",
            "start-month": "7",
            "start-year": "2026",
            "end-day": "31",
            "end-month": "7",
            "end-year": "2026",
            "agency": str(personas.housing.pk),
        },
    )
    assert "No case has a finding in this period." in _text(response)


def test_area_list_default_period_is_this_quarter(
    client, case_a: Built, personas: Personas, frozen: dt.date
) -> None:
    sign_in(client, personas.coordinator)
    page = _text(client.get(reverse("quality:area")))
    # 30 June 2026: the quarter began 1 April.
    assert "1 April 2026 to 30 June 2026: 1 case." in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {
                "start-day": "2",
                "start-month": "4",
                "start-year": "2026",
                "end-day": "1",
                "end-month": "4",
                "end-year": "2026",
            },
            "The end date must be the same as or after the start date",
        ),
        (
            {
                "start-day": "",
                "start-month": "",
                "start-year": "",
                "end-day": "1",
                "end-month": "4",
                "end-year": "2026",
            },
            "Enter the start date",
        ),
        (
            {
                "start-day": "31",
                "start-month": "2",
                "start-year": "2026",
                "end-day": "1",
                "end-month": "4",
                "end-year": "2026",
            },
            "Start date must be a real date",
        ),
        (
            {
                "start-day": "1",
                "start-month": "4",
                "start-year": "2026",
                "end-day": "1",
                "end-month": "5",
                "end-year": "2026",
                "agency": "999999",
            },
            "Select an agency from the list",
        ),
    ],
)
def test_area_list_wrong_input(
    client, personas: Personas, frozen: dt.date, query: dict, message: str
) -> None:
    sign_in(client, personas.coordinator)
    response = client.get(reverse("quality:area"), query)
    assert response.status_code == 200
    page = _text(response)
    assert "There is a problem" in page
    assert message in page
    assert "<title>Error:" in page
    assert "No case has a finding" not in page


def test_practitioner_area_list_shows_only_their_cases(
    client, case_a: Built, personas: Personas, frozen: dt.date
) -> None:
    sign_in(client, personas.outsider)
    page = _text(client.get(reverse("quality:area")))
    assert case_a.case.reference not in page
    sign_in(client, personas.owner)
    page = _text(client.get(reverse("quality:area")))
    assert case_a.case.reference in page
