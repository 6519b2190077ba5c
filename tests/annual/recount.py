"""An independent recount of the annual report (decisions.md, "Annual report").

It reads the facts with raw SQL (no ORM query, no code of ``mappa.annual``) and counts
in plain Python, person by person, from the definitions written in
``mappa/annual/report.py``'s docstrings:

- management in force on a day: the state and its case cover the day
  (``effective_to`` and ``closed_on`` are the first day they no longer apply);
- snapshot: each person once, under their latest state covering the day;
- managed at level 2/3 during the year: each person once, at the highest level
  reached, under the category they had when last at that level;
- events: the person's category and level on the event's date; each person once per
  row, under their latest event's values;
- referrals counted by received date and by decision date (local time);
- meetings held: level 2/3, not cancelled, with a discussed case not withdrawn.

``expected(year, start, end, snapshot_on, layout, levels_for_events)`` gives
``{table key: {row key: [values]}}`` to compare with the report's tables.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from mappa.meetings.models import AgendaItem, Meeting
from mappa.outcomes.models import OutcomeEvent
from mappa.referrals.models import Referral
from mappa.register.models import Case, CaseState

CATEGORIES = ["1", "2", "3"]
LEVELS = [1, 2, 3]


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _day(value: Any) -> dt.date:
    found = _date(value)
    assert found is not None
    return found


def _local_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime.fromisoformat(str(value))
    if timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)  # SQLite hands back UTC without a zone
    return timezone.localtime(value).date()


def _rows(sql: str) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return list(cursor.fetchall())


@dataclass
class State:
    nominal: str
    opened: dt.date
    closed: dt.date | None
    start: dt.date
    end: dt.date | None
    category: str
    level: int
    pk: int

    def covers(self, day: dt.date) -> bool:
        return (
            self.start <= day
            and (self.end is None or self.end > day)
            and self.opened <= day
            and (self.closed is None or self.closed > day)
        )

    def overlaps(self, first: dt.date, last: dt.date) -> bool:
        return (
            self.start <= last
            and (self.end is None or self.end > first)
            and self.opened <= last
            and (self.closed is None or self.closed > first)
        )


@dataclass
class Event:
    nominal: str
    kind: str
    on: dt.date
    order_type: str
    travel: bool
    created: str
    pk: str


class Facts:
    def __init__(self) -> None:
        s, c = CaseState._meta.db_table, Case._meta.db_table
        # Table names come from the models, never from input.
        sql = (
            "SELECT c.nominal_id, c.opened_on, c.closed_on, s.effective_from, "  # noqa: S608
            f"s.effective_to, s.category, s.level, s.id FROM {s} s JOIN {c} c ON c.id = s.case_id"
        )
        self.states = [
            State(
                nominal=str(r[0]),
                opened=_day(r[1]),
                closed=_date(r[2]),
                start=_day(r[3]),
                end=_date(r[4]),
                category=str(r[5]),
                level=int(r[6]),
                pk=int(r[7]),
            )
            for r in _rows(sql)
        ]
        by_person: dict[str, list[State]] = defaultdict(list)
        for state in self.states:
            by_person[state.nominal].append(state)
        self.by_person = by_person
        e = OutcomeEvent._meta.db_table
        sql = (
            "SELECT nominal_id, kind, occurred_on, order_type, "  # noqa: S608
            f"foreign_travel_restrictions, created_at, id FROM {e}"
        )
        self.events = [
            Event(
                nominal=str(r[0]),
                kind=str(r[1]),
                on=_day(r[2]),
                order_type=str(r[3] or ""),
                travel=bool(r[4]),
                created=str(r[5]),
                pk=str(r[6]),
            )
            for r in _rows(sql)
        ]
        r = Referral._meta.db_table
        self.referrals = [
            (str(x[0]), _date(x[1]), _local_date(x[2]))
            for x in _rows(f"SELECT status, received_on, decided_at FROM {r}")  # noqa: S608
        ]
        m, a = Meeting._meta.db_table, AgendaItem._meta.db_table
        self.meetings = [
            (str(x[0]), int(x[1]), _day(x[2]), str(x[3]))
            for x in _rows(f"SELECT id, level, date, status FROM {m}")  # noqa: S608
        ]
        self.items = [
            (str(x[0]), bool(x[1]), x[2] is not None)
            for x in _rows(f"SELECT meeting_id, discussed, withdrawn_at FROM {a}")  # noqa: S608
        ]

    def state_on(self, nominal: str, day: dt.date) -> State | None:
        covering = [s for s in self.by_person.get(nominal, []) if s.covers(day)]
        return max(covering, key=lambda s: (s.start, s.pk)) if covering else None


def _grid_rows(
    grid: dict[tuple[str, int], int], levels: Iterable[int], pdp_column: bool = True
) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    totals = [0] * (len(CATEGORIES) + 2)
    for level in levels:
        cells = [grid.get((c, level), 0) for c in CATEGORIES]
        row = [*cells, sum(cells), grid.get(("pdp", level), 0)]
        out[str(level)] = row
        totals = [a + b for a, b in zip(totals, row, strict=True)]
    out["total"] = totals
    if not pdp_column:
        out = {k: v[:-1] for k, v in out.items()}
    return out


def expected(
    facts: Facts,
    *,
    start: dt.date,
    end: dt.date,
    snapshot_on: dt.date,
    population: int | None,
    event_levels: list[int],
) -> dict[str, dict[str, list[Any]]]:
    end = min(end, timezone.localdate())
    out: dict[str, dict[str, list[Any]]] = {}

    # Snapshot, person by person.
    snap: dict[tuple[str, int], int] = defaultdict(int)
    for nominal in facts.by_person:
        state = facts.state_on(nominal, snapshot_on)
        if state:
            snap[(state.category, state.level)] += 1
    out["snapshot"] = _grid_rows(snap, LEVELS, pdp_column=False)
    pdp = {str(lv): [snap.get(("pdp", lv), 0)] for lv in LEVELS}
    pdp["total"] = [sum(v[0] for v in pdp.values())]
    out["pdp"] = pdp

    # Managed at level 2 or 3 during the year.
    managed: dict[tuple[str, int], int] = defaultdict(int)
    for states in facts.by_person.values():
        during = [s for s in states if s.level in (2, 3) and s.overlaps(start, end)]
        if during:
            best = max(during, key=lambda s: (s.level, s.start, s.pk))
            managed[(best.category, best.level)] += 1
    out["managed"] = _grid_rows(managed, [2, 3])

    registered = sum(n for (cat, _), n in snap.items() if cat == "1")
    rate = (
        (Decimal(registered) * 100000 / Decimal(population)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
        if population
        else None
    )
    out["rate"] = {"registered": [registered], "population": [population], "rate": [rate]}

    in_year = [e for e in facts.events if start <= e.on <= end]

    def people(
        kinds: set[str],
        *,
        categories: set[str] | None = None,
        levels: set[int] | None = None,
        where: Any = lambda e: True,
    ) -> dict[str, tuple[str | None, int | None]]:
        """nominal -> (category, level) at their latest qualifying event."""
        latest: dict[str, tuple[Any, ...]] = {}
        for e in in_year:
            if e.kind not in kinds or not where(e):
                continue
            state = facts.state_on(e.nominal, e.on)
            category = state.category if state else None
            level = state.level if state else None
            if categories is not None and category not in categories:
                continue
            if levels is not None and level not in levels:
                continue
            key = (e.on, e.created, e.pk)
            if e.nominal not in latest or key > latest[e.nominal][0]:
                latest[e.nominal] = (key, category, level)
        return {n: (v[1], v[2]) for n, v in latest.items()}

    def n(kinds: set[str], **kw: Any) -> list[int]:
        return [len(people(kinds, **kw))]

    caution, conviction = "notification_breach_caution", "notification_breach_conviction"
    out["notification_breaches"] = {
        "caution": n({caution}, categories={"1"}),
        "conviction": n({conviction}, categories={"1"}),
        "total": n({caution, conviction}, categories={"1"}),
    }
    shpo = {"shpo", "sopo"}
    imposed = {"order_imposed"}
    out["orders"] = {
        "shpo": n(imposed, categories={"1"}, where=lambda e: e.order_type in shpo),
        "shpo_travel": n(
            imposed, categories={"1"}, where=lambda e: e.order_type in shpo and e.travel
        ),
        "notification_order": n(
            imposed, categories={"1"}, where=lambda e: e.order_type == "notification_order"
        ),
        "foreign_travel_order": n(
            imposed, categories={"1"}, where=lambda e: e.order_type == "foreign_travel_order"
        ),
    }
    out["sro_notification"] = {"total": n({"notification_after_sro_breach"})}
    out["lifetime_revoked"] = {"total": n({"lifetime_notification_revoked"})}
    out["scr"] = {"total": n({"serious_case_review"})}
    out["deregistration"] = {"total": n({"deregistration_eligible"})}

    def by_level(kinds: set[str], levels: list[int]) -> list[int]:
        found = people(kinds, levels=set(levels))
        cells = [sum(1 for _, lv in found.values() if lv == level) for level in levels]
        return [*cells, sum(cells)]

    licence, order = "custody_breach_of_licence", "custody_breach_of_order"
    out["custody"] = {
        "licence": by_level({licence}, [2, 3]),
        "order": by_level({order}, [2, 3]),
        "total": by_level({licence, order}, [2, 3]),
    }
    out["breaches"] = {
        "notification_breach": by_level({caution, conviction}, LEVELS),
        "licence": by_level({licence}, LEVELS),
        "order": by_level({order}, LEVELS),
        "further_offence": by_level({"custody_further_offence"}, LEVELS),
    }
    sfo: dict[tuple[str, int], int] = defaultdict(int)
    for category, level in people(
        {"serious_further_offence_charge"}, levels=set(event_levels)
    ).values():
        sfo[(str(category), int(level or 0))] += 1
    out["sfo"] = _grid_rows(sfo, event_levels)
    order_types = [
        "shpo",
        "sopo",
        "sexual_risk_order",
        "notification_order",
        "foreign_travel_order",
        "violent_offender_order",
        "restraining_order",
    ]
    out["orders_all"] = {
        t: [
            len(people({"order_imposed"}, where=lambda e, t=t: e.order_type == t)),
            len(people({"order_revoked"}, where=lambda e, t=t: e.order_type == t)),
        ]
        for t in order_types
    }

    out["referrals"] = {
        "received": [sum(1 for _, rec, _ in facts.referrals if rec and start <= rec <= end)],
        "accepted": [
            sum(
                1
                for s, _, dec in facts.referrals
                if s == "accepted" and dec and start <= dec <= end
            )
        ],
        "declined": [
            sum(
                1
                for s, _, dec in facts.referrals
                if s == "declined" and dec and start <= dec <= end
            )
        ],
    }
    discussed: dict[str, int] = defaultdict(int)
    for meeting_id, was_discussed, withdrawn in facts.items:
        if was_discussed and not withdrawn:
            discussed[meeting_id] += 1
    meetings = {2: [0, 0], 3: [0, 0]}
    for meeting_id, level, day, status in facts.meetings:
        if level in meetings and start <= day <= end and status != "cancelled":
            if discussed.get(meeting_id):
                meetings[level][0] += 1
                meetings[level][1] += discussed[meeting_id]
    out["meetings"] = {
        "2": meetings[2],
        "3": meetings[3],
        "total": [meetings[2][0] + meetings[3][0], meetings[2][1] + meetings[3][1]],
    }
    return out


def assert_matches(report: Any, counted: dict[str, dict[str, list[Any]]]) -> None:
    """Every figure of every table in ``report`` equals the recount."""
    for table in report.tables:
        want = counted[table.key]
        got = {row.key: list(row.values) for row in table.rows}
        assert got == want, f"{table.caption}: report {got} != recount {want}"
