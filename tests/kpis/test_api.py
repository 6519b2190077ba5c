"""``GET /api/v1/kpis/``: the same JSON as the command, for those who may see figures."""

import datetime as dt
from typing import Any

import pytest

from mappa.audit.models import AuditEvent
from tests.api.helpers import errors, refusals, sign_in
from tests.kpis.conftest import World

pytestmark = pytest.mark.django_db

ADDRESS = "/api/v1/kpis/"
Q1 = "?from=2025-01-01&to=2025-03-31"


def level3(response: Any) -> dict[str, Any]:
    return next(k for k in response.json()["kpis"] if k["id"] == "level3_reviews_on_time")


@pytest.mark.parametrize("who", ["smb_member", "coordinator", "administrator", "auditor"])
def test_the_board_the_coordinator_and_auditors_read_the_figures(
    client, world: World, who: str
) -> None:
    user = getattr(world.personas, who)
    sign_in(client, user)
    response = client.get(ADDRESS + Q1)
    assert response.status_code == 200, response.content
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    assert (data["profile"], data["from"], data["to"]) == (
        "jersey-2010",
        "2025-01-01",
        "2025-03-31",
    )
    assert (level3(response)["numerator"], level3(response)["denominator"]) == (4, 8)
    event = AuditEvent.objects.get(action="kpi.view", actor=user)
    assert event.detail["from"] == "2025-01-01"
    assert event.detail["via"] == "api"


def test_the_coordinator_sees_names_and_an_smb_member_only_references(client, world: World) -> None:
    sign_in(client, world.personas.coordinator)
    response = client.get(ADDRESS + Q1)
    named = level3(response)["failing"]
    assert {i["name"] for i in named} == {"Test Birch", "Test Damson", "Test Gorse"}
    assert all(i["nominal_id"] for i in named)
    # The audit row lists every case whose person was named to this user.
    every_case = {i["reference"] for k in response.json()["kpis"] for i in k["failing"]} - {""}
    assert AuditEvent.objects.get(action="kpi.view").detail["named"] == sorted(every_case)
    client.logout()
    sign_in(client, world.personas.smb_member)
    response = client.get(ADDRESS + Q1)
    plain = level3(response)["failing"]
    assert [i["reference"] for i in plain] == [i["reference"] for i in named]
    assert all("name" not in i and "nominal_id" not in i for i in plain)
    body = response.content.decode()
    for name in ("Birch", "Damson", "Gorse"):
        assert f"Test {name}" not in body
        assert str(world.cases[name].nominal_id) not in body


def test_a_practitioner_is_refused_and_the_refusal_audited(client, world: World) -> None:
    owner = world.personas.owner
    sign_in(client, owner)
    response = client.get(ADDRESS + Q1)
    assert response.status_code == 403
    refusal = refusals(owner).get()
    assert response.json()["detail"] == refusal.detail["reason"]
    assert refusal.detail["attempted"] == "figures.view"
    assert not AuditEvent.objects.filter(action="kpi.view").exists()


def test_an_anonymous_caller_gets_401(client, world: World) -> None:
    response = client.get(ADDRESS + Q1)
    assert response.status_code == 401
    assert "WWW-Authenticate" in response


def test_the_agency_filter(client, world: World) -> None:
    sign_in(client, world.personas.coordinator)
    response = client.get(ADDRESS + Q1 + f"&agency={world.personas.police.pk}")
    assert response.status_code == 200
    smb = next(k for k in response.json()["kpis"] if k["id"] == "smb_attendance")
    assert (smb["numerator"], smb["denominator"], smb["met"]) == (9, 10, True)
    assert AuditEvent.objects.get(action="kpi.view").detail["agency"] == world.personas.police.pk


def test_the_default_is_the_current_quarter_to_date(
    client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mappa.kpis import api

    monkeypatch.setattr(api, "today", lambda: dt.date(2025, 2, 14))
    sign_in(client, world.personas.smb_member)
    data = client.get(ADDRESS).json()
    assert (data["from"], data["to"]) == ("2025-01-01", "2025-02-14")
    only_end = client.get(ADDRESS + "?to=2025-03-31").json()
    assert (only_end["from"], only_end["to"]) == ("2025-01-01", "2025-03-31")


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("?from=2025-02-30&to=2025-03-31", "from", "Start date must be a real date"),
        ("?from=yesterday", "from", "Start date must be a real date"),
        ("?from=2025-01-01&to=31-03-2025", "to", "End date must be a real date"),
        (
            "?from=2025-03-31&to=2025-01-01",
            "to",
            "The end date must be the same as or after the start date",
        ),
        ("?from=2099-01-01", "from", "The end date must be the same as or after the start date"),
        ("?agency=999999", "agency", "Select the agency: there is none with the id 999999"),
        ("?agency=police", "agency", "Agency must be given by its id, a number"),
    ],
)
def test_bad_input_answers_400_naming_the_field(
    client, world: World, query: str, field: str, message: str
) -> None:
    sign_in(client, world.personas.coordinator)
    found = errors(client.get(ADDRESS + query))
    assert list(found) == [field]
    assert found[field][0].startswith(message)
    assert not AuditEvent.objects.filter(action="kpi.view").exists()


def test_an_empty_period_answers_zeros_not_an_error(client, world: World) -> None:
    sign_in(client, world.personas.smb_member)
    data = client.get(ADDRESS + "?from=2023-01-01&to=2023-01-01").json()
    assert all(k["value"] is None and k["denominator"] == 0 for k in data["kpis"])
