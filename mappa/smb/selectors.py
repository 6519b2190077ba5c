"""Reads for the Strategic Management Board (J 15): the board, meetings, chair rotation,
quarters without a meeting, and each seat's attendance (the KPI ``smb_attendance``).

A seat exists on a day from ``created_on`` to ``ended_on``, both included. A meeting
counts for a seat when it was held on a day the seat existed; a cancelled or planned
meeting never counts (J 16.2 (4): "attendance ... at the SMB quarterly meetings").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.db.models import (
    Count,
    DateField,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from mappa.access.models import AgencyKind
from mappa.smb.models import (
    SMB_COUNTS_AS_ATTENDED,
    SmbAttendance,
    SmbMeeting,
    SmbMeetingStatus,
    SmbMembership,
    SmbSeat,
)

# J 15.3: "chaired by a senior member of the Police, Probation or Prison Service".
CHAIR_AGENCY_KINDS = (AgencyKind.POLICE, AgencyKind.PROBATION, AgencyKind.PRISON)


def seats_on(day: dt.date) -> QuerySet[SmbSeat]:
    """The seats that existed on ``day``, in the board's order."""
    return (
        SmbSeat.objects.filter(created_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .select_related("agency")
        .order_by("position", "title")
    )


def chair_seats_on(day: dt.date) -> QuerySet[SmbSeat]:
    """The seats that may chair a meeting on ``day`` (J 15.3)."""
    return seats_on(day).filter(agency__kind__in=CHAIR_AGENCY_KINDS)


def holder_on(seat: SmbSeat, day: dt.date) -> SmbMembership | None:
    """Who held the seat on ``day``, from holders already prefetched on the seat."""
    for holder in seat.holders.all():
        if holder.started_on <= day and (holder.ended_on is None or holder.ended_on >= day):
            return holder
    return None


@dataclass(frozen=True)
class BoardSeat:
    seat: SmbSeat
    holder: SmbMembership | None
    holders: list[SmbMembership]


def board(on: dt.date) -> tuple[list[BoardSeat], list[BoardSeat]]:
    """The seats in order with their holder on ``on``: those current (or not yet
    started) and those ended before ``on``. Two queries whatever the board's history."""
    seats = (
        SmbSeat.objects.select_related("agency")
        .prefetch_related(
            Prefetch(
                "holders",
                queryset=SmbMembership.objects.select_related("user").order_by("-started_on"),
            )
        )
        .order_by("position", "title")
    )
    current: list[BoardSeat] = []
    ended: list[BoardSeat] = []
    for seat in seats:
        row = BoardSeat(seat=seat, holder=holder_on(seat, on), holders=list(seat.holders.all()))
        (ended if seat.ended_on is not None and seat.ended_on < on else current).append(row)
    return current, ended


def seat_with_holders(pk: Any) -> SmbSeat | None:
    return (
        SmbSeat.objects.select_related("agency")
        .prefetch_related(
            Prefetch(
                "holders",
                queryset=SmbMembership.objects.select_related("user").order_by("-started_on"),
            )
        )
        .filter(pk=pk)
        .first()
    )


def meetings(
    *, start: dt.date | None = None, end: dt.date | None = None, status: str = ""
) -> QuerySet[SmbMeeting]:
    """Meetings newest first, with their chair's seat and a count of who attended."""
    found = SmbMeeting.objects.select_related("chair_seat__agency").annotate(
        attended=Count("attendance", filter=Q(attendance__status__in=SMB_COUNTS_AS_ATTENDED)),
        recorded=Count("attendance"),
    )
    if start is not None:
        found = found.filter(date__gte=start)
    if end is not None:
        found = found.filter(date__lte=end)
    if status:
        found = found.filter(status=status)
    return found.order_by("-date", "-created_at")


def meetings_with_attendance(
    *, start: dt.date | None = None, end: dt.date | None = None, status: str = ""
) -> QuerySet[SmbMeeting]:
    """As ``meetings``, with every attendance row and its seat prefetched (the API)."""
    return meetings(start=start, end=end, status=status).prefetch_related(
        Prefetch(
            "attendance",
            queryset=SmbAttendance.objects.select_related("seat__agency").order_by(
                "seat__position", "seat__title"
            ),
        )
    )


def meeting_detail(pk: Any) -> SmbMeeting | None:
    return (
        SmbMeeting.objects.select_related("chair_seat__agency")
        .prefetch_related(
            Prefetch("attendance", queryset=SmbAttendance.objects.select_related("seat"))
        )
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class AttendanceRow:
    """One seat at one meeting: the seat, who held it then, and what was recorded."""

    seat: SmbSeat
    holder: SmbMembership | None
    record: SmbAttendance | None


def attendance_rows(meeting: SmbMeeting) -> list[AttendanceRow]:
    """Every seat that existed on the meeting's date, with its holder then and its
    attendance (None where nothing is recorded yet). Three queries."""
    records = {a.seat_id: a for a in meeting.attendance.all()}
    seats = seats_on(meeting.date).prefetch_related(
        Prefetch("holders", queryset=SmbMembership.objects.order_by("-started_on"))
    )
    return [
        AttendanceRow(seat=seat, holder=holder_on(seat, meeting.date), record=records.get(seat.pk))
        for seat in seats
    ]


def stray_attendance(meeting: SmbMeeting) -> list[SmbAttendance]:
    """Attendance recorded for seats that did not exist on the meeting's date (after
    its date changed, or a seat's dates were corrected)."""
    on = {s.pk for s in seats_on(meeting.date)}
    return [a for a in meeting.attendance.all() if a.seat_id not in on]


# Chair rotation (J 15.3) ------------------------------------------------------------


def chair_history(*, before: dt.date | None = None, limit: int = 8) -> list[SmbMeeting]:
    """The latest meetings that were not cancelled and had a chair, newest first."""
    found = (
        SmbMeeting.objects.exclude(status=SmbMeetingStatus.CANCELLED)
        .filter(chair_seat__isnull=False)
        .select_related("chair_seat__agency")
    )
    if before is not None:
        found = found.filter(date__lt=before)
    return list(found.order_by("-date", "-created_at")[:limit])


def proposed_chair(day: dt.date, *, exclude: Any = None) -> SmbSeat | None:
    """The next chair in rotation for a meeting on ``day``.

    J 15.3: the chair rotates between the agencies of the Police, Probation and Prison
    Service seats. The proposal is the first such seat, in the board's order, after the
    seat that chaired the latest earlier meeting (wrapping round), skipping seats of
    the same agency so that the chair passes to another agency. With no earlier chair,
    the first such seat.
    """
    eligible = list(chair_seats_on(day))
    if not eligible:
        return None
    earlier = SmbMeeting.objects.exclude(status=SmbMeetingStatus.CANCELLED).filter(
        chair_seat__isnull=False, date__lt=day
    )
    if exclude is not None:
        earlier = earlier.exclude(pk=exclude)
    last = earlier.select_related("chair_seat").order_by("-date", "-created_at").first()
    if last is None or last.chair_seat is None:
        return eligible[0]
    previous = last.chair_seat
    order = [(s.position, s.title, s.pk) for s in eligible]
    key = (previous.position, previous.title, previous.pk)
    after = [s for s, k in zip(eligible, order, strict=True) if k > key]
    before = [s for s, k in zip(eligible, order, strict=True) if k <= key]
    for seat in after + before:
        if seat.agency_id != previous.agency_id:
            return seat
    return (after + before)[0]


# Quarters (J 15.1: "on at least a quarterly basis") ---------------------------------


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        if self.number == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.number + 1, 1) - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.start:%B} to {self.end:%B %Y}"

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    @classmethod
    def of(cls, day: dt.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)


