"""The API: the same services and policy as the pages."""

import pytest
from django.test import Client

from mappa.audit.models import AuditEvent
from mappa.disclosure import services
from mappa.disclosure.models import MinutesRequest
from tests.api.helpers import JSON, errors, refusals, sign_in
from tests.disclosure.conftest import Scene, clarify, record

pytestmark = pytest.mark.django_db

REQUESTS = "/api/v1/minutes-requests/"


def _body(scene: Scene, **overrides):
    return {
        "case_reference": scene.case.reference,
        "requester_name": "Royal Court of Jersey",
        "requester_type": "court",
        "asked": "All the minutes",
        "received_on": "2026-05-04",
        **overrides,
    }


def test_record_then_read_as_the_recording_agency(client: Client, scene: Scene) -> None:
    sign_in(client, scene.personas.owner)
    response = client.post(REQUESTS, _body(scene), content_type=JSON)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["reference"] == "RQ-000001" and data["status"] == "received"
    assert response["Location"] == f"{REQUESTS}{data['id']}/"
    found = MinutesRequest.objects.get()
    clarify(scene, found)
    data = client.get(f"{REQUESTS}{found.pk}/").json()
    # The recording agency sees progress, not the clarification.
    assert data["full"] is False and data["status"] == "summary"
    assert data["clarified_on"] == "2026-05-05"
    assert data["clarified_sought"] is None and data["executive_summary"] is None
    listed = client.get(REQUESTS).json()
    assert [r["reference"] for r in listed["results"]] == ["RQ-000001"]


def test_the_coordinator_sees_everything_and_filters(client: Client, scene: Scene) -> None:
    found = clarify(scene, record(scene))
    summary = services.executive_summary_start(actor=scene.chair, case=scene.case)
    sign_in(client, scene.personas.coordinator)
    data = client.get(f"{REQUESTS}{found.pk}/").json()
    assert data["full"] is True
    assert data["clarified_sought"].startswith("The meeting's view")
    assert data["executive_summary"] == str(summary.pk)
    assert client.get(REQUESTS, {"status": "closed"}).json()["results"] == []
    assert len(client.get(REQUESTS, {"status": "summary"}).json()["results"]) == 1
    assert "status" in errors(client.get(REQUESTS, {"status": "nonsense"}))


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"case_reference": "MN-999999"}, "case_reference"),
        ({"requester_type": "journalist"}, "requester_type"),
        ({"received_on": "2999-01-01"}, "received_on"),
        ({"received_on": "not a date"}, "received_on"),
        ({"asked": ""}, "asked"),
    ],
)
def test_wrong_input_names_the_field(client: Client, scene: Scene, overrides, field) -> None:
    sign_in(client, scene.personas.owner)
    response = client.post(REQUESTS, _body(scene, **overrides), content_type=JSON)
    assert field in errors(response)
    assert not MinutesRequest.objects.exists()


def test_the_summary_is_served_redacted_with_its_redactions(client: Client, scene: Scene) -> None:
    summary = services.executive_summary_start(actor=scene.chair, case=scene.case)
    services.executive_summary_finalise(
        actor=scene.chair, summary=summary, expected_version=summary.version
    )
    sign_in(client, scene.chair)
    data = client.get(f"/api/v1/executive-summaries/{summary.pk}/").json()
    assert data["status"] == "finalised"
    assert "Mary" not in str(data["draft"])
    assert any(r["original"] == "Molly" for r in data["redactions"])
    assert data["versions"][0]["number"] == 1
    assert AuditEvent.objects.filter(action="summary.view", actor=scene.chair).exists()


def test_an_outsider_is_refused_with_the_reason_and_an_audit_row(
    client: Client, scene: Scene
) -> None:
    found = record(scene)
    sign_in(client, scene.personas.outsider)
    response = client.get(f"{REQUESTS}{found.pk}/")
    assert response.status_code == 403
    assert response.json()["detail"] == refusals(scene.personas.outsider).get().detail["reason"]
