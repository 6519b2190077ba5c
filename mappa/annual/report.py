"""The annual report's statistics, computed from the register by database aggregation.

``annual_report(year=2025)`` gives the tables of the current area's profile:

- ``jersey-2010`` runs by calendar year (J 15.5): year 2025 is 1 January to
  31 December 2025, the snapshot on 31 December 2025.
- ``england-wales-2012`` runs from 1 April to 31 March (the MAPPA annual report
  statistics): year 2026 is **the year ending 31 March 2026**, 1 April 2025 to
  31 March 2026 (published as "2025/26"), the snapshot on 31 March 2026.

In general the year ends on ``profile.annual_snapshot(year)`` and starts the day after
``profile.annual_snapshot(year - 1)``.

Every count is of distinct people (decisions.md, "Annual report"), read from the dated
history (``CaseState``), never from a copy: the category and level an event is
counted under are those in force on the event's date. Where a table has several
columns each person is put in exactly one cell of a row (the highest level, or the
latest event), so that the totals are the sums of the cells and also the number of
distinct people. A year that has not ended is shown to date, its snapshot taken today
and marked provisional.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from django.db import connections
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone

from mappa.annual.labels import COMMON, LABELS, merged
from mappa.common.dates import today
from mappa.meetings.models import AgendaItem, Meeting, MeetingStatus
from mappa.outcomes.models import OrderType, OutcomeEvent, OutcomeKind
from mappa.profiles.profile import Profile
from mappa.profiles.selectors import current_area, current_profile
from mappa.referrals.models import Referral, ReferralStatus
from mappa.register.models import CaseState, Category

FIRST_YEAR = 2000
PDP = str(Category.PDP)
LEVELS = (1, 2, 3)
Value = int | Decimal | None


class ReportYearError(ValueError):
    """A year the report cannot be made for; the message says why, in plain words."""


# The report -------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    values: list[Value]
    total: bool = False


@dataclass(frozen=True)
class Table:
    key: str  # what is counted ("snapshot", "custody", ...), the same in every layout
    id: str  # what the layout calls it ("T1", "4")
    title: str
    kind: str  # "snapshot" or "year"
    row_heading: str
    columns: list[str]
    rows: list[Row]
    notes: list[str] = field(default_factory=list)
    # Why a figure is missing (the population not set), shown where the figure would be.
    unavailable: str = ""

    @property
    def caption(self) -> str:
        return f"{self.id}: {self.title}" if self.id else self.title

    def row(self, key: str) -> Row:
        return next(r for r in self.rows if r.key == key)

    def cell(self, row: str, column: int | str) -> Value:
        index = self.columns.index(column) if isinstance(column, str) else column
        return self.row(row).values[index]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "key": self.key,
            "title": self.title,
            "kind": self.kind,
            "row_heading": self.row_heading,
            "columns": list(self.columns),
            "rows": [
                {
                    "key": r.key,
                    "label": r.label,
                    "values": [_json_value(v) for v in r.values],
                    "total": r.total,
                }
                for r in self.rows
            ],
            "notes": list(self.notes),
            "unavailable": self.unavailable or None,
        }


@dataclass(frozen=True)
class AnnualReport:
    year: int
    year_label: str  # "2025" (Jersey) or "2025/26" (England and Wales)
    title: str
    profile_key: str
    profile_name: str
    area_name: str
    start: dt.date
    end: dt.date
    snapshot_on: dt.date  # the period's snapshot date, or today while the year runs
    provisional: bool
    population: int | None
    population_source: str
    tables: list[Table]
    computed_at: dt.datetime

    @property
    def period_words(self) -> str:
        return f"{_day(self.start)} to {_day(self.end)}"

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def as_dict(self) -> dict[str, Any]:
        return {
            "profile": self.profile_key,
            "profile_name": self.profile_name,
            "area": self.area_name,
            "year": self.year,
            "year_label": self.year_label,
            "title": self.title,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "snapshot_on": self.snapshot_on.isoformat(),
            "provisional": self.provisional,
            "population": self.population,
            "population_source": self.population_source or None,
            "computed_at": self.computed_at.isoformat(timespec="seconds"),
            "tables": [t.as_dict() for t in self.tables],
        }


def _json_value(value: Value) -> int | float | None:
    if isinstance(value, Decimal):
        return float(value)
    return value


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


# The year -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    year: int
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        if self.start.year == self.end.year:
            return str(self.year)
        return f"{self.start.year}/{self.end.year % 100:02d}"


def latest_year() -> int:
    """The last reporting year that may be asked for: next calendar year."""
    return today().year + 1


def parse_year(value: Any) -> int:
    """A year typed by a person or a program, or ReportYearError with the reason."""
    text = str(value if value is not None else "").strip()
    if not text:
        raise ReportYearError("Enter the year of the report, for example 2025")
    if not text.isdigit() or len(text) > 6:
        raise ReportYearError("Enter the year as a number, for example 2025")
    year = int(text)
    last = latest_year()
    if not FIRST_YEAR <= year <= last:
        raise ReportYearError(f"The year must be between {FIRST_YEAR} and {last}")
    return year


def reporting_period(profile: Profile, year: int) -> Period:
    """The reporting year that ends on the profile's snapshot date in ``year``."""
    end = profile.annual_snapshot(year)
    start = profile.annual_snapshot(year - 1) + dt.timedelta(days=1)
    return Period(year=year, start=start, end=end)


