"""Writes for the Strategic Management Board (J 15). Each is one transaction, audited
inside with the before and after values of what changed.

Rules kept here:
- a seat exists from ``created_on`` to ``ended_on`` (both days included); its holders
  never overlap and lie within those dates;
- a meeting is planned, then held or cancelled. Held needs its date to have come, a
  status for every seat that existed on that day, and a chair from the Police,
  Probation or Prison Service seats (J 15.3) who was there. A held meeting stays
  complete through later corrections; a cancelled one is not changed again;
- attendance before the day of the meeting can only be apologies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from mappa.access.models import Agency
from mappa.audit.services import audit_record, diff_fields
from mappa.common.dates import today
from mappa.smb import selectors
from mappa.smb.models import (
    SMB_COUNTS_AS_ATTENDED,
    SmbAttendance,
    SmbAttendanceStatus,
    SmbMeeting,
    SmbMeetingStatus,
    SmbMembership,
    SmbSeat,
)

ONE_DAY = dt.timedelta(days=1)


def _when(day: dt.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


def _text(value: Any) -> str:
    return " ".join(str(value or "").split())


def _seat_values(seat: SmbSeat) -> dict[str, Any]:
    return {
        "title": seat.title,
        "agency": seat.agency.name if seat.agency_id else None,
        "minimum_grade": seat.minimum_grade,
        "position": seat.position,
        "created_on": seat.created_on,
        "ended_on": seat.ended_on,
    }


def _holder_values(holder: SmbMembership) -> dict[str, Any]:
    return {
        "name": holder.name,
        "grade": holder.grade,
        "user": holder.user.get_username() if holder.user_id and holder.user else None,
        "started_on": holder.started_on,
        "ended_on": holder.ended_on,
    }


def _lock_seat(seat: SmbSeat) -> SmbSeat:
    return SmbSeat.objects.select_for_update().select_related("agency").get(pk=seat.pk)


# Seats ------------------------------------------------------------------------------


def _check_seat(
    *, title: str, agency: Agency | None, minimum_grade: str, created_on: dt.date | None
) -> None:
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = ["Enter the seat, for example Chief Officer, States of Jersey Police"]
    if agency is None:
        errors["agency"] = ["Select the agency"]
    if not minimum_grade:
        errors["minimum_grade"] = ["Enter the minimum grade for the seat (J 15.2)"]
    if created_on is None:
        errors["created_on"] = ["Enter the date the seat was created"]
    if errors:
        raise ValidationError(errors)


def _check_seat_dates(seat: SmbSeat) -> None:
    """The seat's dates against what is already recorded for it."""
    if seat.ended_on is not None and seat.ended_on < seat.created_on:
        raise ValidationError(
            {
                "ended_on": [
                    "The end date must be the same as or after the date the seat was created"
                ]
            }
        )
    if seat.pk is None:
        return
    outside = SmbAttendance.objects.filter(seat=seat).exclude(
        meeting__status=SmbMeetingStatus.CANCELLED
    )
    early = outside.filter(meeting__date__lt=seat.created_on).order_by("meeting__date").first()
    if early is not None:
        raise ValidationError(
            {
                "created_on": [
                    f"The seat's attendance is recorded at the meeting on "
                    f"{_when(early.meeting.date)}, before that date"
                ]
            }
        )
    if seat.ended_on is not None:
        late = outside.filter(meeting__date__gt=seat.ended_on).order_by("meeting__date").first()
        if late is not None:
            raise ValidationError(
                {
                    "ended_on": [
                        f"The seat's attendance is recorded at the meeting on "
                        f"{_when(late.meeting.date)}, after that date"
                    ]
                }
            )
        chairing = (
            SmbMeeting.objects.filter(chair_seat=seat, date__gt=seat.ended_on)
            .exclude(status=SmbMeetingStatus.CANCELLED)
            .order_by("date")
            .first()
        )
        if chairing is not None:
            raise ValidationError(
                {
                    "ended_on": [
                        f"The seat chairs the meeting on {_when(chairing.date)}, after that "
                        "date. Choose another chair for that meeting first"
                    ]
                }
            )
    first = seat.holders.order_by("started_on").first()
    if first is not None and first.started_on < seat.created_on:
        raise ValidationError(
            {
                "created_on": [
                    f"{first.name} held the seat from {_when(first.started_on)}, before that date"
                ]
            }
        )


