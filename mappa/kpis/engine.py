"""The KPI engine (J 16.2; issue 6, point 1; decisions.md "KPI output").

The dataclasses and functions below are what the dashboard, the annual report, the
benchmark, ``manage.py kpi`` and the API use. The KPIs, their names, measures and
targets come from the area's profile (``current_profile().kpis``); what each one
counts is in ``measures.py`` and, in plain words, ``how_counted``.
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from mappa.access.policy import nominals_visible_to
from mappa.common.dates import today
from mappa.kpis.measures import (
    Bucket,
    Tally,
    attendance_tallies,
    disclosure_tallies,
    fmt,
    reaches,
    review_tallies,
    smb_tallies,
)
from mappa.profiles.calendar import add_months
from mappa.profiles.profile import Kpi, Profile
from mappa.profiles.selectors import current_profile
from mappa.register.models import Nominal


class PeriodError(ValueError):
    """A period the engine refuses, with the message a user reads
    ("The end date must be the same as or after the start date")."""


@dataclass(frozen=True)
class FailingItem:
    """One thing that made a KPI miss: a review due, a discussion, an agency's absence,
    an SMB seat's absence. Names are never held here: the viewer's access decides
    whether a name and a link are shown (decisions.md)."""

    kind: str  # "review", "discussion", "attendance", "smb_attendance"
    detail: str  # plain words: "Review due 12 March 2026, held 13 March (1 day late)"
    case_id: uuid.UUID | None = None
    case_reference: str = ""
    nominal_id: uuid.UUID | None = None
    level: int | None = None
    lead_agency: str = ""
    due: dt.date | None = None
    days_late: int | None = None  # None when never held (still outstanding at the end)
    meeting_id: uuid.UUID | None = None
    meeting_date: dt.date | None = None
    agency: str = ""  # the absent agency (meeting_attendance)
    seat: str = ""  # the SMB seat (smb_attendance)


@dataclass(frozen=True)
class SeatFigure:
    """One SMB seat's or one agency's own figures in a per-member KPI."""

    id: str
    label: str
    numerator: int
    denominator: int
    value: float | None
    met: bool | None


@dataclass(frozen=True)
class KpiResult:
    id: str
    name: str
    measure: str  # the definition in plain words, shown on the page
    source: str  # "J 16.2 (1)"
    target: float  # a fraction: 0.9
    numerator: int
    denominator: int
    value: float | None  # numerator / denominator, None when the denominator is 0
    met: bool | None  # None when there was nothing to count
    failing: tuple[FailingItem, ...] = ()
    seats: tuple[SeatFigure, ...] = field(default=())  # per-member KPIs only
    # Why nothing was counted, when the engine does not know how to count this KPI.
    note: str = ""


class UnknownKpiError(LookupError):
    """A KPI id the area's profile does not define."""


@dataclass(frozen=True)
class TrendPoint:
    """One calendar quarter of a KPI's trend (the last one runs to the date asked)."""

    label: str  # "January to March 2026"
    start: dt.date
    end: dt.date
    result: KpiResult  # figures and seats; no failing items


# The KPIs this engine counts (J 16.2); a profile may name others, which are reported
# with a note and nothing counted rather than refused.
REVIEW_LEVELS = {"level3_reviews_on_time": 3, "level2_reviews_on_time": 2}
PER_MEMBER = frozenset({"smb_attendance", "meeting_attendance"})
KNOWN = frozenset({*REVIEW_LEVELS, "disclosure_considered", *PER_MEMBER})
UNKNOWN_NOTE = (
    "This KPI is in the area's profile but the system does not yet know how to count "
    "it, so nothing was counted."
)
PERIOD_ORDER = "The end date must be the same as or after the start date"


def check_period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise PeriodError(PERIOD_ORDER)


