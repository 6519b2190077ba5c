"""Two years of level 2 and 3 meetings for the demo area (issue 5, point 12; issue 6,
point 9).

Called by ``load_demo_area`` after the register, the users and the contact directory
exist. Deterministic from a fixed seed and the day it is run:

- panel days on set days each month (J 10.6): level 2 on the second Tuesday at 10:00,
  level 3 on the last Thursday at 14:00, with standing members at the grades of J 10.7;
- every meeting of the last two years held, each case discussed at the level it was
  managed at on the day, roughly as often as J 10.11 asks (some reviews late, one case
  not reached, two level 2 panels postponed three weeks so that the level 2 KPI is missed
  in those quarters, a level 3 panel cancelled so the level 3 KPI is missed in that one),
  with invitations sent and attendance recorded in every state (each standing agency at
  its own rate, two of them below the 90% of J 16.2 (5)), an emergency meeting, and the
  person's written information on one discussion;
- the register's changes of level moved to the meeting that decided them (J 10.2), so
  that a case leaves a level at a meeting;
- the next meetings with agendas the clock proposes, invitations confirmed and sent for
  the next one (one email failed, so the page shows "try again") and proposed for the
  one after, so a newcomer sees meetings due on the day it is run.

Minutes for the held discussions come from the minutes app's own demo.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from mappa.access.models import Contact, User
from mappa.access.services import case_part_grant_invited
from mappa.meetings import selectors, services
from mappa.meetings.models import (
    GRADE_GUIDANCE,
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
    Weekday,
    WrittenInformation,
)
from mappa.profiles.calendar import add_months
from mappa.register.models import CaseState

DEMO_SEED = 2011
HOLDING_VENUE = "Police Headquarters, Rouge Bouillon, St Helier"
LEVEL3_VENUE = "Probation and After-Care Service, Royal Square, St Helier"
VIDEO = "https://video.gov.je.example/jmappa-panel"

# (level, contact name in the demo directory) for the standing members of J 10.7.
STANDING = [
    (2, "Gideon Rafferty"),
    (3, "Marguerite Halloran"),
    (2, "Harriet Quist"),
    (3, "Lorcan Abernethy"),
    (2, "Petronella Dunmore"),
    (3, "Barnaby Illingworth"),
    (2, "Florian Achterberg"),
    (3, "Winifred Strachan"),
    (2, "Ludmila Carraway"),
    (3, "Osric Pendleford"),
]
# Standing members mostly attend (in person, by video or by report); each agency at its
# own rate, so that J 16.2 (5) is met by some and missed by two (Mental Health, Housing).
STANDING_RATES = {
    "police": 0.98,
    "probation": 0.97,
    "childrens_services": 0.94,
    "mental_health": 0.84,
    "housing": 0.87,
}
# Two years and a quarter: the dashboard's eight quarters all have reviews falling due.
HISTORY_MONTHS = 28
INTERVALS = {2: 84, 3: 42}


def _standing_outcome(rng: random.Random, agency_kind: str) -> str:
    rate = STANDING_RATES.get(agency_kind, 0.92)
    roll = rng.random()
    if roll < rate * 0.65:
        return AttendanceStatus.IN_PERSON
    if roll < rate * 0.88:
        return AttendanceStatus.REMOTE
    if roll < rate:
        return AttendanceStatus.REPORT
    if roll < rate + (1 - rate) * 0.7:
        return AttendanceStatus.APOLOGIES
    return AttendanceStatus.ABSENT


@dataclass
class MeetingsSummary:
    meetings: int = 0
    held: int = 0
    discussions: int = 0
    invitations: int = 0
    attendance: int = 0
    upcoming_items: int = 0


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _schedules(admin: Any, chair: Any, coordinator: Any) -> list[PanelSchedule]:
    found = list(PanelSchedule.objects.all())
    if found:
        return found
    return [
        services.panel_schedule_save(
            actor=admin,
            level=2,
            week_of_month=2,
            weekday=Weekday.TUESDAY,
            start_time=dt.time(10),
            end_time=dt.time(13),
            venue=HOLDING_VENUE,
            video_link=VIDEO,
            chair=chair,
        ),
        services.panel_schedule_save(
            actor=admin,
            level=3,
            week_of_month=5,
            weekday=Weekday.THURSDAY,
            start_time=dt.time(14),
            end_time=dt.time(16, 30),
            venue=LEVEL3_VENUE,
            chair=coordinator,
        ),
    ]


def _standing_members(admin: Any) -> list[StandingMember]:
    contacts = {c.name: c for c in Contact.objects.select_related("agency")}
    members = []
    for level, name in STANDING:
        contact = contacts.get(name)
        if contact is None or not contact.email:
            continue
        existing = StandingMember.objects.filter(level=level, contact=contact).first()
        if existing is not None:
            members.append(existing)
            continue
        grade = GRADE_GUIDANCE.get((contact.agency.kind, level), contact.grade or "Manager")
        members.append(
            services.standing_member_save(
                actor=admin, level=level, contact=contact, minimum_grade=grade
            )
        )
    return members


def _level_on(states: list[CaseState], day: dt.date) -> int | None:
    for state in states:
        if state.effective_from <= day and (state.effective_to is None or day < state.effective_to):
            return state.level
    return None


def _nearest(meetings: list[Meeting], day: dt.date) -> Any:
    if not meetings:
        return None
    return min(meetings, key=lambda m: abs((m.date - day).days)).pk


def _multi_agency_runs(states: list[CaseState]) -> list[tuple[dt.date, dt.date | None]]:
    """The spells at level 2 or 3: (first day, first day after) from the dated history."""
    runs: list[tuple[dt.date, dt.date | None]] = []
    for state in sorted(states, key=lambda s: s.effective_from):
        if state.level not in (2, 3):
            continue
        if runs and runs[-1][1] == state.effective_from:
            runs[-1] = (runs[-1][0], state.effective_to)
        else:
            runs.append((state.effective_from, state.effective_to))
    return runs


def _run_on(runs: list[tuple[dt.date, dt.date | None]], day: dt.date) -> dt.date | None:
    for begins, ends in runs:
        if begins <= day and (ends is None or day < ends):
            return begins
    return None


@transaction.atomic
def build_demo_meetings(today: dt.date) -> MeetingsSummary:
    """Build two years of meetings up to ``today`` and the next three months ahead."""
    summary = MeetingsSummary()
    admin = _user("admin") or _user("coordinator")
    coordinator = _user("coordinator") or admin
    chair = _user("chair") or coordinator
    if admin is None or Meeting.objects.filter(status=MeetingStatus.HELD).exists():
        # No demo users, or the meetings are there already: change nothing.
        return summary
    rng = random.Random(DEMO_SEED)  # noqa: S311 - demo data, not security
    _schedules(admin, chair, coordinator)
    members = _standing_members(admin)
    start = add_months(today, -HISTORY_MONTHS)
    # meetings_generate makes at most 24 months at a time.
    for offset in range(0, HISTORY_MONTHS + 3, 24):
        months = min(24, HISTORY_MONTHS + 3 - offset)
        services.meetings_generate(actor=admin, months=months, start=add_months(start, offset))
    meetings = list(Meeting.objects.filter(date__gte=start).order_by("date", "start_time"))
    past_level2 = [m for m in meetings if m.level == 2 and m.date < today - dt.timedelta(days=60)]
    # Two level 2 panels postponed to the Thursday three weeks later, about seven and
    # sixteen months ago: the reviews due meanwhile are late (the 12-week interval falls
    # on the panel's weekday), and the level 2 KPI is missed in those quarters.
    postponed = {_nearest(past_level2, add_months(today, -months)) for months in (7, 16)}
    postponed.discard(None)
    for meeting in meetings:
        if meeting.pk in postponed:
            meeting.date += dt.timedelta(days=23)
            meeting.sequence += 1
        # The administrator moved panels off bank holidays (Christmas Day, say).
        while selectors.holiday_of(meeting) or meeting.date.weekday() > 4:
            meeting.date -= dt.timedelta(days=1)
        meeting.save(update_fields=["date", "sequence", "updated_at"])
    meetings.sort(key=lambda m: (m.date, m.start_time))
    summary.meetings = len(meetings)

    # Every case managed at level 2 or 3 at some time in the two years, and its history.
    spells = (
        CaseState.objects.filter(level__in=(2, 3))
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=start))
        .select_related("case", "manager", "lead_agency")
        .order_by("effective_from")
    )
    cases: dict[Any, CaseState] = {}
    for state in spells:
        # The latest multi-agency state: its manager and lead agency are invited.
        cases[state.case_id] = state
    history: dict[Any, list[CaseState]] = defaultdict(list)
    for state in CaseState.objects.filter(case_id__in=list(cases)).order_by("effective_from"):
        history[state.case_id].append(state)
    runs = {case_id: _multi_agency_runs(history[case_id]) for case_id in cases}

    past = [m for m in meetings if m.date < today]
    # One level 3 panel lost its quorum; an emergency level 3 meeting four months ago.
    cancelled = next((m for m in past if m.level == 3 and m.date > add_months(today, -5)), None)
    if cancelled is not None:
        cancelled.status = MeetingStatus.CANCELLED
        cancelled.cancelled_reason = (
            "Too few standing members could attend: the cases move to the next panel"
        )
        cancelled.cancelled_at = timezone.make_aware(
            dt.datetime.combine(cancelled.date - dt.timedelta(days=3), dt.time(9))
        )
        cancelled.cancelled_by = admin
        cancelled.sequence = 1
        cancelled.save()
    emergency = Meeting.objects.create(
        level=3,
        kind=MeetingKind.EMERGENCY,
        date=add_months(today, -4) + dt.timedelta(days=3),
        start_time=dt.time(16),
        end_time=dt.time(17),
        venue="",
        video_link=VIDEO,
        chair=coordinator,
        emergency_reason="Threats made to a former partner on release: cannot wait for the "
        "next level 3 panel",
        created_by=admin,
    )
    past.append(emergency)
    past.sort(key=lambda m: (m.date, m.start_time))
    summary.meetings += 1

    held = [m for m in past if m.status != MeetingStatus.CANCELLED]
    standing_by_level: dict[int, list[StandingMember]] = defaultdict(list)
    for member in members:
        standing_by_level[member.level].append(member)

    # Replay the clock over the two years: each case goes on the last meeting at its
    # level before its discussion is due (J 10.4, 10.11). A cancelled or postponed panel,
    # or a case the meeting did not reach, makes it late.
    due: dict[Any, dt.date] = {}
    first: set[Any] = set()
    seen_run: dict[Any, dt.date] = {}
    placing = sorted(
        (m for m in meetings if m.kind != MeetingKind.EMERGENCY),
        key=lambda m: (m.date, m.start_time),
    )
    granted: set[tuple[Any, Any]] = set()
    discussed_on: dict[Any, list[tuple[dt.date, int]]] = defaultdict(list)
    emergency_done = False
    for meeting in past:
        # Cases are placed by the schedule's days: a panel postponed after the agendas
        # were set leaves its cases late rather than moving them to an earlier one.
        later = [
            m.scheduled_for or m.date
            for m in placing
            if m.level == meeting.level and m.date > meeting.date
        ]
        next_date = later[0] if later else meeting.date + dt.timedelta(days=31)
        candidates = []
        for case_id in cases:
            if _level_on(history[case_id], meeting.date) != meeting.level:
                continue
            run = _run_on(runs[case_id], meeting.date)
            if run is None:
                continue
            if seen_run.get(case_id) != run:
                # A new spell at level 2 or 3 (or the first one seen in the window).
                seen_run[case_id] = run
                if run >= start:
                    due[case_id] = run + dt.timedelta(days=21)
                    first.add(case_id)
                else:
                    interval = INTERVALS[meeting.level]
                    due[case_id] = start + dt.timedelta(days=rng.randint(0, interval))
                    first.discard(case_id)
            candidates.append(case_id)
        if meeting.kind == MeetingKind.EMERGENCY:
            candidates = [] if emergency_done or not candidates else [candidates[0]]
            emergency_done = True
        else:
            candidates = [c for c in candidates if due[c] < next_date]
        if meeting.status == MeetingStatus.CANCELLED:
            continue
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status", "updated_at"])
        summary.held += 1
        sent_at = timezone.make_aware(
            dt.datetime.combine(meeting.date - dt.timedelta(days=10), dt.time(9))
        )
        items: list[AgendaItem] = []
        for case_id in candidates:
            if meeting.kind == MeetingKind.EMERGENCY:
                kind = DiscussionKind.EMERGENCY
            elif case_id in first:
                kind = DiscussionKind.FIRST
            else:
                kind = DiscussionKind.REVIEW
            items.append(
                AgendaItem(
                    meeting=meeting,
                    case=cases[case_id].case,
                    position=len(items) + 1,
                    kind=kind,
                    due_by=due[case_id],
                    discussed=True,
                    added_by=admin,
                )
            )
        if len(items) > 3 and meeting.kind != MeetingKind.EMERGENCY and rng.random() < 0.2:
            # The meeting ran out of time for its last case: it goes to the next one.
            items[-1].discussed = False
        AgendaItem.objects.bulk_create(items)
        for item in items:
            if item.discussed:
                due[item.case_id] = meeting.date + dt.timedelta(days=INTERVALS[meeting.level])
                first.discard(item.case_id)
                discussed_on[item.case_id].append((meeting.date, meeting.level))
        summary.discussions += sum(1 for i in items if i.discussed)
        invitations, attendance = _invitations_and_attendance(
            meeting, items, standing_by_level[meeting.level], cases, sent_at, rng, admin, granted
        )
        summary.invitations += invitations
        summary.attendance += attendance
    for meeting in held:
        if meeting.pk in postponed:
            Meeting.objects.filter(pk=meeting.pk).update(cancelled_reason="", emergency_reason="")
    _decide_changes_at_meetings(history, discussed_on, start, today)

    # The person's written information, through the case manager (J 3.6).
    some = (
        AgendaItem.objects.filter(meeting__in=held, discussed=True)
        .select_related("meeting")
        .order_by("-meeting__date")
        .first()
    )
    if some is not None:
        manager = cases[some.case_id].manager or admin
        WrittenInformation.objects.create(
            agenda_item=some,
            received_on=some.meeting.date - dt.timedelta(days=4),
            summary="I have kept every appointment since my release and I have started work at "
            "a garden centre. I would like the meeting to know I have stopped drinking and go "
            "to a support group each week.",
            recorded_by=manager,
        )
    summary.upcoming_items = _upcoming(today, admin)
    return summary


def _decide_changes_at_meetings(
    history: dict[Any, list[CaseState]],
    discussed_on: dict[Any, list[tuple[dt.date, int]]],
    start: dt.date,
    today: dt.date,
) -> int:
    """A change of level away from 2 or 3 is decided at a meeting (J 10.2): the register's
    planned changes move to the last discussion at the old level before them, so the
    history says the case left the level at that meeting."""
    moved = 0
    for case_id, states in history.items():
        ordered = sorted(states, key=lambda s: s.effective_from)
        for before, after in zip(ordered, ordered[1:], strict=False):
            if before.level not in (2, 3) or after.level == before.level:
                continue
            if not start < after.effective_from <= today:
                continue
            held = [
                day
                for day, level in discussed_on.get(case_id, [])
                if level == before.level and before.effective_from < day < after.effective_from
            ]
            if not held:
                continue
            CaseState.objects.filter(pk=before.pk).update(effective_to=held[-1])
            CaseState.objects.filter(pk=after.pk).update(effective_from=held[-1])
            moved += 1
    return moved


def _invitations_and_attendance(
    meeting: Meeting,
    items: list[AgendaItem],
    standing: list[StandingMember],
    cases: dict[Any, CaseState],
    sent_at: dt.datetime,
    rng: random.Random,
    admin: Any,
    granted: set[tuple[Any, Any]],
) -> tuple[int, int]:
    invitations: list[Invitation] = []
    for member in standing:
        invitations.append(
            Invitation(
                meeting=meeting,
                agency=member.agency,
                contact=member.contact,
                name=member.contact.name,
                email=member.contact.email,
                role=member.contact.role,
                kind=InvitationKind.STANDING,
                reason=f"Level {meeting.level} standing member, {member.minimum_grade} (J 10.7)",
                standing_member=member,
                status=InvitationStatus.SENT,
                confirmed_at=sent_at,
                confirmed_by=admin,
                sent_at=sent_at,
                sent_sequence=meeting.sequence,
                attempts=1,
            )
        )
    standing_agencies = {m.agency_id: m.agency for m in standing}
    attendance: list[Attendance] = []
    for item in items:
        state = cases[item.case_id]
        manager = state.manager
        case_agencies: dict[Any, Any] = {}
        if manager is not None and manager.agency is not None:
            invitations.append(
                Invitation(
                    meeting=meeting,
                    agenda_item=item,
                    agency=manager.agency,
                    name=manager.display_name,
                    email=manager.email,
                    role=manager.job_title or "Case manager",
                    kind=InvitationKind.REFERRER,
                    reason="Case manager for the lead agency (J 10.8)",
                    status=InvitationStatus.SENT,
                    confirmed_at=sent_at,
                    confirmed_by=admin,
                    sent_at=sent_at,
                    sent_sequence=meeting.sequence,
                    attempts=1,
                )
            )
            case_agencies[manager.agency_id] = manager.agency
        for agency_id, agency in {**standing_agencies, **case_agencies}.items():
            if not item.discussed:
                if agency_id not in case_agencies:
                    continue
                status: str = AttendanceStatus.APOLOGIES
            elif agency_id in case_agencies:
                status = rng.choice(
                    [AttendanceStatus.IN_PERSON] * 5 + [AttendanceStatus.REMOTE] * 2
                )
            else:
                status = _standing_outcome(rng, agency.kind)
            seat = next((m for m in standing if m.agency_id == agency_id), None)
            attended = status in (AttendanceStatus.IN_PERSON, AttendanceStatus.REMOTE)
            representative = ""
            grade = ""
            if attended and seat is not None:
                representative, grade = seat.contact.name, seat.contact.grade
            elif attended and manager is not None:
                representative, grade = manager.display_name, manager.grade
            attendance.append(
                Attendance(
                    agenda_item=item,
                    agency=agency,
                    status=status,
                    representative=representative,
                    grade=grade,
                    recorded_by=meeting.chair or admin,
                )
            )
        for agency in {**standing_agencies, **case_agencies}.values():
            if (item.case_id, agency.pk) in granted or state.case.closed_on is not None:
                # A case closed since: its invited agencies' parts have ended (J 4.3).
                continue
            granted.add((item.case_id, agency.pk))
            case_part_grant_invited(
                case=state.case,
                agency=agency,
                on=meeting.date - dt.timedelta(days=10),
                source=f"Invited to the level {meeting.level} meeting on {meeting.date:%-d %B %Y}",
                actor=admin,
            )
    Invitation.objects.bulk_create(invitations)
    Attendance.objects.bulk_create(attendance)
    return len(invitations), len(attendance)


def _upcoming(today: dt.date, admin: Any) -> int:
    """Agendas for the next meetings, from the clock; invitations at each stage."""
    added = 0
    for level in (2, 3):
        upcoming = list(
            Meeting.objects.filter(
                level=level, status=MeetingStatus.PLANNED, date__gte=today
            ).order_by("date")[:2]
        )
        for number, meeting in enumerate(upcoming):
            for due in selectors.proposals_for(meeting, as_of=today):
                services.agenda_item_add(actor=admin, meeting=meeting, case=due.case)
                added += 1
            if number == 0:
                services.invitations_propose(actor=admin, meeting=meeting)
                if meeting.invitations.filter(status=InvitationStatus.PROPOSED).exists():
                    services.invitations_confirm(actor=admin, meeting=meeting)
                now = timezone.now()
                confirmed = list(meeting.invitations.filter(status=InvitationStatus.CONFIRMED))
                for invitation in confirmed[1:]:
                    invitation.status = InvitationStatus.SENT
                    invitation.sent_at = now
                    invitation.sent_sequence = meeting.sequence
                    invitation.attempts = 1
                    invitation.save()
                if confirmed and level == 2:
                    # One email bounced: the page shows it with "try again".
                    failed = confirmed[0]
                    failed.attempts = 1
                    failed.last_attempt_at = now
                    failed.last_error = "SMTPRecipientsRefused: the mail server refused the address"
                    failed.save()
            else:
                services.invitations_propose(actor=admin, meeting=meeting)
    return added
