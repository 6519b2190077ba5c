"""Red, amber, green against target, said in words (hand-computed boundaries), and
the quarters the period picker and the trend use."""

import datetime as dt

import pytest

from mappa.dashboard.periods import Quarter, last_quarters, quarter_choices
from mappa.dashboard.selectors import AMBER_POINTS, percent, rate
from mappa.kpis.engine import KpiResult, SeatFigure


def result(numerator: int, denominator: int, target: float, *seats: SeatFigure) -> KpiResult:
    value = numerator / denominator if denominator else None
    if seats:
        met = all(s.met for s in seats if s.met is not None) if denominator else None
    else:
        met = (numerator >= target * denominator) if denominator else None
    return KpiResult(
        id="k",
        name="K",
        measure="",
        source="",
        target=target,
        numerator=numerator,
        denominator=denominator,
        value=value,
        met=met,
        seats=tuple(seats),
    )


def seat(numerator: int, denominator: int, target: float = 0.9) -> SeatFigure:
    value = numerator / denominator if denominator else None
    met = (numerator >= target * denominator) if denominator else None
    return SeatFigure(str(numerator), f"Seat {numerator}", numerator, denominator, value, met)


def test_amber_is_five_points() -> None:
    assert AMBER_POINTS == 5


@pytest.mark.parametrize(
    ("numerator", "denominator", "target", "words"),
    [
        (90, 100, 0.9, "Met"),  # exactly the target
        (89, 100, 0.9, "Missed, within 5 points"),  # 1 point short
        (85, 100, 0.9, "Missed, within 5 points"),  # exactly 5 points short: still amber
        (84, 100, 0.9, "Missed"),  # 6 points short
        (17, 20, 0.85, "Met"),  # 85% against 85%
        (4, 5, 0.85, "Missed, within 5 points"),  # 80% against 85%: exactly 5 points
        (3, 4, 0.85, "Missed"),  # 75%: 10 points
        (19, 20, 1.0, "Missed, within 5 points"),  # 95% against 100%
        (0, 1, 1.0, "Missed"),
        (0, 0, 0.9, "No items"),  # nothing to count: never a division by zero
    ],
)
def test_a_kpi_is_rated_against_its_target_in_words(
    numerator: int, denominator: int, target: float, words: str
) -> None:
    assert rate(result(numerator, denominator, target)).words == words


def test_a_per_member_kpi_is_rated_by_its_lowest_member() -> None:
    # Pooled 37 of 40 = 92.5% would be met; the KPI is met only when every seat is.
    near = result(37, 40, 0.9, seat(20, 20), seat(17, 20))  # lowest 85%: 5 points short
    assert near.met is False
    assert rate(near).words == "Missed, within 5 points"
    red = result(36, 40, 0.9, seat(20, 20), seat(16, 20))  # lowest 80%
    assert rate(red).words == "Missed"
    met = result(38, 40, 0.9, seat(20, 20), seat(18, 20))  # every seat at least 90%
    assert rate(met).words == "Met"


def test_a_seat_with_nothing_to_count_does_not_decide_the_rating() -> None:
    rated = result(17, 20, 0.9, seat(17, 20), seat(0, 0))
    assert rate(rated).words == "Missed, within 5 points"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.9, "90%"),
        (0.875, "87.5%"),
        (1 / 3, "33.3%"),
        (0.0, "0%"),
        (1.0, "100%"),
        (None, "No items"),
    ],
)
def test_values_are_shown_as_percentages(value: float | None, shown: str) -> None:
    assert percent(value) == shown


def test_quarters_start_and_end_on_the_calendar_quarters() -> None:
    q = Quarter.of(dt.date(2026, 2, 28))
    assert (q.start, q.end, q.key, q.label) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 3, 31),
        "2026-Q1",
        "January to March 2026",
    )
    assert Quarter.of(dt.date(2026, 12, 31)).end == dt.date(2026, 12, 31)
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)
    assert Quarter(2025, 4).next() == Quarter(2026, 1)
    # The current quarter runs to today; a future day never ends before the start.
    assert Quarter(2026, 4).to_date(dt.date(2026, 11, 27)) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 11, 27),
    )
    assert Quarter(2026, 3).to_date(dt.date(2026, 11, 27))[1] == dt.date(2026, 9, 30)


@pytest.mark.parametrize("bad", ["", "2026", "2026-Q0", "2026-Q5", "26-Q1", "1999-Q4", "x-Q1"])
def test_a_quarter_that_is_not_one_is_refused(bad: str) -> None:
    assert Quarter.parse(bad) is None


def test_the_trend_runs_over_eight_quarters_oldest_first() -> None:
    quarters = last_quarters(dt.date(2026, 1, 15))
    assert len(quarters) == 8
    assert quarters[0] == Quarter(2024, 2)
    assert quarters[-1] == Quarter(2026, 1)


def test_the_picker_offers_this_quarter_to_date_first() -> None:
    choices = quarter_choices(dt.date(2026, 11, 27))
    assert choices[0] == ("2026-Q4", "October to December 2026 (to date)")
    assert choices[1] == ("2026-Q3", "July to September 2026")
    assert len(choices) == 12
