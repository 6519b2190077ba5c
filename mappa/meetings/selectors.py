"""Reads for meetings: the panel days, the cases due on each, the clock's due items.

The clock (J 10.4, 10.11; decisions.md "Clocks"):

- a newly accepted referral needs its first meeting by ``referral.first_meeting_due``
  (15 working days from receipt in the community; 6 months before eligibility for
  release on temporary licence in custody, which the referral has already worked out);
- a case at level 2 or 3 needs a review within the level's interval (12 weeks at level
  2, 6 at level 3) of its previous discussion at a level 2 or 3 meeting. A case that
  came to level 2 or 3 without a meeting (recorded straight on the register, or moved
  between meetings) counts from the day it came to that level.

A discussion is an agenda item marked ``discussed`` at a meeting that was not
cancelled. A case is placed on the last meeting at its level on or before its
deadline; where none fits, the page says so and offers an emergency meeting.

Every function here runs a fixed number of queries, however many cases there are.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse

from mappa.compliance.items import DueItem, Kind
from mappa.meetings.models import (
    AgendaItem,
    Attendance,
    DiscussionKind,
    Invitation,
    InvitationStatus,
    Meeting,
    MeetingStatus,
    PanelSchedule,
    StandingMember,
)
from mappa.profiles import clocks
from mappa.profiles.calendar import holiday_name
from mappa.profiles.models import ProfileVersion
from mappa.profiles.profile import Profile
from mappa.profiles.selectors import current_area
from mappa.referrals.models import Referral, ReferralStatus
from mappa.register.models import Case, CaseState, NominalStatus

MULTI_AGENCY_LEVELS = (2, 3)


class ProfilesInForce:
    """The area's profile as in force on any day, from one query.

    Mirrors ``mappa.profiles.models.version_in_force``: the latest version effective on
    or before the day, or the first version for a day before any took effect.
    """

    def __init__(self) -> None:
        key = current_area().profile_key
        self._versions = list(
            ProfileVersion.objects.filter(key=key).order_by("effective_from", "version")
        )
        self._built: dict[int, Profile] = {}

    def on(self, day: dt.date) -> Profile:
        chosen = self._versions[0]
        for version in self._versions:
            if version.effective_from <= day:
                chosen = version
        if chosen.pk not in self._built:
            self._built[chosen.pk] = chosen.as_profile()
        return self._built[chosen.pk]


# Discussions ------------------------------------------------------------------------


def case_discussions(case: Any) -> QuerySet[AgendaItem]:
    """Every time ``case`` is (or was) on an agenda, oldest first: withdrawn items and
    cancelled meetings left out. ``discussed`` says whether it was reached."""
    return (
        AgendaItem.objects.filter(case=case, withdrawn_at__isnull=True)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting", "meeting__chair", "referral")
        .order_by("meeting__date", "meeting__start_time")
    )


def previous_discussion(item: AgendaItem) -> AgendaItem | None:
    """The last discussion of the same case before this one (for the minutes' sections
    1-8: carried over sections and last time's actions)."""
    return (
        case_discussions(item.case_id)
        .filter(discussed=True, meeting__date__lt=item.meeting.date)
        .order_by("-meeting__date", "-meeting__start_time")
        .first()
    )


def last_discussion(case: Any, *, on_or_before: dt.date | None = None) -> AgendaItem | None:
    found = case_discussions(case).filter(discussed=True)
    if on_or_before is not None:
        found = found.filter(meeting__date__lte=on_or_before)
    return found.order_by("-meeting__date", "-meeting__start_time").first()


@dataclass
class _Facts:
    """What the clock needs about one case, gathered in bulk."""

    discussed: list[tuple[dt.date, int]] = field(default_factory=list)
    # Planned, not yet reached: (meeting date, meeting id).
    scheduled: list[tuple[dt.date, Any]] = field(default_factory=list)


def _facts(case_ids: Iterable[Any], as_of: dt.date) -> dict[Any, _Facts]:
    facts: dict[Any, _Facts] = defaultdict(_Facts)
    rows = (
        AgendaItem.objects.filter(case_id__in=list(case_ids), withdrawn_at__isnull=True)
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .values_list("case_id", "meeting_id", "meeting__date", "meeting__level", "discussed")
    )
    for case_id, meeting_id, date, level, discussed in rows:
        if discussed:
            facts[case_id].discussed.append((date, level))
        elif date >= as_of:
            facts[case_id].scheduled.append((date, meeting_id))
    for fact in facts.values():
        fact.discussed.sort()
        fact.scheduled.sort()
    return facts


def level_runs(case_ids: Iterable[Any]) -> dict[Any, dt.date]:
    """For each case, the day its current spell at level 2 or 3 began."""
    history: dict[Any, list[tuple[dt.date, int]]] = defaultdict(list)
    for case_id, level, begins in CaseState.objects.filter(case_id__in=list(case_ids)).values_list(
        "case_id", "level", "effective_from"
    ):
        history[case_id].append((begins, level))
    runs: dict[Any, dt.date] = {}
    for case_id, states in history.items():
        states.sort()
        start: dt.date | None = None
        for day, level in reversed(states):
            if level not in MULTI_AGENCY_LEVELS:
                break
            start = day
        if start is not None:
            runs[case_id] = start
    return runs


def _pending_referrals(case_ids: Iterable[Any]) -> dict[Any, Referral]:
    """The latest accepted referral of each case, whatever its state."""
    latest: dict[Any, Referral] = {}
    for referral in Referral.objects.filter(
        case_id__in=list(case_ids),
        status=ReferralStatus.ACCEPTED,
        first_meeting_due__isnull=False,
        received_on__isnull=False,
    ).order_by("received_on", "created_at"):
        latest[referral.case_id] = referral
    return latest


def _first_discussion_after(facts: _Facts, day: dt.date) -> dt.date | None:
    return next((d for d, _level in facts.discussed if d >= day), None)


@dataclass(frozen=True)
class Clock:
    """Which discussion a case needs next, by when, and why."""

    kind: str  # DiscussionKind.FIRST or DiscussionKind.REVIEW
    due: dt.date
    basis_event: str
    basis_date: dt.date
    met_on: dt.date | None
    referral: Referral | None = None


def _clock(
    *,
    level: int,
    facts: _Facts,
    run_start: dt.date | None,
    referral: Referral | None,
    as_of: dt.date,
    profiles: ProfilesInForce,
) -> Clock | None:
    if referral is not None and referral.received_on and referral.first_meeting_due:
        first = _first_discussion_after(facts, referral.received_on)
        if first is None or first > as_of:
            return Clock(
                kind=DiscussionKind.FIRST,
                due=referral.first_meeting_due,
                basis_event="referral received",
                basis_date=referral.received_on,
                met_on=first,
                referral=referral,
            )
    past = [d for d, _level in facts.discussed if d <= as_of]
    last = past[-1] if past else None
    if last is not None and (run_start is None or last >= run_start):
        basis_event, basis = "previous discussion", last
    elif run_start is not None and run_start <= as_of:
        basis_event, basis = f"came to level {level}", run_start
    else:
        return None
    due = clocks.review_due(basis, level, profiles.on(basis))
    met = next((d for d, _level in facts.discussed if d > basis), None)
    return Clock(
        kind=DiscussionKind.REVIEW,
        due=due,
        basis_event=basis_event,
        basis_date=basis,
        met_on=met,
    )


def _link(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        # The project's URLs do not include the meetings pages (a trimmed URL conf).
        return ""


# The compliance clock ---------------------------------------------------------------


def due_items(as_of: dt.date) -> list[DueItem]:
    """First meetings and reviews for the compliance clock, in six queries.

    FIRST_MEETING: every accepted referral of an open case, due on its
    ``first_meeting_due``, met by the first discussion after the referral was received.
    REVIEW: every open case now at level 2 or 3 that is not waiting for its first
    meeting, due the level's interval after its previous discussion, met by the next.
    """
    profiles = ProfilesInForce()
    states = {
        s.case_id: s
        for s in CaseState.objects.filter(
            effective_to__isnull=True,
            case__closed_on__isnull=True,
            case__nominal__status=NominalStatus.ACTIVE,
        ).select_related("case")
    }
    referrals = list(
        Referral.objects.filter(
            case_id__in=list(states),
            status=ReferralStatus.ACCEPTED,
            first_meeting_due__isnull=False,
            received_on__isnull=False,
        ).order_by("received_on", "created_at")
    )
    multi = [cid for cid, s in states.items() if s.level in MULTI_AGENCY_LEVELS]
    facts = _facts(states, as_of)
    runs = level_runs(multi)
    items: list[DueItem] = []
    latest_referral: dict[Any, Referral] = {}
    for referral in referrals:
        latest_referral[referral.case_id] = referral
        state = states[referral.case_id]
        if referral.received_on is None or referral.first_meeting_due is None:
            continue
        items.append(
            DueItem(
                case_id=referral.case_id,
                case_reference=state.case.reference,
                nominal_id=state.case.nominal_id,
                level=referral.accepted_level or state.level,
                kind=Kind.FIRST_MEETING,
                basis_event="referral received",
                basis_date=referral.received_on,
                due=referral.first_meeting_due,
                met_on=_first_discussion_after(facts[referral.case_id], referral.received_on),
                agency_id=state.lead_agency_id,
                note="ROTL date missing" if referral.rotl_date_missing else "",
                link=_link("meetings:case", referral.case_id),
                extra={"referral": referral.reference},
            )
        )
    for case_id in multi:
        state = states[case_id]
        clock = _clock(
            level=state.level,
            facts=facts[case_id],
            run_start=runs.get(case_id),
            referral=latest_referral.get(case_id),
            as_of=as_of,
            profiles=profiles,
        )
        if clock is None or clock.kind != DiscussionKind.REVIEW:
            continue
        scheduled = facts[case_id].scheduled
        items.append(
            DueItem(
                case_id=case_id,
                case_reference=state.case.reference,
                nominal_id=state.case.nominal_id,
                level=state.level,
                kind=Kind.REVIEW,
                basis_event=clock.basis_event,
                basis_date=clock.basis_date,
                due=clock.due,
                met_on=clock.met_on,
                agency_id=state.lead_agency_id,
                note=(f"On the agenda for {scheduled[0][0]:%-d %B %Y}" if scheduled else ""),
                link=_link("meetings:case", case_id),
                extra={"scheduled_for": scheduled[0][0].isoformat()} if scheduled else {},
            )
        )
    return items


# Cases due at a level ---------------------------------------------------------------


@dataclass(frozen=True)
class DueCase:
    """A case that needs a discussion at a level, and the meeting proposed for it."""

    case: Case
    state: CaseState
    clock: Clock
    # The last meeting at the level on or before the deadline, or None.
    meeting: Meeting | None
    # Where none fits: the next meeting at the level (it would be late).
    next_meeting: Meeting | None
    emergency_requested: bool = False

    @property
    def kind(self) -> str:
        return self.clock.kind

    @property
    def kind_label(self) -> str:
        return str(DiscussionKind(self.clock.kind).label)

    @property
    def due(self) -> dt.date:
        return self.clock.due

    @property
    def fits(self) -> bool:
        return self.meeting is not None

    @property
    def problem(self) -> str:
        if self.fits:
            return ""
        level = self.state.level
        if self.next_meeting is None:
            return (
                f"No level {level} meeting is planned before the deadline of "
                f"{self.due:%-d %B %Y}: arrange an emergency meeting"
            )
        return (
            f"No level {level} meeting is planned before the deadline of {self.due:%-d %B %Y} "
            f"(the next is {self.next_meeting.date:%-d %B %Y}): arrange an emergency meeting"
        )


def cases_due(level: int, by_date: dt.date, *, as_of: dt.date | None = None) -> list[DueCase]:
    """The cases needing a discussion at ``level`` by ``by_date`` that are not already
    on a planned agenda, each placed on the last planned meeting at the level on or
    before its deadline (``meeting`` None where no meeting fits), soonest first.

    New accepted referrals need their first meeting by the referral's deadline (for a
    custody case, 6 months before ROTL eligibility: J 10.4); cases at the level need
    a review by the level's interval (J 10.11). Nine queries, however many cases.
    """
    from mappa.common.dates import today

    day = as_of or today()
    profiles = ProfilesInForce()
    states = {
        s.case_id: s
        for s in CaseState.objects.filter(
            effective_to__isnull=True,
            level=level,
            case__closed_on__isnull=True,
            case__nominal__status=NominalStatus.ACTIVE,
        ).select_related("case", "case__nominal", "lead_agency", "manager")
    }
    facts = _facts(states, day)
    runs = level_runs(states)
    referrals = _pending_referrals(states)
    meetings = list(
        Meeting.objects.filter(level=level, status=MeetingStatus.PLANNED, date__gte=day).order_by(
            "date", "start_time"
        )
    )
    found: list[DueCase] = []
    for case_id, state in states.items():
        fact = facts[case_id]
        if fact.scheduled:
            continue
        clock = _clock(
            level=level,
            facts=fact,
            run_start=runs.get(case_id),
            referral=referrals.get(case_id),
            as_of=day,
            profiles=profiles,
        )
        if clock is None or clock.due > by_date:
            continue
        fitting = [m for m in meetings if m.date <= clock.due]
        referral = clock.referral
        found.append(
            DueCase(
                case=state.case,
                state=state,
                clock=clock,
                meeting=fitting[-1] if fitting else None,
                next_meeting=meetings[0] if meetings and not fitting else None,
                emergency_requested=bool(referral and referral.emergency_meeting),
            )
        )
    found.sort(key=lambda d: (d.due, d.case.reference))
    return found


def clock_for_case(case: Case, level: int, *, as_of: dt.date) -> Clock | None:
    """The clock of one case (for adding it to an agenda): five small queries."""
    facts = _facts([case.pk], as_of)
    return _clock(
        level=level,
        facts=facts[case.pk],
        run_start=level_runs([case.pk]).get(case.pk),
        referral=_pending_referrals([case.pk]).get(case.pk),
        as_of=as_of,
        profiles=ProfilesInForce(),
    )


def proposals_for(meeting: Meeting, *, as_of: dt.date | None = None) -> list[DueCase]:
    """The cases the clock proposes for this meeting (not yet on its agenda)."""
    if not meeting.is_planned:
        return []
    later = (
        Meeting.objects.filter(
            level=meeting.level, status=MeetingStatus.PLANNED, date__gt=meeting.date
        )
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
    by_date = (later - dt.timedelta(days=1)) if later else meeting.date + dt.timedelta(days=31)
    return [d for d in cases_due(meeting.level, by_date, as_of=as_of) if d.meeting == meeting]


# Panel days ------------------------------------------------------------------------


@dataclass
class PanelDay:
    meeting: Meeting
    agenda_count: int
    proposed: list[DueCase]
    holiday: str | None


def panel_days(
    start: dt.date, end: dt.date, *, as_of: dt.date | None = None
) -> tuple[list[PanelDay], list[DueCase]]:
    """Level 2 and 3 meetings from ``start`` to ``end`` with the cases proposed for each,
    and the cases due by ``end`` that no meeting fits."""
    from django.db.models import Count, Q

    meetings = list(
        Meeting.objects.filter(date__gte=start, date__lte=end)
        .select_related("chair")
        .annotate(
            agenda_count=Count("agenda_items", filter=Q(agenda_items__withdrawn_at__isnull=True))
        )
        .order_by("date", "start_time")
    )
    proposed: dict[Any, list[DueCase]] = defaultdict(list)
    unplaced: list[DueCase] = []
    for level in MULTI_AGENCY_LEVELS:
        for due in cases_due(level, end, as_of=as_of):
            if due.meeting is None:
                unplaced.append(due)
            else:
                proposed[due.meeting.pk].append(due)
    profiles = ProfilesInForce()
    days = [
        PanelDay(
            meeting=m,
            agenda_count=getattr(m, "agenda_count", 0),
            proposed=proposed.get(m.pk, []),
            holiday=holiday_name(m.date, profiles.on(m.date)),
        )
        for m in meetings
    ]
    return days, unplaced


def holiday_of(meeting: Meeting) -> str | None:
    return holiday_name(meeting.date, ProfilesInForce().on(meeting.date))


# One meeting ------------------------------------------------------------------------


def meeting_agenda(meeting: Meeting, items: QuerySet[AgendaItem] | None = None) -> list[AgendaItem]:
    """The meeting's current agenda in order, with what each page row needs."""
    queryset = items if items is not None else AgendaItem.objects.filter(meeting=meeting)
    return list(
        queryset.filter(withdrawn_at__isnull=True)
        .select_related("case", "case__nominal", "referral")
        .prefetch_related(
            Prefetch("attendance", queryset=Attendance.objects.select_related("agency")),
            "written_information",
        )
        .order_by("position", "created_at")
    )


def withdrawn_items(meeting: Meeting) -> list[AgendaItem]:
    return list(
        AgendaItem.objects.filter(meeting=meeting, withdrawn_at__isnull=False)
        .select_related("case", "withdrawn_by")
        .order_by("withdrawn_at")
    )


def meeting_invitations(meeting: Meeting) -> list[Invitation]:
    return list(
        Invitation.objects.filter(meeting=meeting)
        .select_related("agency", "agenda_item", "agenda_item__case", "contact")
        .order_by("agenda_item__position", "kind", "agency__name", "name")
    )


def delivery_pending(meeting: Meeting) -> list[Invitation]:
    """Invitations whose email (invitation, update or cancellation) has not gone yet."""
    pending = []
    for invitation in Invitation.objects.filter(meeting=meeting).exclude(email=""):
        if _needs_delivery(meeting, invitation):
            pending.append(invitation)
    return pending


def _needs_delivery(meeting: Meeting, invitation: Invitation) -> bool:
    if meeting.status == MeetingStatus.CANCELLED or invitation.status == InvitationStatus.CANCELLED:
        return invitation.sent_at is not None and invitation.cancel_sent_at is None
    if meeting.status != MeetingStatus.PLANNED:
        return False
    if invitation.status == InvitationStatus.CONFIRMED:
        return True
    return bool(
        invitation.status == InvitationStatus.SENT
        and (invitation.sent_sequence or 0) < meeting.sequence
    )


def needs_delivery(meeting: Meeting, invitation: Invitation) -> bool:
    return _needs_delivery(meeting, invitation)


def failed_deliveries(meeting: Meeting) -> list[Invitation]:
    """Pending deliveries that have been tried and failed: the page says "try again"."""
    return [i for i in delivery_pending(meeting) if i.attempts > 0 and i.last_error]


def standing_members(level: int | None = None) -> QuerySet[StandingMember]:
    members = StandingMember.objects.select_related("agency", "contact")
    if level is not None:
        members = members.filter(level=level)
    return members


def schedules() -> QuerySet[PanelSchedule]:
    return PanelSchedule.objects.select_related("chair").order_by(
        "level", "week_of_month", "weekday"
    )


def organiser_email() -> str:
    return str(
        getattr(settings, "MAPPA_COORDINATION_EMAIL", "")
        or getattr(settings, "DEFAULT_FROM_EMAIL", "")
    )