@dataclass(frozen=True)
class QuarterWarning:
    quarter: Quarter
    current: bool  # the quarter is still running: nothing held yet and none planned
    message: str


def quarter_warnings(today: dt.date, *, quarters: int = 8) -> list[QuarterWarning]:
    """Calendar quarters with no meeting held, newest first: the last ``quarters``
    complete quarters since the board had a seat or a meeting, and the running quarter
    when no meeting has been held in it and none is planned. One query each for the
    board's start and the meetings."""
    first_seat = SmbSeat.objects.order_by("created_on").values_list("created_on", flat=True).first()
    first_meeting = SmbMeeting.objects.order_by("date").values_list("date", flat=True).first()
    starts = [d for d in (first_seat, first_meeting) if d is not None]
    if not starts:
        return []
    board_start = Quarter.of(min(starts))
    running = Quarter.of(today)
    oldest = running
    for _ in range(quarters):
        if oldest.previous().start < board_start.start:
            break
        oldest = oldest.previous()
    rows = SmbMeeting.objects.filter(date__gte=oldest.start, date__lte=running.end).exclude(
        status=SmbMeetingStatus.CANCELLED
    )
    held: set[Quarter] = set()
    planned: set[Quarter] = set()
    for day, status in rows.values_list("date", "status"):
        (held if status == SmbMeetingStatus.HELD else planned).add(Quarter.of(day))
    warnings: list[QuarterWarning] = []
    if running not in held and running not in planned:
        warnings.append(
            QuarterWarning(
                running,
                True,
                f"No meeting has been held or planned in {running.label}. The board meets at "
                "least quarterly (J 15.1).",
            )
        )
    quarter = running.previous()
    while quarter.start >= oldest.start:
        if quarter not in held:
            warnings.append(
                QuarterWarning(
                    quarter,
                    False,
                    f"No meeting was held in {quarter.label}. The board meets at least "
                    "quarterly (J 15.1).",
                )
            )
        quarter = quarter.previous()
    return warnings


