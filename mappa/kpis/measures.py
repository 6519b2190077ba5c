"""What each KPI counts, read from the database in a fixed number of queries.

Every function here takes a list of *buckets* (non-overlapping periods, oldest
first) and answers one ``Tally`` per bucket, so that one period (the dashboard's
figures) and eight quarters (its trend chart) cost the same number of queries: the
rows are fetched once for the whole span and shared out by date.

The counting is done by the database (``values()`` with ``Count``/``Sum``, ``Exists``
and ``Subquery``; for attendance, one statement joining the ORM's own queries on two
columns). The review KPIs are the exception: a review's
due date is the profile's clock (``mappa.profiles.clocks.review_due``: weeks today,
but a profile may give working days or calendar months, which SQL cannot count the
same way on both databases). They fetch the discussion dates and the level history
as plain tuples in two queries, whatever the number of cases, and apply the one
clock function to them; no query is made per case.
"""

from __future__ import annotations

import datetime as dt
import uuid
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Length, Trim
from django.db.models.lookups import GreaterThan

from mappa.access.models import Agency
from mappa.meetings.models import (
    COUNTS_AS_ATTENDED,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    InvitationStatus,
    MeetingStatus,
)
from mappa.minutes.models import MinutesAmendment
from mappa.profiles.clocks import review_due
from mappa.profiles.profile import Profile
from mappa.register.models import CaseState
from mappa.smb.models import (
    SMB_COUNTS_AS_ATTENDED,
    SmbAttendance,
    SmbMeeting,
    SmbMeetingStatus,
    SmbSeat,
)

# An invitation counts once it is confirmed (sent or not); a proposed one was never
# an invitation and a cancelled one no longer is (as meetings.services.invited_agencies).
ACTIVE_INVITATIONS = (InvitationStatus.CONFIRMED, InvitationStatus.SENT)


@dataclass(frozen=True)
class Bucket:
    start: dt.date
    end: dt.date

    def holds(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass
class Member:
    """One SMB seat's or one agency's own count within a bucket."""

    id: str
    label: str
    numerator: int = 0
    denominator: int = 0


@dataclass
class Tally:
    numerator: int = 0
    denominator: int = 0
    # Raw facts behind the failing items; the engine turns them into FailingItems.
    misses: list[dict[str, Any]] = field(default_factory=list)
    members: dict[str, Member] = field(default_factory=dict)


def _bucket_of(buckets: Sequence[Bucket], day: dt.date) -> int | None:
    """Index of the bucket holding ``day`` (buckets are sorted and do not overlap)."""
    if len(buckets) == 1:
        return 0 if buckets[0].holds(day) else None
    i = bisect_left([b.end for b in buckets], day)
    if i < len(buckets) and buckets[i].holds(day):
        return i
    return None


def reaches(numerator: int, denominator: int, target: Fraction) -> bool:
    """At or above the target, compared exactly (9 of 10 reaches 90%). Nothing to
    count is not a failure."""
    return denominator == 0 or Fraction(numerator, denominator) >= target


def fmt(day: dt.date | None) -> str:
    return f"{day:%-d %B %Y}" if day else ""


# Shared pieces ---------------------------------------------------------------------


def state_on(case_ref: str, day_ref: str) -> QuerySet[CaseState]:
    """The case's state in force on a day of the outer query (dated history)."""
    return (
        CaseState.objects.filter(case_id=OuterRef(case_ref), effective_from__lte=OuterRef(day_ref))
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=OuterRef(day_ref)))
        .order_by("-effective_from")
    )


def lead_agency_on(case_ref: str, day_ref: str) -> Subquery:
    return Subquery(state_on(case_ref, day_ref).values("lead_agency__name")[:1])


def discussions(start: dt.date, end: dt.date) -> QuerySet[AgendaItem]:
    """Level 2 and 3 case discussions held in the period: the case was reached (not
    withdrawn, marked discussed) at a meeting that was held."""
    return AgendaItem.objects.filter(
        discussed=True,
        withdrawn_at__isnull=True,
        meeting__status=MeetingStatus.HELD,
        meeting__level__in=(2, 3),
        meeting__date__gte=start,
        meeting__date__lte=end,
    )


def _led_by(queryset: QuerySet[AgendaItem], agency_id: int | None) -> QuerySet[AgendaItem]:
    """Discussions of cases the agency led on the day of the meeting."""
    if agency_id is None:
        return queryset
    return queryset.filter(
        Exists(state_on("case_id", "meeting__date").filter(lead_agency_id=agency_id))
    )


