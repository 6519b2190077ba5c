"""The person page costs the same number of queries however full the record is
(issue 2, point 10: the property `make bench` reports, asserted here)."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mappa.register import services
from mappa.register.models import (
    Address,
    Alias,
    Conviction,
    HospitalDetention,
    Sentence,
    WarningMarker,
)
from tests.factories import make_nominal

pytestmark = pytest.mark.django_db

DAY = dt.date(2015, 6, 1)


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    try:
        # Once the second factor is required, the session must have given it too.
        from mappa.accounts.testing import verify_session
    except ImportError:
        return client
    verify_session(client, user)
    return client


def _fill(actor, nominal, size: int) -> None:
    rows: list = [
        Address(kind="current", line_1="1 Rue du Moulin", town="St Helier", from_date=DAY),
        Conviction(offence="Robbery", conviction_date=DAY, is_index_offence=True),
    ]
    for n in range(size):
        rows += [
            Alias(kind="alias", given_names=f"Alias{n}", family_name="Other"),
            Address(kind="previous", line_1=f"{n + 2} Rue du Moulin", from_date=DAY),
            Conviction(offence=f"Offence {n}", conviction_date=DAY),
            Sentence(sentence_date=DAY, description=f"Sentence {n}"),
            WarningMarker(kind="other", recorded_on=DAY, source="Police"),
            HospitalDetention(
                hospital="Orchard Secure Unit", responsible_clinician="Dr A", basis="hospital_order"
            ),
        ]
    for row in rows:
        services.attachment_save(actor=actor, nominal=nominal, instance=row)


def _queries(client: Client, nominal, section: str = "") -> int:
    url = f"/register/{nominal.pk}/{section + '/' if section else ''}"
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "section", ["", "identity", "addresses", "convictions", "sentences", "hospital"]
)
def test_queries_per_person_page_do_not_grow_with_the_record(personas, section) -> None:
    sparse = make_nominal(personas.coordinator, lead_agency=personas.probation, family_name="Few")
    full = make_nominal(personas.coordinator, lead_agency=personas.probation, family_name="Many")
    _fill(personas.coordinator, sparse, 0)
    _fill(personas.coordinator, full, 10)
    client = _signed_in(personas.coordinator)
    assert _queries(client, sparse, section) == _queries(client, full, section)