@transaction.atomic
def seat_create(
    *,
    actor: Any,
    title: str,
    agency: Agency | None,
    minimum_grade: str,
    created_on: dt.date | None,
    position: int | None = None,
    request: Any = None,
) -> SmbSeat:
    """Add a seat to the board (J 15.2), last in the board's order unless placed."""
    title, minimum_grade = _text(title), _text(minimum_grade)
    _check_seat(title=title, agency=agency, minimum_grade=minimum_grade, created_on=created_on)
    assert created_on is not None and agency is not None
    if position is None:
        position = (SmbSeat.objects.aggregate(last=Max("position"))["last"] or 0) + 1
    seat = SmbSeat(
        title=title,
        agency=agency,
        minimum_grade=minimum_grade,
        position=position,
        created_on=created_on,
    )
    _check_seat_dates(seat)
    seat.save()
    audit_record(
        actor=actor,
        action="smb_seat.create",
        obj=seat,
        changes={k: [None, v] for k, v in _seat_values(seat).items()},
        request=request,
    )
    return seat


@transaction.atomic
def seat_update(
    *,
    actor: Any,
    seat: SmbSeat,
    title: str,
    agency: Agency | None,
    minimum_grade: str,
    created_on: dt.date | None,
    position: int | None = None,
    request: Any = None,
) -> SmbSeat:
    """Correct a seat's details. Its attendance record stays with it (J 16.2 (4))."""
    seat = _lock_seat(seat)
    before = _seat_values(seat)
    title, minimum_grade = _text(title), _text(minimum_grade)
    _check_seat(title=title, agency=agency, minimum_grade=minimum_grade, created_on=created_on)
    assert created_on is not None and agency is not None
    seat.title, seat.agency, seat.minimum_grade = title, agency, minimum_grade
    seat.created_on = created_on
    if position is not None:
        seat.position = position
    _check_seat_dates(seat)
    changes = diff_fields(before, _seat_values(seat))
    if not changes:
        return seat
    seat.save()
    audit_record(actor=actor, action="smb_seat.update", obj=seat, changes=changes, request=request)
    return seat


@transaction.atomic
def seat_end(
    *, actor: Any, seat: SmbSeat, ended_on: dt.date | None, request: Any = None
) -> SmbSeat:
    """End a seat on ``ended_on`` (its last day). Its current holder's term ends then
    too; no later meeting counts for the seat."""
    seat = _lock_seat(seat)
    if ended_on is None:
        raise ValidationError({"ended_on": ["Enter the date the seat ended"]})
    before = _seat_values(seat)
    seat.ended_on = ended_on
    if ended_on < seat.created_on:
        raise ValidationError(
            {
                "ended_on": [
                    "The end date must be the same as or after the date the seat was created"
                ]
            }
        )
    later = seat.holders.filter(started_on__gt=ended_on).order_by("started_on").first()
    if later is not None:
        raise ValidationError(
            {
                "ended_on": [
                    f"{later.name} holds the seat from {_when(later.started_on)}, after that date"
                ]
            }
        )
    _check_seat_dates(seat)
    seat.save(update_fields=["ended_on"])
    ended_holders = []
    for holder in seat.holders.filter(started_on__lte=ended_on).select_related("user"):
        if holder.ended_on is None or holder.ended_on > ended_on:
            holder_before = _holder_values(holder)
            holder.ended_on = ended_on
            holder.save(update_fields=["ended_on"])
            ended_holders.append(
                {"holder": holder.name, **diff_fields(holder_before, _holder_values(holder))}
            )
    audit_record(
        actor=actor,
        action="smb_seat.end",
        obj=seat,
        changes=diff_fields(before, _seat_values(seat)),
        detail={"holders_ended": ended_holders},
        request=request,
    )
    return seat


# Holders ----------------------------------------------------------------------------


def _check_holder(seat: SmbSeat, holder: SmbMembership) -> None:
    errors: dict[str, list[str]] = {}
    if not holder.name:
        errors["name"] = ["Enter the name of the person who holds the seat"]
    if holder.started_on is None:
        errors["started_on"] = ["Enter the date they started"]
    if errors:
        raise ValidationError(errors)
    if holder.started_on < seat.created_on:
        raise ValidationError(
            {
                "started_on": [
                    f"The start date must be the same as or after the date the seat was created, "
                    f"{_when(seat.created_on)}"
                ]
            }
        )
    if seat.ended_on is not None and holder.started_on > seat.ended_on:
        raise ValidationError(
            {"started_on": [f"The seat ended on {_when(seat.ended_on)}, before that date"]}
        )
    if holder.ended_on is not None:
        if holder.ended_on < holder.started_on:
            raise ValidationError(
                {"ended_on": ["The end date must be the same as or after the start date"]}
            )
        if seat.ended_on is not None and holder.ended_on > seat.ended_on:
            raise ValidationError(
                {"ended_on": [f"The seat ended on {_when(seat.ended_on)}, before that date"]}
            )
    others = seat.holders.exclude(pk=holder.pk) if holder.pk else seat.holders.all()
    for other in others:
        other_end = other.ended_on or dt.date.max
        own_end = holder.ended_on or dt.date.max
        if other.started_on <= own_end and holder.started_on <= other_end:
            until = f" to {_when(other.ended_on)}" if other.ended_on else " with no end date"
            raise ValidationError(
                {
                    "started_on": [
                        f"{other.name} held the seat from {_when(other.started_on)}{until}: "
                        "holders of a seat cannot overlap"
                    ]
                }
            )


