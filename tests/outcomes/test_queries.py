"""A person's outcome events are read in the same number of queries however many."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mappa.outcomes import services
from mappa.register.models import Nominal
from tests.access.helpers import sign_in
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def _queries(client: Client, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


def _add(personas: Personas, nominal: Nominal, kind: str) -> None:
    services.outcome_event_create(
        actor=personas.coordinator,
        nominal=nominal,
        kind=kind,
        occurred_on=nominal.cases.get().opened_on,
    )


@pytest.mark.parametrize("address", ["page", "api"])
def test_the_list_does_not_grow_with_the_events(
    client: Client, personas: Personas, nominal: Nominal, address: str
) -> None:
    where = (
        reverse("outcomes:list", args=[nominal.pk])
        if address == "page"
        else reverse("api:outcome-list", args=[nominal.pk])
    )
    _add(personas, nominal, "custody_breach_of_licence")
    sign_in(client, personas.owner)
    _queries(client, where)
    few = _queries(client, where)
    for kind in (
        "notification_breach_caution",
        "serious_further_offence_charge",
        "serious_case_review",
    ):
        _add(personas, nominal, kind)
    assert _queries(client, where) == few