def default_year() -> int:
    """The latest year whose report is complete (its snapshot date has passed)."""
    profile = current_profile()
    day = today()
    return day.year if profile.annual_snapshot(day.year) < day else day.year - 1


def labels_for(profile: Profile) -> dict[str, Any]:
    """The profile's wording: the shared words, the layout's, then the profile's own."""
    layout = LABELS.get(profile.key, LABELS["england-wales-2012"])
    words = merged(COMMON, layout)
    own = profile.annual_report.get("labels")
    return merged(words, own) if isinstance(own, dict) else words


# Counting -----------------------------------------------------------------------------


def count_first_per_person(
    qs: QuerySet[Any], person: str, order: Sequence[Any], by: Sequence[str]
) -> dict[tuple[Any, ...], int]:
    """Distinct people in ``qs``, each counted once: under the values of ``by`` on their
    first row in ``order``.

    A window function numbers each person's rows; counting only row 1 puts every person
    in exactly one cell, so the cells add up to the number of distinct people. The
    count wraps the ORM's own SQL (one statement), because the planner estimates a
    window filter joined back by id badly and walks the index once per row.
    """
    names = [f"by{i}" for i in range(len(by))]
    ranked = (
        qs.annotate(
            person_key=F(person),
            row_rank=Window(RowNumber(), partition_by=[F(person)], order_by=list(order)),
            **{name: F(field_name) for name, field_name in zip(names, by, strict=True)},
        )
        .values("person_key", "row_rank", *names)
        .order_by()
    )
    sql, params = ranked.query.sql_with_params()
    db = connections[qs.db]
    quote = db.ops.quote_name
    columns = ", ".join(quote(name) for name in names)
    # One row per person passes the filter, so COUNT(*) counts distinct people.
    statement = (
        f"SELECT {columns + ', ' if names else ''}COUNT(*) FROM ({sql}) ranked "  # noqa: S608
        f"WHERE {quote('row_rank')} = 1{' GROUP BY ' + columns if names else ''}"
    )
    with db.cursor() as cursor:
        cursor.execute(statement, params)
        return {tuple(row[:-1]): int(row[-1]) for row in cursor.fetchall()}


def _states_on(day: dt.date) -> QuerySet[CaseState]:
    """The management in force on ``day``: the state and its case both cover the day.

    ``effective_to`` and ``closed_on`` are the first day they no longer apply, so a
    case closed on the day is not counted on it.
    """
    return CaseState.objects.filter(
        Q(effective_from__lte=day),
        Q(effective_to__isnull=True) | Q(effective_to__gt=day),
        Q(case__opened_on__lte=day),
        Q(case__closed_on__isnull=True) | Q(case__closed_on__gt=day),
    )


def _states_during(start: dt.date, end: dt.date) -> QuerySet[CaseState]:
    """The management in force on at least one day from ``start`` to ``end``."""
    return CaseState.objects.filter(
        Q(effective_from__lte=end),
        Q(effective_to__isnull=True) | Q(effective_to__gt=start),
        Q(case__opened_on__lte=end),
        Q(case__closed_on__isnull=True) | Q(case__closed_on__gt=start),
    )