@transaction.atomic
def holder_change(
    *,
    actor: Any,
    seat: SmbSeat,
    name: str,
    started_on: dt.date | None,
    grade: str = "",
    user: Any = None,
    request: Any = None,
) -> SmbMembership:
    """A new holder of the seat from ``started_on``; the current holder's term ends the
    day before. The seat, and so its attendance record, is unchanged (J 16.2 (4))."""
    seat = _lock_seat(seat)
    name, grade = _text(name), _text(grade)
    missing: dict[str, list[str]] = {}
    if not name:
        missing["name"] = ["Enter the name of the person who holds the seat"]
    if started_on is None:
        missing["started_on"] = ["Enter the date they started"]
    if missing:
        raise ValidationError(missing)
    assert started_on is not None
    current = (
        seat.holders.filter(ended_on__isnull=True).select_related("user").order_by("-started_on")
    ).first()
    previous_values = None
    if current is not None:
        if started_on <= current.started_on:
            raise ValidationError(
                {
                    "started_on": [
                        f"The start date must be after {_when(current.started_on)}, when "
                        f"{current.name} started"
                    ]
                }
            )
        previous_values = _holder_values(current)
        current.ended_on = started_on - ONE_DAY
        current.save(update_fields=["ended_on"])
    holder = SmbMembership(seat=seat, name=name, grade=grade, user=user, started_on=started_on)
    _check_holder(seat, holder)
    holder.save()
    detail: dict[str, Any] = {"seat": seat.title}
    if current is not None and previous_values is not None:
        detail["previous_holder"] = {
            "name": current.name,
            **diff_fields(previous_values, _holder_values(current)),
        }
    audit_record(
        actor=actor,
        action="smb_holder.change",
        obj=holder,
        changes={k: [None, v] for k, v in _holder_values(holder).items()},
        detail=detail,
        request=request,
    )
    return holder


@transaction.atomic
def holder_update(
    *,
    actor: Any,
    holder: SmbMembership,
    name: str,
    started_on: dt.date | None,
    ended_on: dt.date | None,
    grade: str = "",
    user: Any = None,
    request: Any = None,
) -> SmbMembership:
    """Correct a holder's name, grade, account or dates."""
    seat = _lock_seat(holder.seat)
    holder = SmbMembership.objects.select_related("user").get(pk=holder.pk)
    before = _holder_values(holder)
    if started_on is None:
        raise ValidationError({"started_on": ["Enter the date they started"]})
    holder.name, holder.grade, holder.user = _text(name), _text(grade), user
    holder.started_on, holder.ended_on = started_on, ended_on
    _check_holder(seat, holder)
    changes = diff_fields(before, _holder_values(holder))
    if not changes:
        return holder
    holder.save()
    audit_record(
        actor=actor,
        action="smb_holder.update",
        obj=holder,
        changes=changes,
        detail={"seat": seat.title},
        request=request,
    )
    return holder


# Meetings ---------------------------------------------------------------------------


def _meeting_values(meeting: SmbMeeting) -> dict[str, Any]:
    return {
        "date": meeting.date,
        "venue": meeting.venue,
        "status": meeting.status,
        "chair_seat": meeting.chair_seat.title
        if meeting.chair_seat_id and meeting.chair_seat
        else None,
        "chair_name": meeting.chair_name,
        "minutes": meeting.minutes,
        "cancel_reason": meeting.cancel_reason,
    }


def _attendance_values(meeting: SmbMeeting) -> dict[str, Any]:
    return {
        f"attendance: {a.seat.title}": {"status": a.status, "name": a.attendee_name}
        for a in SmbAttendance.objects.filter(meeting=meeting).select_related("seat")
    }


def _lock_meeting(meeting: SmbMeeting) -> SmbMeeting:
    return SmbMeeting.objects.select_for_update().get(pk=meeting.pk)


