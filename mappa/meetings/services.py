"""Writes for meetings: the panel schedule, meetings, agendas, invitations, attendance.

Each is one transaction and writes its audit event inside it. Emails go out from a
background task (``mappa.meetings.tasks``) once the transaction commits; an email
that fails leaves its invitation unsent, with the error, for the page to show.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from mappa.access.models import Agency, AgencyKind, Contact, Role, User
from mappa.access.services import case_part_grant_invited
from mappa.audit.services import audit_record, diff_fields
from mappa.common.dates import today
from mappa.meetings import mail, selectors
from mappa.meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    DiscussionKind,
    Invitation,
    InvitationKind,
    InvitationStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    PanelSchedule,
    StandingMember,
    WrittenInformation,
)
from mappa.profiles.calendar import add_months
from mappa.register.models import Alias, Case, CaseState, Nominal

WORKFLOW_ACTOR = "workflow"
# How long a worker's claim on an invitation lasts if it dies while sending.
CLAIM_MINUTES = 10


def _dump(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, dt.time):
            value = value.strftime("%H:%M")
        out[name] = value
    return out


def _fmt(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


# Chairs -------------------------------------------------------------------------------


def chair_candidates() -> Any:
    """J 9.2: level 2 is chaired by the co-ordinator or a middle or senior manager; the
    users holding the chair or co-ordinator role are offered."""
    return (
        User.objects.filter(is_active=True, roles__role__in=(Role.CHAIR, Role.COORDINATOR))
        .distinct()
        .select_related("agency")
        .order_by("last_name", "first_name")
    )


def _check_chair(chair: Any, errors: dict[str, list[str]], *, required: bool = False) -> None:
    if chair is None:
        if required:
            errors.setdefault("chair", []).append("Select the chair")
        return
    if not chair_candidates().filter(pk=chair.pk).exists():
        errors.setdefault("chair", []).append(
            "Select a chair who holds the chair or co-ordinator role (J 9.2)"
        )


def _check_times(
    start_time: dt.time | None, end_time: dt.time | None, errors: dict[str, list[str]]
) -> None:
    if start_time is None:
        errors.setdefault("start_time", []).append("Enter the start time")
    elif end_time is not None and end_time <= start_time:
        errors.setdefault("end_time", []).append("The end time must be after the start time")


def _check_place(venue: str, video_link: str, errors: dict[str, list[str]]) -> None:
    if not venue.strip() and not video_link.strip():
        errors.setdefault("venue", []).append("Enter the venue or a video link")


# The panel schedule (J 10.6) ---------------------------------------------------------


def scheduled_date(year: int, month: int, weekday: int, week_of_month: int) -> dt.date:
    """The ``week_of_month``-th ``weekday`` of the month (5 = the last one)."""
    days_in_month = _calendar.monthrange(year, month)[1]
    if week_of_month == 5:
        last = dt.date(year, month, days_in_month)
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week_of_month - 1))


def schedule_dates(schedule: PanelSchedule, start: dt.date, end: dt.date) -> list[dt.date]:
    """Every day the schedule gives from ``start`` to ``end`` inclusive."""
    found = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        day = scheduled_date(year, month, schedule.weekday, schedule.week_of_month)
        if start <= day <= end:
            found.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


SCHEDULE_FIELDS = (
    "level",
    "week_of_month",
    "weekday",
    "start_time",
    "end_time",
    "venue",
    "video_link",
    "chair_id",
    "active",
)


@transaction.atomic
def panel_schedule_save(
    *,
    actor: Any,
    schedule: PanelSchedule | None = None,
    level: int,
    week_of_month: int,
    weekday: int,
    start_time: dt.time | None,
    end_time: dt.time | None,
    venue: str,
    video_link: str = "",
    chair: Any = None,
    active: bool = True,
    request: Any = None,
) -> PanelSchedule:
    """Add or change a recurring panel day (J 10.6: set days each month)."""
    errors: dict[str, list[str]] = {}
    if level not in (2, 3):
        errors["level"] = ["Select level 2 or level 3"]
    if week_of_month not in (1, 2, 3, 4, 5):
        errors["week_of_month"] = ["Select which week of the month"]
    if weekday not in range(5):
        errors["weekday"] = ["Select a weekday"]
    _check_times(start_time, end_time, errors)
    if not venue.strip():
        errors["venue"] = ["Enter the venue"]
    _check_chair(chair, errors)
    if errors:
        raise ValidationError(errors)
    is_new = schedule is None
    if schedule is None:
        schedule = PanelSchedule()
        before: dict[str, Any] = {}
    else:
        schedule = PanelSchedule.objects.select_for_update().get(pk=schedule.pk)
        before = _dump(schedule, SCHEDULE_FIELDS)
    schedule.level = level
    schedule.week_of_month = week_of_month
    schedule.weekday = weekday
    assert start_time is not None  # checked above
    schedule.start_time = start_time
    schedule.end_time = end_time
    schedule.venue = venue.strip()
    schedule.video_link = video_link.strip()
    schedule.chair = chair
    schedule.active = active
    schedule.save()
    changes = diff_fields(before, _dump(schedule, SCHEDULE_FIELDS))
    if changes:
        audit_record(
            actor=actor,
            action="meeting_schedule.create" if is_new else "meeting_schedule.update",
            obj=schedule,
            changes=changes,
            request=request,
        )
    return schedule


@transaction.atomic
def meetings_generate(
    *, actor: Any, months: int, start: dt.date | None = None, request: Any = None
) -> list[Meeting]:
    """Create the meetings the active schedules give for the coming ``months``.

    Idempotent: a schedule's meeting for a month is made once, even if it was later
    moved to another day or cancelled.
    """
    if not 1 <= months <= 24:
        raise ValidationError({"months": ["Enter a number of months from 1 to 24"]})
    first = start or today()
    last = add_months(first, months)
    created: list[Meeting] = []
    for schedule in PanelSchedule.objects.select_for_update().filter(active=True):
        existing = set(
            Meeting.objects.filter(schedule=schedule, scheduled_for__isnull=False).values_list(
                "scheduled_for", flat=True
            )
        )
        for day in schedule_dates(schedule, first, last):
            if day in existing:
                continue
            created.append(
                Meeting.objects.create(
                    level=schedule.level,
                    kind=MeetingKind.SCHEDULED,
                    date=day,
                    start_time=schedule.start_time,
                    end_time=schedule.end_time,
                    venue=schedule.venue,
                    video_link=schedule.video_link,
                    chair=schedule.chair,
                    schedule=schedule,
                    scheduled_for=day,
                    created_by=actor if getattr(actor, "pk", None) else None,
                )
            )
    if created:
        audit_record(
            actor=actor,
            action="meeting.generate",
            changes={"meetings": [None, [f"L{m.level} {m.date.isoformat()}" for m in created]]},
            detail={"months": months, "from": first, "to": last},
            request=request,
        )
    return created


@transaction.atomic
def standing_member_save(
    *,
    actor: Any,
    member: StandingMember | None = None,
    level: int,
    contact: Contact | None,
    minimum_grade: str,
    active: bool = True,
    request: Any = None,
) -> StandingMember:
    """J 10.7: a standing member of the level's panel, with the grade expected."""
    errors: dict[str, list[str]] = {}
    if level not in (2, 3):
        errors["level"] = ["Select level 2 or level 3"]
    if contact is None:
        errors["contact"] = ["Select the person from the contact directory"]
    elif not contact.email.strip():
        errors["contact"] = [
            f"{contact.name} has no email address in the contact directory: add one first"
        ]
    if not minimum_grade.strip():
        errors["minimum_grade"] = ["Enter the minimum grade for this agency at this level"]
    if contact is not None and level in (2, 3):
        clash = StandingMember.objects.filter(level=level, contact=contact)
        if member is not None:
            clash = clash.exclude(pk=member.pk)
        if clash.exists():
            errors["contact"] = [f"{contact.name} is already a level {level} standing member"]
    if errors:
        raise ValidationError(errors)
    assert contact is not None
    fields = ("level", "agency_id", "contact_id", "minimum_grade", "active")
    is_new = member is None
    if member is None:
        member = StandingMember(added_by=actor if getattr(actor, "pk", None) else None)
        before: dict[str, Any] = {}
    else:
        member = StandingMember.objects.select_for_update().get(pk=member.pk)
        before = _dump(member, fields)
    member.level = level
    member.contact = contact
    member.agency = contact.agency
    member.minimum_grade = minimum_grade.strip()
    member.active = active
    member.save()
    changes = diff_fields(before, _dump(member, fields))
    if changes:
        audit_record(
            actor=actor,
            action="standing_member.create" if is_new else "standing_member.update",
            obj=member,
            changes=changes,
            request=request,
        )
    return member