def how_counted(kpi_id: str, profile: Profile | None = None) -> str:
    """How the engine counts a KPI, in plain words for the page (issue 6, point 1)."""
    profile = profile or current_profile()
    if kpi_id in REVIEW_LEVELS:
        level = REVIEW_LEVELS[kpi_id]
        interval = profile.limit(f"review_level_{level}").length_words
        return (
            f"Each time a case is discussed at a level {level} meeting, its next level "
            f"{level} review falls due {interval} later. Every review that fell due in the "
            f"period counts once; it is on time if the case was discussed again at a level "
            f"{level} meeting on or before that date. A case that left level {level} (or "
            "MAPPA) before the review fell due is not counted. A review not yet held at the "
            "end of the period counts as missed; reviews falling due after today are not "
            "counted yet."
        )
    if kpi_id == "disclosure_considered":
        return (
            "Every level 2 and 3 case discussion held in the period counts once. It counts "
            "as recorded when its minutes record the decision on disclosure: yes, with why, "
            "what, by whom, to whom and by when; or no, with the reasons. A discussion "
            "without minutes counts as not recorded."
        )
    if kpi_id == "smb_attendance":
        return (
            "For each seat on the Strategic Management Board: the board meetings held in "
            "the period while the seat existed, and how many of them its member or a "
            "deputy attended. The target is met only when every seat reaches it."
        )
    if kpi_id == "meeting_attendance":
        return (
            "For each agency: the level 2 and 3 case discussions held in the period that it "
            "was invited to (to the whole meeting or to that case), and how many it "
            "attended in person, by video or phone, or by sending a report. The target is "
            "met only when every agency reaches it."
        )
    return UNKNOWN_NOTE


def _fraction(target: float) -> Fraction:
    # 0.9 from the profile is exactly nine tenths, not the nearest binary fraction.
    return Fraction(str(target))