def _check_chair(chair_seat: SmbSeat | None, day: dt.date) -> None:
    if chair_seat is None:
        return
    if chair_seat.pk not in {s.pk for s in selectors.chair_seats_on(day)}:
        raise ValidationError(
            {
                "chair_seat": [
                    "The chair must be a seat of the Police, Probation or Prison Service that "
                    "exists on the date of the meeting (J 15.3)"
                ]
            }
        )


def _refuse_if_cancelled(meeting: SmbMeeting) -> None:
    if meeting.status == SmbMeetingStatus.CANCELLED:
        raise ValidationError("This meeting was cancelled and cannot be changed.")


@transaction.atomic
def meeting_create(
    *,
    actor: Any,
    date: dt.date | None,
    venue: str = "",
    chair_seat: SmbSeat | None = None,
    chair_name: str = "",
    request: Any = None,
) -> SmbMeeting:
    """Plan a board meeting (J 15.3: at least quarterly)."""
    if date is None:
        raise ValidationError({"date": ["Enter the date of the meeting"]})
    _check_chair(chair_seat, date)
    meeting = SmbMeeting.objects.create(
        date=date, venue=_text(venue), chair_seat=chair_seat, chair_name=_text(chair_name)
    )
    audit_record(
        actor=actor,
        action="smb_meeting.create",
        obj=meeting,
        changes={k: [None, v] for k, v in _meeting_values(meeting).items() if v},
        request=request,
    )
    return meeting


@dataclass(frozen=True)
class AttendanceEntry:
    status: str  # "" when nothing is recorded
    name: str = ""


def _held_problems(meeting: SmbMeeting) -> dict[str, list[str]]:
    """What stops ``meeting`` (as saved) being held, by field; empty when nothing."""
    problems: dict[str, list[str]] = {}
    if meeting.date > today():
        problems["date"] = ["A meeting cannot be marked as held before its date"]
    rows = selectors.attendance_rows(
        SmbMeeting.objects.prefetch_related("attendance").get(pk=meeting.pk)
    )
    for row in rows:
        if row.record is None:
            problems.setdefault(f"seat_{row.seat.pk}_status", []).append(
                f"Select how {row.seat.title} took part"
            )
    for stray in selectors.stray_attendance(
        SmbMeeting.objects.prefetch_related("attendance__seat").get(pk=meeting.pk)
    ):
        problems.setdefault("date", []).append(
            f"{stray.seat.title} did not exist on the date of the meeting, but its attendance "
            "is recorded"
        )
    if meeting.chair_seat_id is None:
        problems["chair_seat"] = ["Select the seat that chaired the meeting"]
    else:
        chair = next((r for r in rows if r.seat.pk == meeting.chair_seat_id), None)
        if (
            chair is not None
            and chair.record is not None
            and (chair.record.status not in SMB_COUNTS_AS_ATTENDED)
        ):
            problems["chair_seat"] = [
                f"{chair.seat.title} chaired the meeting, so cannot be recorded as "
                f"{chair.record.get_status_display().lower()}"
            ]
    return problems


@transaction.atomic
def meeting_update(
    *,
    actor: Any,
    meeting: SmbMeeting,
    date: dt.date | None,
    venue: str = "",
    chair_seat: SmbSeat | None = None,
    chair_name: str = "",
    request: Any = None,
) -> SmbMeeting:
    """Change the date, venue or chair. A held meeting must stay complete on its new
    date; a cancelled one is not changed."""
    meeting = _lock_meeting(meeting)
    _refuse_if_cancelled(meeting)
    if date is None:
        raise ValidationError({"date": ["Enter the date of the meeting"]})
    before = _meeting_values(meeting)
    _check_chair(chair_seat, date)
    meeting.date, meeting.venue = date, _text(venue)
    meeting.chair_seat, meeting.chair_name = chair_seat, _text(chair_name)
    meeting.save()
    if meeting.status == SmbMeetingStatus.HELD:
        problems = _held_problems(meeting)
        if problems:
            raise ValidationError(problems)
    changes = diff_fields(before, _meeting_values(meeting))
    if changes:
        audit_record(
            actor=actor, action="smb_meeting.update", obj=meeting, changes=changes, request=request
        )
    return meeting


