"""Pages for the Strategic Management Board (J 15): the board, its meetings, and each
seat's attendance.

Every view asks the policy first (``SMB_VIEW`` to read: the board, the co-ordinator,
administrators and auditors; ``SMB_MANAGE`` to change: the co-ordinator and
administrators); a refusal answers 403 and is audited by the gate. Then one form and
one service. Nothing here is case data: no nominal is named on these pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from mappa.access.gates import check
from mappa.access.policy import Action, decide
from mappa.common.dates import today
from mappa.common.forms import DateInputWidget, GovukDateField
from mappa.profiles.selectors import current_profile
from mappa.register.forms import apply_service_errors
from mappa.smb import selectors, services
from mappa.smb.forms import (
    CancelForm,
    HolderChangeForm,
    HolderEditForm,
    MeetingForm,
    PeriodForm,
    RecordForm,
    SeatEndForm,
    SeatForm,
)
from mappa.smb.models import SmbMeeting, SmbMeetingStatus, SmbMembership, SmbSeat

DEFAULT_TARGET = 0.9  # J 16.2 (4), used when the profile has no smb_attendance KPI


def _seat(pk: Any) -> SmbSeat:
    seat = selectors.seat_with_holders(pk)
    if seat is None:
        raise Http404("No such seat")
    return seat


def _meeting(pk: Any) -> SmbMeeting:
    meeting = selectors.meeting_detail(pk)
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


def attendance_target() -> float:
    kpi = current_profile().kpi("smb_attendance")
    return float(kpi.target) if kpi is not None else DEFAULT_TARGET


# The board ---------------------------------------------------------------------------


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """J 15.2: the seats in order, each with its agency, minimum grade and holder."""
    check(request, Action.SMB_VIEW)
    day = today()
    current, ended = selectors.board(day)
    return render(
        request,
        "smb/board.html",
        {
            "current": current,
            "ended": ended,
            "today": day,
            "can_manage": bool(decide(request.user, Action.SMB_MANAGE)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def seat_add(request: HttpRequest) -> HttpResponse:
    check(request, Action.SMB_MANAGE)
    form = SeatForm(request.POST or None, initial={"created_on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            seat = services.seat_create(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"The seat {seat.title} has been added")
            return redirect("smb:board")
    return render(request, "smb/seat_form.html", {"form": form, "seat": None})


@login_required
@require_http_methods(["GET", "POST"])
def seat_edit(request: HttpRequest, pk: int) -> HttpResponse:
    check(request, Action.SMB_MANAGE)
    seat = _seat(pk)
    form = SeatForm(
        request.POST or None,
        initial={
            "title": seat.title,
            "agency": seat.agency_id,
            "minimum_grade": seat.minimum_grade,
            "created_on": seat.created_on,
            "position": seat.position,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.seat_update(
                actor=request.user, seat=seat, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The seat has been saved")
            return redirect("smb:board")
    return render(request, "smb/seat_form.html", {"form": form, "seat": seat})


@login_required
@require_http_methods(["GET", "POST"])
def seat_end(request: HttpRequest, pk: int) -> HttpResponse:
    check(request, Action.SMB_MANAGE)
    seat = _seat(pk)
    form = SeatEndForm(request.POST or None, initial={"ended_on": seat.ended_on})
    if request.method == "POST" and form.is_valid():
        try:
            services.seat_end(
                actor=request.user,
                seat=seat,
                ended_on=form.cleaned_data["ended_on"],
                request=request,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"The seat {seat.title} has been ended")
            return redirect("smb:board")
    return render(request, "smb/seat_end.html", {"form": form, "seat": seat})


@login_required
@require_http_methods(["GET", "POST"])
def holder_change(request: HttpRequest, pk: int) -> HttpResponse:
    """A new holder of the seat; the seat keeps its attendance record."""
    check(request, Action.SMB_MANAGE)
    seat = _seat(pk)
    form = HolderChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.holder_change(
                actor=request.user, seat=seat, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, f"{form.cleaned_data['name']} now holds the seat {seat.title}"
            )
            return redirect("smb:board")
    current = next((h for h in seat.holders.all() if h.ended_on is None), None)
    return render(
        request,
        "smb/holder_form.html",
        {"form": form, "seat": seat, "current": current, "holder": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def holder_edit(request: HttpRequest, pk: int, holder: int) -> HttpResponse:
    check(request, Action.SMB_MANAGE)
    seat = _seat(pk)
    record = SmbMembership.objects.filter(pk=holder, seat=seat).first()
    if record is None:
        raise Http404("This seat has no such holder")
    form = HolderEditForm(
        request.POST or None,
        initial={
            "name": record.name,
            "grade": record.grade,
            "user": record.user_id,
            "started_on": record.started_on,
            "ended_on": record.ended_on,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.holder_update(
                actor=request.user, holder=record, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The holder's details have been saved")
            return redirect("smb:board")
    return render(
        request,
        "smb/holder_form.html",
        {"form": form, "seat": seat, "current": None, "holder": record},
    )


# Meetings ----------------------------------------------------------------------------


@login_required
@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Planned, held and cancelled meetings, with a warning for each quarter without a
    meeting held (J 15.1, 15.3: at least quarterly)."""
    check(request, Action.SMB_VIEW)
    day = today()
    every = list(selectors.meetings())
    return render(
        request,
        "smb/meetings.html",
        {
            "planned": sorted(
                (m for m in every if m.status == SmbMeetingStatus.PLANNED), key=lambda m: m.date
            ),
            "past": [m for m in every if m.status != SmbMeetingStatus.PLANNED],
            "warnings": selectors.quarter_warnings(day),
            "chairs": selectors.chair_history(limit=8),
            "can_manage": bool(decide(request.user, Action.SMB_MANAGE)),
            "today": day,
        },
    )


