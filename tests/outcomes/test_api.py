"""Outcome events on the API: the same service, the same messages."""

import datetime as dt

import pytest
from django.test import Client

from mappa.audit.models import AuditEvent
from mappa.outcomes.models import OutcomeEvent
from mappa.register.models import Nominal
from tests.api.helpers import errors, post, refusals, sign_in, url
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_an_event_is_recorded_and_listed(
    client: Client, personas: Personas, nominal: Nominal
) -> None:
    opened = nominal.cases.get().opened_on
    sign_in(client, personas.owner)
    response = post(
        client,
        url("outcome-list", nominal.pk),
        {
            "kind": "order_imposed",
            "order_type": "shpo",
            "foreign_travel_restrictions": True,
            "occurred_on": opened.isoformat(),
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["case"] == nominal.cases.get().reference
    assert body["kind_label"] == "Order imposed"
    assert body["recorded_by"] == personas.owner.display_name
    listed = client.get(url("outcome-list", nominal.pk))
    assert listed.status_code == 200
    assert [e["id"] for e in listed.json()] == [body["id"]]
    view = AuditEvent.objects.filter(action="nominal.view", actor=personas.owner).get()
    assert view.detail == {"section": "outcomes", "shown": 1, "via": "api"}


def test_wrong_input_names_the_field(client: Client, personas: Personas, nominal: Nominal) -> None:
    opened = nominal.cases.get().opened_on
    sign_in(client, personas.owner)
    address = url("outcome-list", nominal.pk)
    assert errors(post(client, address, {})) == {
        "kind": ["Select what happened"],
        "occurred_on": ["Enter the date of the outcome"],
    }
    assert errors(
        post(client, address, {"kind": "order_imposed", "occurred_on": opened.isoformat()})
    ) == {"order_type": ["Select the type of order"]}
    future = (opened + dt.timedelta(days=1)).isoformat()
    assert errors(
        post(client, address, {"kind": "serious_case_review", "occurred_on": future})
    ) == {"occurred_on": ["The date of the outcome must be today or in the past"]}
    assert not OutcomeEvent.objects.exists()


def test_an_outsider_is_refused_with_an_audit_row(
    client: Client, personas: Personas, nominal: Nominal
) -> None:
    sign_in(client, personas.outsider)
    response = client.get(url("outcome-list", nominal.pk))
    assert response.status_code == 403
    assert response.json()["detail"] == refusals(personas.outsider).get().detail["reason"]
