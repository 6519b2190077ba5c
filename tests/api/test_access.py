"""Every API operation, once as a user the policy allows and once as one it refuses.

The table is checked against the OpenAPI schema, so an operation added without a
row here fails this test. A refusal must answer 403 with the policy's reason and
leave an audit row (decisions.md, "Access and audit").

``setup`` builds the state a call needs and returns the path's ids: an entry's id for
``{item}``, or a mapping for ``{id}`` (a referral, another person) and ``{item}``;
``body`` gets the personas and those ids (with ``nominal`` and any ``version``).
"""

from collections.abc import Callable
from importlib import import_module
from typing import Any

import pytest

from mappa.audit.models import AuditEvent
from mappa.referrals import services as referral_services
from mappa.referrals.models import ReferralInvitee
from mappa.register import services
from mappa.register.models import Nominal
from tests.api.helpers import (
    JSON,
    line_manager_of,
    post,
    referral_at,
    refusals,
    sign_in,
    url,
)
from tests.api.operation import Ids, Operation
from tests.api.test_attachments import VALID
from tests.conftest import Personas
from tests.factories import make_nominal

pytestmark = pytest.mark.django_db

NOMINAL = "/api/v1/nominals/{id}/"
REFERRAL = "/api/v1/referrals/{id}/"


def _entry(kind: str) -> Callable[[Any, Personas, Nominal], str]:
    def make(client: Any, personas: Personas, nominal: Nominal) -> str:
        sign_in(client, personas.coordinator)
        response = post(client, url(f"{kind}-list", nominal.pk), VALID[kind])
        assert response.status_code == 201, response.content
        client.logout()
        return str(response.json()["id"])

    return make


def _archive(client: Any, personas: Personas, nominal: Nominal) -> None:
    services.nominal_archive(actor=personas.coordinator, nominal=nominal, reason="Test")


def _person(personas: Personas, ids: Ids) -> dict[str, Any]:
    return {
        "given_names": "Ann",
        "family_name": "Other",
        "date_of_birth": "1970-01-01",
        "gender": "female",
        "category": "2",
        "level": 2,
        "lead_agency": personas.probation.pk,
    }


OPERATIONS = [
    Operation("GET", "/api/v1/nominals/", "owner", 200, "smb_member"),
    Operation("POST", "/api/v1/nominals/", "coordinator", 201, "outsider", _person),
    Operation("GET", "/api/v1/nominals/search/", "owner", 200, "smb_member"),
    Operation("GET", NOMINAL, "owner", 200, "outsider"),
    Operation(
        "PATCH", NOMINAL, "owner", 200, "outsider", lambda p, i: {"version": 1, "ethnicity": "X"}
    ),
    Operation(
        "POST",
        NOMINAL + "archive/",
        "administrator",
        200,
        "owner",
        lambda p, i: {"reason": "Gone"},
    ),
    Operation(
        "POST",
        NOMINAL + "reactivate/",
        "coordinator",
        200,
        "outsider",
        lambda p, i: {"reason": "Back"},
        _archive,
    ),
]


def _valid(kind: str) -> Callable[[Personas, Ids], Any]:
    return lambda personas, ids: VALID[kind]


for _kind in VALID:
    # Health detail (hospital detention) is the co-ordinator's by default, not probation's.
    _editor = "coordinator" if _kind == "hospital-detentions" else "owner"
    OPERATIONS += [
        Operation(
            "POST",
            f"{NOMINAL}{_kind}/",
            _editor,
            201,
            "outsider",
            _valid(_kind),
        ),
        Operation(
            "PATCH",
            f"{NOMINAL}{_kind}/{{item}}/",
            _editor,
            200,
            "outsider",
            lambda p, i: {},
            _entry(_kind),
        ),
        Operation(
            "DELETE", f"{NOMINAL}{_kind}/{{item}}/", _editor, 204, "outsider", setup=_entry(_kind)
        ),
    ]


# Identification, referrals, assessments, visits and the compliance clock (issue 4) ---


def _referral(stage: str) -> Callable[[Any, Personas, Nominal], Ids]:
    def make(client: Any, personas: Personas, nominal: Nominal) -> Ids:
        referral = referral_at(stage, personas, nominal)
        return {"id": referral.pk, "version": referral.version}

    return make


def _second_invitee(client: Any, personas: Personas, nominal: Nominal) -> Ids:
    referral = referral_at("draft", personas, nominal)
    invitee = referral_services.referral_invitee_save(
        actor=personas.owner,
        referral=referral,
        invitee=ReferralInvitee(
            referral=referral, position=0, agency=personas.housing, name="H", phone="1"
        ),
    )
    return {"id": referral.pk, "item": invitee.pk}


def _category_1(client: Any, personas: Personas, nominal: Nominal) -> Ids:
    person = make_nominal(
        personas.coordinator,
        family_name="Carter",
        category="1",
        lead_agency=personas.probation,
        manager=personas.owner,
    )
    return {"id": person.pk}


ELIGIBILITY = {
    "kind": "sentence",
    "event_date": "2026-01-05",
    "identified_on": "2026-01-08",
    "custody": "community",
}
ASSESSMENT = {"tool": "overall_rosh", "completed_on": "2026-03-02", "level": "high"}
HOME_VISIT = {
    "visited_on": "2026-03-02",
    "officers": "PC Jane Le Brocq",
    "announced": False,
    "outcome": "seen",
}
NOTE = {"note": "Agreed"}

