"""Listing, searching and reading the register through the API."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mappa.access.policy import Action, decide
from mappa.audit.models import AuditEvent
from mappa.register import services
from mappa.register.models import Alias, Nominal
from tests.api.helpers import errors, refusals, sign_in, url
from tests.conftest import Personas
from tests.factories import make_nominal

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(personas: Personas) -> dict:
    """Three people: two led by probation (one managed by the owner), one by police."""
    coordinator = personas.coordinator
    return {
        "smith": make_nominal(coordinator, lead_agency=personas.probation, manager=personas.owner),
        "jones": make_nominal(
            coordinator,
            family_name="Jones",
            given_names="Mary",
            date_of_birth=dt.date(1969, 2, 11),
            gender="female",
            category="3",
            level=3,
            lead_agency=personas.police,
        ),
        "brown": make_nominal(
            coordinator,
            family_name="Brown",
            given_names="Peter",
            category="1",
            level=1,
            lead_agency=personas.probation,
        ),
    }


# List ---------------------------------------------------------------------------


def test_list_shows_the_register_with_management(client, personas: Personas, register) -> None:
    sign_in(client, personas.coordinator)
    response = client.get(url("nominal-list"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["count"] == 3
    assert [row["family_name"] for row in body["results"]] == ["Brown", "Jones", "Smith"]
    jones = body["results"][1]
    assert jones["category"] == "3"
    assert jones["level"] == 3
    assert jones["lead_agency"] == {"id": personas.police.pk, "name": personas.police.name}
    assert jones["id"] == str(register["jones"].pk)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=3", ["Jones"]),
        ("level=1", ["Brown"]),
        ("category=2&level=2", ["Smith"]),
        ("status=active", ["Brown", "Jones", "Smith"]),
        ("status=archived", []),
        ("category=&level=", ["Brown", "Jones", "Smith"]),
    ],
)
def test_list_filters(client, personas: Personas, register, query, expected) -> None:
    sign_in(client, personas.coordinator)
    body = client.get(url("nominal-list", query=query)).json()
    assert [row["family_name"] for row in body["results"]] == expected


def test_list_filters_by_lead_agency(client, personas: Personas, register) -> None:
    sign_in(client, personas.coordinator)
    body = client.get(url("nominal-list", query=f"lead_agency={personas.police.pk}")).json()
    assert [row["family_name"] for row in body["results"]] == ["Jones"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("category=4", "category", "Select the category: one of 1, 2, 3, pdp"),
        ("level=7", "level", "Select the level: one of 1, 2, 3"),
        ("level=two", "level", "Select the level: one of 1, 2, 3"),
        (
            "lead_agency=999999",
            "lead_agency",
            "Select the lead agency: there is none with the id 999999",
        ),
        ("lead_agency=police", "lead_agency", "Lead agency must be given by its id, a number"),
        ("status=deleted", "status", "Select the status: one of active, archived"),
    ],
)
def test_list_refuses_a_wrong_filter_naming_it(
    client, personas: Personas, query, field, message
) -> None:
    sign_in(client, personas.coordinator)
    problems = errors(client.get(url("nominal-list", query=query)))
    assert problems == {field: [message]}


def test_list_is_paginated(client, personas: Personas, register) -> None:
    sign_in(client, personas.coordinator)
    first = client.get(url("nominal-list", query="page_size=2")).json()
    assert first["count"] == 3
    assert len(first["results"]) == 2
    assert first["next"] is not None and first["previous"] is None
    second = client.get(first["next"]).json()
    assert [row["family_name"] for row in second["results"]] == ["Smith"]
    beyond = client.get(url("nominal-list", query="page=9"))
    assert beyond.status_code == 404


def test_list_shows_a_practitioner_only_their_agencys_cases(
    client, personas: Personas, register
) -> None:
    sign_in(client, personas.owner)
    body = client.get(url("nominal-list")).json()
    assert [row["family_name"] for row in body["results"]] == ["Brown", "Smith"]
    sign_in(client, personas.outsider)
    assert client.get(url("nominal-list")).json()["count"] == 0


def test_list_refuses_a_board_member_and_audits_it(client, personas: Personas, register) -> None:
    sign_in(client, personas.smb_member)
    response = client.get(url("nominal-list"))
    assert response.status_code == 403
    assert response.json()["detail"] == decide(personas.smb_member, Action.REGISTER_LIST).reason
    assert refusals(personas.smb_member).count() == 1


# Search -------------------------------------------------------------------------


def test_search_finds_a_misspelt_name_and_audits_the_search(
    client, personas: Personas, register
) -> None:
    sign_in(client, personas.coordinator)
    response = client.get(url("nominal-search", query="q=Mary+Jomes"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["results"][0]["nominal"]["id"] == str(register["jones"].pk)
    assert body["results"][0]["matched_alias"] is False
    assert body["hidden_matches"] is False
    assert body["hidden_matches_message"] is None
    event = AuditEvent.objects.get(action="register.search", actor=personas.coordinator)
    assert event.detail["terms"] == "Mary Jomes"
    assert event.detail["results"] == len(body["results"])


def test_search_shows_the_alias_matched(client, personas: Personas, register) -> None:
    services.attachment_save(
        actor=personas.coordinator,
        nominal=register["jones"],
        instance=Alias(given_names="Molly", family_name="Dawkins"),
    )
    sign_in(client, personas.coordinator)
    body = client.get(url("nominal-search", query="q=molly+dawkins")).json()
    top = body["results"][0]
    assert top["nominal"]["family_name"] == "Jones"
    assert top["matched_alias"] is True


def test_search_by_identifier_and_date_of_birth(client, personas: Personas) -> None:
    person = make_nominal(
        personas.coordinator,
        lead_agency=personas.police,
        identifiers=[("cro", "000001/12D", "")],
    )
    sign_in(client, personas.coordinator)
    by_id = client.get(url("nominal-search", query="q=1/12d")).json()
    assert by_id["results"][0]["nominal"]["id"] == str(person.pk)
    assert by_id["results"][0]["matched_identifier"]
    narrowed = client.get(url("nominal-search", query="q=John+Smith&date_of_birth=1980-05-17"))
    assert [r["nominal"]["id"] for r in narrowed.json()["results"]] == [str(person.pk)]
    missed = client.get(url("nominal-search", query="q=John+Smith&birth_year=1981")).json()
    assert missed["results"] == []


def test_search_never_names_records_the_user_cannot_open(
    client, personas: Personas, register
) -> None:
    sign_in(client, personas.owner)
    response = client.get(url("nominal-search", query="q=Mary+Jones"))
    body = response.json()
    assert body["results"] == []
    assert body["hidden_matches"] is True
    assert body["hidden_matches_message"] == (
        "Records that you cannot open also match: contact the co-ordinator."
    )
    text = response.content.decode()
    assert "Jones" not in text.replace("Mary+Jones", "")
    assert register["jones"].reference not in text


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("q=ab", "q"),
        ("q=", "q"),
        ("q=Smith&date_of_birth=17/05/1980", "date_of_birth"),
        ("q=Smith&date_of_birth=1980-02-30", "date_of_birth"),
        ("q=Smith&birth_year=nineteen", "birth_year"),
        ("q=Smith&birth_year=1850", "birth_year"),
        (f"q={'x' * 201}", "q"),
    ],
)
def test_search_refuses_wrong_input_naming_the_field(
    client, personas: Personas, query, field
) -> None:
    sign_in(client, personas.coordinator)
    problems = errors(client.get(url("nominal-search", query=query)))
    assert list(problems) == [field]


def test_search_refuses_a_board_member(client, personas: Personas) -> None:
    sign_in(client, personas.smb_member)
    assert client.get(url("nominal-search", query="q=Smith")).status_code == 403
    assert refusals(personas.smb_member).count() == 1
    assert not AuditEvent.objects.filter(action="register.search").exists()


# Read ---------------------------------------------------------------------------


def test_read_gives_the_whole_record_and_audits_the_view(
    client, personas: Personas, nominal
) -> None:
    services.attachment_save(
        actor=personas.coordinator,
        nominal=nominal,
        instance=Alias(given_names="Johnny", family_name="Smyth", kind="alias"),
    )
    sign_in(client, personas.owner)
    response = client.get(url("nominal-detail", nominal.pk))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    record = response.json()
    assert record["id"] == str(nominal.pk)
    assert record["family_name"] == "Smith"
    assert record["date_of_birth"] == "1980-05-17"
    assert record["status"] == "active"
    assert record["version"] == 2
    assert record["aliases"][0]["given_names"] == "Johnny"
    assert record["current_case"]["reference"] == f"{nominal.reference}/1"
    assert record["management"]["category"] == "2"
    assert record["management"]["level"] == 2
    assert record["management"]["lead_agency"]["id"] == personas.probation.pk
    assert record["management"]["manager"]["id"] == personas.owner.pk
    for section in (
        "identifiers",
        "addresses",
        "convictions",
        "sentences",
        "hospital_detentions",
        "warning_markers",
        "status_changes",
    ):
        assert record[section] == [], section
    view = AuditEvent.objects.get(action="nominal.view", actor=personas.owner)
    assert view.nominal_id == str(nominal.pk)
    assert view.detail == {"via": "api"}


def test_read_costs_the_same_queries_however_many_aliases(
    client, personas: Personas, nominal
) -> None:
    sign_in(client, personas.coordinator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("nominal-detail", nominal.pk)).status_code == 200
        return len(captured)

    before = queries()
    for number in range(5):
        services.attachment_save(
            actor=personas.coordinator,
            nominal=nominal,
            instance=Alias(given_names=f"Alias{number}", family_name="Smith"),
        )
    assert queries() == before


def test_read_of_an_unknown_record_answers_404(client, personas: Personas) -> None:
    sign_in(client, personas.coordinator)
    response = client.get(url("nominal-detail", uuid.uuid4()))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_a_malformed_id_or_unknown_address_answers_404_as_json(client, personas: Personas) -> None:
    sign_in(client, personas.coordinator)
    for address in ("/api/v1/nominals/not-a-uuid/", "/api/v1/people/", "/api/v1/nominals"):
        response = client.get(address)
        assert response.status_code == 404, address
        assert response["Content-Type"] == "application/json"
        assert response["Cache-Control"] == "no-store"


def test_options_and_unknown_methods_answer_405_as_json(
    client, personas: Personas, nominal
) -> None:
    sign_in(client, personas.coordinator)
    for address in (url("nominal-list"), url("nominal-detail", nominal.pk), "/api/v1/zzz/"):
        response = client.options(address)
        assert response.status_code in (404, 405), address
        assert response["Content-Type"] == "application/json"
    assert client.put(url("nominal-detail", nominal.pk)).status_code == 405
    assert client.delete(url("nominal-detail", nominal.pk)).status_code == 405
    assert Nominal.objects.filter(pk=nominal.pk).exists()


def test_read_refused_to_an_agency_with_no_part_is_audited(
    client, personas: Personas, nominal
) -> None:
    sign_in(client, personas.outsider)
    response = client.get(url("nominal-detail", nominal.pk))
    assert response.status_code == 403
    assert (
        response.json()["detail"] == decide(personas.outsider, Action.NOMINAL_VIEW, nominal).reason
    )
    refusal = refusals(personas.outsider).get()
    assert refusal.nominal_id == str(nominal.pk)
    assert refusal.detail["attempted"] == "nominal.view"
    assert not AuditEvent.objects.filter(action="nominal.view", actor=personas.outsider).exists()


def test_anonymous_calls_answer_401_with_a_challenge(client, nominal) -> None:
    for address in (
        url("nominal-list"),
        url("nominal-search", query="q=Smith"),
        url("nominal-detail", nominal.pk),
    ):
        response = client.get(address)
        assert response.status_code == 401, address
        # A challenge makes it 401 rather than 403 (mappa/api/authentication.py).
        assert response["WWW-Authenticate"].endswith('realm="MAPPA"')
        assert response["Cache-Control"] == "no-store"
        assert "Smith" not in response.content.decode()
