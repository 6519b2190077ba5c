"""Who may see and handle requests and summaries: the policy in process, then every page
over HTTP once allowed and once refused (403 and an audit row)."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mappa.access.models import Role
from mappa.access.policy import Action, decide
from mappa.audit.models import AuditEvent
from mappa.common.dates import today
from mappa.disclosure import services
from mappa.disclosure.access import sees_full_request
from mappa.disclosure.selectors import requests_visible_to
from mappa.meetings.models import MeetingStatus
from tests.disclosure.conftest import Scene, clarify, record
from tests.factories import make_user
from tests.minutes.conftest import make_item, make_meeting

pytestmark = pytest.mark.django_db


def _user(scene: Scene, name: str) -> Any:
    return scene.chair if name == "chair" else getattr(scene.personas, name)


ALL = [
    "coordinator",
    "administrator",
    "auditor",
    "chair",
    "owner",
    "colleague",
    "partner",
    "outsider",
    "smb_member",
]


@pytest.mark.parametrize(
    ("action", "allowed"),
    [
        (
            Action.MINUTES_REQUEST_LIST,
            {
                "coordinator",
                "administrator",
                "auditor",
                "chair",
                "owner",
                "colleague",
                "partner",
                "outsider",
            },
        ),
        # J 5.5: whoever receives a request records it, even without a part in the case.
        (
            Action.MINUTES_REQUEST_RECORD,
            {"coordinator", "administrator", "chair", "owner", "colleague", "partner", "outsider"},
        ),
        # Recorded by the owner (probation): probation sees its progress.
        (
            Action.MINUTES_REQUEST_VIEW,
            {"coordinator", "administrator", "auditor", "chair", "owner", "colleague"},
        ),
        (Action.MINUTES_REQUEST_MANAGE, {"coordinator", "administrator", "chair"}),
        (Action.SUMMARY_VIEW, {"coordinator", "administrator", "auditor", "chair"}),
        (Action.SUMMARY_WRITE, {"coordinator", "administrator", "chair"}),
    ],
)
def test_the_policy(scene: Scene, action: Action, allowed: set[str]) -> None:
    found = record(scene)
    summary = services.executive_summary_start(actor=scene.chair, case=scene.case)
    target: Any = {
        Action.MINUTES_REQUEST_LIST: None,
        Action.MINUTES_REQUEST_RECORD: scene.case,
        Action.MINUTES_REQUEST_VIEW: found,
        Action.MINUTES_REQUEST_MANAGE: found,
        Action.SUMMARY_VIEW: summary,
        Action.SUMMARY_WRITE: summary,
    }[action]
    got = {name for name in ALL if decide(_user(scene, name), action, target)}
    assert got == allowed
    refusal = decide(scene.personas.smb_member, action, target)
    assert not refusal and refusal.reason


def test_the_recording_agency_sees_the_status_only(scene: Scene) -> None:
    found = record(scene)
    assert not sees_full_request(scene.personas.owner, found)
    assert sees_full_request(scene.personas.coordinator, found)
    assert sees_full_request(scene.personas.auditor, found)
    assert sees_full_request(scene.chair, found)


def test_only_the_chair_of_the_last_meeting_held_handles_the_case(scene: Scene) -> None:
    found = record(scene)
    assert decide(scene.chair, Action.MINUTES_REQUEST_MANAGE, found)
    other = make_user("chair2", Role.CHAIR, agency=scene.personas.police)
    # A meeting planned for tomorrow is not the last meeting yet.
    planned = make_meeting(
        today() + dt.timedelta(days=1), chair=other, status=MeetingStatus.PLANNED
    )
    make_item(planned, scene.nominal)
    assert decide(scene.chair, Action.MINUTES_REQUEST_MANAGE, found)
    assert not decide(other, Action.MINUTES_REQUEST_MANAGE, found)
    # A meeting held today is.
    held = make_meeting(today(), chair=other)
    make_item(held, scene.nominal)
    assert decide(other, Action.MINUTES_REQUEST_MANAGE, found)
    assert not decide(scene.chair, Action.MINUTES_REQUEST_MANAGE, found)
    assert not decide(scene.chair, Action.SUMMARY_WRITE, scene.case)


def test_the_list_is_filtered_in_the_query(scene: Scene) -> None:
    mine = record(scene)
    theirs = record(scene, actor=scene.personas.partner)
    assert set(requests_visible_to(scene.personas.owner)) == {mine}
    assert set(requests_visible_to(scene.personas.partner)) == {theirs}
    assert set(requests_visible_to(scene.chair)) == {mine, theirs}
    assert set(requests_visible_to(scene.personas.coordinator)) == {mine, theirs}
    assert list(requests_visible_to(scene.personas.outsider)) == []
    assert list(requests_visible_to(scene.personas.smb_member)) == []


# Every page over HTTP ------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    name: str
    kwargs: Callable[[dict[str, Any]], dict[str, Any]]
    allowed: str
    ok: int
    refused: str = "outsider"
    method: str = "get"
    body: dict[str, Any] = field(default_factory=dict)


def _r(ids: dict[str, Any]) -> dict[str, Any]:
    return {"pk": ids["request"]}


def _s(ids: dict[str, Any]) -> dict[str, Any]:
    return {"pk": ids["summary"]}


CALLS = [
    Call("disclosure:list", lambda i: {}, "owner", 200, "smb_member"),
    Call("disclosure:record", lambda i: {}, "outsider", 200, "smb_member"),
    Call("disclosure:record", lambda i: {}, "owner", 200, "auditor", method="post"),
    Call("disclosure:detail", _r, "owner", 200),
    Call("disclosure:detail", _r, "chair", 200, "partner"),
    Call("disclosure:clarify", _r, "coordinator", 200, "owner"),
    Call("disclosure:clarify", _r, "chair", 200, "auditor", method="post"),
    Call("disclosure:route", _r, "coordinator", 200, "owner"),
    Call("disclosure:decide", _r, "administrator", 200, "owner"),
    Call("disclosure:release", _r, "coordinator", 200, "colleague"),
    Call("disclosure:summary_start", _r, "chair", 302, "owner", method="post"),
    Call("disclosure:summary", _s, "auditor", 200, "owner"),
    Call("disclosure:summary_redact", _s, "chair", 200, "auditor", method="post"),
    Call(
        "disclosure:summary_unredact",
        lambda i: {**_s(i), "index": 0},
        "coordinator",
        302,
        "owner",
        method="post",
    ),
    Call("disclosure:summary_redraft", _s, "chair", 302, "smb_member", method="post"),
    Call("disclosure:summary_finalise", _s, "chair", 200, "auditor"),
    Call("disclosure:summary_versions", _s, "auditor", 200, "owner"),
    Call("disclosure:version", lambda i: {"pk": i["version"]}, "chair", 200, "owner"),
]


@pytest.fixture
def ids(scene: Scene) -> dict[str, Any]:
    found = clarify(scene, record(scene))
    summary = services.executive_summary_start(actor=scene.chair, case=scene.case)
    version = services.executive_summary_finalise(
        actor=scene.chair, summary=summary, expected_version=summary.version
    )
    summary = services.executive_summary_redraft(
        actor=scene.chair, summary=summary, expected_version=None
    )
    return {"request": found.pk, "summary": summary.pk, "version": version.pk}


def test_every_page_of_the_app_is_called() -> None:
    from tests.disclosure.routes import ROUTES

    pages = {name for name in ROUTES if name.startswith("disclosure:")}
    assert pages == {call.name for call in CALLS}


@pytest.mark.parametrize("call", CALLS, ids=lambda c: f"{c.method} {c.name}")
def test_an_allowed_user_is_served(client: Client, scene: Scene, ids, call: Call) -> None:
    client.force_login(_user(scene, call.allowed))
    address = reverse(call.name, kwargs=call.kwargs(ids))
    response = getattr(client, call.method)(address, call.body)
    assert response.status_code == call.ok, response.content[:300]


@pytest.mark.parametrize("call", CALLS, ids=lambda c: f"{c.method} {c.name}")
def test_a_refused_user_gets_403_and_an_audit_row(
    client: Client, scene: Scene, ids, call: Call
) -> None:
    user = _user(scene, call.refused)
    client.force_login(user)
    before = AuditEvent.objects.count()
    address = reverse(call.name, kwargs=call.kwargs(ids))
    response = getattr(client, call.method)(address, call.body)
    assert response.status_code == 403
    refusal = AuditEvent.objects.get(actor=user, action="access.refused", outcome="refused")
    assert refusal.detail["path"] == address
    assert AuditEvent.objects.count() == before + 1
