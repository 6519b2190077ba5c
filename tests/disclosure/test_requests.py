"""Requests for minutes (J 5.5): recording, clarification, routing, decision, release."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from mappa.audit.models import AuditEvent
from mappa.common.dates import today
from mappa.disclosure import services
from mappa.disclosure.models import RequestRouting, RequestStatus
from tests.disclosure.conftest import RECEIVED, Scene, clarify, record

pytestmark = pytest.mark.django_db


def test_recording_lands_with_the_coordinator_and_the_chair_by_reference_and_link_only(
    scene: Scene, settings, django_capture_on_commit_callbacks
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MAPPA_BASE_URL = "https://mappa.example"
    scene.personas.coordinator.email = "coordinator@mappa.example"
    scene.personas.coordinator.save()
    with django_capture_on_commit_callbacks(execute=True):
        found = record(scene)
    assert found.reference == "RQ-000001"
    assert found.status == RequestStatus.RECEIVED
    assert found.received_by == scene.personas.owner
    assert found.received_by_agency == scene.personas.probation
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert set(message.to) == {"coordinator@mappa.example", "r.fenwick@police.example"}
    assert found.reference in message.subject and scene.case.reference in message.subject
    assert f"https://mappa.example/requests/{found.pk}/" in message.body
    # decisions.md "Mail": no names, nothing of what was asked.
    for word in ("Renouf", "Daniel", "Royal Court", "Copies of all", "Smith", "Mary"):
        assert word not in message.body and word not in message.subject
    found.refresh_from_db()
    assert found.notified_at is not None and found.notify_error == ""
    event = AuditEvent.objects.get(action="minutes_request.create")
    assert event.nominal_id == str(scene.nominal.pk)
    assert (event.changes or {})["requester_name"] == [None, "Royal Court of Jersey"]
    assert AuditEvent.objects.filter(action="minutes_request.notice_email", outcome="ok").exists()


def test_a_failed_notice_is_recorded_on_the_request(
    scene: Scene, settings, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    scene.personas.coordinator.email = "coordinator@mappa.example"
    scene.personas.coordinator.save()

    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("mappa.disclosure.tasks.send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        found = record(scene)
    found.refresh_from_db()
    assert "mail server down" in found.notify_error
    assert found.notified_at is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("requester_name", "  ", "Enter who made the request"),
        ("requester_type", "journalist", "Select the type of requester"),
        ("asked", "", "Enter what was asked for"),
        ("received_on", None, "Enter the date the request was received"),
        ("received_on", "tomorrow", "must be today or in the past"),
    ],
)
def test_recording_refuses_wrong_input(scene: Scene, field: str, value, message: str) -> None:
    if value == "tomorrow":
        value = today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        record(scene, **{field: value})
    assert message in " ".join(caught.value.message_dict[field])


def test_received_today_is_accepted(scene: Scene) -> None:
    assert record(scene, received_on=today()).received_on == today()


def test_the_whole_flow_of_statuses(scene: Scene) -> None:
    found = record(scene)
    found = clarify(scene, found, minutes_sought=False)
    assert found.status == RequestStatus.CLARIFYING
    services.minutes_request_route(
        actor=scene.personas.coordinator,
        minutes_request=found,
        agencies=[scene.personas.probation, scene.personas.police],
        what="Probation's own risk assessment; police intelligence",
        routed_on=RECEIVED + dt.timedelta(days=2),
        expected_version=found.version,
    )
    found.refresh_from_db()
    assert found.status == RequestStatus.ROUTED
    assert RequestRouting.objects.filter(request=found).count() == 2
    found = clarify(scene, found, minutes_sought=True)
    assert found.status == RequestStatus.SUMMARY
    summary = services.executive_summary_start(actor=scene.chair, case=scene.case)
    version = services.executive_summary_finalise(
        actor=scene.chair, summary=summary, expected_version=summary.version
    )
    found = services.minutes_request_decide(
        actor=scene.chair,
        minutes_request=found,
        decision="release_summary",
        reasons="The court needs the meeting's view of risk; the minutes are never released.",
        expected_version=found.version,
    )
    assert found.status == RequestStatus.DECIDED
    found = services.minutes_request_release(
        actor=scene.chair,
        minutes_request=found,
        version=version,
        description="",
        released_on=today(),
        expected_version=found.version,
    )
    assert found.status == RequestStatus.CLOSED
    assert found.released_version == version
    event = AuditEvent.objects.get(action="minutes_request.release")
    assert event.detail["sha256"] == version.sha256
    assert (event.changes or {})["status"] == ["decided", "closed"]
    # Closed: nothing more changes.
    with pytest.raises(ValidationError):
        clarify(scene, found)
    with pytest.raises(ValidationError):
        services.minutes_request_release(
            actor=scene.chair,
            minutes_request=found,
            version=None,
            description="Something else",
            released_on=today(),
            expected_version=found.version,
        )


def test_routing_needs_the_clarification_first(scene: Scene) -> None:
    found = record(scene)
    with pytest.raises(ValidationError, match="before routing"):
        services.minutes_request_route(
            actor=scene.personas.coordinator,
            minutes_request=found,
            agencies=[scene.personas.probation],
            what="Risk assessment",
            routed_on=RECEIVED,
            expected_version=found.version,
        )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"agencies": []}, "agencies", "Select at least one agency"),
        ({"what": " "}, "what", "Enter what information is routed"),
        ({"routed_on": None}, "routed_on", "Enter the date it was routed"),
        ({"routed_on": "tomorrow"}, "routed_on", "today or in the past"),
        ({"routed_on": RECEIVED - dt.timedelta(days=1)}, "routed_on", "same as or after"),
    ],
)
def test_routing_refuses_wrong_input(scene: Scene, data, field: str, message: str) -> None:
    found = clarify(scene, record(scene), minutes_sought=False)
    values = {
        "agencies": [scene.personas.probation],
        "what": "Risk assessment",
        "routed_on": RECEIVED,
        **data,
    }
    if values["routed_on"] == "tomorrow":
        values["routed_on"] = today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services.minutes_request_route(
            actor=scene.personas.coordinator,
            minutes_request=found,
            expected_version=found.version,
            **values,
        )
    assert message in " ".join(caught.value.message_dict[field])
    assert not RequestRouting.objects.exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"sought": ""}, "sought", "Enter what information is actually sought"),
        ({"minutes_sought": None}, "minutes_sought", "Select whether"),
        ({"channel": "phone"}, "channel", "Select how the clarification was recorded"),
        ({"clarified_on": None}, "clarified_on", "Enter the date it was clarified"),
        ({"clarified_on": "tomorrow"}, "clarified_on", "today or in the past"),
        ({"clarified_on": RECEIVED - dt.timedelta(days=1)}, "clarified_on", "same as or after"),
    ],
)
def test_clarifying_refuses_wrong_input(scene: Scene, data, field: str, message: str) -> None:
    found = record(scene)
    values = {
        "sought": "The plan",
        "minutes_sought": True,
        "channel": "email",
        "clarified_on": RECEIVED,
        **data,
    }
    if values["clarified_on"] == "tomorrow":
        values["clarified_on"] = today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        services.minutes_request_clarify(
            actor=scene.personas.coordinator,
            minutes_request=found,
            expected_version=found.version,
            **values,
        )
    assert message in " ".join(caught.value.message_dict[field])
    found.refresh_from_db()
    assert found.status == RequestStatus.RECEIVED and found.clarified_on is None


def test_a_step_from_a_stale_page_is_refused(scene: Scene) -> None:
    found = record(scene)
    seen = found.version
    clarify(scene, found)
    with pytest.raises(services.StaleError):
        services.minutes_request_decide(
            actor=scene.personas.coordinator,
            minutes_request=found,
            decision="refuse",
            reasons="Not ours to release",
            expected_version=seen,
        )


def test_decision_and_release_wrong_input(scene: Scene) -> None:
    found = clarify(scene, record(scene), minutes_sought=False)
    with pytest.raises(ValidationError) as caught:
        services.minutes_request_decide(
            actor=scene.personas.coordinator,
            minutes_request=found,
            decision="",
            reasons="",
            expected_version=found.version,
        )
    assert set(caught.value.message_dict) == {"decision", "reasons"}
    with pytest.raises(ValidationError, match="Record the decision before"):
        services.minutes_request_release(
            actor=scene.personas.coordinator,
            minutes_request=found,
            version=None,
            description="A letter",
            released_on=today(),
            expected_version=found.version,
        )
    found = services.minutes_request_decide(
        actor=scene.personas.coordinator,
        minutes_request=found,
        decision="refuse",
        reasons="The information is probation's: directed to them",
        expected_version=found.version,
    )
    with pytest.raises(ValidationError) as caught:
        services.minutes_request_release(
            actor=scene.personas.coordinator,
            minutes_request=found,
            version=None,
            description="",
            released_on=today() + dt.timedelta(days=1),
            expected_version=found.version,
        )
    assert set(caught.value.message_dict) == {"description", "released_on"}


def test_releasing_a_summary_needs_a_version_of_this_case(scene: Scene, personas) -> None:
    found = clarify(scene, record(scene))
    found = services.minutes_request_decide(
        actor=scene.chair,
        minutes_request=found,
        decision="release_summary",
        reasons="Wanted by the court",
        expected_version=found.version,
    )
    with pytest.raises(ValidationError) as caught:
        services.minutes_request_release(
            actor=scene.chair,
            minutes_request=found,
            version=None,
            description="",
            released_on=today(),
            expected_version=found.version,
        )
    assert (
        "Select the executive summary version" in caught.value.message_dict["released_version"][0]
    )