# Meetings ------------------------------------------------------------------------------

MEETING_FIELDS = ("date", "start_time", "end_time", "venue", "video_link", "chair_id")
# A change to any of these is news to the invitees: a new SEQUENCE and an update.
NOTIFIED_FIELDS = ("date", "start_time", "end_time", "venue", "video_link")


def _enqueue_delivery(meeting: Meeting) -> None:
    from mappa.meetings.tasks import send_meeting_mail

    meeting_id = str(meeting.pk)

    def enqueue() -> None:
        send_meeting_mail.enqueue(meeting_id)

    # After the commit, so the worker sees the rows; robust, so a queue that is down
    # never undoes the change (the page then shows the invitations as not sent). A
    # named function, not a partial: Django logs a robust callback's __qualname__.
    transaction.on_commit(enqueue, robust=True)


@transaction.atomic
def meeting_create(
    *,
    actor: Any,
    level: int,
    date: dt.date | None,
    start_time: dt.time | None,
    end_time: dt.time | None = None,
    venue: str = "",
    video_link: str = "",
    chair: Any = None,
    emergency_reason: str = "",
    case: Case | None = None,
    request: Any = None,
) -> Meeting:
    """An emergency meeting (J 10.4, 10.6), optionally with the case it is for."""
    errors: dict[str, list[str]] = {}
    if level not in (2, 3):
        errors["level"] = ["Select level 2 or level 3"]
    if date is None:
        errors["date"] = ["Enter the date of the meeting"]
    elif date < today():
        errors["date"] = ["The date of the meeting must be today or in the future"]
    _check_times(start_time, end_time, errors)
    _check_place(venue, video_link, errors)
    _check_chair(chair, errors, required=True)
    if not emergency_reason.strip():
        errors["emergency_reason"] = ["Enter why the case cannot wait for the next panel day"]
    if errors:
        raise ValidationError(errors)
    assert date is not None and start_time is not None
    meeting = Meeting.objects.create(
        level=level,
        kind=MeetingKind.EMERGENCY,
        date=date,
        start_time=start_time,
        end_time=end_time,
        venue=venue.strip(),
        video_link=video_link.strip(),
        chair=chair,
        emergency_reason=emergency_reason.strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        actor=actor,
        action="meeting.create",
        obj=meeting,
        changes={
            k: [None, v]
            for k, v in {
                **_dump(meeting, MEETING_FIELDS),
                "level": level,
                "kind": meeting.kind,
                "emergency_reason": meeting.emergency_reason,
            }.items()
        },
        request=request,
    )
    if case is not None:
        agenda_item_add(actor=actor, meeting=meeting, case=case, request=request)
    return meeting


