"""``manage.py kpi``: the KPIs as JSON, for an operator (issue 6, point 7)."""

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from mappa.audit.models import AuditEvent
from tests.kpis.conftest import World

pytestmark = pytest.mark.django_db


def run(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("kpi", *args, stdout=out)
    return json.loads(out.getvalue())


def test_it_prints_every_kpi_with_the_shape_the_issue_gives(world: World) -> None:
    data = run("--from", "2025-01-01", "--to", "2025-03-31", "--format", "json")
    assert list(data) == ["from", "kpis", "profile", "to"]  # sorted keys
    assert (data["profile"], data["from"], data["to"]) == (
        "jersey-2010",
        "2025-01-01",
        "2025-03-31",
    )
    ids = [k["id"] for k in data["kpis"]]
    assert ids == [
        "level3_reviews_on_time",
        "level2_reviews_on_time",
        "disclosure_considered",
        "smb_attendance",
        "meeting_attendance",
    ]
    kpis = {k["id"]: k for k in data["kpis"]}
    level3 = kpis["level3_reviews_on_time"]
    assert set(level3) == {"id", "target", "numerator", "denominator", "value", "met", "failing"}
    assert (level3["target"], level3["numerator"], level3["denominator"]) == (0.9, 4, 8)
    assert (level3["value"], level3["met"]) == (0.5, False)
    assert set(kpis["smb_attendance"]) == set(level3) | {"seats"}
    assert kpis["smb_attendance"]["seats"][0] == {
        "id": str(world.seats["police"].pk),
        "label": "Chief Officer, States of Jersey Police",
        "numerator": 9,
        "denominator": 10,
        "value": 0.9,
        "met": True,
    }
    birch = next(i for i in level3["failing"] if i["days_late"] == 1)
    case = world.cases["Birch"]
    assert birch == {
        "kind": "review",
        "detail": "Level 3 review due 13 January 2025 after the meeting of 2 December 2024: "
        "held 14 January 2025, 1 day late",
        "reference": case.reference,
        "level": 3,
        "lead_agency": "States of Jersey Police",
        "due": "2025-01-13",
        "days_late": 1,
        "meeting_date": "2025-01-14",
        "agency": "",
        "seat": "",
        # An operator runs the command: names are included.
        "nominal_id": str(case.nominal_id),
        "name": "Test Birch",
    }
    outstanding = next(i for i in level3["failing"] if i["due"] == "2025-03-24")
    assert outstanding["days_late"] is None


def test_it_narrows_to_an_agency_by_name_or_id(world: World) -> None:
    police = world.personas.police
    by_name = run(
        "--from", "2025-01-01", "--to", "2025-03-31", "--agency", "states of jersey police"
    )
    by_id = run("--from", "2025-01-01", "--to", "2025-03-31", "--agency", str(police.pk))
    assert by_name == by_id
    smb = next(k for k in by_id["kpis"] if k["id"] == "smb_attendance")
    assert (smb["numerator"], smb["denominator"], smb["met"]) == (9, 10, True)


def test_an_empty_period_gives_zero_denominators_and_no_value(world: World) -> None:
    data = run("--from", "2023-01-01", "--to", "2023-01-31")
    for kpi in data["kpis"]:
        assert (kpi["numerator"], kpi["denominator"], kpi["value"], kpi["met"]) == (
            0,
            0,
            None,
            None,
        )
        assert kpi["failing"] == []


def test_the_run_is_audited(world: World) -> None:
    run("--from", "2025-01-01", "--to", "2025-03-31")
    event = AuditEvent.objects.get(action="kpi.export")
    assert event.actor_label == "manage.py kpi"
    assert event.detail["from"] == "2025-01-01"


def test_the_default_period_is_the_quarter_to_date(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mappa.kpis.management.commands import kpi

    monkeypatch.setattr(kpi, "today", lambda: dt.date(2026, 5, 14))
    data = run()
    assert (data["from"], data["to"]) == ("2026-04-01", "2026-05-14")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--from", "2025-03-31", "--to", "2025-01-01"],
            "The end date must be the same as or after the start date",
        ),
        (["--from", "2025-02-30", "--to", "2025-03-31"], "--from must be a real date"),
        (["--from", "2025-01-01", "--to", "31/03/2025"], "--to must be a real date"),
        (["--from", "2025-01-01", "--to", "2025-03-31", "--agency", "Nobody"], "no agency"),
    ],
)
def test_bad_input_is_a_clear_command_error(db: None, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("kpi", *args, stdout=io.StringIO())
    assert not AuditEvent.objects.filter(action="kpi.export").exists()


def test_bad_input_exits_non_zero_from_the_command_line(db: None) -> None:
    with pytest.raises(SystemExit) as exited:
        from django.core.management import execute_from_command_line

        execute_from_command_line(
            ["manage.py", "kpi", "--from", "2025-03-31", "--to", "2025-01-01"]
        )
    assert exited.value.code != 0


def test_only_json_is_offered(db: None) -> None:
    with pytest.raises(CommandError):
        call_command("kpi", "--format", "csv", stdout=io.StringIO())