# Attendance by seat (J 16.2 (4); the KPI smb_attendance) ----------------------------


@dataclass(frozen=True)
class SeatAttendance:
    """One seat's attendance over a period: meetings held while it existed, how many
    it attended (itself or by a deputy), how many have no attendance recorded."""

    seat_id: int
    title: str
    agency: str
    agency_id: int
    minimum_grade: str
    created_on: dt.date
    ended_on: dt.date | None
    held: int
    attended: int
    not_recorded: int

    @property
    def rate(self) -> float | None:
        """attended / held as a fraction (0.9), None when no meeting was held."""
        return self.attended / self.held if self.held else None

    def met(self, target: float) -> bool | None:
        """Whether the rate reaches ``target``, in exact arithmetic: 9 of 10 meets 0.9."""
        if not self.held:
            return None
        return Fraction(self.attended, self.held) >= Fraction(str(target))


def _count(queryset: QuerySet[Any]) -> Any:
    """A correlated COUNT(*) of ``queryset`` as an integer expression (0 when none)."""
    # COUNT as a plain function, not an aggregate: no GROUP BY, one row.
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted[:1], output_field=IntegerField()), Value(0))


def seat_attendance(
    start: dt.date, end: dt.date, *, agency_id: int | None = None
) -> list[SeatAttendance]:
    """Each seat's attendance at the meetings held from ``start`` to ``end`` inclusive
    while the seat existed, computed in one query by the database.

    ``attended`` counts SMB_COUNTS_AS_ATTENDED (the member or a named deputy, J 15.2);
    a meeting held without a row for the seat counts as held and not attended, and is
    counted in ``not_recorded``. Seats that did not exist at any time in the period are
    left out; a seat that existed but saw no meeting held has ``held`` 0 and no rate.
    Callers check that ``end`` is not before ``start``.
    """
    seats = SmbSeat.objects.filter(created_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    )
    if agency_id is not None:
        seats = seats.filter(agency_id=agency_id)
    # The part of the period the seat existed: from the later start to the earlier end.
    seats = seats.annotate(
        until=Coalesce("ended_on", Value(end, output_field=DateField())),
    )
    held_meetings = SmbMeeting.objects.filter(
        status=SmbMeetingStatus.HELD,
        date__gte=start,
        date__lte=end,
    ).filter(date__gte=OuterRef("created_on"), date__lte=OuterRef("until"))
    rows = SmbAttendance.objects.filter(
        seat=OuterRef("pk"),
        meeting__status=SmbMeetingStatus.HELD,
        meeting__date__gte=start,
        meeting__date__lte=end,
    ).filter(meeting__date__gte=OuterRef("created_on"), meeting__date__lte=OuterRef("until"))
    seats = seats.annotate(
        held=_count(held_meetings),
        attended=_count(rows.filter(status__in=SMB_COUNTS_AS_ATTENDED)),
        recorded=_count(rows),
    ).select_related("agency")
    return [
        SeatAttendance(
            seat_id=seat.pk,
            title=seat.title,
            agency=seat.agency.name,
            agency_id=seat.agency_id,
            minimum_grade=seat.minimum_grade,
            created_on=seat.created_on,
            ended_on=seat.ended_on,
            held=seat.held,
            attended=seat.attended,
            not_recorded=seat.held - seat.recorded,
        )
        for seat in seats.order_by("position", "title")
    ]


