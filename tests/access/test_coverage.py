"""Every address and API operation is accounted for by the access policy.

``ROUTES`` names, for every URL pattern, the policy actions its view asks (or says it
is deliberately public, or needs only a signed-in user and shows no case data). A new
pattern without a row fails ``test_every_route_is_in_the_table``; add the row when you
add the route. ``API_OPERATIONS`` does the same for each operation in the OpenAPI schema.

A table alone proves nothing about the views (decisions.md, "Access and audit"), so:
every route that is not public is requested without signing in and must refuse; every
route that takes a record's id is requested once by a user the policy allows and once
by an outsider, who must get 403 and leave an audit row of the refusal; and another
record's sub-object ids under this record's address must not be found.
"""

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mappa.access.policy import RULES, Action
from mappa.audit.models import AuditEvent
from mappa.people import services as people_services
from mappa.register import services as register_services
from mappa.register.models import Alias, Case, CasePartner, Nominal
from tests.access.helpers import sign_in
from tests.conftest import Personas
from tests.factories import make_nominal

pytestmark = pytest.mark.django_db

PUBLIC = "public: answers without signing in and shows no case data"
SIGNED_IN = "any signed-in user: shows no case data"

Guard = tuple[Action, ...] | str

ROUTES: dict[str, Guard] = {
    "home": PUBLIC,  # a redirect to the register
    "healthz": PUBLIC,
    "login": PUBLIC,
    "login_code": PUBLIC,
    "login_setup": PUBLIC,
    "logout": PUBLIC,
    "register:list": (Action.REGISTER_LIST,),
    "register:search": (Action.REGISTER_SEARCH,),
    "register:create": (Action.NOMINAL_CREATE,),
    "register:detail": (Action.NOMINAL_VIEW, Action.SECTION_VIEW),
    "register:section": (Action.NOMINAL_VIEW, Action.SECTION_VIEW),
    "register:photo": (Action.NOMINAL_VIEW,),
    "register:edit": (Action.NOMINAL_EDIT,),
    "register:management": (Action.CASE_MANAGE,),
    "register:partner_add": (Action.CASE_MANAGE,),
    "register:partner_end": (Action.CASE_MANAGE,),
    "register:status": (Action.NOMINAL_ARCHIVE, Action.NOMINAL_REACTIVATE),
    "register:attachment_add": (Action.NOMINAL_EDIT, Action.SECTION_EDIT),
    "register:attachment_edit": (Action.NOMINAL_EDIT, Action.SECTION_EDIT),
    "register:attachment_delete": (Action.NOMINAL_EDIT, Action.SECTION_EDIT),
    "people:list": (Action.NOMINAL_VIEW, Action.SECTION_VIEW),
    "people:add": (Action.NOMINAL_EDIT, Action.SECTION_EDIT),
    "people:edit": (Action.NOMINAL_EDIT, Action.SECTION_EDIT),
    "people:remove": (Action.NOMINAL_EDIT, Action.SECTION_EDIT),
    "access:emergency_request": (Action.EMERGENCY_REQUEST,),
    "access:emergency_queue": (Action.EMERGENCY_QUEUE,),
    "access:emergency_review": (Action.EMERGENCY_REVIEW,),
    "access:section_rules": (Action.SECTION_RULES_VIEW,),
    "access:section_rule_edit": (Action.SECTION_CONFIGURE,),
    "accounts:confirm": SIGNED_IN,  # re-authentication with the user's own code
    "accounts:users": (Action.USER_MANAGE,),
    "accounts:user_create": (Action.USER_MANAGE,),
    "accounts:user_detail": (Action.USER_MANAGE,),
    "accounts:user_edit": (Action.USER_MANAGE,),
    "accounts:user_password": (Action.USER_MANAGE,),
    "accounts:user_reset_mfa": (Action.USER_MANAGE,),
    "accounts:user_disable": (Action.USER_MANAGE,),
    "accounts:user_enable": (Action.USER_MANAGE,),
    "accounts:token_issue": (Action.USER_MANAGE,),
    "accounts:token_revoke": (Action.USER_MANAGE,),
    "accounts:reassignment": (Action.USER_MANAGE,),
    "audit:index": (Action.AUDIT_VIEW,),
    "audit:record": (Action.AUDIT_VIEW,),
    "audit:user": (Action.AUDIT_VIEW,),
    "profiles:list": (Action.DIRECTORY_VIEW,),
    "profiles:area": (Action.CASE_MANAGE,),
    "referrals:list": (Action.REFERRAL_LIST,),
    "referrals:screening": (Action.REFERRAL_SCREEN,),
    "referrals:declined": (Action.REFERRAL_LIST,),
    "referrals:eligibility": (Action.NOMINAL_EDIT,),
    "referrals:start": (Action.NOMINAL_EDIT,),
    "referrals:detail": (Action.REFERRAL_VIEW,),
    "referrals:check": (Action.REFERRAL_EDIT,),
    "referrals:endorse": (Action.REFERRAL_ENDORSE,),
    "referrals:screen": (Action.REFERRAL_SCREEN,),
    "referrals:invitee_add": (Action.REFERRAL_EDIT,),
    "referrals:invitee_edit": (Action.REFERRAL_EDIT,),
    "referrals:invitee_remove": (Action.REFERRAL_EDIT,),
    "referrals:section": (Action.REFERRAL_VIEW, Action.REFERRAL_EDIT),
    "assessments:list": (Action.NOMINAL_VIEW,),
    "assessments:choose": (Action.NOMINAL_EDIT,),
    "assessments:add": (Action.NOMINAL_EDIT,),
    "assessments:home_visits": (Action.NOMINAL_VIEW,),
    "assessments:home_visit_add": (Action.NOMINAL_EDIT,),
    "compliance:worklist": (Action.REGISTER_LIST,),
    "meetings:list": (Action.MEETING_LIST,),
    "meetings:schedule": (Action.MEETING_MANAGE,),
    "meetings:schedule_add": (Action.MEETING_MANAGE,),
    "meetings:schedule_edit": (Action.MEETING_MANAGE,),
    "meetings:standing_add": (Action.MEETING_MANAGE,),
    "meetings:standing_edit": (Action.MEETING_MANAGE,),
    "meetings:add": (Action.MEETING_MANAGE,),
    "meetings:case": (Action.NOMINAL_VIEW,),
    "meetings:detail": (Action.MEETING_VIEW,),
    "meetings:change": (Action.MEETING_MANAGE,),
    "meetings:cancel": (Action.MEETING_MANAGE,),
    "meetings:agenda_add": (Action.MEETING_MANAGE,),
    "meetings:agenda_remove": (Action.MEETING_MANAGE,),
    "meetings:agenda_move": (Action.MEETING_MANAGE,),
    "meetings:agenda_time": (Action.MEETING_MANAGE,),
    "meetings:attendance": (Action.MEETING_ATTENDANCE,),
    "meetings:written_information": (Action.MEETING_WRITTEN_INFORMATION,),
    "meetings:invitations_propose": (Action.MEETING_MANAGE,),
    "meetings:invitations_confirm": (Action.MEETING_MANAGE,),
    "meetings:invitation_add": (Action.MEETING_MANAGE,),
    "meetings:invitation_cancel": (Action.MEETING_MANAGE,),
    "meetings:invitations_send": (Action.MEETING_MANAGE,),
    "minutes:discussion": (Action.NOMINAL_VIEW, Action.MINUTES_START),
    "minutes:start": (Action.MINUTES_START,),
    "minutes:detail": (Action.MINUTES_VIEW,),
    "minutes:section": (Action.MINUTES_WRITE,),
    "minutes:autosave": (Action.MINUTES_WRITE,),
    "minutes:update_add": (Action.MINUTES_WRITE,),
    "minutes:update_edit": (Action.MINUTES_WRITE,),
    "minutes:update_remove": (Action.MINUTES_WRITE,),
    "minutes:action_add": (Action.MINUTES_WRITE,),
    "minutes:action_edit": (Action.MINUTES_WRITE,),
    "minutes:action_remove": (Action.MINUTES_WRITE,),
    "minutes:check": (Action.MINUTES_WRITE,),
    "minutes:reopen": (Action.MINUTES_WRITE,),
    "minutes:distribute": (Action.MINUTES_WRITE,),
    "minutes:amend": (Action.MINUTES_WRITE,),
    "minutes:print": (Action.MINUTES_VIEW,),
    "minutes:pdf": (Action.MINUTES_VIEW,),
    "minutes:case": (Action.NOMINAL_VIEW,),
    "minutes:level1": (Action.NOMINAL_VIEW, Action.LEVEL1_REVIEW),
    # Only the minutes distributed to the signed-in user as their agency's SPOC.
    "minutes:notices": SIGNED_IN,
    "minutes:actions": (Action.ACTION_LIST,),
    "minutes:action": (Action.ACTION_VIEW,),
    "minutes:action_progress": (Action.ACTION_UPDATE,),
    "minutes:action_complete": (Action.ACTION_UPDATE,),
    "minutes:action_not_completed": (Action.ACTION_UPDATE,),
    "api:schema": PUBLIC,  # decisions.md: the schema and docs hold no case data
    "api:docs": PUBLIC,
    "api:unknown": SIGNED_IN,  # answers 404 to any address the API does not have
    "api:nominal-list": (Action.REGISTER_LIST, Action.NOMINAL_CREATE),
    "api:nominal-search": (Action.REGISTER_SEARCH,),
    "api:nominal-detail": (Action.NOMINAL_VIEW, Action.NOMINAL_EDIT, Action.SECTION_VIEW),
    "api:nominal-archive": (Action.NOMINAL_ARCHIVE,),
    "api:nominal-reactivate": (Action.NOMINAL_REACTIVATE,),
    "api:eligibility-list": (Action.NOMINAL_VIEW, Action.NOMINAL_EDIT),
    "api:assessment-list": (Action.NOMINAL_VIEW, Action.NOMINAL_EDIT),
    "api:home-visit-list": (Action.NOMINAL_VIEW, Action.NOMINAL_EDIT),
    "api:referral-list": (Action.REFERRAL_LIST, Action.NOMINAL_EDIT),
    "api:referral-detail": (Action.REFERRAL_VIEW, Action.REFERRAL_EDIT),
    "api:referral-invitee-list": (Action.REFERRAL_EDIT,),
    "api:referral-invitee-detail": (Action.REFERRAL_EDIT,),
    "api:referral-submit": (Action.REFERRAL_EDIT,),
    "api:referral-endorse": (Action.REFERRAL_ENDORSE,),
    "api:referral-return": (Action.REFERRAL_SCREEN, Action.REFERRAL_ENDORSE),
    "api:referral-accept": (Action.REFERRAL_SCREEN,),
    "api:referral-decline": (Action.REFERRAL_SCREEN,),
    "api:compliance": (Action.REGISTER_LIST,),
}
API_ATTACHMENTS = (
    "aliases",
    "identifiers",
    "addresses",
    "convictions",
    "sentences",
    "hospital-detentions",
    "warning-markers",
)
for _kind in API_ATTACHMENTS:
    ROUTES[f"api:{_kind}-list"] = (Action.NOMINAL_EDIT,)
    ROUTES[f"api:{_kind}-detail"] = (Action.NOMINAL_EDIT,)

