"""The annual report's figures on the hand-built register (tests/annual/fixture.py).

Every number below is worked out by hand in the fixture's docstring; the recount
(tests/annual/recount.py) checks the same figures a second, independent way.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from mappa.annual.report import (
    ReportYearError,
    annual_report,
    default_year,
    parse_year,
    per_100k,
    reporting_period,
)
from mappa.profiles.models import Area
from mappa.profiles.selectors import current_area, profile_for
from tests.annual import recount
from tests.annual.fixture import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def fixture(personas):
    return build(personas)


def _values(table):
    return {row.key: list(row.values) for row in table.rows}


def _use_profile(key: str, population: int | None = None) -> Area:
    area = current_area()
    area.profile_key = key
    area.population = population
    area.save()
    return area


def test_jersey_tables_match_the_hand_count(fixture) -> None:
    _use_profile("jersey-2010", population=100_000)
    report = annual_report(year=fixture.year)
    assert (report.start, report.end) == (dt.date(fixture.year, 1, 1), fixture.snapshot)
    assert report.snapshot_on == fixture.snapshot and not report.provisional
    assert [t.key for t in report.tables] == [
        "snapshot", "pdp", "referrals", "managed", "meetings", "rate",
        "deregistration", "breaches", "sfo", "orders_all", "scr",
    ]  # fmt: skip
    # Columns: category 1, 2, 3, total. A, F at L1; C, B, K at L2; J at L3.
    assert _values(report.table("snapshot")) == {
        "1": [1, 1, 0, 2],
        "2": [1, 1, 1, 3],
        "3": [1, 0, 0, 1],
        "total": [3, 2, 1, 6],
    }
    assert _values(report.table("pdp")) == {"1": [1], "2": [0], "3": [0], "total": [1]}
    assert _values(report.table("referrals")) == {
        "received": [3],
        "accepted": [2],
        "declined": [1],
    }
    # Columns: category 1, 2, 3, total, PDPs. L2: C, E (1), F (2), K (3); L3: J, B, D.
    assert _values(report.table("managed")) == {
        "2": [2, 1, 1, 4, 0],
        "3": [1, 1, 1, 3, 0],
        "total": [3, 2, 2, 7, 0],
    }
    assert _values(report.table("meetings")) == {
        "2": [2, 2],
        "3": [1, 1],
        "total": [3, 3],
    }
    # Category 1 on the snapshot: A, C, J = 3 per 100,000.
    assert _values(report.table("rate")) == {
        "registered": [3],
        "population": [100_000],
        "rate": [Decimal("3.0")],
    }
    assert _values(report.table("deregistration")) == {"total": [1]}
    # Columns: L1, L2, L3, total.
    assert _values(report.table("breaches")) == {
        "notification_breach": [1, 1, 0, 2],
        "licence": [1, 1, 1, 3],
        "order": [0, 1, 0, 1],
        "further_offence": [0, 0, 1, 1],
    }
    # Jersey counts every level: F (cat 2, L1), G (PDP, L1), E (cat 1, L2), D (cat 3, L3).
    assert _values(report.table("sfo")) == {
        "1": [0, 1, 0, 1, 1],
        "2": [1, 0, 0, 1, 0],
        "3": [0, 0, 1, 1, 0],
        "total": [1, 1, 1, 3, 1],
    }
    orders = _values(report.table("orders_all"))
    assert orders["shpo"] == [2, 0]  # A and C (Jersey's table has no category filter)
    assert orders["sopo"] == [0, 1]
    assert orders["notification_order"] == [1, 0]
    assert orders["foreign_travel_order"] == [1, 0]
    assert orders["violent_offender_order"] == [0, 0]
    assert _values(report.table("scr")) == {"total": [1]}


def test_england_and_wales_tables_match_the_hand_count(fixture) -> None:
    # Year Y in England and Wales: 1 April Y-1 to 31 March Y, snapshot 31 March Y.
    _use_profile("england-wales-2012", population=2_000_000)
    y = fixture.year
    report = annual_report(year=y)
    assert (report.start, report.end) == (dt.date(y - 1, 4, 1), dt.date(y, 3, 31))
    assert report.year_label == f"{y - 1}/{y % 100:02d}"
    assert [t.id for t in report.tables] == [
        "T1", "PDP", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T10", "R1", "M1",
    ]  # fmt: skip
    # 31 March Y: A (1, L1); E (1, L2); B, C, F (2, L2); K (3, L2); D (3, L3); G PDP L1.
    t1 = report.table("snapshot")
    assert _values(t1) == {
        "1": [1, 0, 0, 1],
        "2": [1, 3, 1, 5],
        "3": [0, 0, 1, 1],
        "total": [2, 3, 2, 7],
    }
    assert _values(report.table("pdp"))["total"] == [1]
    # I was at level 2 until archived on 15 November Y-1: inside this year.
    assert _values(report.table("managed")) == {
        "2": [1, 4, 1, 6, 0],
        "3": [0, 0, 1, 1, 0],
        "total": [1, 4, 2, 7, 0],
    }
    # 2 registered sexual offenders per 2,000,000 = 0.1 per 100,000.
    assert report.table("rate").cell("rate", 0) == Decimal("0.1")
    # A's caution (10 Feb Y) and conviction (20 Dec Y-1); C was category 2 on 1 Mar Y.
    assert _values(report.table("notification_breaches")) == {
        "caution": [1],
        "conviction": [1],
        "total": [1],
    }
    assert _values(report.table("orders")) == {
        "shpo": [0],
        "shpo_travel": [0],
        "notification_order": [0],
        "foreign_travel_order": [0],
    }
    assert _values(report.table("sro_notification")) == {"total": [1]}
    assert _values(report.table("lifetime_revoked")) == {"total": [1]}
    # Columns: L2, L3, total. K (L2, 1 March Y); A's recall is after 31 March and at L1.
    assert _values(report.table("custody")) == {
        "licence": [1, 0, 1],
        "order": [0, 0, 0],
        "total": [1, 0, 1],
    }
    assert _values(report.table("sfo"))["total"] == [0, 0, 0, 0, 0]
    assert _values(report.table("scr")) == {"total": [0]}
    assert _values(report.table("referrals")) == {
        "received": [3],
        "accepted": [2],
        "declined": [1],
    }
    assert _values(report.table("meetings")) == {"2": [1, 1], "3": [0, 0], "total": [1, 1]}


def test_england_and_wales_year_after_covers_the_fixture_year_events(fixture) -> None:
    # Year Y+1: 1 April Y to 31 March Y+1. T5: A's SHPO with travel restrictions, J's
    # notification order; A's foreign travel order. T9 levels 2 and 3 only: E and D.
    _use_profile("england-wales-2012")
    report = annual_report(year=fixture.year + 1)
    assert _values(report.table("orders")) == {
        "shpo": [1],
        "shpo_travel": [1],
        "notification_order": [1],
        "foreign_travel_order": [1],
    }
    assert _values(report.table("sfo")) == {
        "2": [1, 0, 0, 1, 0],
        "3": [0, 0, 1, 1, 0],
        "total": [1, 0, 1, 2, 0],
    }
    # B's two returns: licence at L3 (1 July), order at L2 (1 October); total under L2.
    assert _values(report.table("custody")) == {
        "licence": [0, 1, 1],
        "order": [1, 0, 1],
        "total": [1, 0, 1],
    }
    assert _values(report.table("scr")) == {"total": [1]}


@pytest.mark.parametrize("key", ["jersey-2010", "england-wales-2012"])
@pytest.mark.parametrize("offset", [-1, 0, 1])
def test_every_table_matches_the_independent_recount(fixture, key, offset) -> None:
    area = _use_profile(key, population=98_000)
    year = fixture.year + offset
    report = annual_report(year=year)
    counted = recount.expected(
        recount.Facts(),
        start=report.start,
        end=report.end,
        snapshot_on=report.snapshot_on,
        population=area.population,
        event_levels=[1, 2, 3] if key == "jersey-2010" else [2, 3],
    )
    recount.assert_matches(report, counted)


def test_totals_reconcile(fixture) -> None:
    report = annual_report(year=fixture.year)
    t1 = report.table("snapshot")
    body = [r for r in t1.rows if not r.total]
    total = t1.row("total")
    # The total of the total column: the sum of categories and the sum of levels.
    ints = [[int(v or 0) for v in r.values] for r in body]
    totals = [int(v or 0) for v in total.values]
    assert totals[-1] == sum(totals[:-1]) == sum(r[-1] for r in ints) == 6
    for row in ints:
        assert row[-1] == sum(row[:-1])


def test_a_case_closed_the_day_before_or_on_the_snapshot_is_not_counted(fixture) -> None:
    # D closed 30 December, E on 31 December: neither is open on 31 December.
    report = annual_report(year=fixture.year)
    assert report.table("snapshot").cell("total", "Total") == 6
    # ...but both were managed at level 2 or 3 during the year.
    assert report.table("managed").cell("total", "Total") == 7


def test_a_year_still_running_is_provisional_with_todays_snapshot(fixture) -> None:
    this_year = timezone.localdate().year
    report = annual_report(year=this_year)
    assert report.provisional
    assert report.snapshot_on == timezone.localdate()
    # H (opened 1 January this year, L3, category 2) is managed today; D, E, I are not.
    assert int(report.table("snapshot").cell("3", 1) or 0) >= 1


def test_missing_population_gives_no_rate_and_says_why(fixture) -> None:
    _use_profile("jersey-2010", population=None)
    table = annual_report(year=fixture.year).table("rate")
    assert table.cell("rate", 0) is None
    assert table.unavailable == "Not available: set the area's population"
    assert table.as_dict()["rows"][2]["values"] == [None]


def test_per_100k() -> None:
    assert per_100k(180, 103_000) == Decimal("174.8")
    assert per_100k(66_741, 52_970_000) is not None
    assert per_100k(5, None) is None
    assert per_100k(5, 0) is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the year of the report, for example 2025"),
        ("twenty", "Enter the year as a number, for example 2025"),
        ("2025.5", "Enter the year as a number, for example 2025"),
        ("-5", "Enter the year as a number, for example 2025"),
        ("1999", "The year must be between 2000 and"),
        (str(timezone.localdate().year + 2), "The year must be between 2000 and"),
    ],
)
def test_bad_years_are_refused_with_a_reason(typed, message) -> None:
    with pytest.raises(ReportYearError, match=message):
        parse_year(typed)


def test_boundary_years_are_accepted() -> None:
    assert parse_year("2000") == 2000
    assert parse_year(f" {timezone.localdate().year + 1} ") == timezone.localdate().year + 1


@pytest.mark.django_db
def test_a_year_not_started_says_so() -> None:
    # Jersey's next calendar year has not started.
    _use_profile("jersey-2010")
    with pytest.raises(ReportYearError, match="has not started|choose a year that has started"):
        annual_report(year=timezone.localdate().year + 1)


def test_reporting_periods() -> None:
    jersey = profile_for("jersey-2010")
    ew = profile_for("england-wales-2012")
    assert reporting_period(jersey, 2025).start == dt.date(2025, 1, 1)
    assert reporting_period(jersey, 2025).end == dt.date(2025, 12, 31)
    period = reporting_period(ew, 2026)
    assert (period.start, period.end, period.label) == (
        dt.date(2025, 4, 1),
        dt.date(2026, 3, 31),
        "2025/26",
    )
    assert reporting_period(jersey, 2025).label == "2025"


def test_default_year_is_the_last_complete_one() -> None:
    year = default_year()
    assert current_area().profile_key == "jersey-2010"
    # Jersey's snapshot is 31 December: this year's report is complete only after it.
    assert year == timezone.localdate().year - 1


def test_the_report_takes_a_fixed_number_of_queries(fixture, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(60):
        annual_report(year=fixture.year)


def test_a_profile_may_override_any_label() -> None:
    from mappa.annual.report import labels_for
    from mappa.profiles.profile import Profile

    base = profile_for("jersey-2010")
    settings = dict(base.settings)
    settings["annual_report"] = {
        **base.annual_report,
        "labels": {"tables": {"snapshot": {"id": "A", "title": "Cases on {snapshot}"}}},
    }
    profile = Profile.from_settings(
        key=base.key,
        version=99,
        name=base.name,
        effective_from=base.effective_from,
        settings=settings,
    )
    words = labels_for(profile)
    assert words["tables"]["snapshot"]["title"] == "Cases on {snapshot}"
    assert words["tables"]["snapshot"]["id"] == "A"
    # Everything not overridden keeps the layout's wording.
    assert words["tables"]["snapshot"]["row_heading"] == "Level of management"
    assert words["tables"]["pdp"]["id"] == "2"
