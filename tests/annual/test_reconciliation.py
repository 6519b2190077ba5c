"""The annual report against an independent recount on the demo and a seeded area.

Neither test assumes what the demo or the seed contains (other work extends both with
history, meetings and outcome events): each recounts the register with raw SQL and
plain Python (tests/annual/recount.py) and compares every figure of every table, in
both layouts, for the last two years.
"""

import io
import time

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from mappa.annual.report import annual_report
from mappa.profiles.selectors import current_area
from tests.annual import recount

pytestmark = pytest.mark.django_db


def _check_every_table(key: str, years: list[int], population: int | None) -> None:
    area = current_area()
    area.profile_key = key
    area.population = population
    area.save()
    facts = recount.Facts()
    for year in years:
        report = annual_report(year=year)
        counted = recount.expected(
            facts,
            start=report.start,
            end=report.end,
            snapshot_on=report.snapshot_on,
            population=population,
            event_levels=[1, 2, 3] if key == "jersey-2010" else [2, 3],
        )
        recount.assert_matches(report, counted)
        _check_identities(report)


def _check_identities(report) -> None:
    """T1: the total is the sum of its categories and the sum of its levels."""
    t1 = report.table("snapshot")
    body = [[int(v or 0) for v in r.values] for r in t1.rows if not r.total]
    total = [int(v or 0) for v in t1.row("total").values]
    assert total == [sum(column) for column in zip(*body, strict=True)]
    assert total[-1] == sum(total[:-1]) == sum(row[-1] for row in body)
    for row in body:
        assert row[-1] == sum(row[:-1])


def test_demo_area_reconciles(db) -> None:
    call_command("load_demo_area", stdout=io.StringIO())
    this_year = timezone.localdate().year
    _check_every_table("jersey-2010", [this_year - 1, this_year], population=103_267)
    _check_every_table("england-wales-2012", [this_year - 1, this_year], population=None)
    # The demo shows real figures: people on the register on the snapshot.
    area = current_area()
    area.profile_key = "jersey-2010"
    area.save()
    report = annual_report(year=this_year - 1)
    assert report.table("snapshot").cell("total", "Total")


def test_seeded_area_reconciles(db) -> None:
    call_command("seed_scale", nominals=2000, stdout=io.StringIO())
    this_year = timezone.localdate().year
    _check_every_table("jersey-2010", [this_year - 1, this_year], population=1_000_000)
    _check_every_table("england-wales-2012", [this_year, this_year + 1], population=1_000_000)


def test_seeded_area_snapshot_matches_raw_sql(db) -> None:
    """The snapshot's total against a single SQL count of distinct people."""
    call_command("seed_scale", nominals=2000, stdout=io.StringIO())
    year = timezone.localdate().year - 1
    report = annual_report(year=year)
    day = report.snapshot_on.isoformat()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.category, COUNT(DISTINCT c.nominal_id) FROM register_casestate s "
            "JOIN register_case c ON c.id = s.case_id "
            "WHERE s.effective_from <= %s AND (s.effective_to IS NULL OR s.effective_to > %s) "
            "AND c.opened_on <= %s AND (c.closed_on IS NULL OR c.closed_on > %s) "
            "GROUP BY s.category",
            [day, day, day, day],
        )
        by_category = dict(cursor.fetchall())
    t1 = report.table("snapshot")
    assert t1.cell("total", "Total") == sum(n for c, n in by_category.items() if c != "pdp")
    assert report.table("pdp").cell("total", 0) == by_category.get("pdp", 0)
    started = time.perf_counter()
    annual_report(year=year)
    assert time.perf_counter() - started < 5  # 2,000 people: far inside the 2 s at 100,000