# Reviews on time (J 10.11, 16.2 (1) and (2)) --------------------------------------


@dataclass(frozen=True)
class _StateSpan:
    start: dt.date
    end: dt.date | None  # first day it no longer applies
    lead_agency_id: int
    lead_agency: str
    closed_on: dt.date | None
    reference: str
    nominal_id: uuid.UUID


def review_tallies(
    *,
    level: int,
    buckets: Sequence[Bucket],
    profile: Profile,
    as_of: dt.date,
    agency_id: int | None,
    want_misses: bool,
) -> list[Tally]:
    """Every review due at ``level`` whose due date falls in a bucket (up to ``as_of``).

    A due is the previous discussion of the case at a held meeting of this level plus
    the profile's review interval; each discussion starts the next due (the chain runs
    from the meeting actually held). It is met when the case is discussed again at a
    meeting of this level on or before the due date. There is no due when, on the due
    date, the case is no longer at this level or is closed (it left at a meeting, or
    otherwise, before the review fell due). A due after ``as_of`` (today) is not yet
    due and not counted.
    """
    tallies = [Tally() for _ in buckets]
    if not buckets:
        return tallies
    first = buckets[0].start
    last = min(buckets[-1].end, as_of)
    if last < first:
        return tallies
    # The earliest discussion whose due could fall in the span, with room for a clock
    # counted in months or working days (the exact test is made on each due below).
    span = (review_due(first, level, profile) - first).days
    earliest = first - dt.timedelta(days=span + 40)

    dates = (
        AgendaItem.objects.filter(
            discussed=True,
            withdrawn_at__isnull=True,
            meeting__status=MeetingStatus.HELD,
            meeting__level=level,
            meeting__date__gte=earliest,
            meeting__date__lte=last,
        )
        .order_by("case_id", "meeting__date")
        .values_list("case_id", "meeting__date")
        .distinct()
    )
    by_case: dict[uuid.UUID, list[dt.date]] = defaultdict(list)
    for case_id, day in dates:
        by_case[case_id].append(day)
    if not by_case:
        return tallies

    # Who was at this level during the span, with the lead agency of the time.
    states: dict[uuid.UUID, list[_StateSpan]] = defaultdict(list)
    rows = (
        CaseState.objects.filter(level=level, effective_from__lte=last)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=first))
        .values_list(
            "case_id",
            "effective_from",
            "effective_to",
            "lead_agency_id",
            "lead_agency__name",
            "case__closed_on",
            "case__reference",
            "case__nominal_id",
        )
    )
    for case_id, since, until, lead_id, lead, closed_on, reference, nominal_id in rows:
        states[case_id].append(
            _StateSpan(since, until, lead_id, lead, closed_on, reference, nominal_id)
        )

    due_of: dict[dt.date, dt.date] = {}
    for case_id, held in by_case.items():
        spans = states.get(case_id)
        if not spans:
            continue
        for i, previous in enumerate(held):
            due = due_of.get(previous)
            if due is None:
                due = due_of[previous] = review_due(previous, level, profile)
            if due < first or due > last:
                continue
            index = _bucket_of(buckets, due)
            if index is None or due > as_of:
                continue
            state = next(
                (s for s in spans if s.start <= due and (s.end is None or s.end > due)), None
            )
            if state is None or (state.closed_on is not None and state.closed_on <= due):
                continue  # left this level (or MAPPA) before the review fell due
            if agency_id is not None and state.lead_agency_id != agency_id:
                continue
            following = held[i + 1] if i + 1 < len(held) else None
            tally = tallies[index]
            tally.denominator += 1
            if following is not None and following <= due:
                tally.numerator += 1
            elif want_misses:
                held_on = (
                    following if following is not None and following <= buckets[index].end else None
                )
                tally.misses.append(
                    {
                        "case_id": case_id,
                        "reference": state.reference,
                        "nominal_id": state.nominal_id,
                        "lead_agency": state.lead_agency,
                        "previous": previous,
                        "due": due,
                        "held_on": held_on,
                        "as_of": min(buckets[index].end, as_of),
                    }
                )
    return tallies


# Disclosure considered and recorded (J 5.2, 16.2 (3); MAPPA B s.13) ----------------


def _filled(name: str) -> Q:
    # A blank or space-only answer records nothing (rules.finalisation_problems).
    return Q(GreaterThan(Length(Trim(name)), 0))


