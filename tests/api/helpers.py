"""Small helpers for calling the API as a JSON client would."""

from typing import Any

from django.test import Client
from django.urls import reverse

from mappa.audit.models import AuditEvent

JSON = "application/json"


def url(name: str, *args: Any, query: str = "") -> str:
    address = reverse(f"api:{name}", args=args)
    return f"{address}?{query}" if query else address


def post(client: Client, address: str, data: Any) -> Any:
    return client.post(address, data, content_type=JSON)


def patch(client: Client, address: str, data: Any) -> Any:
    return client.patch(address, data, content_type=JSON)


def errors(response: Any) -> dict[str, list[str]]:
    assert response.status_code == 400, (response.status_code, response.content[:2000])
    body = response.json()
    assert set(body) == {"errors"}, body
    return body["errors"]


def refusals(user: Any) -> Any:
    return AuditEvent.objects.filter(actor=user, action="access.refused", outcome="refused")


def person_body(agency: Any, /, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "given_names": "Alan",
        "family_name": "Turnbull",
        "date_of_birth": "1975-04-03",
        "gender": "male",
        "category": "2",
        "level": 2,
        "lead_agency": agency.pk,
        "identifiers": [{"kind": "pnc", "value": "2012/0000001H"}],
    }
    body.update(overrides)
    return body


def sign_in(client: Client, user: Any) -> None:
    """Sign ``user`` in as the API sees a browser session: password and second factor."""
    client.force_login(user)
    try:
        from mappa.accounts.testing import verify_session
    except ImportError:  # the second factor (issue 3) is not installed in this tree
        return
    verify_session(client, user)


def delete(client: Client, address: str) -> Any:
    return client.delete(address)


# Referrals: the state each step of the lifecycle needs, built through the services. ---

# Every section answered: a referral with these and a line manager can be submitted.
COMPLETE_REFERRAL: dict[str, Any] = {
    "category": "2",
    "level_sought": 3,
    "custody": "community",
    "overall_risk": "high",
    "risk_who": "Former partner",
    "risk_nature": "Violence",
    "risk_when": "On contact with the former partner",
    "risk_increase": "Alcohol misuse",
    "risk_reduce": "Stable accommodation",
    "plan_restrictive_choices": ["licence_conditions"],
    "reason_for_referral": "Escalating threats",
    "added_value": "Housing and police co-ordination",
    "victim_concerns": "Former partner lives nearby",
    "child_protection_concerns": "no",
}


def line_manager_of(personas: Any) -> Any:
    """The probation line manager who endorses the owner's referrals."""
    from mappa.access.models import Role, User
    from tests.factories import make_user

    existing = User.objects.filter(username="lm").first()
    return existing or make_user("lm", Role.LINE_MANAGER, agency=personas.probation)


def referral_at(stage: str, personas: Any, nominal: Any) -> Any:
    """The owner's referral for ``nominal``, taken to ``stage``: draft (complete, with a
    line manager), awaiting_endorsement or awaiting_screening."""
    from mappa.referrals import services

    manager = line_manager_of(personas)
    referral = services.referral_start(actor=personas.owner, nominal=nominal)
    referral = services.referral_update(
        actor=personas.owner,
        referral=referral,
        data={**COMPLETE_REFERRAL, "line_manager": manager},
    )
    if stage in ("awaiting_endorsement", "awaiting_screening"):
        referral = services.referral_submit(actor=personas.owner, referral=referral)
    if stage == "awaiting_screening":
        referral = services.referral_endorse(actor=manager, referral=referral)
    referral.refresh_from_db()
    return referral