NOMINAL_PATH = "/api/v1/nominals/{id}/"
API_OPERATIONS: dict[tuple[str, str], Action] = {
    ("GET", "/api/v1/nominals/"): Action.REGISTER_LIST,
    ("POST", "/api/v1/nominals/"): Action.NOMINAL_CREATE,
    ("GET", "/api/v1/nominals/search/"): Action.REGISTER_SEARCH,
    ("GET", NOMINAL_PATH): Action.NOMINAL_VIEW,
    ("PATCH", NOMINAL_PATH): Action.NOMINAL_EDIT,
    ("POST", NOMINAL_PATH + "archive/"): Action.NOMINAL_ARCHIVE,
    ("POST", NOMINAL_PATH + "reactivate/"): Action.NOMINAL_REACTIVATE,
}
for _kind in ("eligibility", "assessments", "home-visits"):
    API_OPERATIONS[("GET", f"{NOMINAL_PATH}{_kind}/")] = Action.NOMINAL_VIEW
    API_OPERATIONS[("POST", f"{NOMINAL_PATH}{_kind}/")] = Action.NOMINAL_EDIT
REFERRAL_PATH = "/api/v1/referrals/{id}/"
API_OPERATIONS.update(
    {
        ("GET", "/api/v1/compliance/"): Action.REGISTER_LIST,
        ("GET", "/api/v1/referrals/"): Action.REFERRAL_LIST,
        # Starting a referral is a change to the person's record.
        ("POST", "/api/v1/referrals/"): Action.NOMINAL_EDIT,
        ("GET", REFERRAL_PATH): Action.REFERRAL_VIEW,
        ("PATCH", REFERRAL_PATH): Action.REFERRAL_EDIT,
        ("POST", REFERRAL_PATH + "invitees/"): Action.REFERRAL_EDIT,
        ("DELETE", REFERRAL_PATH + "invitees/{item}/"): Action.REFERRAL_EDIT,
        ("POST", REFERRAL_PATH + "submit/"): Action.REFERRAL_EDIT,
        ("POST", REFERRAL_PATH + "endorse/"): Action.REFERRAL_ENDORSE,
        # The co-ordinator returns a referral at screening; the line manager before.
        ("POST", REFERRAL_PATH + "return/"): Action.REFERRAL_SCREEN,
        ("POST", REFERRAL_PATH + "accept/"): Action.REFERRAL_SCREEN,
        ("POST", REFERRAL_PATH + "decline/"): Action.REFERRAL_SCREEN,
    }
)
for _kind in API_ATTACHMENTS:
    API_OPERATIONS[("POST", f"{NOMINAL_PATH}{_kind}/")] = Action.NOMINAL_EDIT
    API_OPERATIONS[("PATCH", f"{NOMINAL_PATH}{_kind}/{{item}}/")] = Action.NOMINAL_EDIT
    API_OPERATIONS[("DELETE", f"{NOMINAL_PATH}{_kind}/{{item}}/")] = Action.NOMINAL_EDIT