def seat_figures(
    start: dt.date, end: dt.date, target: float, *, agency_id: int | None = None
) -> tuple[Any, ...]:
    """``seat_attendance`` as the KPI engine's SeatFigure rows (id is the seat's id)."""
    from mappa.kpis.engine import SeatFigure

    return tuple(
        SeatFigure(
            id=str(row.seat_id),
            label=row.title,
            numerator=row.attended,
            denominator=row.held,
            value=row.rate,
            met=row.met(target),
        )
        for row in seat_attendance(start, end, agency_id=agency_id)
    )


def held_meetings_between(start: dt.date, end: dt.date) -> list[SmbMeeting]:
    """The meetings held in the period, oldest first."""
    return list(
        SmbMeeting.objects.filter(
            status=SmbMeetingStatus.HELD, date__gte=start, date__lte=end
        ).order_by("date", "created_at")
    )


@dataclass(frozen=True)
class MissedMeeting:
    """A held meeting a seat did not attend: what the KPI lists as failing items."""

    seat_id: int
    seat: str
    agency: str
    meeting_id: Any
    meeting_date: dt.date
    status: str  # "apologies", "absent", or "" when nothing was recorded


def missed_meetings(
    start: dt.date, end: dt.date, *, agency_id: int | None = None
) -> list[MissedMeeting]:
    """Each held meeting in the period that a seat existing that day did not attend,
    by the board's order then date: the same meetings ``seat_attendance`` counts as held
    and not attended. Three queries whatever the period."""
    held = list(
        SmbMeeting.objects.filter(
            status=SmbMeetingStatus.HELD, date__gte=start, date__lte=end
        ).order_by("date", "created_at")
    )
    seats = SmbSeat.objects.filter(created_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    )
    if agency_id is not None:
        seats = seats.filter(agency_id=agency_id)
    seat_list = list(seats.select_related("agency").order_by("position", "title"))
    recorded = {
        (row.meeting_id, row.seat_id): row.status
        for row in SmbAttendance.objects.filter(
            meeting__in=[m.pk for m in held], seat__in=[s.pk for s in seat_list]
        ).only("meeting_id", "seat_id", "status")
    }
    missed: list[MissedMeeting] = []
    for seat in seat_list:
        for meeting in held:
            existed = seat.created_on <= meeting.date and (
                seat.ended_on is None or meeting.date <= seat.ended_on
            )
            status = recorded.get((meeting.pk, seat.pk), "")
            if existed and status not in SMB_COUNTS_AS_ATTENDED:
                missed.append(
                    MissedMeeting(
                        seat_id=seat.pk,
                        seat=seat.title,
                        agency=seat.agency.name,
                        meeting_id=meeting.pk,
                        meeting_date=meeting.date,
                        status=status,
                    )
                )
    return missed
