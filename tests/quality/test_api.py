"""The quality audit through the API: the same findings, names only where allowed."""

import datetime as dt

import pytest

from mappa.audit.models import AuditEvent
from tests.api.helpers import refusals, sign_in
from tests.conftest import Personas
from tests.quality.conftest import Built

pytestmark = pytest.mark.django_db


def test_case_audit_as_json(client, case_a: Built, personas: Personas, frozen: dt.date) -> None:
    sign_in(client, personas.coordinator)
    response = client.get(f"/api/v1/quality/cases/{case_a.case.pk}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    assert data["as_of"] == "2026-06-30"
    assert data["case"]["name"] == "Barnaby Quennell"
    assert data["counts"] == {
        "time_limits": 4,
        "time_limit_days": 178,
        "actions": 3,
        "disclosure": 1,
        "plans": 1,
        "attendance": 3,
    }
    minutes = [r for r in data["time_limits"] if r["kind"] == "minutes"][0]
    assert (minutes["due"], minutes["done"], minutes["days_late"]) == (
        "2026-04-15",
        "2026-04-16",
        1,
    )
    assert minutes["minutes_url"].endswith(f"/minutes/{case_a.first_minutes.pk}/")
    assert [(r["number"], r["days_late"]) for r in data["actions"]] == [(2, 1), (3, 53), (4, 1)]
    police = [r for r in data["per_agency"] if r["agency"] == "States of Jersey Police"][0]
    assert police["action_days"] == 53
    event = AuditEvent.objects.get(actor=personas.coordinator, action="quality.view")
    assert event.nominal_id == str(case_a.nominal.pk)
    assert event.detail["via"] == "api"


def test_the_board_gets_references_only(
    client, case_a: Built, personas: Personas, frozen: dt.date
) -> None:
    sign_in(client, personas.smb_member)
    data = client.get(f"/api/v1/quality/cases/{case_a.case.pk}/").json()
    assert data["case"]["name"] is None and data["case"]["url"] == ""
    assert "Quennell" not in str(data)
    assert all(r["description"] == "" and r["action_url"] == "" for r in data["actions"])
    assert all(r["minutes_url"] == "" for r in data["time_limits"])


def test_meeting_audit_as_json(client, case_a: Built, personas: Personas, frozen: dt.date) -> None:
    sign_in(client, personas.owner)
    response = client.get(f"/api/v1/quality/meetings/{case_a.second.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["meeting"]["date"] == "2026-06-23"
    assert [r["reason"] for r in data["findings"]["disclosure"]] == [
        "No decision on disclosure recorded"
    ]
    assert [r["agency"] for r in data["findings"]["attendance"]] == [
        "Probation and After-Care Service",
        "Housing",
    ]
    assert data["findings"]["attendance"][0]["case"]["reference"] == case_a.case.reference
    assert data["cases"][0]["counts"]["time_limits"] == 4
    assert [
        (d["minutes_due"], d["minutes_state"], d["invited"], d["attended"])
        for d in data["discussions"]
    ] == [("2026-07-07", "Not yet due", 3, 1)]


def test_refused_and_not_found(client, case_a: Built, personas: Personas) -> None:
    import uuid

    sign_in(client, personas.outsider)
    response = client.get(f"/api/v1/quality/cases/{case_a.case.pk}/")
    assert response.status_code == 403
    assert response.json()["detail"] == refusals(personas.outsider).get().detail["reason"]
    sign_in(client, personas.coordinator)
    assert client.get(f"/api/v1/quality/cases/{uuid.uuid4()}/").status_code == 404
    assert client.get(f"/api/v1/quality/meetings/{uuid.uuid4()}/").status_code == 404