# Each newer app keeps its rows beside its tests (tests/<app>/routes.py).
for _app in (
    "outcomes",
    "smb",
    "kpis",
    "dashboard",
    "quality",
    "annual",
    "documents",
    "disclosure",
):
    _rows = import_module(f"tests.{_app}.routes")
    ROUTES.update(_rows.ROUTES)
    API_OPERATIONS.update(getattr(_rows, "API_OPERATIONS", {}))


def _walk(
    patterns: list[URLPattern | URLResolver], namespace: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        else:
            yield f"{namespace}{pattern.name or '<unnamed ' + str(pattern.pattern) + '>'}", pattern


def _routes() -> dict[str, URLPattern]:
    return dict(_walk(get_resolver().url_patterns))


def test_every_route_is_in_the_table() -> None:
    found = set(_routes())
    assert sorted(found - set(ROUTES)) == [], "routes with no row in ROUTES"
    assert sorted(set(ROUTES) - found) == [], "rows in ROUTES for routes that do not exist"


def test_every_action_in_the_table_has_a_rule() -> None:
    for guard in ROUTES.values():
        if isinstance(guard, tuple):
            assert guard, "an empty guard"
            assert all(action in RULES for action in guard)


def test_every_api_operation_is_in_the_table(client: Client) -> None:
    schema = client.get(reverse("api:schema")).json()
    in_schema = {
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }
    assert in_schema == set(API_OPERATIONS)


def _dummy_kwargs(pattern: URLPattern) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, converter in getattr(pattern.pattern, "converters", {}).items():
        kind = type(converter).__name__
        values[name] = {"UUIDConverter": uuid.uuid4(), "IntConverter": 1}.get(kind, "archive")
    return values


@pytest.mark.parametrize(
    "name", sorted(name for name in _routes() if ROUTES.get(name, SIGNED_IN) != PUBLIC)
)
def test_every_route_that_is_not_public_refuses_an_anonymous_caller(
    client: Client, name: str
) -> None:
    pattern = _routes()[name]
    address = reverse(name, kwargs=_dummy_kwargs(pattern))
    for method in ("get", "post"):
        response = getattr(client, method)(address)
        if address.startswith("/api/"):
            assert response.status_code in {401, 403}, (method, address)
        else:
            assert response.status_code == 302, (method, address, response.status_code)
            assert response["Location"].startswith(reverse("login")), (method, address)


@pytest.mark.parametrize(
    "name", sorted(name for name in _routes() if ROUTES.get(name) == PUBLIC and name != "logout")
)
def test_public_routes_answer_without_signing_in(client: Client, name: str) -> None:
    # Some answer with a redirect (home, the sign-in steps when no one has started).
    assert client.get(reverse(name)).status_code in {200, 302}


# Over HTTP: every route that takes a record's id, once allowed and once refused. -----


@dataclass
class Scene:
    personas: Personas
    nominal: Nominal
    alias: Alias
    partner: CasePartner
    person: Any
    other_alias: Alias
    other_partner: CasePartner
    other_person: Any


def _case(nominal: Nominal) -> Case:
    return nominal.cases.get(closed_on__isnull=True)


@pytest.fixture
def scene(personas: Personas, nominal: Nominal, settings: Any, tmp_path: Any) -> Scene:
    settings.MEDIA_ROOT = tmp_path
    nominal.photo.save("photo.png", ContentFile(b"\x89PNG\r\n\x1a\n" + b"0" * 32))
    other = make_nominal(personas.coordinator, family_name="Other", lead_agency=personas.probation)

    def furnish(record: Nominal) -> tuple[Alias, CasePartner, Any]:
        alias = Alias(given_names="Johnny", family_name="Smyth")
        register_services.attachment_save(
            actor=personas.coordinator, nominal=record, instance=alias
        )
        partner = register_services.case_partner_add(
            actor=personas.coordinator, case=_case(record), agency=personas.police
        )
        person = people_services.case_person_add(
            actor=personas.coordinator,
            case=_case(record),
            kind="victim",
            given_names="Mary",
            relation_to_nominal="Neighbour",
        )
        return alias, partner, person

    alias, partner, person = furnish(nominal)
    other_alias, other_partner, other_person = furnish(other)
    return Scene(
        personas, nominal, alias, partner, person, other_alias, other_partner, other_person
    )


@dataclass(frozen=True)
class Call:
    name: str
    kwargs: Callable[[Scene], dict[str, Any]]
    allowed: str  # persona the policy allows
    ok: int
    method: str = "get"
    refused: str = "outsider"
    body: dict[str, Any] = field(default_factory=dict)
    api: bool = False


# The apps whose record pages and operations this file calls, and the API's operations
# on a record; referral, assessment and audit pages are tested beside their apps.
RECORD_NAMESPACES = {"register", "people", "access"}


def _takes_a_record(name: str, pattern: URLPattern) -> bool:
    converters = getattr(pattern.pattern, "converters", {})
    if type(converters.get("pk")).__name__ != "UUIDConverter":
        return False
    namespace = name.split(":")[0]
    if namespace == "api":
        return "nominals/<uuid:pk>" in str(pattern.pattern)
    return namespace in RECORD_NAMESPACES


def _pk(s: Scene) -> dict[str, Any]:
    return {"pk": s.nominal.pk}


CALLS = [
    Call("register:detail", _pk, "owner", 200),
    Call("register:section", lambda s: {**_pk(s), "section": "hospital"}, "owner", 200),
    Call("register:photo", _pk, "owner", 200),
    Call("register:edit", _pk, "owner", 200),
    Call("register:management", _pk, "coordinator", 200, refused="owner"),
    Call("register:partner_add", _pk, "coordinator", 200, refused="owner"),
    Call(
        "register:partner_end",
        lambda s: {**_pk(s), "partner": s.partner.pk},
        "coordinator",
        302,
        method="post",
    ),
    Call("register:status", lambda s: {**_pk(s), "change": "archive"}, "coordinator", 200),
    Call("register:attachment_add", lambda s: {**_pk(s), "kind": "aliases"}, "owner", 200),
    Call(
        "register:attachment_edit",
        lambda s: {**_pk(s), "kind": "aliases", "item": s.alias.pk},
        "owner",
        200,
    ),
    Call(
        "register:attachment_delete",
        lambda s: {**_pk(s), "kind": "aliases", "item": s.alias.pk},
        "owner",
        200,
    ),
    Call("people:list", _pk, "owner", 200),
    Call("people:add", lambda s: {**_pk(s), "kind": "victim"}, "owner", 200),
    Call("people:edit", lambda s: {**_pk(s), "person": s.person.pk}, "owner", 200),
    Call("people:remove", lambda s: {**_pk(s), "person": s.person.pk}, "owner", 200),
    Call("access:emergency_request", _pk, "outsider", 200, refused="smb_member"),
    Call("api:outcome-list", _pk, "owner", 200, api=True),
    Call("api:nominal-detail", _pk, "owner", 200, api=True),
    Call(
        "api:nominal-archive",
        _pk,
        "coordinator",
        200,
        method="post",
        refused="owner",
        body={"reason": "No longer eligible"},
        api=True,
    ),
    Call(
        "api:nominal-reactivate",
        _pk,
        "coordinator",
        400,  # the record is active: allowed, and answered as a bad request
        method="post",
        body={"reason": "Back"},
        api=True,
    ),
]
for _name in ("api:eligibility-list", "api:assessment-list", "api:home-visit-list"):
    CALLS.append(Call(_name, _pk, "owner", 200, api=True))
for _kind in API_ATTACHMENTS:
    CALLS.append(Call(f"api:{_kind}-list", _pk, "owner", 400, method="post", body={}, api=True))
    CALLS.append(
        Call(
            f"api:{_kind}-detail",
            lambda s: {**_pk(s), "item": uuid.uuid4()},
            "owner",
            404,  # allowed on the record; no such entry
            method="patch",
            api=True,
        )
    )


def test_every_route_with_a_record_id_is_called() -> None:
    takes_a_record = {name for name, pattern in _routes().items() if _takes_a_record(name, pattern)}
    assert takes_a_record == {call.name for call in CALLS}


def _request(client: Client, call: Call, address: str) -> Any:
    send = getattr(client, call.method)
    if call.api:
        return send(address, call.body, content_type="application/json")
    return send(address, call.body) if call.method != "get" else send(address)


@pytest.mark.parametrize("call", CALLS, ids=lambda c: f"{c.method} {c.name}")
def test_an_allowed_user_is_served(client: Client, scene: Scene, call: Call) -> None:
    sign_in(client, getattr(scene.personas, call.allowed))
    response = _request(client, call, reverse(call.name, kwargs=call.kwargs(scene)))
    assert response.status_code == call.ok, response.content[:500]


@pytest.mark.parametrize("call", CALLS, ids=lambda c: f"{c.method} {c.name}")
def test_a_refused_user_gets_403_and_an_audit_row(client: Client, scene: Scene, call: Call) -> None:
    user = getattr(scene.personas, call.refused)
    sign_in(client, user)
    before = AuditEvent.objects.count()
    address = reverse(call.name, kwargs=call.kwargs(scene))
    response = _request(client, call, address)
    assert response.status_code == 403, response.content[:500]
    refusal = AuditEvent.objects.get(actor=user, action="access.refused", outcome="refused")
    assert refusal.detail["path"] == address
    # Nothing else was read or written on the refused user's behalf.
    assert AuditEvent.objects.count() == before + 1


# Another record's sub-object ids under this record's address (IDOR). -----------------


@dataclass(frozen=True)
class Guess:
    name: str
    kwargs: Callable[[Scene], dict[str, Any]]
    user: str
    method: str = "get"
    api: bool = False


GUESSES = [
    Guess(
        "register:attachment_edit",
        lambda s: {**_pk(s), "kind": "aliases", "item": s.other_alias.pk},
        "owner",
    ),
    Guess(
        "register:attachment_edit",
        lambda s: {**_pk(s), "kind": "aliases", "item": s.other_alias.pk},
        "owner",
        method="post",
    ),
    Guess(
        "register:attachment_delete",
        lambda s: {**_pk(s), "kind": "aliases", "item": s.other_alias.pk},
        "owner",
        method="post",
    ),
    Guess(
        "register:partner_end",
        lambda s: {**_pk(s), "partner": s.other_partner.pk},
        "coordinator",
        method="post",
    ),
    Guess("people:edit", lambda s: {**_pk(s), "person": s.other_person.pk}, "owner"),
    Guess(
        "people:remove",
        lambda s: {**_pk(s), "person": s.other_person.pk},
        "owner",
        method="post",
    ),
    Guess(
        "api:aliases-detail",
        lambda s: {**_pk(s), "item": s.other_alias.pk},
        "owner",
        method="patch",
        api=True,
    ),
    Guess(
        "api:aliases-detail",
        lambda s: {**_pk(s), "item": s.other_alias.pk},
        "owner",
        method="delete",
        api=True,
    ),
]


@pytest.mark.parametrize("guess", GUESSES, ids=lambda g: f"{g.method} {g.name}")
def test_another_records_entries_are_not_found_under_this_record(
    client: Client, scene: Scene, guess: Guess
) -> None:
    sign_in(client, getattr(scene.personas, guess.user))
    address = reverse(guess.name, kwargs=guess.kwargs(scene))
    send = getattr(client, guess.method)
    response = (
        send(address, {"given_names": "Hacked"}, content_type="application/json")
        if guess.api
        else send(address)
    )
    assert response.status_code in {403, 404}
    scene.other_alias.refresh_from_db()
    assert scene.other_alias.given_names == "Johnny"
    assert Alias.objects.filter(pk=scene.other_alias.pk).exists()
    assert CasePartner.objects.get(pk=scene.other_partner.pk).to_date is None
    assert type(scene.other_person).objects.filter(pk=scene.other_person.pk).exists()