def _typed_date(request: HttpRequest, fallback: dt.date) -> dt.date:
    """The meeting date typed in a POST, if it is a real date: the chairs offered are
    the seats that exist on it."""
    if request.method != "POST":
        return fallback
    field = GovukDateField()
    try:
        typed = field.clean(DateInputWidget().value_from_datadict(request.POST, {}, "date"))
    except ValidationError:
        return fallback
    return typed or fallback


def _chair_context(day: dt.date, exclude: Any = None) -> dict[str, Any]:
    return {
        "chairs": selectors.chair_history(before=day, limit=8),
        "proposed": selectors.proposed_chair(day, exclude=exclude),
    }


@login_required
@require_http_methods(["GET", "POST"])
def meeting_add(request: HttpRequest) -> HttpResponse:
    check(request, Action.SMB_MANAGE)
    # The chair in rotation is proposed for the date typed (or today, before one is).
    on = _typed_date(request, today())
    context = _chair_context(on)
    initial = {"chair_seat": context["proposed"].pk if context["proposed"] else None}
    form = MeetingForm(
        request.POST or None, initial=initial, chair_seats=selectors.chair_seats_on(on)
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                actor=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"The meeting on {meeting.date:%d/%m/%Y} has been added")
            return redirect("smb:meeting_detail", pk=meeting.pk)
    return render(request, "smb/meeting_form.html", {"form": form, "meeting": None, **context})


@login_required
@require_GET
def meeting_detail(request: HttpRequest, pk: Any) -> HttpResponse:
    check(request, Action.SMB_VIEW)
    meeting = _meeting(pk)
    manage = bool(decide(request.user, Action.SMB_MANAGE))
    return render(
        request,
        "smb/meeting_detail.html",
        {
            "meeting": meeting,
            "rows": selectors.attendance_rows(meeting),
            "stray": selectors.stray_attendance(meeting),
            "can_manage": manage and meeting.status != SmbMeetingStatus.CANCELLED,
            "can_cancel": manage and meeting.status == SmbMeetingStatus.PLANNED,
        },
    )


