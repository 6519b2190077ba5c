"""A person's outcome events from the pages: who may read and change them (refusals
audited), what wrong input says, and another person's events out of reach."""

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mappa.audit.models import AuditEvent
from mappa.outcomes import services
from mappa.outcomes.models import OutcomeEvent
from mappa.register.models import Nominal
from tests.access.helpers import sign_in
from tests.conftest import Personas
from tests.factories import make_nominal

pytestmark = pytest.mark.django_db


def _date(name: str, day: dt.date | None) -> dict[str, str]:
    if day is None:
        return {f"{name}-day": "", f"{name}-month": "", f"{name}-year": ""}
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


@pytest.fixture
def event(personas: Personas, nominal: Nominal) -> OutcomeEvent:
    opened = nominal.cases.get().opened_on
    return services.outcome_event_create(
        actor=personas.coordinator,
        nominal=nominal,
        kind="order_imposed",
        order_type="shpo",
        foreign_travel_restrictions=True,
        occurred_on=opened,
        notes="Royal Court",
    )


def _pages(nominal: Nominal, event: OutcomeEvent) -> dict[str, str]:
    return {
        "list": reverse("outcomes:list", args=[nominal.pk]),
        "add": reverse("outcomes:add", args=[nominal.pk]),
        "edit": reverse("outcomes:edit", args=[nominal.pk, event.pk]),
        "remove": reverse("outcomes:remove", args=[nominal.pk, event.pk]),
    }


@pytest.mark.parametrize("page", ["list", "add", "edit", "remove"])
def test_the_case_owner_is_served(
    client: Client, personas: Personas, nominal: Nominal, event: OutcomeEvent, page: str
) -> None:
    sign_in(client, personas.owner)
    response = client.get(_pages(nominal, event)[page])
    assert response.status_code == 200
    if page in ("list", "edit", "remove"):
        # Showing a person's events is a view of case data: audited against the record.
        view = AuditEvent.objects.filter(actor=personas.owner, action="nominal.view").get()
        assert view.nominal_id == str(nominal.pk)
        assert view.detail["section"] == "outcomes"


@pytest.mark.parametrize("page", ["list", "add", "edit", "remove"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_an_outsider_is_refused_with_an_audit_row(
    client: Client,
    personas: Personas,
    nominal: Nominal,
    event: OutcomeEvent,
    page: str,
    method: str,
) -> None:
    if page == "list" and method == "post":
        return
    sign_in(client, personas.outsider)
    address = _pages(nominal, event)[page]
    before = AuditEvent.objects.count()
    response = getattr(client, method)(address)
    assert response.status_code == 403
    refusal = AuditEvent.objects.get(actor=personas.outsider, action="access.refused")
    assert refusal.detail["path"] == address
    assert refusal.nominal_id == str(nominal.pk)
    assert AuditEvent.objects.count() == before + 1
    assert OutcomeEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.parametrize("persona", ["smb_member", "auditor"])
def test_the_board_and_auditors_cannot_record_events(
    client: Client, personas: Personas, nominal: Nominal, event: OutcomeEvent, persona: str
) -> None:
    user = getattr(personas, persona)
    sign_in(client, user)
    response = client.post(_pages(nominal, event)["remove"])
    assert response.status_code == 403
    assert AuditEvent.objects.filter(actor=user, action="access.refused").count() == 1
    assert OutcomeEvent.objects.filter(pk=event.pk).exists()


def test_the_auditor_reads_and_is_not_offered_changes(
    client: Client, personas: Personas, nominal: Nominal, event: OutcomeEvent
) -> None:
    sign_in(client, personas.auditor)
    text = client.get(_pages(nominal, event)["list"]).text
    assert "Order imposed: sexual harm prevention order, with foreign-travel restrictions" in text
    assert "Record an outcome" not in text


def test_another_persons_event_is_not_found_under_this_record(
    client: Client, personas: Personas, nominal: Nominal, event: OutcomeEvent
) -> None:
    other = make_nominal(personas.coordinator, family_name="Other", lead_agency=personas.probation)
    sign_in(client, personas.coordinator)
    for name in ("outcomes:edit", "outcomes:remove"):
        assert client.post(reverse(name, args=[other.pk, event.pk])).status_code == 404
    assert OutcomeEvent.objects.get(pk=event.pk).nominal_id == nominal.pk


def test_an_event_is_recorded_from_the_page(
    client: Client, personas: Personas, nominal: Nominal
) -> None:
    sign_in(client, personas.owner)
    response = client.post(
        reverse("outcomes:add", args=[nominal.pk]),
        {
            "kind": "notification_breach_conviction",
            **_date("occurred_on", nominal.cases.get().opened_on),
            "order_type": "",
            "notes": "Failed to notify a change of address",
        },
    )
    assert response.status_code == 302
    event = OutcomeEvent.objects.get()
    assert event.case == nominal.cases.get()
    page = client.get(reverse("outcomes:list", args=[nominal.pk]), follow=True)
    assert "Convicted for breach of notification requirements" in page.text
    assert event.case.reference in page.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": ""}, "Select what happened"),
        ({"occurred_on": None}, "Enter the date of the outcome"),
        ({"occurred_on": "31/2/2025"}, "Date of the outcome must be a real date"),
        ({"occurred_on": "future"}, "The date of the outcome must be today or in the past"),
        ({"occurred_on": "before"}, "first case"),
        ({"kind": "order_imposed"}, "Select the type of order"),
        (
            {"order_type": "shpo"},
            "Leave the type of order empty: only an order imposed or revoked has one",
        ),
        (
            {"foreign_travel_restrictions": "on"},
            "Only a sexual harm prevention order or a sexual offences prevention order has",
        ),
    ],
)
def test_wrong_input_is_refused_with_a_message(
    client: Client, personas: Personas, nominal: Nominal, data: dict[str, Any], message: str
) -> None:
    opened = nominal.cases.get().opened_on
    post: dict[str, Any] = {"kind": "custody_breach_of_licence", **_date("occurred_on", opened)}
    for key, value in data.items():
        if key != "occurred_on":
            post[key] = value
        elif value is None:
            post.update(_date("occurred_on", None))
        elif value == "future":
            post.update(_date("occurred_on", opened + dt.timedelta(days=1)))
        elif value == "before":
            post.update(_date("occurred_on", opened - dt.timedelta(days=1)))
        else:
            d, m, y = value.split("/")
            post.update({"occurred_on-day": d, "occurred_on-month": m, "occurred_on-year": y})
    sign_in(client, personas.owner)
    response = client.post(reverse("outcomes:add", args=[nominal.pk]), post)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text.replace("&#x27;", "'")
    assert not OutcomeEvent.objects.exists()


def test_an_event_is_changed_and_removed_from_the_pages(
    client: Client, personas: Personas, nominal: Nominal, event: OutcomeEvent
) -> None:
    sign_in(client, personas.owner)
    response = client.post(
        reverse("outcomes:edit", args=[nominal.pk, event.pk]),
        {
            "kind": "order_revoked",
            **_date("occurred_on", event.occurred_on),
            "order_type": "shpo",
            "notes": "Revoked on appeal",
        },
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.kind, event.foreign_travel_restrictions) == ("order_revoked", False)
    response = client.post(reverse("outcomes:remove", args=[nominal.pk, event.pk]))
    assert response.status_code == 302
    assert not OutcomeEvent.objects.exists()
    assert AuditEvent.objects.filter(action="outcome_event.delete", actor=personas.owner).exists()