Grid = dict[tuple[str, int], int]


def snapshot_grid(day: dt.date) -> Grid:
    """Distinct people with a case open on ``day`` by (category, level)."""
    return _grid(
        count_first_per_person(
            _states_on(day),
            "case__nominal_id",
            [F("effective_from").desc(), F("pk").desc()],
            ["category", "level"],
        )
    )


def managed_grid(start: dt.date, end: dt.date) -> Grid:
    """Distinct people managed at level 2 or 3 at some time in the period, each at the
    highest level reached, under the category they had when last at that level."""
    return _grid(
        count_first_per_person(
            _states_during(start, end).filter(level__in=(2, 3)),
            "case__nominal_id",
            [F("level").desc(), F("effective_from").desc(), F("pk").desc()],
            ["category", "level"],
        )
    )


def _grid(counted: dict[tuple[Any, ...], int]) -> Grid:
    return {(str(category), int(level)): n for (category, level), n in counted.items()}


def _state_at_event(field_name: str) -> Subquery:
    """The person's category or level on the event's date, from the dated history."""
    day = OuterRef("occurred_on")
    return Subquery(
        CaseState.objects.filter(
            Q(case__nominal_id=OuterRef("nominal_id")),
            Q(effective_from__lte=day),
            Q(effective_to__isnull=True) | Q(effective_to__gt=day),
            Q(case__opened_on__lte=day),
            Q(case__closed_on__isnull=True) | Q(case__closed_on__gt=day),
        )
        .order_by("-effective_from", "-pk")
        .values(field_name)[:1]
    )


def _events(
    start: dt.date,
    end: dt.date,
    kinds: Iterable[str],
    *,
    levels: Sequence[int] | None = None,
    categories: Sequence[str] | None = None,
    **filters: Any,
) -> QuerySet[OutcomeEvent]:
    events = OutcomeEvent.objects.filter(
        kind__in=list(kinds), occurred_on__gte=start, occurred_on__lte=end, **filters
    ).annotate(at_level=_state_at_event("level"), at_category=_state_at_event("category"))
    if levels is not None:
        events = events.filter(at_level__in=list(levels))
    if categories is not None:
        events = events.filter(at_category__in=list(categories))
    return events


def event_people(events: QuerySet[OutcomeEvent], *by: str) -> dict[tuple[Any, ...], int]:
    """Distinct people with one of ``events``, each under their latest event's values of
    ``by`` ("at_level", "at_category"); ``{(): n}`` when ``by`` is empty."""
    if not by:
        return {(): events.aggregate(n=Count("nominal_id", distinct=True))["n"] or 0}
    return count_first_per_person(
        events,
        "nominal_id",
        [F("occurred_on").desc(), F("created_at").desc(), F("pk").desc()],
        by,
    )


def _local_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after end 00:00) in the service's time zone."""
    zone = timezone.get_current_timezone()
    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min), zone)
    after = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min), zone)
    return first, after


def referral_counts(start: dt.date, end: dt.date) -> dict[str, int]:
    """Referrals received by the co-ordinator (endorsed and sent on: ``received_on``),
    and decisions made, in the period."""
    first, after = _local_bounds(start, end)
    decided = Q(decided_at__gte=first, decided_at__lt=after)
    return Referral.objects.aggregate(
        received=Count("pk", filter=Q(received_on__gte=start, received_on__lte=end)),
        accepted=Count("pk", filter=decided & Q(status=ReferralStatus.ACCEPTED)),
        declined=Count("pk", filter=decided & Q(status=ReferralStatus.DECLINED)),
    )