def _refuse_cancelled(request: HttpRequest, meeting: SmbMeeting) -> HttpResponse | None:
    if meeting.status == SmbMeetingStatus.CANCELLED:
        messages.error(request, "This meeting was cancelled and cannot be changed.")
        return redirect("smb:meeting_detail", pk=meeting.pk)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: Any) -> HttpResponse:
    check(request, Action.SMB_MANAGE)
    meeting = _meeting(pk)
    refused = _refuse_cancelled(request, meeting)
    if refused is not None:
        return refused
    form = MeetingForm(
        request.POST or None,
        initial={
            "date": meeting.date,
            "venue": meeting.venue,
            "chair_seat": meeting.chair_seat_id,
            "chair_name": meeting.chair_name,
        },
        chair_seats=selectors.chair_seats_on(_typed_date(request, meeting.date)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(
                actor=request.user, meeting=meeting, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The meeting has been changed")
            return redirect("smb:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "smb/meeting_form.html",
        {"form": form, "meeting": meeting, **_chair_context(meeting.date, exclude=meeting.pk)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_record(request: HttpRequest, pk: Any) -> HttpResponse:
    """Attendance for every seat, the chair and the short minutes; "Save and mark as
    held" marks the meeting held once every seat's attendance is recorded."""
    check(request, Action.SMB_MANAGE)
    meeting = _meeting(pk)
    refused = _refuse_cancelled(request, meeting)
    if refused is not None:
        return refused
    rows = selectors.attendance_rows(meeting)
    initial: dict[str, Any] = {
        "chair_seat": meeting.chair_seat_id,
        "chair_name": meeting.chair_name,
        "minutes": meeting.minutes,
    }
    for row in rows:
        if row.record is not None:
            initial[f"seat_{row.seat.pk}_status"] = row.record.status
            initial[f"seat_{row.seat.pk}_name"] = row.record.attendee_name
    form = RecordForm(
        request.POST or None,
        initial=initial,
        rows=rows,
        chair_seats=selectors.chair_seats_on(meeting.date),
    )
    mark_held = "mark_held" in request.POST
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_record(
                actor=request.user,
                meeting=meeting,
                attendance=form.attendance(),
                chair_seat=form.cleaned_data.get("chair_seat"),
                chair_name=form.cleaned_data.get("chair_name", ""),
                minutes=form.cleaned_data.get("minutes", ""),
                mark_held=mark_held,
                request=request,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if mark_held and meeting.status == SmbMeetingStatus.PLANNED:
                messages.success(request, "The meeting has been marked as held")
            else:
                messages.success(request, "The attendance and minutes have been saved")
            return redirect("smb:meeting_detail", pk=meeting.pk)
    return render(
        request,
        "smb/meeting_record.html",
        {
            "form": form,
            "meeting": meeting,
            "is_held": meeting.status == SmbMeetingStatus.HELD,
            "future": meeting.date > today(),
            "stray": selectors.stray_attendance(meeting),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_cancel(request: HttpRequest, pk: Any) -> HttpResponse:
    check(request, Action.SMB_MANAGE)
    meeting = _meeting(pk)
    if meeting.status != SmbMeetingStatus.PLANNED:
        messages.error(
            request,
            f"Only a planned meeting can be cancelled: this one is "
            f"{meeting.get_status_display().lower()}.",
        )
        return redirect("smb:meeting_detail", pk=meeting.pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(
                actor=request.user,
                meeting=meeting,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The meeting has been cancelled")
            return redirect("smb:meeting_detail", pk=meeting.pk)
    return render(request, "smb/meeting_cancel.html", {"form": form, "meeting": meeting})


# Attendance by seat (J 16.2 (4)) -------------------------------------------------------


def default_period(day: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar year to date: Jersey reports by calendar year (J 15.5)."""
    return dt.date(day.year, 1, 1), day


@login_required
@require_GET
def attendance(request: HttpRequest) -> HttpResponse:
    """Each seat's attendance at the meetings held in a period while it existed, against
    the target (the KPI smb_attendance: met only when every seat reaches it)."""
    check(request, Action.SMB_VIEW)
    start, end = default_period(today())
    asked = any(
        f"{name}-{part}" in request.GET
        for name in ("start", "end")
        for part in ("day", "month", "year")
    )
    form = PeriodForm(request.GET if asked else None, initial={"start": start, "end": end})
    rows: list[selectors.SeatAttendance] | None = None
    if asked and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    if not asked or form.is_valid():
        rows = selectors.seat_attendance(start, end)
    target = attendance_target()
    meetings = selectors.held_meetings_between(start, end) if rows is not None else []
    table = [
        {
            "row": row,
            "met": row.met(target),
            "percent": None if row.rate is None else round(row.rate * 100, 1),
        }
        for row in rows or []
    ]
    counted = [t for t in table if t["met"] is not None]
    return render(
        request,
        "smb/attendance.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "table": table,
            "meetings": meetings,
            "target": target,
            "target_percent": round(target * 100),
            "all_met": None if not counted else all(t["met"] for t in counted),
            "shown": rows is not None,
        },
    )
