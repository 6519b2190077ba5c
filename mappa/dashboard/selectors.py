"""What the dashboard reads: KPIs and their trends from the KPI engine, the population
from the dated history, and the due and overdue items from the compliance clock.

Every figure is aggregated in the database or computed in a fixed number of queries:
the page's query count does not grow with the number of cases. Names are never held
in a figure; ``visible_names`` adds them for the viewer, in one query, only where the
access policy lets that viewer open the record (decisions.md, "KPI output").
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db.models import Count, F, OuterRef, QuerySet, Subquery

from mappa.access.models import Agency
from mappa.access.policy import nominals_visible_to
from mappa.compliance.items import KIND_LABELS
from mappa.compliance.services import Evaluated, area_due_items
from mappa.dashboard.periods import TREND_QUARTERS, Quarter
from mappa.kpis import engine
from mappa.kpis.engine import KpiResult
from mappa.profiles.clocks import ClockState
from mappa.register.models import CaseState, Category, Level, NominalStatus

# Amber: missed, but by no more than this many percentage points (the board's
# "nearly there"). Decided for the dashboard; J 16.2 sets only the targets.
AMBER_POINTS = 5

# KPI ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rating:
    """Red, amber or green against target, always said in words as well as colour."""

    key: str  # "met", "near", "missed", "none"
    words: str
    tag: str  # the GOV.UK tag colour class

    @property
    def missed(self) -> bool:
        return self.key in {"near", "missed"}


MET = Rating("met", "Met", "govuk-tag--green")
NEAR = Rating("near", f"Missed, within {AMBER_POINTS} points", "govuk-tag--yellow")
MISSED = Rating("missed", "Missed", "govuk-tag--red")
NO_ITEMS = Rating("none", "No items", "govuk-tag--grey")


def _fraction(numerator: int, denominator: int) -> Fraction | None:
    return Fraction(numerator, denominator) if denominator else None


def rate(result: KpiResult) -> Rating:
    """Green when met; amber when missed by at most ``AMBER_POINTS`` points (for a
    per-member KPI, when its lowest seat or agency is within them); red otherwise;
    grey when there was nothing to count. Exact fractions: 85 of 100 against 90% is
    exactly 5 points short, amber, not red by a rounding error."""
    if result.met is None or result.denominator == 0:
        return NO_ITEMS
    if result.met:
        return MET
    target = Fraction(str(result.target))
    if result.seats:
        values = [_fraction(s.numerator, s.denominator) for s in result.seats if s.denominator > 0]
        counted = [v for v in values if v is not None]
        lowest = min(counted) if counted else _fraction(result.numerator, result.denominator)
    else:
        lowest = _fraction(result.numerator, result.denominator)
    if lowest is None:
        return NO_ITEMS
    if (target - lowest) * 100 <= AMBER_POINTS:
        return NEAR
    return MISSED


def percent(value: float | None) -> str:
    """0.875 -> "87.5%"; 0.9 -> "90%"; None -> "No items"."""
    if value is None:
        return "No items"
    shown = round(value * 100, 1)
    return f"{shown:g}%"


def kpi_results(start: dt.date, end: dt.date, agency_id: int | None) -> list[KpiResult]:
    return engine.compute_kpis(start=start, end=end, agency_id=agency_id)


def kpi_result(kpi_id: str, start: dt.date, end: dt.date, agency_id: int | None) -> KpiResult:
    return engine.compute_kpi(kpi_id, start=start, end=end, agency_id=agency_id)


@dataclass(frozen=True)
class TrendPoint:
    quarter: Quarter
    start: dt.date
    end: dt.date
    result: KpiResult

    @property
    def rating(self) -> Rating:
        return rate(self.result)


def kpi_trends(end: dt.date, agency_id: int | None) -> dict[str, list[TrendPoint]]:
    """Each KPI's figures in each of the last eight quarters to ``end`` (the last one
    running to ``end``), by KPI id: the engine shares one set of queries between them."""
    return {
        kpi_id: [
            TrendPoint(Quarter.of(point.start), point.start, point.end, point.result)
            for point in points
        ]
        for kpi_id, points in engine.trend(
            quarters=TREND_QUARTERS, end=end, agency_id=agency_id
        ).items()
    }


def how_counted(kpi_id: str) -> str:
    return engine.how_counted(kpi_id)


def visible_names(user: Any, nominal_ids: Iterable[Any]) -> dict[Any, str]:
    """The names of the records ``user`` may open, among ``nominal_ids``, in one query.

    The same rule as ``decide(user, Action.NOMINAL_VIEW, nominal)``, as a query: an
    SMB member gets none (references only), the co-ordinator gets every one.
    """
    wanted = {pk for pk in nominal_ids if pk is not None}
    if not wanted:
        return {}
    rows = (
        nominals_visible_to(user)
        .filter(pk__in=wanted)
        .values_list("pk", "given_names", "family_name")
    )
    return {pk: f"{given} {family}" for pk, given, family in rows}


# Population -----------------------------------------------------------------------------

CATEGORIES = list(Category.choices)
LEVELS = [int(value) for value, _ in Level.choices]
STATUSES = [(NominalStatus.ACTIVE.value, "Active"), (NominalStatus.ARCHIVED.value, "Archived")]
CATEGORY_SHORT = {
    Category.CATEGORY_1.value: "Category 1",
    Category.CATEGORY_2.value: "Category 2",
    Category.CATEGORY_3.value: "Category 3",
    Category.PDP.value: "PDP",
}


def population_states(status: str, agency_id: int | None = None) -> QuerySet[CaseState]:
    """One CaseState row per person in the population of ``status``.

    Active: the current row of the open case. Archived: the last row of the person's
    last case (where they stood when they left), so an archived record is counted once.
    """
    if status == NominalStatus.ACTIVE:
        states = CaseState.objects.filter(
            effective_to__isnull=True,
            case__closed_on__isnull=True,
            case__nominal__status=NominalStatus.ACTIVE,
        )
    else:
        last = (
            CaseState.objects.filter(case__nominal_id=OuterRef("case__nominal_id"))
            .order_by(F("effective_to").desc(nulls_first=True), "-effective_from", "-pk")
            .values("pk")[:1]
        )
        states = CaseState.objects.filter(
            case__nominal__status=NominalStatus.ARCHIVED, pk=Subquery(last)
        )
    if agency_id is not None:
        states = states.filter(lead_agency_id=agency_id)
    return states


@dataclass
class PopulationTable:
    status: str
    label: str
    # (category, level) -> count
    cells: dict[tuple[str, int], int] = field(default_factory=dict)

    def count(self, category: str, level: int) -> int:
        return self.cells.get((category, level), 0)

    @property
    def rows(self) -> list[dict[str, Any]]:
        out = []
        for category, label in CATEGORIES:
            counts = [(level, self.count(category, level)) for level in LEVELS]
            out.append(
                {
                    "category": category,
                    "label": CATEGORY_SHORT[category],
                    "long_label": label,
                    "cells": counts,
                    "total": sum(n for _, n in counts),
                }
            )
        return out

    @property
    def level_totals(self) -> list[tuple[int, int]]:
        return [(level, sum(self.count(c, level) for c, _ in CATEGORIES)) for level in LEVELS]

    @property
    def total(self) -> int:
        return sum(self.cells.values())


def population(agency_id: int | None = None) -> list[PopulationTable]:
    """People by category and level, active and archived: two aggregate queries."""
    tables = []
    for status, label in STATUSES:
        table = PopulationTable(status, label)
        counts = (
            population_states(status, agency_id)
            .order_by()
            .values("category", "level")
            .annotate(n=Count("pk"))
        )
        for row in counts:
            table.cells[(row["category"], int(row["level"]))] = int(row["n"])
        tables.append(table)
    return tables


def population_cases(
    status: str, category: str, level: int | None, agency_id: int | None
) -> QuerySet[CaseState]:
    states = population_states(status, agency_id).filter(category=category)
    if level is not None:
        states = states.filter(level=level)
    return states.select_related("case", "lead_agency").order_by("case__reference")


# Due and overdue ------------------------------------------------------------------------

OUTSTANDING = (ClockState.OVERDUE.value, ClockState.DUE_SOON.value)
STATE_LABELS = {ClockState.OVERDUE.value: "Overdue", ClockState.DUE_SOON.value: "Due soon"}


def due_items(
    as_of: dt.date,
    *,
    agency_id: int | None = None,
    no_agency: bool = False,
    kind: str = "",
    state: str = "",
) -> list[Evaluated]:
    """The area's outstanding items (due soon or overdue), by responsible agency
    (``no_agency``: those with none recorded)."""
    rows = [e for e in area_due_items(as_of) if e.state in OUTSTANDING]
    if no_agency:
        rows = [e for e in rows if e.item.agency_id is None]
    elif agency_id is not None:
        rows = [e for e in rows if e.item.agency_id == agency_id]
    if kind:
        rows = [e for e in rows if e.item.kind == kind]
    if state:
        rows = [e for e in rows if e.state == state]
    return rows


@dataclass
class DueTable:
    """Outstanding items in one state, by responsible agency (rows) and kind (columns)."""

    state: str
    label: str
    kinds: list[tuple[str, str]]
    agencies: list[tuple[int | None, str]]
    counts: Counter[tuple[int | None, str]]

    @property
    def rows(self) -> list[dict[str, Any]]:
        out = []
        for agency_id, name in self.agencies:
            cells = [(kind, self.counts[(agency_id, kind)]) for kind, _ in self.kinds]
            out.append(
                {
                    "agency_id": agency_id,
                    "agency": name,
                    "cells": cells,
                    "total": sum(n for _, n in cells),
                }
            )
        return out

    @property
    def kind_totals(self) -> list[tuple[str, int]]:
        return [
            (kind, sum(self.counts[(a, kind)] for a, _ in self.agencies)) for kind, _ in self.kinds
        ]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def due_summary(as_of: dt.date, agency_id: int | None = None) -> list[DueTable]:
    rows = due_items(as_of, agency_id=agency_id)
    kinds = [(str(kind), label) for kind, label in KIND_LABELS.items()]
    agency_ids = {e.item.agency_id for e in rows}
    names = dict(
        Agency.objects.filter(pk__in=[a for a in agency_ids if a]).values_list("pk", "name")
    )
    agencies: list[tuple[int | None, str]] = sorted(
        (
            (a, names.get(a, "No agency recorded") if a else "No agency recorded")
            for a in agency_ids
        ),
        key=lambda pair: pair[1],
    )
    tables = []
    for state in (ClockState.OVERDUE.value, ClockState.DUE_SOON.value):
        counts: Counter[tuple[int | None, str]] = Counter(
            (e.item.agency_id, str(e.item.kind)) for e in rows if e.state == state
        )
        tables.append(DueTable(state, STATE_LABELS[state], kinds, agencies, counts))
    return tables


def agency_names(ids: Iterable[int | None]) -> dict[int, str]:
    wanted = [i for i in set(ids) if i]
    return dict(Agency.objects.filter(pk__in=wanted).values_list("pk", "name")) if wanted else {}
