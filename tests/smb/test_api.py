"""The board on the API: meetings with attendance, attendance by seat for a period."""

import datetime as dt

import pytest
from django.test import Client

from mappa.smb import services
from tests.api.helpers import errors, refusals, sign_in, url
from tests.conftest import Personas
from tests.smb.conftest import Board, Hold

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(personas: Personas, board: Board, hold: Hold) -> None:
    # 9 of 10 for the police: exactly the target.
    for month in range(1, 11):
        hold(
            dt.date(2025, month, 10),
            {
                board.police: "apologies" if month == 4 else "attended",
                board.probation: "attended",
                board.housing: "deputy" if month == 5 else "absent",
            },
            chair=board.probation,
        )
    cancelled = services.meeting_create(actor=personas.coordinator, date=dt.date(2025, 11, 10))
    services.meeting_cancel(actor=personas.coordinator, meeting=cancelled, reason="Snow")


def test_meetings_come_with_their_attendance(
    client: Client, personas: Personas, board: Board, history: None
) -> None:
    sign_in(client, personas.smb_member)
    response = client.get(url("smb-meeting-list", query="from=2025-04-01&to=2025-04-30"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["count"] == 1
    meeting = body["results"][0]
    assert meeting["date"] == "2025-04-10"
    assert meeting["status"] == "held"
    assert meeting["chair_seat_title"] == "Assistant Chief Officer, Probation"
    assert {
        (a["seat_title"], a["status"], a["counts_as_attended"]) for a in meeting["attendance"]
    } == {
        ("Superintendent, Police", "apologies", False),
        ("Assistant Chief Officer, Probation", "attended", True),
        ("Director, Housing", "absent", False),
    }
    cancelled = client.get(url("smb-meeting-list", query="status=cancelled")).json()
    assert [(m["date"], m["cancel_reason"]) for m in cancelled["results"]] == [
        ("2025-11-10", "Snow")
    ]


def test_attendance_by_seat_for_a_period(
    client: Client, personas: Personas, board: Board, history: None
) -> None:
    sign_in(client, personas.auditor)
    response = client.get(url("smb-attendance", query="from=2025-01-01&to=2025-12-31"))
    assert response.status_code == 200
    body = response.json()
    assert (body["from"], body["to"], body["target"], body["meetings_held"]) == (
        "2025-01-01",
        "2025-12-31",
        0.9,
        10,
    )
    seats = {s["title"]: (s["attended"], s["held"], s["rate"], s["met"]) for s in body["seats"]}
    assert seats == {
        "Superintendent, Police": (9, 10, 0.9, True),
        "Assistant Chief Officer, Probation": (10, 10, 1.0, True),
        "Director, Housing": (1, 10, 0.1, False),
    }
    assert body["met"] is False


def test_a_period_must_be_given_and_in_order(client: Client, personas: Personas) -> None:
    sign_in(client, personas.coordinator)
    assert errors(client.get(url("smb-attendance"))) == {
        "from": ["Enter the from date"],
        "to": ["Enter the to date"],
    }
    assert errors(client.get(url("smb-attendance", query="from=2025-06-01&to=2025-05-31"))) == {
        "to": ["The end date must be the same as or after the start date"]
    }
    assert "from" in errors(
        client.get(url("smb-attendance", query="from=2025-02-30&to=2025-05-31"))
    )


def test_an_empty_period_has_no_rate_and_no_division_by_zero(
    client: Client, personas: Personas, board: Board
) -> None:
    sign_in(client, personas.coordinator)
    body = client.get(url("smb-attendance", query="from=2025-01-01&to=2025-01-31")).json()
    assert body["meetings_held"] == 0
    assert body["met"] is None
    assert {(s["held"], s["rate"], s["met"]) for s in body["seats"]} == {(0, None, None)}


def test_a_practitioner_is_refused_with_an_audit_row(client: Client, personas: Personas) -> None:
    sign_in(client, personas.owner)
    response = client.get(url("smb-meeting-list"))
    assert response.status_code == 403
    refusal = refusals(personas.owner).get()
    assert response.json()["detail"] == refusal.detail["reason"]