# The decision as minutes.rules requires it before minutes can be finalised: "no"
# with the reasons, or "yes" with why, what, by when, by whom and to whom.
DECISION_RECORDED = (Q(minutes__disclosure="no") & _filled("minutes__disclosure_reasons")) | (
    Q(minutes__disclosure="yes")
    & _filled("minutes__disclosure_reasons")
    & _filled("minutes__disclosure_what")
    & _filled("minutes__disclosure_by_whom")
    & _filled("minutes__disclosure_to_whom")
    & Q(minutes__disclosure_by_date__isnull=False)
)


DISCLOSURE_FIELDS = (
    "disclosure",
    "disclosure_reasons",
    "disclosure_what",
    "disclosure_by_date",
    "disclosure_by_whom",
    "disclosure_to_whom",
)
_MISS_FIELDS = (
    "pk",
    "case_id",
    "case__reference",
    "case__nominal_id",
    "lead_agency",
    "meeting_id",
    "meeting__date",
    "meeting__level",
    "minutes__id",
    "minutes__disclosure",
)


def decision_recorded(values: dict[str, Any]) -> bool:
    """DECISION_RECORDED in Python, for minutes whose decision was corrected by amendment."""

    def filled(name: str) -> bool:
        return bool(str(values.get(name) or "").strip())

    if values.get("disclosure") == "no":
        return filled("disclosure_reasons")
    if values.get("disclosure") == "yes":
        return all(
            filled(name)
            for name in (
                "disclosure_reasons",
                "disclosure_what",
                "disclosure_by_whom",
                "disclosure_to_whom",
                "disclosure_by_date",
            )
        )
    return False