def _require_planned(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("This meeting has been cancelled.")
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError("This meeting has been held and can no longer be changed.")


@transaction.atomic
def meeting_update(
    *,
    actor: Any,
    meeting: Meeting,
    date: dt.date | None,
    start_time: dt.time | None,
    end_time: dt.time | None,
    venue: str,
    video_link: str,
    chair: Any,
    request: Any = None,
) -> Meeting:
    """Change the time, place or chair. Invitees already sent an invitation get an
    update with a higher SEQUENCE."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_planned(meeting)
    errors: dict[str, list[str]] = {}
    if date is None:
        errors["date"] = ["Enter the date of the meeting"]
    elif date < today():
        errors["date"] = ["The date of the meeting must be today or in the future"]
    _check_times(start_time, end_time, errors)
    _check_place(venue, video_link, errors)
    _check_chair(chair, errors)
    if errors:
        raise ValidationError(errors)
    assert date is not None and start_time is not None
    before = _dump(meeting, MEETING_FIELDS)
    meeting.date = date
    meeting.start_time = start_time
    meeting.end_time = end_time
    meeting.venue = venue.strip()
    meeting.video_link = video_link.strip()
    meeting.chair = chair
    changes = diff_fields(before, _dump(meeting, MEETING_FIELDS))
    if not changes:
        return meeting
    notify = any(name in changes for name in NOTIFIED_FIELDS)
    if notify:
        changes["sequence"] = [meeting.sequence, meeting.sequence + 1]
        meeting.sequence += 1
    meeting.save()
    audit_record(
        actor=actor, action="meeting.update", obj=meeting, changes=changes, request=request
    )
    if notify and meeting.invitations.filter(status=InvitationStatus.SENT).exists():
        _enqueue_delivery(meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: Any, meeting: Meeting, reason: str, request: Any = None) -> Meeting:
    """Cancel with a reason; everyone sent an invitation gets a cancellation. The cases
    on its agenda are due again and reappear on the next meeting's proposals."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_planned(meeting)
    if not reason.strip():
        raise ValidationError({"reason": ["Enter why the meeting is cancelled"]})
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_reason = reason.strip()
    meeting.cancelled_at = timezone.now()
    meeting.cancelled_by = actor if getattr(actor, "pk", None) else None
    meeting.sequence += 1
    meeting.save()
    # Never sent: nothing to tell anyone, so these simply end.
    unsent = meeting.invitations.filter(
        status__in=(InvitationStatus.PROPOSED, InvitationStatus.CONFIRMED)
    ).update(
        status=InvitationStatus.CANCELLED,
        cancelled_reason="The meeting was cancelled",
        cancelled_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="meeting.cancel",
        obj=meeting,
        changes={
            "status": [MeetingStatus.PLANNED, MeetingStatus.CANCELLED],
            "cancelled_reason": [None, meeting.cancelled_reason],
            "sequence": [meeting.sequence - 1, meeting.sequence],
        },
        detail={"unsent_invitations_ended": unsent},
        request=request,
    )
    if meeting.invitations.filter(sent_at__isnull=False).exists():
        _enqueue_delivery(meeting)
    return meeting


# The agenda --------------------------------------------------------------------------


def _active_items(meeting: Meeting) -> Any:
    return AgendaItem.objects.filter(meeting=meeting, withdrawn_at__isnull=True)


def _renumber(meeting: Meeting) -> list[AgendaItem]:
    items = list(_active_items(meeting).order_by("position", "created_at"))
    for index, item in enumerate(items, start=1):
        if item.position != index:
            item.position = index
            item.save(update_fields=["position", "updated_at"])
    return items


def _standing_agencies(meeting: Meeting) -> list[Agency]:
    agencies = {
        i.agency_id: i.agency
        for i in meeting.invitations.filter(
            agenda_item__isnull=True,
            status__in=(InvitationStatus.CONFIRMED, InvitationStatus.SENT),
        ).select_related("agency")
    }
    return list(agencies.values())


def _grant_source(meeting: Meeting) -> str:
    return f"Invited to the level {meeting.level} meeting on {meeting.date:%-d %B %Y}"


def _grant(meeting: Meeting, case: Case, agency: Agency, actor: Any, request: Any) -> None:
    case_part_grant_invited(
        case=case,
        agency=agency,
        on=today(),
        source=_grant_source(meeting),
        actor=actor,
        request=request,
    )


@transaction.atomic
def agenda_item_add(*, actor: Any, meeting: Meeting, case: Case, request: Any = None) -> AgendaItem:
    """Put a case on the agenda: its first meeting if an accepted referral is waiting
    for one, otherwise a review (or an emergency discussion at an emergency meeting)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_planned(meeting)
    case = Case.objects.select_related("nominal").get(pk=case.pk)
    if case.closed_on is not None or case.nominal.is_archived:
        raise ValidationError({"case": ["This case is closed: it cannot be put on an agenda"]})
    state = CaseState.objects.filter(case=case, effective_to__isnull=True).first()
    if state is None or state.level != meeting.level:
        level = state.level if state else None
        raise ValidationError(
            {
                "case": [
                    f"Case {case.reference} is managed at level {level}: "
                    f"put it on a level {level} meeting"
                    if level in (2, 3)
                    else f"Case {case.reference} is not managed at level 2 or 3: "
                    "it needs an accepted referral first"
                ]
            }
        )
    existing = AgendaItem.objects.filter(meeting=meeting, case=case).first()
    if existing is not None and not existing.is_withdrawn:
        raise ValidationError({"case": [f"Case {case.reference} is already on this agenda"]})
    elsewhere = (
        AgendaItem.objects.filter(
            case=case,
            withdrawn_at__isnull=True,
            discussed=False,
            meeting__status=MeetingStatus.PLANNED,
            meeting__date__gte=today(),
        )
        .exclude(meeting=meeting)
        .select_related("meeting")
        .first()
    )
    if elsewhere is not None:
        raise ValidationError(
            {
                "case": [
                    f"Case {case.reference} is already on the agenda of the meeting on "
                    f"{elsewhere.meeting.date:%-d %B %Y}: remove it there first"
                ]
            }
        )
    clock = selectors.clock_for_case(case, meeting.level, as_of=today())
    if clock is not None and clock.kind == DiscussionKind.FIRST:
        kind = DiscussionKind.FIRST
    elif meeting.kind == MeetingKind.EMERGENCY:
        kind = DiscussionKind.EMERGENCY
    else:
        kind = DiscussionKind.REVIEW
    position = (_active_items(meeting).aggregate(m=Max("position"))["m"] or 0) + 1
    if existing is not None:
        item = existing
        item.withdrawn_at = None
        item.withdrawn_by = None
        item.withdrawn_reason = ""
    else:
        item = AgendaItem(meeting=meeting, case=case)
    item.position = position
    item.kind = kind
    item.referral = clock.referral if clock and kind == DiscussionKind.FIRST else None
    item.due_by = clock.due if clock else None
    item.added_by = actor if getattr(actor, "pk", None) else None
    item.save()
    audit_record(
        actor=actor,
        action="meeting.agenda_add",
        obj=item,
        nominal_id=case.nominal_id,
        changes={
            "case": [None, case.reference],
            "kind": [None, kind],
            "due_by": [None, item.due_by],
            "position": [None, position],
        },
        detail={"meeting": str(meeting.pk), "meeting_date": meeting.date},
        request=request,
    )
    # Standing members already invited discuss every case on the agenda (J 10.7).
    for agency in _standing_agencies(meeting):
        _grant(meeting, case, agency, actor, request)
    return item


@transaction.atomic
def agenda_item_remove(
    *, actor: Any, item: AgendaItem, reason: str, request: Any = None
) -> AgendaItem:
    """Take a case off the agenda, with the reason; its case invitations end (and
    anyone already sent one is told)."""
    item = AgendaItem.objects.select_for_update().select_related("meeting", "case").get(pk=item.pk)
    _require_planned(item.meeting)
    if item.is_withdrawn:
        raise ValidationError("This case has already been taken off the agenda.")
    if not reason.strip():
        raise ValidationError({"reason": ["Enter why the case is taken off the agenda"]})
    item.withdrawn_at = timezone.now()
    item.withdrawn_by = actor if getattr(actor, "pk", None) else None
    item.withdrawn_reason = reason.strip()
    item.save()
    notify = False
    for invitation in item.invitations.exclude(status=InvitationStatus.CANCELLED):
        notify = notify or invitation.sent_at is not None
        invitation.status = InvitationStatus.CANCELLED
        invitation.cancelled_reason = "The case was taken off the agenda"
        invitation.cancelled_at = timezone.now()
        invitation.save()
    _renumber(item.meeting)
    audit_record(
        actor=actor,
        action="meeting.agenda_remove",
        obj=item,
        nominal_id=item.case.nominal_id,
        changes={"withdrawn_reason": [None, item.withdrawn_reason]},
        detail={"meeting": str(item.meeting_id), "case": item.case.reference},
        request=request,
    )
    if notify:
        _enqueue_delivery(item.meeting)
    return item


@transaction.atomic
def agenda_item_move(
    *, actor: Any, item: AgendaItem, direction: str, request: Any = None
) -> list[AgendaItem]:
    """Move a case one place up or down the agenda."""
    item = AgendaItem.objects.select_related("meeting", "case").get(pk=item.pk)
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    _require_planned(meeting)
    if direction not in ("up", "down"):
        raise ValidationError("Choose up or down.")
    items = _renumber(meeting)
    index = next((i for i, it in enumerate(items) if it.pk == item.pk), None)
    if index is None:
        raise ValidationError("This case is not on the agenda.")
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        return items
    mine, theirs = items[index], items[other]
    mine.position, theirs.position = theirs.position, mine.position
    mine.save(update_fields=["position", "updated_at"])
    theirs.save(update_fields=["position", "updated_at"])
    audit_record(
        actor=actor,
        action="meeting.agenda_order",
        obj=mine,
        nominal_id=item.case.nominal_id,
        changes={"position": [theirs.position, mine.position]},
        detail={"meeting": str(meeting.pk)},
        request=request,
    )
    return sorted(items, key=lambda it: it.position)


@transaction.atomic
def agenda_item_set_time(
    *, actor: Any, item: AgendaItem, start_time: dt.time | None, request: Any = None
) -> AgendaItem:
    """The time a case is expected to come up, for those invited to that case only."""
    item = AgendaItem.objects.select_for_update().select_related("meeting", "case").get(pk=item.pk)
    _require_planned(item.meeting)
    before = item.start_time
    if before == start_time:
        return item
    item.start_time = start_time
    item.save(update_fields=["start_time", "updated_at"])
    audit_record(
        actor=actor,
        action="meeting.agenda_time",
        obj=item,
        nominal_id=item.case.nominal_id,
        changes={
            "start_time": [
                before.strftime("%H:%M") if before else None,
                start_time.strftime("%H:%M") if start_time else None,
            ]
        },
        request=request,
    )
    return item


@transaction.atomic
def agenda_item_set_discussed(
    *, actor: Any, item: AgendaItem, discussed: bool, request: Any = None
) -> AgendaItem:
    """Whether the case was reached at the meeting (the clock counts discussions only).

    The attendance page sets it; the minutes call it when minutes are started."""
    item = AgendaItem.objects.select_for_update().select_related("meeting", "case").get(pk=item.pk)
    if item.is_withdrawn:
        raise ValidationError("This case was taken off the agenda.")
    if item.meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("This meeting was cancelled.")
    if discussed and item.meeting.date > today():
        raise ValidationError("A case cannot be discussed before the day of the meeting.")
    if item.discussed == discussed:
        return item
    item.discussed = discussed
    item.save(update_fields=["discussed", "updated_at"])
    audit_record(
        actor=actor,
        action="meeting.discussed",
        obj=item,
        nominal_id=item.case.nominal_id,
        changes={"discussed": [not discussed, discussed]},
        request=request,
    )
    return item


# Invitations (J 10.7, 10.8, 11, 3.6) ------------------------------------------------------

# J 3.6: offenders and their representatives are excluded from meetings.
LEGAL_WORDS = ("solicitor", "barrister", "lawyer", "legal adviser", "legal representative")
FOR_THE_PERSON = (
    "offender",
    "client",
    "defence",
    "defense",
    "the person",
    "nominal",
    "family",
    "parent",
    "personal",
    "own",
    "his ",
    "her ",
    "their ",
)
TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "advocate", "adv", "sir", "prof", "rev"}


def _normal_tokens(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z\s]", " ", plain.replace("'", "")).split()
    return [w for w in words if w not in TITLES]


def _names_of(nominal: Nominal, aliases: Iterable[Alias]) -> list[tuple[list[str], list[str]]]:
    """(given name tokens, family name tokens) for the person and each alias."""
    names = [(_normal_tokens(nominal.given_names), _normal_tokens(nominal.family_name))]
    for alias in aliases:
        names.append((_normal_tokens(alias.given_names), _normal_tokens(alias.family_name)))
    return names


def _same_person(name: str, known: list[tuple[list[str], list[str]]]) -> bool:
    tokens = _normal_tokens(name)
    if not tokens:
        return False
    joined = "".join(tokens)
    for given, family in known:
        if family and given:
            # "John Smith", "Smith John", "John Paul Smith", "Le Brocq" written "Lebrocq".
            fam = "".join(family)
            if given[0] in tokens and (all(f in tokens for f in family) or fam in joined):
                return True
        elif given or family:
            # A single-word nickname ("Tiny") matches only on its own.
            word = (given or family)[0]
            if tokens == [word]:
                return True
    return False


def _represents_the_person(role: str, known: list[tuple[list[str], list[str]]]) -> bool:
    text = f" {role.lower()} "
    if any(word in text for word in LEGAL_WORDS):
        return True
    if "representative" in text or "advocate" in text:
        # An agency's representative or a victim's advocate (an IDVA) is welcome; one
        # acting for the person is not.
        if any(word in text for word in FOR_THE_PERSON):
            return True
        if any(_same_person(part, known) for part in re.split(r"\b(?:for|of)\b", role)):
            return True
    return False


def invitee_refusal(*, cases: Iterable[Case], name: str, role: str, contact: Any = None) -> str:
    """Why this person cannot be invited (J 3.6), or ``""``.

    Staff with an account in the service (a directory contact linked to a user) are
    never taken for the person managed, whatever their name.
    """
    cases = list(cases)
    if not cases:
        return ""
    nominal_ids = {c.nominal_id for c in cases}
    if contact is not None and getattr(contact, "user_id", None):
        known = [
            n
            for nominal in Nominal.objects.filter(pk__in=nominal_ids)
            for n in _names_of(nominal, [])
        ]
        return (
            "Offenders and their representatives are never invited to MAPPA meetings (J 3.6)."
            if _represents_the_person(role, known)
            else ""
        )
    aliases: dict[Any, list[Alias]] = {}
    for alias in Alias.objects.filter(nominal_id__in=nominal_ids):
        aliases.setdefault(alias.nominal_id, []).append(alias)
    for nominal in Nominal.objects.filter(pk__in=nominal_ids):
        known = _names_of(nominal, aliases.get(nominal.pk, []))
        if _same_person(name, known):
            return (
                f"{name} has the name of the person managed (or one of their aliases). "
                "Offenders and their representatives are never invited to MAPPA meetings "
                "(J 3.6): written information from the person goes through their case manager."
            )
        if _represents_the_person(role, known):
            return (
                f"{name} is described as acting for the person managed ({role}). Offenders "
                "and their representatives are never invited to MAPPA meetings (J 3.6)."
            )
    return ""


@dataclass
class Proposal:
    created: list[Invitation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Person:
    agency: Agency
    name: str
    email: str
    role: str
    kind: str
    reason: str
    contact: Contact | None = None
    standing_member: StandingMember | None = None


def _key(agenda_item_id: Any, agency_id: Any, name: str, email: str) -> tuple[Any, Any, str]:
    who = email.strip().lower() or " ".join(_normal_tokens(name))
    return (agenda_item_id, agency_id, who)


def _agency_contact(kind: str) -> tuple[Agency | None, Contact | None]:
    agency = Agency.objects.filter(kind=kind, active=True).order_by("name").first()
    if agency is None:
        return None, None
    contact = Contact.objects.filter(agency=agency).order_by("-is_spoc", "name").first()
    return agency, contact


def _children_of(case: Case) -> list[Any]:
    from mappa.people.models import CasePerson, PersonKind

    return list(CasePerson.objects.filter(case=case, kind=PersonKind.CHILD))


def _school_age(child: Any, on: dt.date) -> bool:
    from mappa.people.models import Answer

    age = child.age_on(on)
    if age is not None:
        # Compulsory school age, 4 to 16 (J 11: "if the child concerned is of school age").
        return 4 <= age <= 16
    return bool(child.school_age == Answer.YES)


def _case_people(item: AgendaItem, meeting: Meeting) -> tuple[list[_Person], list[str]]:
    """Who J 10.8 and 11 ask to be invited to this case discussion, and notes."""
    from mappa.referrals.models import Referral, ReferralStatus

    people: list[_Person] = []
    notes: list[str] = []
    case = item.case
    referral = item.referral
    if referral is not None:
        for invitee in referral.invitees.select_related("agency"):
            people.append(
                _Person(
                    agency=invitee.agency,
                    name=invitee.name,
                    email=invitee.email,
                    role=invitee.role,
                    kind=InvitationKind.REFERRER if invitee.position == 1 else InvitationKind.CASE,
                    reason=f"Named on referral {referral.reference} (J 10.8)",
                )
            )
        if not people:
            referrer = referral.referrer
            people.append(
                _Person(
                    agency=referral.referring_agency,
                    name=referrer.display_name,
                    email=referrer.email,
                    role=referrer.job_title or "Referrer",
                    kind=InvitationKind.REFERRER,
                    reason=f"Referrer, referral {referral.reference} (J 10.8)",
                )
            )
    else:
        previous = selectors.previous_discussion(item)
        if previous is not None:
            for invitation in previous.invitations.exclude(
                status__in=(InvitationStatus.CANCELLED, InvitationStatus.PROPOSED)
            ).select_related("agency", "contact"):
                people.append(
                    _Person(
                        agency=invitation.agency,
                        name=invitation.name,
                        email=invitation.email,
                        role=invitation.role,
                        kind=invitation.kind,
                        reason=f"Invited to the last discussion, {previous.meeting.date:%-d %B %Y}",
                        contact=invitation.contact,
                    )
                )
    state = (
        CaseState.objects.filter(case=case, effective_to__isnull=True)
        .select_related("manager", "manager__agency", "lead_agency")
        .first()
    )
    if state is not None and state.manager is not None:
        manager = state.manager
        known = {p.email.strip().lower() for p in people if p.email} | {
            " ".join(_normal_tokens(p.name)) for p in people
        }
        if (
            manager.email.strip().lower() not in known
            and " ".join(_normal_tokens(manager.display_name)) not in known
        ):
            people.append(
                _Person(
                    agency=manager.agency or state.lead_agency,
                    name=manager.display_name,
                    email=manager.email,
                    role=manager.job_title or "Case manager",
                    kind=InvitationKind.REFERRER,
                    reason="Case manager for the lead agency (J 10.8)",
                )
            )
    latest = (
        Referral.objects.filter(case=case, status=ReferralStatus.ACCEPTED)
        .order_by("-received_on", "-created_at")
        .first()
    )
    children = _children_of(case)
    concerns = bool(latest and latest.child_protection_concerns == "yes")
    standing_kinds = set(
        meeting.invitations.filter(agenda_item__isnull=True)
        .exclude(status=InvitationStatus.CANCELLED)
        .values_list("agency__kind", flat=True)
    )
    if concerns or children:
        why = (
            f"Child protection concerns on referral {latest.reference}"
            if concerns and latest
            else "Children are recorded on the case"
        )
        if AgencyKind.CHILDRENS_SERVICES not in standing_kinds:
            agency, contact = _agency_contact(AgencyKind.CHILDRENS_SERVICES)
            if agency is None or contact is None:
                notes.append(
                    f"Case {case.reference}: children's welfare is an issue but Children's "
                    "Services has no contact in the directory. Add one, then propose again."
                )
            else:
                people.append(
                    _Person(
                        agency=agency,
                        name=contact.name,
                        email=contact.email,
                        role=contact.role,
                        kind=InvitationKind.CHILDRENS_SERVICES,
                        reason=f"{why} (J 11)",
                        contact=contact,
                    )
                )
    if any(_school_age(child, meeting.date) for child in children):
        agency, contact = _agency_contact(AgencyKind.EDUCATION)
        if agency is None or contact is None:
            notes.append(
                f"Case {case.reference}: a child of school age is recorded but Education has "
                "no contact in the directory. Add one, then propose again."
            )
        else:
            people.append(
                _Person(
                    agency=agency,
                    name=contact.name,
                    email=contact.email,
                    role=contact.role,
                    kind=InvitationKind.EDUCATION,
                    reason="A child of school age is recorded on the case (J 11)",
                    contact=contact,
                )
            )
    return people, notes


@transaction.atomic
def invitations_propose(*, actor: Any, meeting: Meeting, request: Any = None) -> Proposal:
    """Propose who to invite: the level's standing members (J 10.7), and for each case
    the referrer and the referral's invitees at a first meeting or last time's
    invitees at a review (J 10.8), Children's Services where children's welfare is an
    issue and Education where a child is of school age (J 11). The administrator
    confirms. Never the person managed or their representative (J 3.6)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_planned(meeting)
    result = Proposal()
    taken = {
        _key(i.agenda_item_id, i.agency_id, i.name, i.email)
        for i in Invitation.objects.filter(meeting=meeting)
    }

    def add(item: AgendaItem | None, person: _Person) -> None:
        key = _key(item.pk if item else None, person.agency.pk, person.name, person.email)
        if key in taken:
            return
        if item is not None:
            refusal = invitee_refusal(
                cases=[item.case], name=person.name, role=person.role, contact=person.contact
            )
            if refusal:
                result.refused.append(f"Case {item.case.reference}: {refusal}")
                return
        taken.add(key)
        result.created.append(
            Invitation.objects.create(
                meeting=meeting,
                agenda_item=item,
                agency=person.agency,
                contact=person.contact,
                name=person.name,
                email=person.email,
                role=person.role,
                kind=person.kind,
                reason=person.reason[:300],
                standing_member=person.standing_member,
            )
        )

    for member in StandingMember.objects.filter(level=meeting.level, active=True).select_related(
        "agency", "contact"
    ):
        add(
            None,
            _Person(
                agency=member.agency,
                name=member.contact.name,
                email=member.contact.email,
                role=member.contact.role or f"Level {meeting.level} standing member",
                kind=InvitationKind.STANDING,
                reason=f"Level {meeting.level} standing member, {member.minimum_grade} (J 10.7)",
                contact=member.contact,
                standing_member=member,
            ),
        )
    for item in _active_items(meeting).select_related("case", "referral", "meeting"):
        people, notes = _case_people(item, meeting)
        result.notes.extend(notes)
        for person in people:
            add(item, person)
    if result.created or result.refused:
        audit_record(
            actor=actor,
            action="meeting.invitations_propose",
            obj=meeting,
            changes={
                "invitations": [None, [f"{i.name} ({i.agency.name})" for i in result.created]]
            },
            detail={"refused": result.refused, "notes": result.notes},
            request=request,
        )
    return result


def _cases_for(invitation: Invitation) -> list[Case]:
    if invitation.agenda_item_id is not None:
        item = invitation.agenda_item
        return [] if item is None or item.is_withdrawn else [item.case]
    return [i.case for i in _active_items(invitation.meeting).select_related("case")]


@transaction.atomic
def invitation_add(
    *,
    actor: Any,
    meeting: Meeting,
    agenda_item: AgendaItem | None,
    agency: Agency | None,
    contact: Contact | None = None,
    name: str,
    email: str = "",
    role: str = "",
    request: Any = None,
) -> Invitation:
    """The administrator invites someone to one case discussion or the whole meeting.
    Confirmed at once; the agency's part in the case follows."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_planned(meeting)
    if contact is not None:
        agency = agency or contact.agency
        name = name.strip() or contact.name
        email = email.strip() or contact.email
        role = role.strip() or contact.role
    errors: dict[str, list[str]] = {}
    if agency is None:
        errors["agency"] = ["Select the agency"]
    if not name.strip():
        errors["name"] = ["Enter the name of the person to invite"]
    elif len(_normal_tokens(name)) < 2 or all(len(t) < 2 for t in _normal_tokens(name)):
        errors["name"] = ["Enter the person's full name, not initials"]
    if agenda_item is not None and (
        agenda_item.meeting_id != meeting.pk or agenda_item.is_withdrawn
    ):
        errors["agenda_item"] = ["Select a case on this meeting's agenda"]
    if errors:
        raise ValidationError(errors)
    assert agency is not None
    cases = (
        [agenda_item.case]
        if agenda_item is not None
        else [i.case for i in _active_items(meeting).select_related("case")]
    )
    refusal = invitee_refusal(cases=cases, name=name, role=role, contact=contact)
    if refusal:
        raise ValidationError({"name": [refusal]})
    key = _key(agenda_item.pk if agenda_item else None, agency.pk, name, email)
    for other in Invitation.objects.filter(meeting=meeting, agency=agency).exclude(
        status=InvitationStatus.CANCELLED
    ):
        if _key(other.agenda_item_id, other.agency_id, other.name, other.email) == key:
            raise ValidationError({"name": [f"{name} is already invited"]})
    invitation = Invitation.objects.create(
        meeting=meeting,
        agenda_item=agenda_item,
        agency=agency,
        contact=contact,
        name=" ".join(name.split()),
        email=email.strip(),
        role=role.strip(),
        kind=InvitationKind.CASE if agenda_item is not None else InvitationKind.STANDING,
        reason="Added by the administrator",
        status=InvitationStatus.CONFIRMED,
        confirmed_at=timezone.now(),
        confirmed_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        actor=actor,
        action="meeting.invitation_add",
        obj=invitation,
        nominal_id=agenda_item.case.nominal_id if agenda_item else "",
        changes={
            "name": [None, invitation.name],
            "agency": [None, agency.name],
            "email": [None, invitation.email],
            "role": [None, invitation.role],
            "case": [None, agenda_item.case.reference if agenda_item else "whole meeting"],
        },
        detail={"meeting": str(meeting.pk)},
        request=request,
    )
    for case in cases:
        _grant(meeting, case, agency, actor, request)
    return invitation


@transaction.atomic
def invitations_confirm(
    *,
    actor: Any,
    meeting: Meeting,
    invitations: Iterable[Invitation] | None = None,
    request: Any = None,
) -> list[Invitation]:
    """Confirm proposed invitations (all of them when none are named). Each invited
    agency gets its part in the cases it is invited to discuss (J 4.3)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_planned(meeting)
    proposed = Invitation.objects.filter(meeting=meeting, status=InvitationStatus.PROPOSED)
    if invitations is not None:
        proposed = proposed.filter(pk__in=[i.pk for i in invitations])
    chosen = list(proposed.select_related("agency", "agenda_item", "agenda_item__case", "meeting"))
    if not chosen:
        raise ValidationError("Select at least one proposed invitation to confirm.")
    now = timezone.now()
    for invitation in chosen:
        invitation.status = InvitationStatus.CONFIRMED
        invitation.confirmed_at = now
        invitation.confirmed_by = actor if getattr(actor, "pk", None) else None
        invitation.save()
    audit_record(
        actor=actor,
        action="meeting.invitations_confirm",
        obj=meeting,
        changes={
            "confirmed": [None, [f"{i.name} ({i.agency.name})" for i in chosen]],
        },
        request=request,
    )
    granted: set[tuple[Any, Any]] = set()
    for invitation in chosen:
        for case in _cases_for(invitation):
            if (case.pk, invitation.agency_id) in granted:
                continue
            granted.add((case.pk, invitation.agency_id))
            _grant(meeting, case, invitation.agency, actor, request)
    return chosen


@transaction.atomic
def invitation_cancel(
    *, actor: Any, invitation: Invitation, reason: str, request: Any = None
) -> Invitation:
    """Withdraw an invitation, with the reason. If it had been sent, the person gets a
    cancellation."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("meeting", "agency")
        .get(pk=invitation.pk)
    )
    _require_planned(invitation.meeting)
    if invitation.status == InvitationStatus.CANCELLED:
        raise ValidationError("This invitation has already been withdrawn.")
    if not reason.strip():
        raise ValidationError({"reason": ["Enter why the invitation is withdrawn"]})
    before = invitation.status
    invitation.status = InvitationStatus.CANCELLED
    invitation.cancelled_reason = reason.strip()
    invitation.cancelled_at = timezone.now()
    invitation.save()
    audit_record(
        actor=actor,
        action="meeting.invitation_cancel",
        obj=invitation,
        nominal_id=invitation.agenda_item.case.nominal_id if invitation.agenda_item else "",
        changes={"status": [before, invitation.status], "cancelled_reason": [None, reason.strip()]},
        request=request,
    )
    if invitation.sent_at is not None:
        _enqueue_delivery(invitation.meeting)
    return invitation


@transaction.atomic
def invitations_send(*, actor: Any, meeting: Meeting, request: Any = None) -> int:
    """Queue the emails for every confirmed invitation not yet sent, every update and
    every cancellation not yet delivered (also "try again" after a failure)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    pending = selectors.delivery_pending(meeting)
    if not pending:
        raise ValidationError(
            "There is nothing to send: confirm the proposed invitations first, or every "
            "invitation has been sent."
        )
    audit_record(
        actor=actor,
        action="meeting.invitations_send",
        obj=meeting,
        detail={"pending": len(pending), "sequence": meeting.sequence},
        request=request,
    )
    _enqueue_delivery(meeting)
    return len(pending)


@dataclass
class Delivery:
    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    busy: int = 0


def _claim(ids: list[Any]) -> bool:
    now = timezone.now()
    stale = now - dt.timedelta(minutes=CLAIM_MINUTES)
    with transaction.atomic():
        claimed = (
            Invitation.objects.filter(pk__in=ids)
            .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
            .update(claimed_at=now)
        )
        if claimed != len(ids):
            Invitation.objects.filter(pk__in=ids, claimed_at=now).update(claimed_at=None)
            return False
    return True


def meetings_with_pending_mail() -> list[str]:
    """Meetings (from today on, or cancelled) with an invitation, update or
    cancellation not yet delivered."""
    candidates = Meeting.objects.filter(date__gte=today()).exclude(status=MeetingStatus.HELD)
    found = []
    for meeting in candidates.filter(invitations__isnull=False).distinct():
        if selectors.delivery_pending(meeting):
            found.append(str(meeting.pk))
    return found


def meeting_mail_deliver(*, meeting_id: Any) -> Delivery:
    """Send what ``delivery_pending`` lists for the meeting, one email per address.

    Run by the background task. Each address is claimed first, so two workers never
    send the same email; a failure is recorded on its invitations, which stay unsent
    (confirmed, or sent at an older sequence) for the next try.
    """
    result = Delivery()
    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return result
    pending = selectors.delivery_pending(meeting)
    groups: dict[str, list[Invitation]] = {}
    for invitation in pending:
        groups.setdefault(invitation.email.strip().lower(), []).append(invitation)
    active = [
        i
        for i in Invitation.objects.filter(
            meeting=meeting, status__in=(InvitationStatus.CONFIRMED, InvitationStatus.SENT)
        ).exclude(email="")
    ]
    items = list(_active_items(meeting).select_related("case").order_by("position"))
    for address, invitations in groups.items():
        ids = [i.pk for i in invitations]
        if not _claim(ids):
            result.busy += 1
            continue
        try:
            result_line = _deliver_group(meeting, address, invitations, active, items)
        except Exception as exc:  # noqa: BLE001 - any failure to send is kept and retried
            message = f"{type(exc).__name__}: {exc}"[:500]
            Invitation.objects.filter(pk__in=ids).update(
                claimed_at=None, last_error=message, last_attempt_at=timezone.now()
            )
            for invitation in invitations:
                Invitation.objects.filter(pk=invitation.pk).update(attempts=invitation.attempts + 1)
            result.failed.append(address)
        else:
            result.sent.append(result_line)
    if result.sent or result.failed:
        with transaction.atomic():
            audit_record(
                actor=WORKFLOW_ACTOR,
                action="meeting.invitations_delivered",
                obj=meeting,
                detail={
                    "sent": result.sent,
                    "failed": result.failed,
                    "sequence": meeting.sequence,
                },
            )
    return result


def _deliver_group(
    meeting: Meeting,
    address: str,
    invitations: list[Invitation],
    active: list[Invitation],
    items: list[AgendaItem],
) -> str:
    live = [
        i
        for i in invitations
        if i.status in (InvitationStatus.CONFIRMED, InvitationStatus.SENT)
        and meeting.status == MeetingStatus.PLANNED
    ]
    if live:
        method = mail.REQUEST
        whole = any(i.agenda_item_id is None for i in live)
        theirs = [it for it in items if whole or it.pk in {i.agenda_item_id for i in live}]
        attendees = [mail.Attendee(i.name, i.email) for i in active]
        update = any(i.sent_at is not None for i in live)
    else:
        method = mail.CANCEL
        theirs = []
        if meeting.status == MeetingStatus.CANCELLED:
            attendees = [
                mail.Attendee(i.name, i.email)
                for i in Invitation.objects.filter(meeting=meeting, sent_at__isnull=False)
            ]
        else:
            attendees = [mail.Attendee(invitations[0].name, invitations[0].email)]
        update = False
    message = mail.compose(
        meeting,
        recipient=invitations[0],
        method=method,
        items=theirs,
        attendees=attendees,
        update=update,
    )
    mail.send(message)
    now = timezone.now()
    with transaction.atomic():
        for invitation in invitations:
            fields: dict[str, Any] = {
                "claimed_at": None,
                "last_error": "",
                "last_attempt_at": now,
                "attempts": invitation.attempts + 1,
            }
            if invitation in live:
                fields.update(
                    status=InvitationStatus.SENT, sent_at=now, sent_sequence=meeting.sequence
                )
            else:
                fields["cancel_sent_at"] = now
            Invitation.objects.filter(pk=invitation.pk).update(**fields)
    return f"{method} {address} sequence {meeting.sequence}"


# Attendance (J 10.10, 16.2) and the person's written information (J 3.6) ---------------


@dataclass(frozen=True)
class AttendanceRow:
    agency: Agency
    status: str
    representative: str = ""
    grade: str = ""


def invited_agencies(item: AgendaItem) -> list[Agency]:
    """The agencies invited to this case discussion: standing members and the case's
    own invitees, confirmed or sent."""
    rows = (
        Invitation.objects.filter(
            meeting_id=item.meeting_id,
            status__in=(InvitationStatus.CONFIRMED, InvitationStatus.SENT),
        )
        .filter(Q(agenda_item__isnull=True) | Q(agenda_item=item))
        .select_related("agency")
    )
    agencies = {i.agency_id: i.agency for i in rows}
    return sorted(agencies.values(), key=lambda a: a.name)


def _is_full_name(name: str) -> bool:
    tokens = _normal_tokens(name)
    return len(tokens) >= 2 and sum(1 for t in tokens if len(t) >= 2) >= 2


@transaction.atomic
def attendance_record(
    *,
    actor: Any,
    item: AgendaItem,
    rows: list[AttendanceRow],
    discussed: bool,
    request: Any = None,
) -> list[Attendance]:
    """Record how each invited agency took part in one case discussion (on the day or
    after), and whether the case was reached. The meeting counts as held from then."""
    item = AgendaItem.objects.select_for_update().select_related("meeting", "case").get(pk=item.pk)
    meeting = item.meeting
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("This meeting was cancelled: there is no attendance to record.")
    if item.is_withdrawn:
        raise ValidationError("This case was taken off the agenda.")
    if meeting.date > today():
        raise ValidationError(
            f"Attendance can be recorded from the day of the meeting ({meeting.date:%-d %B %Y})."
        )
    invited = {a.pk: a for a in invited_agencies(item)}
    errors: dict[str, list[str]] = {}
    given = {row.agency.pk: row for row in rows}
    for agency_id, agency in invited.items():
        row = given.get(agency_id)
        prefix = f"agency_{agency_id}"
        if row is None or not row.status:
            errors.setdefault(f"{prefix}_status", []).append(f"Select how {agency.name} took part")
            continue
        if row.status not in AttendanceStatus.values:
            errors.setdefault(f"{prefix}_status", []).append(f"Select how {agency.name} took part")
        elif row.status in (AttendanceStatus.IN_PERSON, AttendanceStatus.REMOTE):
            if not row.representative.strip():
                errors.setdefault(f"{prefix}_representative", []).append(
                    f"Enter the name of the person who attended for {agency.name}"
                )
            elif not _is_full_name(row.representative):
                errors.setdefault(f"{prefix}_representative", []).append(
                    f"Enter the full name of the person who attended for {agency.name}, "
                    "not initials"
                )
    for agency_id in given:
        if agency_id not in invited:
            errors.setdefault("__all__", []).append(
                f"{given[agency_id].agency.name} was not invited to this case discussion"
            )
    if errors:
        raise ValidationError(errors)
    existing = {a.agency_id: a for a in Attendance.objects.filter(agenda_item=item)}
    changes: dict[str, list[Any]] = {}
    saved: list[Attendance] = []
    for agency_id, row in given.items():
        record = existing.get(agency_id) or Attendance(agenda_item=item, agency=row.agency)
        before = [record.status, record.representative, record.grade] if record.pk else None
        representative = (
            " ".join(row.representative.split())
            if row.status
            in (AttendanceStatus.IN_PERSON, AttendanceStatus.REMOTE, AttendanceStatus.REPORT)
            else ""
        )
        after = [row.status, representative, row.grade.strip()]
        if before != after:
            record.status, record.representative, record.grade = after
            record.recorded_by = actor if getattr(actor, "pk", None) else None
            record.save()
            changes[row.agency.name] = [before, after]
        saved.append(record)
    if item.discussed != discussed:
        changes["discussed"] = [item.discussed, discussed]
        item.discussed = discussed
        item.save(update_fields=["discussed", "updated_at"])
    if meeting.status == MeetingStatus.PLANNED:
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status", "updated_at"])
        changes["meeting_status"] = [MeetingStatus.PLANNED, MeetingStatus.HELD]
    if changes:
        audit_record(
            actor=actor,
            action="meeting.attendance",
            obj=item,
            nominal_id=item.case.nominal_id,
            changes=changes,
            detail={"meeting": str(meeting.pk), "case": item.case.reference},
            request=request,
        )
    return saved


@transaction.atomic
def written_information_add(
    *,
    actor: Any,
    item: AgendaItem,
    received_on: dt.date | None,
    summary: str,
    request: Any = None,
) -> WrittenInformation:
    """J 3.6: written information from the person, given to the meeting through their
    case manager."""
    item = AgendaItem.objects.select_for_update().select_related("meeting", "case").get(pk=item.pk)
    if item.is_withdrawn:
        raise ValidationError("This case was taken off the agenda.")
    if item.meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("This meeting was cancelled.")
    errors: dict[str, list[str]] = {}
    if received_on is None:
        errors["received_on"] = ["Enter the date the information was received"]
    elif received_on > today():
        errors["received_on"] = ["The date received must be today or in the past"]
    if not summary.strip():
        errors["summary"] = ["Enter the written information from the person, or a summary of it"]
    if errors:
        raise ValidationError(errors)
    assert received_on is not None
    note = WrittenInformation.objects.create(
        agenda_item=item, received_on=received_on, summary=summary.strip(), recorded_by=actor
    )
    audit_record(
        actor=actor,
        action="meeting.written_information",
        obj=note,
        nominal_id=item.case.nominal_id,
        changes={"summary": [None, note.summary], "received_on": [None, received_on]},
        detail={"meeting": str(item.meeting_id), "case": item.case.reference},
        request=request,
    )
    return note


def meeting_view_audit(
    *, actor: Any, meeting: Meeting, items: list[AgendaItem], request: Any
) -> None:
    """Viewing a meeting shows case data: one audit row naming every case shown."""
    audit_record(
        actor=actor,
        action="meeting.view",
        obj=meeting,
        detail={
            "cases": [i.case.reference for i in items],
            "nominals": [str(i.case.nominal_id) for i in items],
        },
        request=request,
    )
