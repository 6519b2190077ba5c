"""The pages: the register, recording, each step's form with wrong input, the summary's
side-by-side review, manual redaction, finalising and the versions."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mappa.audit.models import AuditEvent
from mappa.common.dates import today
from mappa.disclosure import services
from mappa.disclosure.models import (
    ExecutiveSummary,
    ExecutiveSummaryVersion,
    MinutesRequest,
    RequestRouting,
    RequestStatus,
)
from tests.disclosure.conftest import RECEIVED, Scene, clarify, record

pytestmark = pytest.mark.django_db


def _date(prefix: str, day: dt.date) -> dict[str, str]:
    return {
        f"{prefix}-day": str(day.day),
        f"{prefix}-month": str(day.month),
        f"{prefix}-year": str(day.year),
    }


def _record_form(scene: Scene, **overrides: Any) -> dict[str, Any]:
    data = {
        "case_reference": scene.case.reference,
        "requester_name": "Jersey Police Complaints Authority",
        "requester_type": "complaints_body",
        "asked": "The minutes of every meeting",
        **_date("received_on", RECEIVED),
    }
    data.update(overrides)
    return data


def _errors(response: Any) -> str:
    assert response.status_code in (200, 400)
    text = response.content.decode()
    assert "There is a problem" in text
    return text


def test_a_practitioner_without_a_part_records_a_request_by_record_reference(
    client: Client, scene: Scene
) -> None:
    outsider = scene.personas.outsider
    client.force_login(outsider)
    page = client.get(reverse("disclosure:record"))
    assert "never released" in page.content.decode()
    response = client.post(
        reverse("disclosure:record"),
        _record_form(scene, case_reference=scene.nominal.reference.lower()),
    )
    found = MinutesRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("disclosure:detail", args=[found.pk])
    assert found.case == scene.case and found.identified_by == "record_reference"
    assert found.received_by_agency == scene.personas.education
    detail = client.get(response["Location"]).content.decode()
    # The recorder sees its progress, not the person: no name, no link to the record.
    assert found.reference in detail and "Renouf" not in detail
    assert reverse("register:detail", args=[scene.nominal.pk]) not in detail


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"case_reference": ""}, "Enter the case or record reference"),
        ({"case_reference": "MN-999999/1"}, "There is no case or record with this reference"),
        ({"requester_name": ""}, "Enter who made the request"),
        ({"requester_type": ""}, "Select the type of requester"),
        ({"asked": ""}, "Enter what was asked for"),
        ({"received_on-day": ""}, "must include a day"),
        ({"received_on-month": "13"}, "must be a real date"),
        ({"received_on-year": str(today().year + 1)}, "must be today or in the past"),
    ],
)
def test_recording_wrong_input_shows_the_error_summary(
    client: Client, scene: Scene, overrides: dict[str, str], message: str
) -> None:
    client.force_login(scene.personas.owner)
    response = client.post(reverse("disclosure:record"), _record_form(scene, **overrides))
    assert message in _errors(response)
    assert not MinutesRequest.objects.exists()


def test_the_register_lists_and_filters(client: Client, scene: Scene) -> None:
    first = record(scene)
    second = record(scene, requester_name="Law Officers' Department", requester_type="law_officers")
    clarify(scene, second)
    client.force_login(scene.personas.coordinator)
    page = client.get(reverse("disclosure:list")).content.decode()
    assert first.reference in page and second.reference in page
    page = client.get(reverse("disclosure:list"), {"status": "summary"}).content.decode()
    assert second.reference in page and first.reference not in page
    page = client.get(reverse("disclosure:list"), {"requester_type": "court"}).content.decode()
    assert first.reference in page and second.reference not in page
    # A wrong filter value is ignored, never a 500.
    assert client.get(reverse("disclosure:list"), {"status": "nonsense"}).status_code == 200
    assert AuditEvent.objects.filter(action="minutes_request.list").count() == 4


def test_the_steps_through_the_pages(client: Client, scene: Scene) -> None:
    found = record(scene)
    client.force_login(scene.personas.coordinator)
    detail = reverse("disclosure:detail", args=[found.pk])
    response = client.post(
        reverse("disclosure:clarify", args=[found.pk]),
        {
            "version": found.version,
            "sought": "The meeting's risk assessment and the plan",
            "minutes_sought": "yes",
            "channel": "letter",
            **_date("clarified_on", RECEIVED),
        },
    )
    assert response.status_code == 302 and response["Location"] == detail
    found.refresh_from_db()
    assert found.status == RequestStatus.SUMMARY
    response = client.post(
        reverse("disclosure:route", args=[found.pk]),
        {
            "version": found.version,
            "agencies": [scene.personas.probation.pk],
            "what": "Probation's own risk assessment (LSI-R)",
            **_date("routed_on", RECEIVED),
        },
    )
    assert response.status_code == 302
    assert RequestRouting.objects.get().agency == scene.personas.probation
    found.refresh_from_db()
    response = client.post(
        reverse("disclosure:decide", args=[found.pk]),
        {"version": found.version, "decision": "refuse", "reasons": "Directed to probation"},
    )
    assert response.status_code == 302
    found.refresh_from_db()
    response = client.post(
        reverse("disclosure:release", args=[found.pk]),
        {
            "version": found.version,
            "description": "A letter directing the authority to probation",
            **_date("released_on", today()),
        },
    )
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.status == RequestStatus.CLOSED
    page = client.get(detail).content.decode()
    assert "A letter directing the authority to probation" in page
    assert "Probation&#x27;s own risk assessment (LSI-R)" in page
    # The recording agency sees the status and what was sent, not the clarification.
    client.force_login(scene.personas.owner)
    page = client.get(detail).content.decode()
    assert "Closed" in page and "A letter directing the authority to probation" in page
    assert "The meeting&#x27;s risk assessment" not in page
    assert "LSI-R" not in page and "Directed to probation" not in page


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        (
            "clarify",
            {"sought": "", "minutes_sought": "yes", "channel": "email"},
            "Enter what information is actually sought",
        ),
        (
            "clarify",
            {"sought": "x", "channel": "email"},
            "Select whether information from the meeting",
        ),
        (
            "clarify",
            {"sought": "x", "minutes_sought": "no"},
            "Select how the clarification was recorded",
        ),
        (
            "clarify",
            {
                "sought": "x",
                "minutes_sought": "no",
                "channel": "email",
                **_date("clarified_on", today() + dt.timedelta(days=1)),
            },
            "must be today or in the past",
        ),
        ("route", {"what": "Risk assessment"}, "Select at least one agency"),
        ("route", {"agencies": ["999999"], "what": "x"}, "Select a valid choice"),
        ("decide", {"reasons": "x"}, "Select the decision"),
        ("decide", {"decision": "other"}, "Enter the reasons for the decision"),
    ],
)
def test_each_step_with_wrong_input_shows_the_error_summary(
    client: Client, scene: Scene, step: str, data: dict[str, Any], message: str
) -> None:
    found = record(scene)
    if step != "clarify":
        found = clarify(scene, found, minutes_sought=False)
    client.force_login(scene.personas.coordinator)
    body = {"version": found.version, **data}
    if step == "clarify" and "clarified_on-day" not in body:
        body.update(_date("clarified_on", RECEIVED))
    if step == "route":
        body.update(_date("routed_on", RECEIVED))
    response = client.post(reverse(f"disclosure:{step}", args=[found.pk]), body)
    assert message in _errors(response)
    before = found.version
    found.refresh_from_db()
    assert found.version == before


def test_a_step_from_an_old_page_says_someone_else_changed_it(client: Client, scene: Scene) -> None:
    found = clarify(scene, record(scene), minutes_sought=False)
    client.force_login(scene.personas.coordinator)
    response = client.post(
        reverse("disclosure:decide", args=[found.pk]),
        {"version": found.version - 1, "decision": "refuse", "reasons": "x"},
    )
    assert "Someone else changed this" in _errors(response)


def test_release_wrong_input(client: Client, scene: Scene) -> None:
    found = clarify(scene, record(scene))
    found = services.minutes_request_decide(
        actor=scene.chair,
        minutes_request=found,
        decision="release_summary",
        reasons="The court needs it",
        expected_version=found.version,
    )
    client.force_login(scene.chair)
    response = client.post(
        reverse("disclosure:release", args=[found.pk]),
        {"version": found.version, **_date("released_on", today())},
    )
    assert "Select the executive summary version that was sent" in _errors(response)


def test_the_summary_review_side_by_side_manual_redaction_and_finalise(
    client: Client, scene: Scene
) -> None:
    found = clarify(scene, record(scene))
    client.force_login(scene.chair)
    response = client.post(reverse("disclosure:summary_start", args=[found.pk]))
    summary = ExecutiveSummary.objects.get()
    assert response["Location"] == reverse("disclosure:summary", args=[summary.pk])
    page = client.get(response["Location"]).content.decode()
    # Left: the records with the redacted spans marked; right: the replacement marked.
    assert "<mark>Mary Smith&#x27;s</mark>" in page
    assert "<mark>The victim&#x27;s</mark>" in page
    assert "<mark>12 Rue de la Mare, St Helier, JE2 3AB</mark>" in page
    assert "never released" in page
    # Wrong input on the manual redaction: the error summary, nothing changed.
    response = client.post(
        reverse("disclosure:summary_redact", args=[summary.pk]),
        {"version": summary.version, "phrase": "", "replacement": ""},
    )
    text = _errors(response)
    assert "Enter the words to remove" in text and "Enter the words that replace them" in text
    response = client.post(
        reverse("disclosure:summary_redact", args=[summary.pk]),
        {
            "version": summary.version,
            "phrase": "Alcohol treatment programme",
            "replacement": "a programme",
        },
    )
    assert response.status_code == 302
    summary.refresh_from_db()
    assert summary.manual_redactions == [
        {"phrase": "Alcohol treatment programme", "replacement": "a programme"}
    ]
    page = client.get(reverse("disclosure:summary_finalise", args=[summary.pk])).content.decode()
    assert "Finalise version 1" in page
    response = client.post(
        reverse("disclosure:summary_finalise", args=[summary.pk]), {"version": summary.version}
    )
    version = ExecutiveSummaryVersion.objects.get()
    assert response["Location"] == reverse("disclosure:version", args=[version.pk])
    page = client.get(response["Location"]).content.decode()
    # At the start of the text the replacement takes a capital.
    assert "A programme" in page and "Alcohol treatment programme" not in page
    assert reverse("documents:executive_summary_pdf", args=[version.pk]) in page
    assert reverse("documents:executive_summary_docx", args=[version.pk]) in page
    versions = client.get(
        reverse("disclosure:summary_versions", args=[summary.pk])
    ).content.decode()
    assert "Version 1" in versions
    # Finalising again from the same page is refused with the error summary.
    response = client.post(
        reverse("disclosure:summary_finalise", args=[summary.pk]), {"version": summary.version}
    )
    assert response.status_code == 400 and "There is a problem" in response.content.decode()
    assert ExecutiveSummaryVersion.objects.count() == 1


def test_finalising_asks_the_user_to_confirm_who_they_are(client: Client, scene: Scene) -> None:
    from mappa.accounts import session as session_state

    summary = services.executive_summary_start(actor=scene.chair, case=scene.case)
    client.force_login(scene.chair)
    session = client.session
    session[session_state.REAUTHENTICATED_AT] = session_state.now() - 3600
    session.save()
    response = client.get(reverse("disclosure:summary_finalise", args=[summary.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:confirm"))
    assert not ExecutiveSummaryVersion.objects.exists()


def test_views_of_case_data_are_audited(client: Client, scene: Scene) -> None:
    found = record(scene)
    summary = services.executive_summary_start(actor=scene.chair, case=scene.case)
    client.force_login(scene.personas.auditor)
    client.get(reverse("disclosure:detail", args=[found.pk]))
    client.get(reverse("disclosure:summary", args=[summary.pk]))
    view = AuditEvent.objects.get(action="minutes_request.view", actor=scene.personas.auditor)
    assert view.nominal_id == str(scene.nominal.pk)
    assert AuditEvent.objects.filter(action="summary.view", actor=scene.personas.auditor).exists()


def test_an_unknown_request_or_summary_is_not_found(client: Client, scene: Scene) -> None:
    import uuid

    client.force_login(scene.personas.coordinator)
    for name in ("disclosure:detail", "disclosure:summary", "disclosure:version"):
        assert client.get(reverse(name, args=[uuid.uuid4()])).status_code == 404