OPERATIONS += [
    Operation("GET", NOMINAL + "eligibility/", "owner", 200, "outsider"),
    Operation("POST", NOMINAL + "eligibility/", "owner", 201, "outsider", lambda p, i: ELIGIBILITY),
    Operation("GET", NOMINAL + "assessments/", "owner", 200, "outsider"),
    Operation("POST", NOMINAL + "assessments/", "owner", 201, "auditor", lambda p, i: ASSESSMENT),
    Operation("GET", NOMINAL + "home-visits/", "owner", 200, "outsider"),
    Operation(
        "POST",
        NOMINAL + "home-visits/",
        "owner",
        201,
        "partner",
        lambda p, i: HOME_VISIT,
        _category_1,
    ),
    Operation("GET", "/api/v1/referrals/", "owner", 200, "smb_member"),
    Operation(
        "POST",
        "/api/v1/referrals/",
        "owner",
        201,
        "outsider",
        lambda p, i: {"nominal": str(i["nominal"])},
    ),
    Operation("GET", REFERRAL, "owner", 200, "outsider", setup=_referral("draft")),
    Operation(
        "PATCH",
        REFERRAL,
        "owner",
        200,
        "partner",
        lambda p, i: {"version": i["version"], "diversity": "None known"},
        _referral("draft"),
    ),
    Operation(
        "POST",
        REFERRAL + "invitees/",
        "owner",
        201,
        "partner",
        lambda p, i: {"agency": p.housing.pk, "name": "Jo Le Sueur", "email": "jo@example.org"},
        _referral("draft"),
    ),
    Operation(
        "DELETE", REFERRAL + "invitees/{item}/", _editor, 204, "outsider", setup=_second_invitee
    ),
    Operation(
        "POST", REFERRAL + "submit/", "owner", 200, "auditor", lambda p, i: {}, _referral("draft")
    ),
    Operation(
        "POST",
        REFERRAL + "endorse/",
        "line_manager",
        200,
        "owner",
        lambda p, i: NOTE,
        _referral("awaiting_endorsement"),
    ),
    Operation(
        "POST",
        REFERRAL + "return/",
        "line_manager",
        200,
        "colleague",
        lambda p, i: {"note": "Add the victim's address"},
        _referral("awaiting_endorsement"),
    ),
    Operation(
        "POST",
        REFERRAL + "accept/",
        "coordinator",
        200,
        "line_manager",
        lambda p, i: {"category": "2", "level": 3},
        _referral("awaiting_screening"),
    ),
    Operation(
        "POST",
        REFERRAL + "decline/",
        "coordinator",
        200,
        "administrator",
        lambda p, i: {"reason": "not_eligible", "note": "No relevant conviction"},
        _referral("awaiting_screening"),
    ),
    Operation("GET", "/api/v1/compliance/", "owner", 200, "smb_member"),
]


# Each newer app keeps its rows beside its tests (tests/<app>/api_operations.py).
for _app in ("kpis", "annual", "smb", "outcomes", "quality", "documents", "disclosure"):
    OPERATIONS += import_module(f"tests.{_app}.api_operations").OPERATIONS


def _user(personas: Personas, name: str) -> Any:
    return line_manager_of(personas) if name == "line_manager" else getattr(personas, name)


def _ids(operation: Operation, nominal: Nominal, made: Any) -> Ids:
    ids: Ids = {"id": nominal.pk, "nominal": nominal.pk}
    if isinstance(made, dict):
        ids.update(made)
    elif made is not None:
        ids["item"] = made
    return ids


def _call(client: Any, operation: Operation, personas: Personas, ids: Ids) -> Any:
    path = (
        operation.path.replace("{id}", str(ids["id"]))
        .replace("{item}", str(ids.get("item")))
        .replace("{year}", str(ids.get("year")))
    )
    if operation.path == "/api/v1/nominals/search/":
        path += "?q=John+Smith"
    path += operation.query
    body = operation.body(personas, ids)
    call = getattr(client, operation.method.lower())
    return call(path, body, content_type=JSON) if body is not None else call(path)


def test_the_table_covers_every_operation_in_the_schema(client) -> None:
    schema = client.get(url("schema")).json()
    in_schema = {
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }
    assert in_schema == {(op.method, op.path) for op in OPERATIONS}


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: f"{op.method} {op.path}")
def test_allowed_user_succeeds(client, personas: Personas, nominal, operation: Operation) -> None:
    made = operation.setup(client, personas, nominal) if operation.setup else None
    sign_in(client, _user(personas, operation.allowed))
    response = _call(client, operation, personas, _ids(operation, nominal, made))
    assert response.status_code == operation.ok, response.content
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: f"{op.method} {op.path}")
def test_refused_user_gets_403_and_an_audit_row(
    client, personas: Personas, nominal, operation: Operation
) -> None:
    made = operation.setup(client, personas, nominal) if operation.setup else None
    user = _user(personas, operation.refused)
    sign_in(client, user)
    before = AuditEvent.objects.exclude(action="access.refused").count()
    version = Nominal.objects.get(pk=nominal.pk).version
    response = _call(client, operation, personas, _ids(operation, nominal, made))
    assert response.status_code == 403, response.content
    refusal = refusals(user).get()
    assert response.json()["detail"] == refusal.detail["reason"]
    assert refusal.detail["path"] == response.request["PATH_INFO"]
    # Refused means nothing read or changed: no other audit row, no new version.
    assert AuditEvent.objects.exclude(action="access.refused").count() == before
    assert Nominal.objects.get(pk=nominal.pk).version == version


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: f"{op.method} {op.path}")
def test_anonymous_caller_gets_401(
    client, personas: Personas, nominal, operation: Operation
) -> None:
    made = operation.setup(client, personas, nominal) if operation.setup else None
    response = _call(client, operation, personas, _ids(operation, nominal, made))
    assert response.status_code == 401, response.content
    assert "WWW-Authenticate" in response