def _value(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _tallies(
    profile: Profile,
    kpi: Kpi,
    buckets: list[Bucket],
    agency_id: int | None,
    *,
    want_failing: bool,
) -> list[Tally] | None:
    target = _fraction(kpi.target) if want_failing else None
    if kpi.id in REVIEW_LEVELS:
        return review_tallies(
            level=REVIEW_LEVELS[kpi.id],
            buckets=buckets,
            profile=profile,
            as_of=today(),
            agency_id=agency_id,
            want_misses=want_failing,
        )
    if kpi.id == "disclosure_considered":
        return disclosure_tallies(buckets=buckets, agency_id=agency_id, want_misses=want_failing)
    if kpi.id == "smb_attendance":
        return smb_tallies(buckets=buckets, agency_id=agency_id, target=target)
    if kpi.id == "meeting_attendance":
        return attendance_tallies(buckets=buckets, agency_id=agency_id, target=target)
    return None


def _failing(kpi: Kpi, misses: list[dict[str, Any]]) -> tuple[FailingItem, ...]:
    if kpi.id in REVIEW_LEVELS:
        level = REVIEW_LEVELS[kpi.id]
        return tuple(_review_item(level, m) for m in misses)
    if kpi.id == "disclosure_considered":
        return tuple(_disclosure_item(m) for m in misses)
    if kpi.id == "meeting_attendance":
        return tuple(_attendance_item(m) for m in misses)
    if kpi.id == "smb_attendance":
        return tuple(_smb_item(m) for m in misses)
    return ()


def _result(kpi: Kpi, tally: Tally | None, *, failing: bool) -> KpiResult:
    if tally is None:
        return KpiResult(
            id=kpi.id,
            name=kpi.name,
            measure=kpi.measure,
            source=kpi.source,
            target=kpi.target,
            numerator=0,
            denominator=0,
            value=None,
            met=None,
            note=UNKNOWN_NOTE,
        )
    target = _fraction(kpi.target)
    seats: tuple[SeatFigure, ...] = ()
    if kpi.id in PER_MEMBER:
        seats = tuple(
            SeatFigure(
                id=m.id,
                label=m.label,
                numerator=m.numerator,
                denominator=m.denominator,
                value=_value(m.numerator, m.denominator),
                met=reaches(m.numerator, m.denominator, target) if m.denominator else None,
            )
            for m in _ordered_members(kpi, tally)
        )
        # decisions.md: met only when every seat (or agency) reaches the target.
        met = None if tally.denominator == 0 else all(s.met is not False for s in seats)
    else:
        met = (
            None if tally.denominator == 0 else reaches(tally.numerator, tally.denominator, target)
        )
    return KpiResult(
        id=kpi.id,
        name=kpi.name,
        measure=kpi.measure,
        source=kpi.source,
        target=kpi.target,
        numerator=tally.numerator,
        denominator=tally.denominator,
        value=_value(tally.numerator, tally.denominator),
        met=met,
        failing=_failing(kpi, tally.misses) if failing else (),
        seats=seats,
    )


def _ordered_members(kpi: Kpi, tally: Tally) -> list[Any]:
    members = list(tally.members.values())
    if kpi.id == "meeting_attendance":
        members.sort(key=lambda m: m.label)
    return members  # SMB seats come in the board's own order (position, title)


# Failing items, in plain words -------------------------------------------------------


def _review_item(level: int, m: dict[str, Any]) -> FailingItem:
    due: dt.date = m["due"]
    held_on: dt.date | None = m["held_on"]
    if held_on is not None:
        late = (held_on - due).days
        outcome = f"held {fmt(held_on)}, {late} day{'s' if late != 1 else ''} late"
    else:
        late_by = (m["as_of"] - due).days
        outcome = f"not held by {fmt(m['as_of'])}" + (
            f" ({late_by} day{'s' if late_by != 1 else ''} overdue then)" if late_by else ""
        )
    return FailingItem(
        kind="review",
        detail=(
            f"Level {level} review due {fmt(due)} after the meeting of {fmt(m['previous'])}: "
            f"{outcome}"
        ),
        case_id=m["case_id"],
        case_reference=m["reference"],
        nominal_id=m["nominal_id"],
        level=level,
        lead_agency=m["lead_agency"],
        due=due,
        # Chosen: None while the review has not been held by the end of the period
        # (or today); the detail says how overdue it was then.
        days_late=(held_on - due).days if held_on is not None else None,
        meeting_date=held_on,
    )


def _disclosure_item(m: dict[str, Any]) -> FailingItem:
    if m["minutes__id"] is None:
        why = "no minutes have been written"
    elif m["minutes__disclosure"] == "yes":
        why = (
            "the minutes record a decision to disclose without saying why, what, by whom, "
            "to whom and by when"
        )
    elif m["minutes__disclosure"] == "no":
        why = "the minutes record a decision not to disclose without the reasons"
    else:
        why = "the minutes record no decision on disclosure"
    day: dt.date = m["meeting__date"]
    return FailingItem(
        kind="discussion",
        detail=f"Level {m['meeting__level']} meeting of {fmt(day)}: {why}",
        case_id=m["case_id"],
        case_reference=m["case__reference"],
        nominal_id=m["case__nominal_id"],
        level=m["meeting__level"],
        lead_agency=m["lead_agency"] or "",
        due=day,
        meeting_id=m["meeting_id"],
        meeting_date=day,
    )


ABSENCE_WORDS = {
    "apologies": "sent apologies",
    "absent": "absent",
    "deputy": "a deputy attended",
    None: "no attendance recorded",
}


def _attendance_item(m: dict[str, Any]) -> FailingItem:
    day: dt.date = m["meeting__date"]
    why = ABSENCE_WORDS.get(m["recorded_status"], "did not attend")
    return FailingItem(
        kind="attendance",
        detail=(
            f"{m['absent_agency']} was invited to the discussion of {m['case__reference']} at "
            f"the level {m['meeting__level']} meeting of {fmt(day)}: {why}"
        ),
        case_id=m["case_id"],
        case_reference=m["case__reference"],
        nominal_id=m["case__nominal_id"],
        level=m["meeting__level"],
        lead_agency=m["lead_agency"] or "",
        due=day,
        meeting_id=m["meeting_id"],
        meeting_date=day,
        agency=m["absent_agency"],
    )


def _smb_item(m: dict[str, Any]) -> FailingItem:
    day: dt.date = m["date"]
    why = ABSENCE_WORDS.get(m["status"], "did not attend")
    return FailingItem(
        kind="smb_attendance",
        detail=f"{m['seat']}: SMB meeting of {fmt(day)}, {why}",
        due=day,
        meeting_id=m["meeting_id"],
        meeting_date=day,
        agency=m["agency"],
        seat=m["seat"],
    )


# The interface -----------------------------------------------------------------------


def compute_kpis(*, start: dt.date, end: dt.date, agency_id: int | None = None) -> list[KpiResult]:
    """Every KPI of the area's current profile for the period start..end inclusive.

    ``agency_id`` narrows to one agency (cases it led; its own attendance; its seats).
    Raises PeriodError for an end before the start.
    """
    check_period(start, end)
    profile = current_profile(end)
    bucket = [Bucket(start, end)]
    return [
        _result(
            kpi, _first(_tallies(profile, kpi, bucket, agency_id, want_failing=True)), failing=True
        )
        for kpi in profile.kpis
    ]


def compute_kpi(
    kpi_id: str, *, start: dt.date, end: dt.date, agency_id: int | None = None
) -> KpiResult:
    """One KPI of the profile; UnknownKpiError if the profile does not define it."""
    check_period(start, end)
    profile = current_profile(end)
    kpi = profile.kpi(kpi_id)
    if kpi is None:
        raise UnknownKpiError(f"The profile {profile.key} has no KPI {kpi_id!r}")
    tallies = _tallies(profile, kpi, [Bucket(start, end)], agency_id, want_failing=True)
    return _result(kpi, _first(tallies), failing=True)


def _first(tallies: list[Tally] | None) -> Tally | None:
    return tallies[0] if tallies is not None else None


def quarter_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar quarter holding ``day``: (first day, last day)."""
    first = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    last = add_months(first, 3) - dt.timedelta(days=1)
    return first, last


def _quarter_label(first: dt.date) -> str:
    last = add_months(first, 2)
    return f"{first:%B} to {last:%B %Y}"


def trend(
    kpi_id_or_all: str = "all",
    *,
    quarters: int = 8,
    end: dt.date | None = None,
    agency_id: int | None = None,
) -> dict[str, list[TrendPoint]]:
    """Each KPI (or one) quarter by quarter: the ``quarters`` calendar quarters up to the
    one holding ``end`` (today by default), oldest first, the last running to ``end``.

    The same queries as one period, once for the whole span: the rows are shared out
    by quarter. Points carry figures and seats, not failing items.
    """
    if quarters < 1:
        raise PeriodError("Ask for at least one quarter")
    end = end or today()
    profile = current_profile(end)
    first, _ = quarter_of(end)
    starts = [add_months(first, -3 * i) for i in range(quarters - 1, -1, -1)]
    buckets = [Bucket(s, min(add_months(s, 3) - dt.timedelta(days=1), end)) for s in starts]
    if kpi_id_or_all == "all":
        kpis = profile.kpis
    else:
        found = profile.kpi(kpi_id_or_all)
        if found is None:
            raise UnknownKpiError(f"The profile {profile.key} has no KPI {kpi_id_or_all!r}")
        kpis = [found]
    out: dict[str, list[TrendPoint]] = {}
    for kpi in kpis:
        tallies = _tallies(profile, kpi, buckets, agency_id, want_failing=False)
        out[kpi.id] = [
            TrendPoint(
                label=_quarter_label(b.start),
                start=b.start,
                end=b.end,
                result=_result(kpi, tallies[i] if tallies is not None else None, failing=False),
            )
            for i, b in enumerate(buckets)
        ]
    return out


# JSON (manage.py kpi, the API) ---------------------------------------------------------


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def kpis_as_json(
    results: list[KpiResult],
    *,
    start: dt.date,
    end: dt.date,
    viewer: Any = None,
) -> dict[str, Any]:
    """``{"profile", "from", "to", "kpis": [...]}`` (issue 6, point 7).

    A failing item names its person (name and record id) only where ``viewer`` may
    open that record (the policy's rule as one query, ``nominals_visible_to``): the
    co-ordinator sees names, an SMB member references (decisions.md, "KPI output").
    With no viewer (the command line, run by an operator) names are included.
    """
    ids = {f.nominal_id for r in results for f in r.failing if f.nominal_id is not None}
    names: dict[Any, str] = {}
    if ids:
        people = (Nominal.objects.all() if viewer is None else nominals_visible_to(viewer)).filter(
            pk__in=ids
        )
        names = {
            pk: f"{given} {family}"
            for pk, given, family in people.values_list("pk", "given_names", "family_name")
        }
    return {
        "profile": current_profile(end).key,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "kpis": [_kpi_json(r, names) for r in results],
    }


def _kpi_json(result: KpiResult, names: dict[Any, str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": result.id,
        "target": result.target,
        "numerator": result.numerator,
        "denominator": result.denominator,
        "value": result.value,
        "met": result.met,
        "failing": [_item_json(f, names) for f in result.failing],
    }
    if result.id in PER_MEMBER:
        out["seats"] = [
            {
                "id": s.id,
                "label": s.label,
                "numerator": s.numerator,
                "denominator": s.denominator,
                "value": s.value,
                "met": s.met,
            }
            for s in result.seats
        ]
    if result.note:
        out["note"] = result.note
    return out


def _item_json(item: FailingItem, names: dict[Any, str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": item.kind,
        "detail": item.detail,
        "reference": item.case_reference,
        "level": item.level,
        "lead_agency": item.lead_agency,
        "due": _iso(item.due),
        "days_late": item.days_late,
        "meeting_date": _iso(item.meeting_date),
        "agency": item.agency,
        "seat": item.seat,
    }
    if item.nominal_id is not None and item.nominal_id in names:
        out["nominal_id"] = str(item.nominal_id)
        out["name"] = names[item.nominal_id]
    return out