def meeting_counts(start: dt.date, end: dt.date) -> dict[int, tuple[int, int]]:
    """By level: (meetings held, case discussions) from ``start`` to ``end``.

    A meeting is held when it was not cancelled and at least one case was discussed
    at it (not withdrawn)."""
    discussed = AgendaItem.objects.filter(discussed=True, withdrawn_at__isnull=True)
    held = (
        Meeting.objects.filter(level__in=(2, 3), date__gte=start, date__lte=end)
        .exclude(status=MeetingStatus.CANCELLED)
        .filter(Exists(discussed.filter(meeting_id=OuterRef("pk"))))
    )
    meetings = {r["level"]: r["n"] for r in held.values("level").annotate(n=Count("pk")).order_by()}
    items = {
        r["meeting__level"]: r["n"]
        for r in discussed.filter(meeting__in=held.values("pk"))
        .values("meeting__level")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return {level: (meetings.get(level, 0), items.get(level, 0)) for level in (2, 3)}


def per_100k(count: int, population: int | None) -> Decimal | None:
    """``count`` per 100,000 of ``population`` to one decimal place; None without one."""
    if not population:
        return None
    rate = Decimal(count) * 100000 / Decimal(population)
    return rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# Building the tables ------------------------------------------------------------------


class _Builder:
    def __init__(
        self, profile: Profile, period: Period, snapshot_on: dt.date, population: int | None
    ):
        self.profile = profile
        self.period = period
        self.snapshot_on = snapshot_on
        self.population = population
        self.words = labels_for(profile)
        self.start, self.end = period.start, min(period.end, today())
        self.categories = [c.code for c in profile.categories if c.code != PDP]
        self.category_names = [
            self.words.get("categories", {}).get(code) or (profile.category(code).name)  # type: ignore[union-attr]
            for code in self.categories
        ]
        self.event_levels = [int(x) for x in self.words.get("event_levels", [2, 3])]
        self._snapshot: Grid | None = None

    # Wording

    def _fill(self, text: str) -> str:
        return text.format(
            snapshot=_day(self.snapshot_on),
            start=_day(self.period.start),
            end=_day(self.period.end),
            year=self.period.label,
        )

    def _w(self, key: str) -> dict[str, Any]:
        return dict(self.words["tables"].get(key, {}))

    def _level(self, level: int | str) -> str:
        return str(self.words["levels"].get(str(level), f"Level {level}"))

    def _table(
        self,
        key: str,
        kind: str,
        columns: list[str],
        rows: list[Row],
        unavailable: str = "",
    ) -> Table:
        w = self._w(key)
        return Table(
            key=key,
            id=str(w.get("id", "")),
            title=self._fill(str(w.get("title", key))),
            kind=kind,
            row_heading=str(w.get("row_heading", "")),
            columns=columns,
            rows=rows,
            notes=[self._fill(str(n)) for n in w.get("notes", [])],
            unavailable=unavailable,
        )

    def _row_label(self, key: str, row: str, default: str = "") -> str:
        return self._fill(str(self._w(key).get("rows", {}).get(row, default or row)))

    # Grids of level x category

    def _category_grid(
        self, key: str, kind: str, grid: dict[tuple[Any, ...], int], levels: Sequence[int]
    ) -> Table:
        """Rows: levels and their total; columns: categories, total, then PDPs apart."""
        columns = [*self.category_names, str(self.words["total"]), str(self.words["pdp_column"])]
        rows = []
        for level in levels:
            cells = [grid.get((code, level), 0) for code in self.categories]
            rows.append(
                Row(str(level), self._level(level), [*cells, sum(cells), grid.get((PDP, level), 0)])
            )
        totals = [sum(r.values[i] or 0 for r in rows) for i in range(len(columns))]
        rows.append(Row("total", str(self.words["total"]), list(totals), total=True))
        return self._table(key, kind, columns, rows)

    def snapshot(self) -> Grid:
        if self._snapshot is None:
            self._snapshot = snapshot_grid(self.snapshot_on)
        return self._snapshot

    def table_snapshot(self) -> Table:
        table = self._category_grid("snapshot", "snapshot", dict(self.snapshot()), LEVELS)
        # PDPs have their own table: drop the column here.
        return replace(
            table,
            columns=table.columns[:-1],
            rows=[replace(r, values=r.values[:-1]) for r in table.rows],
        )

    def table_pdp(self) -> Table:
        grid = self.snapshot()
        rows = [Row(str(lv), self._level(lv), [grid.get((PDP, lv), 0)]) for lv in LEVELS]
        rows.append(
            Row("total", str(self.words["total"]), [sum(r.values[0] or 0 for r in rows)], True)
        )
        return self._table("pdp", "snapshot", [str(self._w("pdp").get("column", "People"))], rows)

    def table_managed(self) -> Table:
        grid = managed_grid(self.start, self.end)
        return self._category_grid("managed", "year", dict(grid), (2, 3))

    def table_rate(self) -> Table:
        w = self._w("rate")
        registered = sum(n for (cat, _), n in self.snapshot().items() if cat == "1")
        rate = per_100k(registered, self.population)
        rows = [
            Row("registered", self._row_label("rate", "registered"), [registered]),
            Row("population", self._row_label("rate", "population"), [self.population]),
            Row("rate", self._row_label("rate", "rate"), [rate], total=True),
        ]
        unavailable = "" if rate is not None else str(w.get("unavailable", "Not available"))
        return self._table("rate", "snapshot", [str(w.get("column", "Figure"))], rows, unavailable)

    # Events

    def _people(self, kinds: Iterable[str], **kw: Any) -> int:
        return event_people(_events(self.start, self.end, kinds, **kw))[()]

    def _single(self, key: str, kinds: Iterable[str], **kw: Any) -> Table:
        column = str(self._w(key).get("column", "People"))
        row = Row("total", self._row_label(key, "total"), [self._people(kinds, **kw)], True)
        return self._table(key, "year", [column], [row])

    def table_notification_breaches(self) -> Table:
        caution = [OutcomeKind.NOTIFICATION_BREACH_CAUTION]
        conviction = [OutcomeKind.NOTIFICATION_BREACH_CONVICTION]
        cat1 = {"categories": ["1"]}
        label = partial(self._row_label, "notification_breaches")
        rows = [
            Row("caution", label("caution"), [self._people(caution, **cat1)]),
            Row("conviction", label("conviction"), [self._people(conviction, **cat1)]),
            Row("total", label("total"), [self._people(caution + conviction, **cat1)], True),
        ]
        column = str(self._w("notification_breaches").get("column", "People"))
        return self._table("notification_breaches", "year", [column], rows)

    def table_orders(self) -> Table:
        imposed = [OutcomeKind.ORDER_IMPOSED]
        cat1: dict[str, Any] = {"categories": ["1"]}
        shpo = [OrderType.SHPO, OrderType.SOPO]
        counts = {
            "shpo": self._people(imposed, order_type__in=shpo, **cat1),
            "shpo_travel": self._people(
                imposed, order_type__in=shpo, foreign_travel_restrictions=True, **cat1
            ),
            "notification_order": self._people(
                imposed, order_type=OrderType.NOTIFICATION_ORDER, **cat1
            ),
            "foreign_travel_order": self._people(
                imposed, order_type=OrderType.FOREIGN_TRAVEL_ORDER, **cat1
            ),
        }
        rows = [Row(k, self._row_label("orders", k), [n]) for k, n in counts.items()]
        return self._table("orders", "year", [str(self._w("orders").get("column", "People"))], rows)

    def table_sro_notification(self) -> Table:
        return self._single("sro_notification", [OutcomeKind.NOTIFICATION_AFTER_SRO_BREACH])

    def table_lifetime_revoked(self) -> Table:
        return self._single("lifetime_revoked", [OutcomeKind.LIFETIME_NOTIFICATION_REVOKED])

    def table_scr(self) -> Table:
        return self._single("scr", [OutcomeKind.SERIOUS_CASE_REVIEW])

    def table_deregistration(self) -> Table:
        return self._single("deregistration", [OutcomeKind.DEREGISTRATION_ELIGIBLE])

    def _by_level(
        self, key: str, spec: list[tuple[str, list[str]]], levels: Sequence[int]
    ) -> Table:
        """Rows: kinds of event (and their total, each person once); columns: levels."""
        columns = [*(self._level(lv) for lv in levels), str(self.words["total"])]
        rows = []
        every: list[str] = []
        for row_key, kinds in spec:
            every += kinds
            rows.append(self._level_row(key, row_key, kinds, levels))
        if len(spec) > 1 and "total" in self._w(key).get("rows", {}):
            row = self._level_row(key, "total", every, levels)
            rows.append(Row(row.key, row.label, row.values, True))
        return self._table(key, "year", columns, rows)

    def _level_row(self, key: str, row_key: str, kinds: list[str], levels: Sequence[int]) -> Row:
        counts = event_people(_events(self.start, self.end, kinds, levels=list(levels)), "at_level")
        cells = [counts.get((lv,), 0) for lv in levels]
        return Row(row_key, self._row_label(key, row_key), [*cells, sum(cells)])

    def table_custody(self) -> Table:
        spec = [
            ("licence", [str(OutcomeKind.CUSTODY_BREACH_OF_LICENCE)]),
            ("order", [str(OutcomeKind.CUSTODY_BREACH_OF_ORDER)]),
        ]
        return self._by_level("custody", spec, (2, 3))

    def table_breaches(self) -> Table:
        spec = [
            (
                "notification_breach",
                [
                    str(OutcomeKind.NOTIFICATION_BREACH_CAUTION),
                    str(OutcomeKind.NOTIFICATION_BREACH_CONVICTION),
                ],
            ),
            ("licence", [str(OutcomeKind.CUSTODY_BREACH_OF_LICENCE)]),
            ("order", [str(OutcomeKind.CUSTODY_BREACH_OF_ORDER)]),
            ("further_offence", [str(OutcomeKind.CUSTODY_FURTHER_OFFENCE)]),
        ]
        return self._by_level("breaches", spec, LEVELS)

    def table_sfo(self) -> Table:
        events = _events(
            self.start,
            self.end,
            [OutcomeKind.SERIOUS_FURTHER_OFFENCE_CHARGE],
            levels=self.event_levels,
        )
        grid = {
            (str(cat), int(lv)): n
            for (cat, lv), n in event_people(events, "at_category", "at_level").items()
        }
        return self._category_grid("sfo", "year", grid, self.event_levels)

    def table_orders_all(self) -> Table:
        w = self._w("orders_all")
        columns = [str(c) for c in w.get("columns", ["Imposed", "Revoked"])]
        rows = []
        for order_type in OrderType:
            cells: list[Value] = [
                self._people([kind], order_type=order_type)
                for kind in (OutcomeKind.ORDER_IMPOSED, OutcomeKind.ORDER_REVOKED)
            ]
            rows.append(Row(str(order_type.value), str(order_type.label), cells))
        return self._table("orders_all", "year", columns, rows)

    # Counts of things, not people

    def table_referrals(self) -> Table:
        counts = referral_counts(self.start, self.end)
        rows = [
            Row(k, self._row_label("referrals", k), [counts[k]])
            for k in ("received", "accepted", "declined")
        ]
        column = str(self._w("referrals").get("column", "Referrals"))
        return self._table("referrals", "year", [column], rows)

    def table_meetings(self) -> Table:
        w = self._w("meetings")
        counts = meeting_counts(self.start, self.end)
        rows = [
            Row(str(lv), self._row_label("meetings", str(lv)), list(counts[lv])) for lv in (2, 3)
        ]
        total = [sum(r.values[i] or 0 for r in rows) for i in range(2)]
        rows.append(Row("total", self._row_label("meetings", "total"), list(total), True))
        columns = [str(c) for c in w.get("columns", ["Meetings held", "Case discussions"])]
        return self._table("meetings", "year", columns, rows)

    def build(self) -> list[Table]:
        tables = []
        for key in self.words.get("layout", []):
            make = getattr(self, f"table_{key}", None)
            if make is None:
                raise ValueError(f"The annual report has no table called {key!r}")
            tables.append(make())
        return tables


def annual_report(*, year: int) -> AnnualReport:
    """The current area's annual report for the reporting year ending in ``year``.

    Raises ReportYearError for a year out of range or whose period has not started.
    """
    year = parse_year(year)
    day = today()
    # The rules in force at the end of the year asked about (or today, while it runs).
    profile = current_profile(min(current_profile().annual_snapshot(year), day))
    period = reporting_period(profile, year)
    if period.start > day:
        raise ReportYearError(
            f"The {period.label} reporting year starts on {_day(period.start)}: "
            "choose a year that has started"
        )
    area = current_area()
    provisional = period.end >= day
    snapshot_on = min(period.end, day)
    words = labels_for(profile)
    tables = _Builder(profile, period, snapshot_on, area.population).build()
    title = f"{words['report_title']}, {period.label}"
    return AnnualReport(
        year=year,
        year_label=period.label,
        title=title,
        profile_key=profile.key,
        profile_name=profile.name,
        area_name=area.name,
        start=period.start,
        end=period.end,
        snapshot_on=snapshot_on,
        provisional=provisional,
        population=area.population,
        population_source=area.population_source,
        tables=tables,
        computed_at=timezone.localtime(),
    )