def disclosure_tallies(
    *, buckets: Sequence[Bucket], agency_id: int | None, want_misses: bool
) -> list[Tally]:
    """Case discussions held in each bucket, and those whose minutes record the
    decision on disclosure. Distributed minutes change only by amendment (shown in
    place): a decision corrected that way counts as corrected."""
    tallies = [Tally() for _ in buckets]
    if not buckets:
        return tallies
    base = _led_by(discussions(buckets[0].start, buckets[-1].end), agency_id).annotate(
        recorded=Case(
            When(DECISION_RECORDED, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )
    per_day = (
        base.order_by()
        .values("meeting__date")
        .annotate(
            total=Count("pk"),
            done=Sum(Case(When(recorded=True, then=1), default=0, output_field=IntegerField())),
        )
    )
    for row in per_day:
        index = _bucket_of(buckets, row["meeting__date"])
        if index is not None:
            tallies[index].denominator += row["total"]
            tallies[index].numerator += row["done"] or 0
    with_lead = base.annotate(lead_agency=lead_agency_on("case_id", "meeting__date"))
    if want_misses:
        missing = (
            with_lead.filter(Q(recorded=False))
            .order_by("meeting__date", "case__reference")
            .values(*_MISS_FIELDS)
        )
        for row in missing:
            index = _bucket_of(buckets, row["meeting__date"])
            if index is not None:
                tallies[index].misses.append(row)

    # Corrections of the decision by amendment (rare): one query to find them, one more
    # for the discussions they touch.
    corrections: dict[Any, dict[str, Any]] = defaultdict(dict)
    for item_id, name, after in (
        MinutesAmendment.objects.filter(
            field__in=DISCLOSURE_FIELDS, minutes__agenda_item__in=base.values("pk")
        )
        .order_by("at", "pk")
        .values_list("minutes__agenda_item_id", "field", "after")
    ):
        corrections[item_id][name] = after  # the latest amendment wins
    if not corrections:
        return tallies
    rows = with_lead.filter(pk__in=list(corrections)).values(
        *_MISS_FIELDS, "recorded", *(f"minutes__{name}" for name in DISCLOSURE_FIELDS)
    )
    for row in rows:
        index = _bucket_of(buckets, row["meeting__date"])
        if index is None:
            continue
        values = {name: row[f"minutes__{name}"] for name in DISCLOSURE_FIELDS}
        values.update(corrections[row["pk"]])
        now = decision_recorded(values)
        if now == row["recorded"]:
            continue
        tally = tallies[index]
        tally.numerator += 1 if now else -1
        if want_misses:
            tally.misses = [m for m in tally.misses if m["pk"] != row["pk"]]
            if not now:
                miss = {key: row[key] for key in _MISS_FIELDS}
                miss["minutes__disclosure"] = values["disclosure"]
                tally.misses.append(miss)
                tally.misses.sort(key=lambda m: (m["meeting__date"], m["case__reference"]))
    return tallies


# Attendance by each invited agency (J 16.2 (5)) ------------------------------------


def _invited_pairs(
    start: dt.date, end: dt.date, agency_ids: Sequence[int] | None
) -> tuple[str, list[Any]]:
    """SQL for the distinct (case discussion, invited agency) pairs of the period, with
    the meeting's date: an agency is invited to a discussion by a confirmed or sent
    invitation to the whole meeting (standing members) or to that discussion. Two
    invitations of one agency (two officers) make one pair."""
    invitation = Q(meeting__invitations__status__in=ACTIVE_INVITATIONS) & (
        Q(meeting__invitations__agenda_item__isnull=True)
        | Q(meeting__invitations__agenda_item=F("pk"))
    )
    if agency_ids is not None:
        invitation &= Q(meeting__invitations__agency_id__in=agency_ids)
    pairs = (
        discussions(start, end)
        .filter(invitation)
        .order_by()
        .values(
            item_id=F("pk"),
            agency_id=F("meeting__invitations__agency_id"),
            day=F("meeting__date"),
        )
        .distinct()
    )
    sql, params = pairs.query.sql_with_params()
    return sql, list(params)


def _attendance_rows(
    start: dt.date, end: dt.date, statuses: Sequence[str]
) -> tuple[str, list[Any]]:
    """SQL for the attendance recorded at the period's meetings, with these statuses:
    only these rows are hashed for the join, not every year's."""
    rows = (
        Attendance.objects.filter(
            status__in=statuses,
            agenda_item__meeting__date__gte=start,
            agenda_item__meeting__date__lte=end,
        )
        .order_by()
        .values("agenda_item_id", "agency_id", "status")
    )
    sql, params = rows.query.sql_with_params()
    return sql, list(params)


def _as_date(value: Any) -> dt.date:
    # SQLite answers a raw query's dates as text.
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def attendance_tallies(
    *,
    buckets: Sequence[Bucket],
    agency_id: int | None,
    target: Fraction | None = None,
) -> list[Tally]:
    """Per agency: the case discussions it was invited to and those it attended in
    person, by video or phone, or by sending a report (COUNTS_AS_ATTENDED).

    The pairs (a query the ORM builds) are joined to the attendance on both the
    discussion and the agency, which the ORM cannot express, so this one statement is
    written out: a hash join the database makes once, not a lookup per pair. The
    agencies' names are a second query. With a ``target``, the absences of each agency
    below it in a bucket are listed as that bucket's misses (one more query, for the
    cases' references and lead agencies).
    """
    tallies = [Tally() for _ in buckets]
    if not buckets:
        return tallies
    first, last = buckets[0].start, buckets[-1].end
    pairs, pair_params = _invited_pairs(first, last, None if agency_id is None else [agency_id])
    recorded, recorded_params = _attendance_rows(first, last, AttendanceStatus.values)
    counted = ", ".join(["%s"] * len(COUNTS_AS_ATTENDED))
    # One statement: the attended pairs collapse into one row per agency and day, each
    # pair not attended comes back on its own (with what was recorded, if anything).
    # Only SQL the ORM wrote and placeholders go into it; every value is a parameter.
    # The pairs' columns are item_id, agency_id and day.
    sql = (
        "SELECT p.agency_id, p.day, "  # noqa: S608
        f"CASE WHEN a.status IN ({counted}) THEN NULL ELSE p.item_id END, "
        f"CASE WHEN a.status IN ({counted}) THEN 'attended' ELSE a.status END, "
        "COUNT(*) "
        f"FROM ({pairs}) p LEFT JOIN ({recorded}) a "
        "ON a.agenda_item_id = p.item_id AND a.agency_id = p.agency_id "
        "GROUP BY 1, 2, 3, 4"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [*COUNTS_AS_ATTENDED, *COUNTS_AS_ATTENDED, *pair_params, *recorded_params]
        )
        grouped = cursor.fetchall()
    names = dict(
        Agency.objects.filter(pk__in={row[0] for row in grouped}).values_list("pk", "name")
    )
    missed: list[tuple[int, uuid.UUID, int, str | None]] = []
    for member_id, day, item, status, count in grouped:
        index = _bucket_of(buckets, _as_date(day))
        if index is None:
            continue
        key = str(member_id)
        member = tallies[index].members.setdefault(key, Member(id=key, label=names[member_id]))
        member.denominator += count
        if item is None:
            member.numerator += count
        else:
            missed.append((index, uuid.UUID(str(item)), member_id, status))
    for tally in tallies:
        tally.denominator = sum(m.denominator for m in tally.members.values())
        tally.numerator = sum(m.numerator for m in tally.members.values())
    if target is None:
        return tallies
    below = [
        {key for key, m in tally.members.items() if not reaches(m.numerator, m.denominator, target)}
        for tally in tallies
    ]
    missed = [m for m in missed if str(m[2]) in below[m[0]]]
    if not missed:
        return tallies
    details = {
        row["pk"]: row
        for row in AgendaItem.objects.filter(pk__in={item for _, item, _, _ in missed})
        .annotate(lead_agency=lead_agency_on("case_id", "meeting__date"))
        .values(
            "pk",
            "case_id",
            "case__reference",
            "case__nominal_id",
            "lead_agency",
            "meeting_id",
            "meeting__date",
            "meeting__level",
        )
    }
    rows = [
        (
            index,
            {
                **details[item],
                "absent_agency_id": member_id,
                "absent_agency": names[member_id],
                "recorded_status": status,
            },
        )
        for index, item, member_id, status in missed
    ]
    rows.sort(key=lambda r: (r[1]["meeting__date"], r[1]["case__reference"], r[1]["absent_agency"]))
    for index, row in rows:
        tallies[index].misses.append(row)
    return tallies


# Attendance by each SMB seat (J 15, 16.2 (4)) --------------------------------------


def smb_tallies(
    *,
    buckets: Sequence[Bucket],
    agency_id: int | None,
    target: Fraction | None = None,
) -> list[Tally]:
    """Per seat: the SMB meetings held while the seat existed (from the day it was
    created to the day it ended, both included) and those its holder or a deputy
    attended (SMB_COUNTS_AS_ATTENDED). Three queries, whatever the size of the board.

    With a ``target``, the absences of each seat below it are listed as misses.
    """
    tallies = [Tally() for _ in buckets]
    if not buckets:
        return tallies
    first, last = buckets[0].start, buckets[-1].end
    seats = SmbSeat.objects.filter(created_on__lte=last).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=first)
    )
    if agency_id is not None:
        seats = seats.filter(agency_id=agency_id)
    seat_rows = list(
        seats.order_by("position", "title").values_list(
            "pk", "title", "agency__name", "created_on", "ended_on"
        )
    )
    if not seat_rows:
        return tallies
    held = list(
        SmbMeeting.objects.filter(status=SmbMeetingStatus.HELD, date__gte=first, date__lte=last)
        .order_by("date")
        .values_list("pk", "date")
    )
    marks: dict[tuple[Any, Any], str] = {
        (seat_id, meeting_id): status
        for seat_id, meeting_id, status in SmbAttendance.objects.filter(
            meeting__status=SmbMeetingStatus.HELD,
            meeting__date__gte=first,
            meeting__date__lte=last,
        ).values_list("seat_id", "meeting_id", "status")
    }
    absences: list[list[dict[str, Any]]] = [[] for _ in buckets]
    for seat_id, title, agency, created, ended in seat_rows:
        key = str(seat_id)
        for meeting_id, day in held:
            if day < created or (ended is not None and day > ended):
                continue
            index = _bucket_of(buckets, day)
            if index is None:
                continue
            member = tallies[index].members.setdefault(key, Member(id=key, label=title))
            member.denominator += 1
            status = marks.get((seat_id, meeting_id))
            if status in SMB_COUNTS_AS_ATTENDED:
                member.numerator += 1
            else:
                absences[index].append(
                    {
                        "seat_id": key,
                        "seat": title,
                        "agency": agency,
                        "meeting_id": meeting_id,
                        "date": day,
                        "status": status,
                    }
                )
    for tally, missed in zip(tallies, absences, strict=True):
        tally.denominator = sum(m.denominator for m in tally.members.values())
        tally.numerator = sum(m.numerator for m in tally.members.values())
        if target is not None:
            tally.misses = [
                row
                for row in missed
                if not reaches(
                    tally.members[row["seat_id"]].numerator,
                    tally.members[row["seat_id"]].denominator,
                    target,
                )
            ]
    return tallies
