"""``kpis_as_json``: names only where the viewer may open the record (decisions.md)."""

import pytest

from mappa.kpis.engine import compute_kpis, kpis_as_json
from tests.kpis.conftest import Q1_END, Q1_START, World

pytestmark = pytest.mark.django_db


def named(data: dict) -> dict[str, str]:
    return {
        item["reference"]: item.get("name", "")
        for kpi in data["kpis"]
        for item in kpi["failing"]
        if item["reference"]
    }


def test_a_practitioner_viewer_sees_only_the_names_of_cases_their_agency_has_a_part_in(
    world: World,
) -> None:
    results = compute_kpis(start=Q1_START, end=Q1_END)
    everyone = named(kpis_as_json(results, start=Q1_START, end=Q1_END))
    owner = named(kpis_as_json(results, start=Q1_START, end=Q1_END, viewer=world.personas.owner))
    smb = named(kpis_as_json(results, start=Q1_START, end=Q1_END, viewer=world.personas.smb_member))
    birch, holly = world.cases["Birch"].reference, world.cases["Holly"].reference
    assert everyone[birch] == "Test Birch" and everyone[holly] == "Test Holly"
    # Probation leads Holly's open case; Birch's is the police's.
    assert owner[holly] == "Test Holly"
    assert owner[birch] == ""
    # Elder's record is archived (closed case): probation no longer has a part.
    elder = world.cases["Elder"].reference
    assert everyone[elder] == "Test Elder" and owner[elder] == ""
    assert set(smb.values()) == {""}
    assert set(smb) == set(everyone)


def test_the_shape_is_exactly_the_issues(world: World) -> None:
    results = compute_kpis(start=Q1_START, end=Q1_END)
    data = kpis_as_json(results, start=Q1_START, end=Q1_END, viewer=world.personas.smb_member)
    assert set(data) == {"profile", "from", "to", "kpis"}
    basic = {"id", "target", "numerator", "denominator", "value", "met", "failing"}
    for kpi in data["kpis"]:
        per_member = kpi["id"] in ("smb_attendance", "meeting_attendance")
        assert set(kpi) == (basic | {"seats"} if per_member else basic)
        for item in kpi["failing"]:
            assert set(item) == {
                "kind",
                "detail",
                "reference",
                "level",
                "lead_agency",
                "due",
                "days_late",
                "meeting_date",
                "agency",
                "seat",
            }