@transaction.atomic
def meeting_record(
    *,
    actor: Any,
    meeting: SmbMeeting,
    attendance: Mapping[int, AttendanceEntry],
    chair_seat: SmbSeat | None,
    chair_name: str = "",
    minutes: str = "",
    mark_held: bool = False,
    request: Any = None,
) -> SmbMeeting:
    """Record who took part for each seat (keyed by seat id), the chair and the short
    minutes; with ``mark_held``, mark the meeting held.

    While planned, attendance may be partly recorded and saved; before the meeting's
    day only apologies can be. Marking held (or saving a held meeting) needs every
    seat's attendance and a chair who was there. "Attended" without a name takes the
    seat's holder on the day; a deputy must be named (J 15.2: a deputy of the minimum
    grade).
    """
    meeting = _lock_meeting(meeting)
    _refuse_if_cancelled(meeting)
    before = {**_meeting_values(meeting), **_attendance_values(meeting)}
    rows = {
        row.seat.pk: row
        for row in selectors.attendance_rows(
            SmbMeeting.objects.prefetch_related("attendance").get(pk=meeting.pk)
        )
    }
    errors: dict[str, list[str]] = {}
    future = meeting.date > today()
    for seat_id, entry in attendance.items():
        row = rows.get(seat_id)
        if row is None:
            raise ValidationError("One of the seats did not exist on the date of the meeting.")
        key = f"seat_{seat_id}"
        if entry.status and entry.status not in SmbAttendanceStatus.values:
            errors[f"{key}_status"] = [f"Select how {row.seat.title} took part"]
        elif future and entry.status and entry.status != SmbAttendanceStatus.APOLOGIES:
            errors[f"{key}_status"] = [
                f"{row.seat.title}: before the day of the meeting only apologies can be recorded"
            ]
        elif entry.status == SmbAttendanceStatus.DEPUTY and not _text(entry.name):
            errors[f"{key}_name"] = [
                f"Enter the name of the deputy who attended for {row.seat.title}"
            ]
        elif (
            entry.status == SmbAttendanceStatus.ATTENDED
            and not _text(entry.name)
            and row.holder is None
        ):
            errors[f"{key}_name"] = [
                f"Enter the name of the person who attended for {row.seat.title}: the seat "
                "had no holder on that date"
            ]
    if errors:
        raise ValidationError(errors)
    _check_chair(chair_seat, meeting.date)
    for seat_id, entry in attendance.items():
        row = rows[seat_id]
        name = _text(entry.name)
        if entry.status == SmbAttendanceStatus.ATTENDED and not name and row.holder is not None:
            name = row.holder.name
        if not entry.status:
            SmbAttendance.objects.filter(meeting=meeting, seat_id=seat_id).delete()
            continue
        SmbAttendance.objects.update_or_create(
            meeting=meeting,
            seat_id=seat_id,
            defaults={"status": entry.status, "attendee_name": name},
        )
    meeting.chair_seat = chair_seat
    meeting.chair_name = _text(chair_name)
    if chair_seat is not None and not meeting.chair_name:
        chosen = SmbAttendance.objects.filter(meeting=meeting, seat=chair_seat).first()
        if chosen is not None and chosen.status in SMB_COUNTS_AS_ATTENDED:
            meeting.chair_name = chosen.attendee_name
    meeting.minutes = str(minutes or "").strip()
    if mark_held:
        meeting.status = SmbMeetingStatus.HELD
    meeting.save()
    if meeting.status == SmbMeetingStatus.HELD:
        problems = _held_problems(meeting)
        if problems:
            raise ValidationError(problems)
    changes = diff_fields(before, {**_meeting_values(meeting), **_attendance_values(meeting)})
    if changes:
        audit_record(
            actor=actor,
            action="smb_meeting.held"
            if mark_held and before["status"] != meeting.status
            else ("smb_meeting.record"),
            obj=meeting,
            changes=changes,
            request=request,
        )
    return meeting


@transaction.atomic
def meeting_cancel(
    *, actor: Any, meeting: SmbMeeting, reason: str, request: Any = None
) -> SmbMeeting:
    """Cancel a planned meeting, with the reason. It no longer counts anywhere."""
    meeting = _lock_meeting(meeting)
    if meeting.status != SmbMeetingStatus.PLANNED:
        raise ValidationError(
            f"Only a planned meeting can be cancelled: this one is {meeting.get_status_display().lower()}."
        )
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["Enter the reason the meeting was cancelled"]})
    before = _meeting_values(meeting)
    meeting.status = SmbMeetingStatus.CANCELLED
    meeting.cancel_reason = reason
    meeting.save(update_fields=["status", "cancel_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="smb_meeting.cancel",
        obj=meeting,
        changes=diff_fields(before, _meeting_values(meeting)),
        request=request,
    )
    return meeting
