"""The case quality audit (J 14.3, 16.1 "defensibility"): what was not done, or not
done in time, on a case, at a meeting, and across the area.

"Was everything that could reasonably have been done to prevent offenders from
re-offending actually done?" The audit answers from the record with five kinds of
finding:

- **time limits missed** (decisions.md "Clocks"): identification, referral, first
  meeting, review meeting, minutes, level 1 review, police home visit. The compliance
  clock (``mappa.compliance``) evaluates only each case's *current* item of most
  clocks; the audit needs every past item too, met late or never met. So the history
  is worked out here for the cases asked about, from the same recorded events
  (eligibility events, referrals, discussions, minutes, level 1 reviews, home visits,
  the dated case history) and the same profile clocks (``mappa.profiles.clocks``),
  with the profile in force on each basis date. A met item is late by ``met - due``
  days; an item never met is late by the days from its due date to the day its clock
  stopped (the case left the level, a later eligibility event replaced it) or, while
  it is still open, to the day asked about. On the due date itself is on time.
- **actions not completed by their date** (MAPPA B s.15): completed late, closed as not
  completed, or still open past the deadline.
- **case discussions without a disclosure decision** (J 5.2): no minutes, or minutes
  that record neither "yes" nor "no" with reasons.
- **distributed plans without a victim-protection action or a contingency** (J 7.2,
  8.3; ``mappa.minutes.rules``): only actions the agencies can deliver count, as in
  the rule the minutes are finalised by.
- **attendance gaps** (J 16.2): an agency invited to a case discussion (to the whole
  meeting as a standing member, or to that discussion) that neither attended in person,
  by video or phone, nor sent a report.

Findings are gathered for a set of cases at once, with one query per kind of record,
so the number of queries does not grow with a case's history or with the number of
cases on a meeting's agenda.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from mappa.access.models import Agency, AgencyKind
from mappa.common.dates import today
from mappa.compliance.items import KIND_LABELS, Kind
from mappa.meetings.models import (
    COUNTS_AS_ATTENDED,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    Invitation,
    InvitationStatus,
    Meeting,
    MeetingStatus,
)
from mappa.meetings.selectors import ProfilesInForce
from mappa.minutes.models import (
    Action,
    ActionReview,
    ActionState,
    Level1Review,
    Minutes,
    MinutesAmendment,
    MinutesStatus,
    RoshLevel,
    YesNo,
)
from mappa.profiles import clocks
from mappa.referrals.models import EligibilityEvent, Referral, ReferralStatus
from mappa.register.models import Case, CaseState, Category

MULTI_AGENCY_LEVELS = (2, 3)


class PeriodError(ValueError):
    """A period the area list refuses, with the message a user reads."""


# What a finding is ----------------------------------------------------------------------


@dataclass(frozen=True)
class MissedLimit:
    """One time limit missed: met late, or not met by the day its clock stopped."""

    case_id: Any
    kind: Kind
    basis_event: str
    basis_date: dt.date
    due: dt.date
    met_on: dt.date | None
    days_late: int
    agency_id: int | None
    # Still outstanding on the day asked about (overdue now).
    outstanding: bool = False
    note: str = ""
    meeting_id: Any = None
    meeting_date: dt.date | None = None
    agenda_item_id: Any = None
    minutes_id: Any = None
    referral_id: Any = None
    level: int | None = None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def state_label(self) -> str:
        if self.outstanding:
            return "Overdue"
        if self.met_on is not None:
            return "Met late"
        return "Not met"


@dataclass(frozen=True)
class LateAction:
    """An action of a plan not done by its deadline (MAPPA B s.15)."""

    case_id: Any
    action_id: Any
    minutes_id: Any
    meeting_id: Any
    meeting_date: dt.date
    number: int
    description: str
    agency_id: int | None
    owner_name: str
    state: str
    due: dt.date
    done_on: dt.date | None
    # None where the action was closed as not completed and no date says when.
    days_late: int | None

    @property
    def state_label(self) -> str:
        if self.state == ActionState.COMPLETED:
            return "Completed late"
        if self.state == ActionState.NOT_COMPLETED:
            return "Not completed"
        return "Open and overdue"


@dataclass(frozen=True)
class MissingDisclosure:
    """A case discussion whose minutes record no decision on disclosure (J 5.2)."""

    case_id: Any
    agenda_item_id: Any
    meeting_id: Any
    meeting_date: dt.date
    level: int
    minutes_id: Any
    minutes_status: str
    reason: str


@dataclass(frozen=True)
class PlanGap:
    """Distributed minutes whose plan lacks a victim action or a contingency (J 7.2, 8.3)."""

    case_id: Any
    minutes_id: Any
    meeting_id: Any
    meeting_date: dt.date
    level: int
    no_victim_action: bool
    no_contingency: bool

    @property
    def missing(self) -> str:
        parts = []
        if self.no_victim_action:
            parts.append("no action to protect victims")
        if self.no_contingency:
            parts.append("no contingency plan")
        text = " and ".join(parts)
        return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class AttendanceGap:
    """An invited agency that neither attended a case discussion nor sent a report."""

    case_id: Any
    agenda_item_id: Any
    meeting_id: Any
    meeting_date: dt.date
    level: int
    agency_id: int
    status: str  # an AttendanceStatus, or "" when nothing was recorded

    @property
    def status_label(self) -> str:
        if not self.status:
            return "No attendance recorded"
        return str(AttendanceStatus(self.status).label)


@dataclass
class AgencyTotals:
    """One agency's share: the clocks it was responsible for, its actions, its absences."""

    agency_id: int | None
    agency_name: str = ""
    time_limits: int = 0
    time_limit_days: int = 0
    actions: int = 0
    action_days: int = 0
    attendance_gaps: int = 0

    @property
    def total(self) -> int:
        return self.time_limits + self.actions + self.attendance_gaps


@dataclass
class CaseAudit:
    case_id: Any
    reference: str
    nominal_id: Any
    nominal_name: str
    level: int | None
    lead_agency_id: int | None
    time_limits: list[MissedLimit] = field(default_factory=list)
    actions: list[LateAction] = field(default_factory=list)
    disclosure: list[MissingDisclosure] = field(default_factory=list)
    plans: list[PlanGap] = field(default_factory=list)
    attendance: list[AttendanceGap] = field(default_factory=list)
    # How many items of each clock were counted (met on time or not), for context.
    limits_counted: int = 0

    @property
    def finding_count(self) -> int:
        return (
            len(self.time_limits)
            + len(self.actions)
            + len(self.disclosure)
            + len(self.plans)
            + len(self.attendance)
        )

    @property
    def has_findings(self) -> bool:
        return self.finding_count > 0

    def per_agency(self, names: dict[int, str]) -> list[AgencyTotals]:
        return per_agency([self], names)


def per_agency(audits: Iterable[CaseAudit], names: dict[int, str]) -> list[AgencyTotals]:
    """The figures summed per agency: the agency responsible for each missed clock, each
    late action's agency, each absent agency. Biggest share first."""
    totals: dict[int | None, AgencyTotals] = {}

    def row(agency_id: int | None) -> AgencyTotals:
        if agency_id not in totals:
            name = names.get(agency_id, "") if agency_id is not None else ""
            totals[agency_id] = AgencyTotals(agency_id, name or "No agency recorded")
        return totals[agency_id]

    for audit in audits:
        for limit in audit.time_limits:
            found = row(limit.agency_id)
            found.time_limits += 1
            found.time_limit_days += limit.days_late
        for action in audit.actions:
            found = row(action.agency_id)
            found.actions += 1
            found.action_days += action.days_late or 0
        for gap in audit.attendance:
            row(gap.agency_id).attendance_gaps += 1
    return sorted(totals.values(), key=lambda t: (-t.total, t.agency_name))


def summary_text(audits: Iterable[CaseAudit]) -> str:
    """ "3 time limits missed, 2 actions overdue, ..." (or that nothing was found)."""
    counted = list(audits)
    figures = [
        (sum(len(a.time_limits) for a in counted), "time limit missed", "time limits missed"),
        (
            sum(len(a.actions) for a in counted),
            "action not done by its deadline",
            "actions not done by their deadline",
        ),
        (
            sum(len(a.disclosure) for a in counted),
            "case discussion without a disclosure decision",
            "case discussions without a disclosure decision",
        ),
        (
            sum(len(a.plans) for a in counted),
            "plan without a victim action or contingency",
            "plans without a victim action or contingency",
        ),
        (sum(len(a.attendance) for a in counted), "attendance gap", "attendance gaps"),
    ]
    parts = [f"{n} {one if n == 1 else many}" for n, one, many in figures if n]
    if not parts:
        return "Nothing was found missed, late or missing."
    return ", ".join(parts) + "."


# Dated history helpers ------------------------------------------------------------------


class History:
    """A case's dated states (category, level, lead agency), asked by day."""

    def __init__(self, states: list[CaseState]) -> None:
        self.states = sorted(states, key=lambda s: (s.effective_from, s.recorded_at))
        self._starts = [s.effective_from for s in self.states]

    def on(self, day: dt.date) -> CaseState | None:
        index = bisect_right(self._starts, day)
        if index == 0:
            return self.states[0] if self.states else None
        return self.states[index - 1]

    def lead_on(self, day: dt.date) -> int | None:
        state = self.on(day)
        return state.lead_agency_id if state else None

    def spells(
        self, keep: Callable[[CaseState], bool], closed_on: dt.date | None
    ) -> list[tuple[dt.date, dt.date | None]]:
        """Unbroken runs of states ``keep`` accepts: ``(first day, first day after)``."""
        found: list[tuple[dt.date, dt.date | None]] = []
        start: dt.date | None = None
        for state in self.states:
            if keep(state):
                if start is None:
                    start = state.effective_from
            elif start is not None:
                found.append((start, state.effective_from))
                start = None
        if start is not None:
            last = self.states[-1]
            found.append((start, last.effective_to or closed_on))
        return [(s, e) for s, e in found if e is None or e > s]


@dataclass(frozen=True)
class _Step:
    basis_event: str
    basis_date: dt.date
    due: dt.date
    met_on: dt.date | None
    days_late: int
    outstanding: bool
    note: str


def _chain(
    *,
    first_basis: tuple[str, dt.date],
    events: list[dt.date],
    event_label: str,
    end: dt.date | None,
    end_label: str,
    due_for: Callable[[dt.date], dt.date | None],
    as_of: dt.date,
) -> list[_Step]:
    """A repeating clock: due a set time after its basis, met by the next event after
    the basis, which becomes the next basis. It stops when ``end`` comes (the case
    left the level or category): an event on that day still meets it.
    """
    steps: list[_Step] = []
    label, basis = first_basis
    while basis <= as_of:
        due = due_for(basis)
        later = [d for d in events if d > basis and d <= as_of and (end is None or d <= end)]
        met = later[0] if later else None
        if due is None:
            if met is None:
                break
            label, basis = event_label, met
            continue
        if met is not None:
            steps.append(_Step(label, basis, due, met, max((met - due).days, 0), False, ""))
            label, basis = event_label, met
            if end is not None and met >= end:
                break
            continue
        if end is not None and end <= as_of:
            if end > due:
                note = f"Not met before the case {end_label} on {end:%-d %B %Y}"
                steps.append(_Step(label, basis, due, None, (end - due).days, False, note))
            break
        if as_of > due:
            steps.append(_Step(label, basis, due, None, (as_of - due).days, True, ""))
        else:
            steps.append(_Step(label, basis, due, None, 0, False, "not yet due"))
        break
    return steps


# Gathering -------------------------------------------------------------------------------


def _agency_of_kind(kind: str) -> int | None:
    return (
        Agency.objects.filter(kind=kind, active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


def agency_names() -> dict[int, str]:
    return dict(Agency.objects.values_list("pk", "name"))


def _effective(minutes: Minutes, name: str, amendments: list[MinutesAmendment]) -> Any:
    """A field as amended (the latest amendment wins), else as written."""
    found = [a for a in amendments if a.field == name]
    return found[-1].after if found else getattr(minutes, name)


def _filled(value: Any) -> bool:
    return bool(str(value or "").strip())


class _Facts:
    """Everything the audit reads about a set of cases, one query per kind of record."""

    def __init__(self, case_ids: list[Any], as_of: dt.date) -> None:
        self.as_of = as_of
        self.cases = {
            c.pk: c for c in Case.objects.filter(pk__in=case_ids).select_related("nominal")
        }
        nominal_ids = {c.nominal_id for c in self.cases.values()}
        self.history: dict[Any, History] = {}
        by_case: dict[Any, list[CaseState]] = defaultdict(list)
        for state in CaseState.objects.filter(case_id__in=case_ids):
            by_case[state.case_id].append(state)
        for case_id in self.cases:
            self.history[case_id] = History(by_case.get(case_id, []))
        # Every case of each person, to tell which eligibility events belong to which.
        self.spells_of_nominal: dict[Any, list[tuple[dt.date, dt.date | None, Any]]] = defaultdict(
            list
        )
        for pk, nominal_id, opened, closed in Case.objects.filter(
            nominal_id__in=nominal_ids
        ).values_list("pk", "nominal_id", "opened_on", "closed_on"):
            self.spells_of_nominal[nominal_id].append((opened, closed, pk))
        for spells in self.spells_of_nominal.values():
            spells.sort(key=lambda s: s[0])
        self.events: dict[Any, list[EligibilityEvent]] = defaultdict(list)
        for event in EligibilityEvent.objects.filter(
            nominal_id__in=nominal_ids, event_date__lte=as_of
        ).order_by("event_date", "created_at"):
            case_id = self._case_of_event(event)
            if case_id is not None:
                self.events[case_id].append(event)
        self.referrals: dict[Any, list[Referral]] = defaultdict(list)
        for referral in Referral.objects.filter(case_id__in=case_ids).order_by(
            "received_on", "created_at"
        ):
            self.referrals[referral.case_id].append(referral)
        # Case discussions: every agenda item not withdrawn at a meeting not cancelled.
        self.items: dict[Any, list[AgendaItem]] = defaultdict(list)
        for item in (
            AgendaItem.objects.filter(
                case_id__in=case_ids, withdrawn_at__isnull=True, meeting__date__lte=as_of
            )
            .exclude(meeting__status=MeetingStatus.CANCELLED)
            .select_related("meeting", "minutes")
            .order_by("meeting__date", "meeting__start_time")
        ):
            self.items[item.case_id].append(item)
        minutes_ids = [
            m.pk for items in self.items.values() for i in items if (m := _minutes_of(i))
        ]
        self.amendments: dict[Any, list[MinutesAmendment]] = defaultdict(list)
        for amendment in MinutesAmendment.objects.filter(minutes_id__in=minutes_ids).order_by(
            "at", "pk"
        ):
            self.amendments[amendment.minutes_id].append(amendment)
        self.actions: dict[Any, list[Action]] = defaultdict(list)
        self.actions_of_minutes: dict[Any, list[Action]] = defaultdict(list)
        for action in (
            Action.objects.filter(case_id__in=case_ids)
            .exclude(minutes__status=MinutesStatus.DRAFT)
            .select_related("minutes__agenda_item__meeting")
            .order_by("minutes__agenda_item__meeting__date", "number")
        ):
            self.actions[action.case_id].append(action)
            self.actions_of_minutes[action.minutes_id].append(action)
        # The day an action was found not completed: the meeting that reviewed it.
        self.not_completed_on: dict[Any, dt.date] = {}
        for action_id, day in (
            ActionReview.objects.filter(action__case_id__in=case_ids, completed=YesNo.NO)
            .exclude(minutes__status=MinutesStatus.DRAFT)
            .values_list("action_id", "minutes__agenda_item__meeting__date")
            .order_by("minutes__agenda_item__meeting__date")
        ):
            self.not_completed_on.setdefault(action_id, day)
        self.level1_reviews: dict[Any, list[dt.date]] = defaultdict(list)
        for case_id, day in (
            Level1Review.objects.filter(case_id__in=case_ids, review_date__lte=as_of)
            .order_by("review_date")
            .values_list("case_id", "review_date")
        ):
            self.level1_reviews[case_id].append(day)
        item_ids = [i.pk for items in self.items.values() for i in items]
        meeting_ids = {i.meeting_id for items in self.items.values() for i in items}
        self.invited: dict[Any, set[int]] = defaultdict(set)
        self._whole_meeting: dict[Any, set[int]] = defaultdict(set)
        for meeting_id, item_id, agency_id in Invitation.objects.filter(
            meeting_id__in=meeting_ids,
            status__in=(InvitationStatus.CONFIRMED, InvitationStatus.SENT),
        ).values_list("meeting_id", "agenda_item_id", "agency_id"):
            if item_id is None:
                self._whole_meeting[meeting_id].add(agency_id)
            else:
                self.invited[item_id].add(agency_id)
        self.attendance: dict[Any, dict[int, str]] = defaultdict(dict)
        for item_id, agency_id, status in Attendance.objects.filter(
            agenda_item_id__in=item_ids
        ).values_list("agenda_item_id", "agency_id", "status"):
            self.attendance[item_id][agency_id] = status
        self._home_visit_facts(nominal_ids)
        self.profiles = ProfilesInForce()
        self.coordination = _agency_of_kind(AgencyKind.COORDINATION)

    def invited_to(self, item: AgendaItem) -> set[int]:
        return self.invited.get(item.pk, set()) | self._whole_meeting.get(item.meeting_id, set())

    def _case_of_event(self, event: EligibilityEvent) -> Any:
        """The case an eligibility event belongs to: the spell open on its date, else the
        next one opened after it (the event led to the case being opened)."""
        spells = self.spells_of_nominal.get(event.nominal_id, [])
        for opened, closed, pk in spells:
            if opened <= event.event_date and (closed is None or event.event_date <= closed):
                return pk if pk in self.cases else None
        for opened, _closed, pk in spells:
            if opened >= event.event_date:
                return pk if pk in self.cases else None
        return None

    def _home_visit_facts(self, nominal_ids: set[Any]) -> None:
        from mappa.assessments.models import Assessment, HomeVisit, Tool, VisitOutcome

        self.visits: dict[Any, list[dt.date]] = defaultdict(list)
        for nominal_id, day in (
            HomeVisit.objects.filter(nominal_id__in=nominal_ids, outcome=VisitOutcome.SEEN)
            .order_by("visited_on")
            .values_list("nominal_id", "visited_on")
        ):
            self.visits[nominal_id].append(day)
        self.assessments: dict[Any, list[tuple[dt.date, bool, int | None, str]]] = defaultdict(list)
        for assessment in (
            Assessment.objects.filter(
                nominal_id__in=nominal_ids,
                tool__in=[Tool.OVERALL_ROSH, Tool.OASYS_ROSH_COMMUNITY],
            )
            .select_related("overallrosh", "oasysroshcommunity")
            .order_by("completed_on", "created_at")
        ):
            overall = assessment.tool == Tool.OVERALL_ROSH
            level = (
                assessment.overallrosh.level if overall else assessment.oasysroshcommunity.highest
            )
            self.assessments[assessment.nominal_id].append(
                (assessment.completed_on, overall, assessment.agency_id, str(level))
            )
        # The meeting's view of risk (J 14.9): confirmed minutes, as amended.
        self.meeting_views: dict[Any, list[tuple[dt.date, str]]] = defaultdict(list)
        views = (
            Minutes.objects.filter(case__nominal_id__in=nominal_ids)
            .exclude(status=MinutesStatus.DRAFT)
            .exclude(rosh="")
            .select_related("agenda_item__meeting", "case")
            .prefetch_related("amendments")
            .order_by("agenda_item__meeting__date", "agenda_item__meeting__start_time")
        )
        for minutes in views:
            level = _effective(minutes, "rosh", list(minutes.amendments.all()))
            if level in RoshLevel.values:
                self.meeting_views[minutes.case.nominal_id].append(
                    (minutes.agenda_item.meeting.date, str(level))
                )

    def risk_on(self, case: Case, day: dt.date) -> str | None:
        """The overall risk level at which the person was managed on ``day``, by the same
        rule as ``mappa.assessments.risk.overall_risk_level``: the latest meeting's view,
        else the lead agency's latest assessment (on the same day the overall judgement
        wins), else anyone's."""
        views = [
            level for when, level in self.meeting_views.get(case.nominal_id, []) if when <= day
        ]
        if views:
            return views[-1]
        found = [a for a in self.assessments.get(case.nominal_id, []) if a[0] <= day]
        lead = self.history[case.pk].lead_on(day)
        pool = [a for a in found if a[2] == lead] or found
        if not pool:
            return None
        pool.sort(key=lambda a: (a[0], a[1]))
        return pool[-1][3]


def _minutes_of(item: AgendaItem) -> Minutes | None:
    try:
        return item.minutes
    except Minutes.DoesNotExist:
        return None


def _discussed(facts: _Facts, case_id: Any) -> list[AgendaItem]:
    return [i for i in facts.items.get(case_id, []) if i.discussed]


# The time limits ---------------------------------------------------------------------------


def _identification_and_referral(facts: _Facts, case: Case) -> list[MissedLimit]:
    """J 3.3: identified within the limit of each eligibility event; referred by 6 months
    before planned release (a PDP on the day identified). Each event's referral clock is
    met by the first referral sent on or after it, and replaced by the next event."""
    history = facts.history[case.pk]
    out: list[MissedLimit] = []
    events = facts.events.get(case.pk, [])
    sent = sorted(
        timezone.localdate(r.submitted_at)
        for r in facts.referrals.get(case.pk, [])
        if r.submitted_at is not None
    )
    referral_of_day = {
        timezone.localdate(r.submitted_at): r.pk
        for r in facts.referrals.get(case.pk, [])
        if r.submitted_at is not None
    }
    for index, event in enumerate(events):
        profile = facts.profiles.on(event.event_date)
        due = clocks.identification_due(event.event_date, profile)
        late = (event.identified_on - due).days
        basis = event.get_kind_display().lower()
        lead = history.lead_on(event.event_date)
        if late > 0:
            out.append(
                MissedLimit(
                    case_id=case.pk,
                    kind=Kind.IDENTIFICATION,
                    basis_event=basis,
                    basis_date=event.event_date,
                    due=due,
                    met_on=event.identified_on,
                    days_late=late,
                    agency_id=event.recorded_by_agency_id or lead,
                )
            )
        state = history.on(event.identified_on)
        is_pdp = bool(state and state.category == Category.PDP)
        profile = facts.profiles.on(event.identified_on)
        due = clocks.referral_due(event.planned_release_date, is_pdp, event.identified_on, profile)
        following = events[index + 1].event_date if index + 1 < len(events) else None
        met = next(
            (d for d in sent if d >= event.event_date and (following is None or d < following)),
            None,
        )
        basis_pair = (
            ("planned release", event.planned_release_date)
            if event.planned_release_date and not is_pdp
            else ("identified as eligible", event.identified_on)
        )
        common: dict[str, Any] = {
            "case_id": case.pk,
            "kind": Kind.REFERRAL,
            "basis_event": basis_pair[0],
            "basis_date": basis_pair[1] or event.identified_on,
            "due": due,
            "agency_id": history.lead_on(due),
        }
        if met is not None:
            if met > due:
                out.append(
                    MissedLimit(
                        **common,
                        met_on=met,
                        days_late=(met - due).days,
                        referral_id=referral_of_day.get(met),
                    )
                )
        elif following is not None:
            if following > due:
                out.append(
                    MissedLimit(
                        **common,
                        met_on=None,
                        days_late=(following - due).days,
                        note=f"Not referred before the next eligibility event on {following:%-d %B %Y}",
                    )
                )
        elif facts.as_of > due:
            out.append(
                MissedLimit(
                    **common, met_on=None, days_late=(facts.as_of - due).days, outstanding=True
                )
            )
    return out


def _first_meetings(facts: _Facts, case: Case) -> list[MissedLimit]:
    """J 10.4: every accepted referral's first meeting by its deadline, met by the first
    discussion on or after the day the referral was received."""
    history = facts.history[case.pk]
    discussed = _discussed(facts, case.pk)
    out: list[MissedLimit] = []
    for referral in facts.referrals.get(case.pk, []):
        if (
            referral.status != ReferralStatus.ACCEPTED
            or referral.received_on is None
            or referral.first_meeting_due is None
        ):
            continue
        due = referral.first_meeting_due
        first = next((i for i in discussed if i.meeting.date >= referral.received_on), None)
        common: dict[str, Any] = {
            "case_id": case.pk,
            "kind": Kind.FIRST_MEETING,
            "basis_event": "referral received",
            "basis_date": referral.received_on,
            "due": due,
            "agency_id": history.lead_on(due),
            "referral_id": referral.pk,
            "note": "ROTL date missing" if referral.rotl_date_missing else "",
        }
        if first is not None and first.meeting.date > due:
            out.append(
                MissedLimit(
                    **common,
                    met_on=first.meeting.date,
                    days_late=(first.meeting.date - due).days,
                    meeting_id=first.meeting_id,
                    meeting_date=first.meeting.date,
                    agenda_item_id=first.pk,
                    level=first.meeting.level,
                )
            )
        elif first is None and facts.as_of > due:
            out.append(
                MissedLimit(
                    **common, met_on=None, days_late=(facts.as_of - due).days, outstanding=True
                )
            )
    return out


def _reviews(facts: _Facts, case: Case) -> tuple[list[MissedLimit], int]:
    """J 10.11: while a case is at level 2 or 3, its next discussion is due the level's
    interval after the previous one (the level in force on that day), or after it came
    to the level; a case leaving level 2 and 3 before the due date owes nothing."""
    history = facts.history[case.pk]
    discussed = _discussed(facts, case.pk)
    by_date = {i.meeting.date: i for i in discussed}
    dates = sorted(by_date)
    received = [
        r.received_on
        for r in facts.referrals.get(case.pk, [])
        if r.status == ReferralStatus.ACCEPTED and r.received_on and r.first_meeting_due
    ]
    out: list[MissedLimit] = []
    counted = 0
    for start, end in history.spells(lambda s: s.level in MULTI_AGENCY_LEVELS, case.closed_on):
        state = history.on(start)
        first: tuple[str, dt.date] = (f"came to level {state.level if state else ''}", start)
        if start in by_date:
            first = ("previous discussion", start)

        def due_for(basis: dt.date) -> dt.date | None:
            found = history.on(basis)
            if found is None or found.level not in MULTI_AGENCY_LEVELS:
                return None
            return clocks.review_due(basis, found.level, facts.profiles.on(basis))

        before = [d for d in dates if d < start]
        for step in _chain(
            first_basis=first,
            events=dates,
            event_label="previous discussion",
            end=end,
            end_label="left level 2 and 3",
            due_for=due_for,
            as_of=facts.as_of,
        ):
            if step.note == "not yet due":
                continue
            if step.basis_event.startswith("came to level") and _awaiting_first_meeting(
                received, after=before[-1] if before else None, by=step.met_on or facts.as_of
            ):
                # The first meeting's own deadline governs until it is held (J 10.4),
                # as on the compliance clock: not counted twice.
                continue
            counted += 1
            if step.days_late <= 0:
                continue
            met_item = by_date.get(step.met_on) if step.met_on else None
            level_state = history.on(step.basis_date)
            out.append(
                MissedLimit(
                    case_id=case.pk,
                    kind=Kind.REVIEW,
                    basis_event=step.basis_event,
                    basis_date=step.basis_date,
                    due=step.due,
                    met_on=step.met_on,
                    days_late=step.days_late,
                    agency_id=history.lead_on(step.due),
                    outstanding=step.outstanding,
                    note=step.note,
                    meeting_id=met_item.meeting_id if met_item else None,
                    meeting_date=met_item.meeting.date if met_item else None,
                    agenda_item_id=met_item.pk if met_item else None,
                    level=level_state.level if level_state else None,
                )
            )
    return out, counted


def _awaiting_first_meeting(received: list[dt.date], *, after: dt.date | None, by: dt.date) -> bool:
    return any((after is None or day > after) and day <= by for day in received)


def _minutes(facts: _Facts, case: Case) -> tuple[list[MissedLimit], int]:
    """J 10.12: minutes distributed within 10 working days (level 2) or 5 (level 3) of
    the meeting. Which discussions owe minutes is the compliance clock's rule."""
    out: list[MissedLimit] = []
    counted = 0
    for item in facts.items.get(case.pk, []):
        minutes = _minutes_of(item)
        meeting = item.meeting
        if not (item.discussed or meeting.status == MeetingStatus.HELD or minutes is not None):
            continue
        if meeting.level not in MULTI_AGENCY_LEVELS:
            continue
        due = clocks.minutes_due(meeting.date, meeting.level, facts.profiles.on(meeting.date))
        met = minutes.distributed_on if minutes is not None else None
        if met is not None and met > facts.as_of:
            met = None
        if met is None and facts.as_of <= due:
            continue
        counted += 1
        late = (met - due).days if met is not None else (facts.as_of - due).days
        if late <= 0:
            continue
        out.append(
            MissedLimit(
                case_id=case.pk,
                kind=Kind.MINUTES,
                basis_event=f"level {meeting.level} meeting",
                basis_date=meeting.date,
                due=due,
                met_on=met,
                days_late=late,
                agency_id=facts.coordination,
                outstanding=met is None,
                note=(
                    "Minutes not started"
                    if minutes is None
                    else f"Minutes {minutes.get_status_display().lower()}"
                )
                if met is None
                else "",
                meeting_id=meeting.pk,
                meeting_date=meeting.date,
                agenda_item_id=item.pk,
                minutes_id=minutes.pk if minutes is not None else None,
                level=meeting.level,
            )
        )
    return out, counted


def _level1_reviews(facts: _Facts, case: Case) -> tuple[list[MissedLimit], int]:
    """J 9.2: the lead agency reviews a level 1 case every 3 months from the later of
    the move to level 1 and the last review."""
    history = facts.history[case.pk]
    reviews = facts.level1_reviews.get(case.pk, [])
    out: list[MissedLimit] = []
    counted = 0
    for start, end in history.spells(lambda s: s.level == 1, case.closed_on):

        def due_for(basis: dt.date, since: dt.date = start) -> dt.date:
            last = basis if basis != since else None
            return clocks.level1_review_due(since, last, facts.profiles.on(basis))

        for step in _chain(
            first_basis=("moved to level 1", start),
            events=reviews,
            event_label="last level 1 review",
            end=end,
            end_label="left level 1",
            due_for=due_for,
            as_of=facts.as_of,
        ):
            if step.note == "not yet due":
                continue
            counted += 1
            if step.days_late <= 0:
                continue
            out.append(
                MissedLimit(
                    case_id=case.pk,
                    kind=Kind.LEVEL1_REVIEW,
                    basis_event=step.basis_event,
                    basis_date=step.basis_date,
                    due=step.due,
                    met_on=step.met_on,
                    days_late=step.days_late,
                    agency_id=history.lead_on(step.due),
                    outstanding=step.outstanding,
                    note=step.note,
                    level=1,
                )
            )
    return out, counted


def _home_visits(facts: _Facts, case: Case, police: int | None) -> tuple[list[MissedLimit], int]:
    """J 14.9: police visits to a registered sexual offender (category 1) by the overall
    risk at which the person was managed on the day of the last visit."""
    history = facts.history[case.pk]
    visits = facts.visits.get(case.nominal_id, [])
    out: list[MissedLimit] = []
    counted = 0
    for start, end in history.spells(lambda s: s.category == Category.CATEGORY_1, case.closed_on):
        before = [d for d in visits if d <= start]
        first = (
            ("last completed home visit", before[-1])
            if before
            else ("registration as a category 1 case", start)
        )

        def due_for(basis: dt.date) -> dt.date | None:
            risk = facts.risk_on(case, basis)
            if risk is None:
                return None
            return clocks.home_visit_due(basis, risk, facts.profiles.on(basis))

        for step in _chain(
            first_basis=first,
            events=visits,
            event_label="last completed home visit",
            end=end,
            end_label="left category 1",
            due_for=due_for,
            as_of=facts.as_of,
        ):
            if step.note == "not yet due":
                continue
            counted += 1
            if step.days_late <= 0:
                continue
            out.append(
                MissedLimit(
                    case_id=case.pk,
                    kind=Kind.HOME_VISIT,
                    basis_event=step.basis_event,
                    basis_date=step.basis_date,
                    due=step.due,
                    met_on=step.met_on,
                    days_late=step.days_late,
                    agency_id=police,
                    outstanding=step.outstanding,
                    note=step.note or _risk_note(facts.risk_on(case, step.basis_date)),
                )
            )
    return out, counted


def _risk_note(risk: str | None) -> str:
    return f"Overall risk: {RoshLevel(risk).label.lower()}" if risk in RoshLevel.values else ""


# Actions, disclosure, plans, attendance ------------------------------------------------------


def _responsible_agency(action: Action) -> int | None:
    """The agency that owned the action on its deadline: a later transfer to the lead
    agency (the case left level 2 or 3) does not move an earlier failure."""
    if (
        action.original_agency_id is not None
        and action.transferred_on is not None
        and action.due_date is not None
        and action.transferred_on > action.due_date
    ):
        return action.original_agency_id
    return action.agency_id


def _late_actions(facts: _Facts, case: Case) -> list[LateAction]:
    out: list[LateAction] = []
    for action in facts.actions.get(case.pk, []):
        if action.due_date is None or action.refer_to_next_meeting:
            continue
        if action.state == ActionState.REFERRED:
            continue
        due = action.due_date
        done: dt.date | None = None
        late: int | None
        if action.state == ActionState.COMPLETED:
            done = action.completed_on
            if done is None or done <= due:
                continue
            late = (done - due).days
        elif action.state == ActionState.NOT_COMPLETED:
            closed = facts.not_completed_on.get(action.pk)
            late = max((closed - due).days, 0) if closed is not None else None
        else:
            if facts.as_of <= due:
                continue
            late = (facts.as_of - due).days
        meeting = action.minutes.agenda_item.meeting
        out.append(
            LateAction(
                case_id=case.pk,
                action_id=action.pk,
                minutes_id=action.minutes_id,
                meeting_id=meeting.pk,
                meeting_date=meeting.date,
                number=action.number,
                description=action.description,
                agency_id=_responsible_agency(action),
                owner_name=action.owner_name,
                state=action.state,
                due=due,
                done_on=done,
                days_late=late,
            )
        )
    return out


def _disclosure(facts: _Facts, case: Case) -> list[MissingDisclosure]:
    """J 5.2: disclosure is considered at every meeting, and the minutes say so."""
    out: list[MissingDisclosure] = []
    for item in _discussed(facts, case.pk):
        minutes = _minutes_of(item)
        meeting = item.meeting
        if minutes is None:
            reason = "No minutes"
        else:
            amendments = facts.amendments.get(minutes.pk, [])
            decision = _effective(minutes, "disclosure", amendments)
            reasons = _effective(minutes, "disclosure_reasons", amendments)
            if decision not in YesNo.values:
                reason = "No decision on disclosure recorded"
            elif not _filled(reasons):
                reason = "Decision recorded without its reasons"
            else:
                continue
        out.append(
            MissingDisclosure(
                case_id=case.pk,
                agenda_item_id=item.pk,
                meeting_id=meeting.pk,
                meeting_date=meeting.date,
                level=meeting.level,
                minutes_id=minutes.pk if minutes is not None else None,
                minutes_status=minutes.get_status_display() if minutes is not None else "",
                reason=reason,
            )
        )
    return out


def _plans(facts: _Facts, case: Case) -> list[PlanGap]:
    """J 7.2, 8.3 (``mappa.minutes.rules.finalisation_problems``): at least one action
    the agencies can deliver protects victims, and a contingency plan is written or
    marked on a deliverable action. Minutes distributed before the rule (or imported)
    can lack them."""
    out: list[PlanGap] = []
    for item in facts.items.get(case.pk, []):
        minutes = _minutes_of(item)
        if minutes is None or minutes.status != MinutesStatus.DISTRIBUTED:
            continue
        deliverable = [
            a for a in facts.actions_of_minutes.get(minutes.pk, []) if not a.refer_to_next_meeting
        ]
        contingency = _effective(minutes, "contingency_plan", facts.amendments.get(minutes.pk, []))
        no_victim = not any(a.protects_victims for a in deliverable)
        no_contingency = not _filled(contingency) and not any(a.contingency for a in deliverable)
        if no_victim or no_contingency:
            out.append(
                PlanGap(
                    case_id=case.pk,
                    minutes_id=minutes.pk,
                    meeting_id=item.meeting_id,
                    meeting_date=item.meeting.date,
                    level=item.meeting.level,
                    no_victim_action=no_victim,
                    no_contingency=no_contingency,
                )
            )
    return out


def _attendance(facts: _Facts, case: Case) -> list[AttendanceGap]:
    out: list[AttendanceGap] = []
    for item in _discussed(facts, case.pk):
        recorded = facts.attendance.get(item.pk, {})
        for agency_id in sorted(facts.invited_to(item)):
            status = recorded.get(agency_id, "")
            if status in COUNTS_AS_ATTENDED:
                continue
            out.append(
                AttendanceGap(
                    case_id=case.pk,
                    agenda_item_id=item.pk,
                    meeting_id=item.meeting_id,
                    meeting_date=item.meeting.date,
                    level=item.meeting.level,
                    agency_id=agency_id,
                    status=status,
                )
            )
    return out


# The audits -----------------------------------------------------------------------------------


def audit_cases(case_ids: Iterable[Any], as_of: dt.date | None = None) -> dict[Any, CaseAudit]:
    """Every finding on each of these cases up to ``as_of`` (today by default), in a
    fixed number of queries however long their histories and however many cases."""
    day = as_of or today()
    ids = list(dict.fromkeys(case_ids))
    if not ids:
        return {}
    return _audits(_Facts(ids, day), ids, day)


def _audits(facts: _Facts, ids: list[Any], day: dt.date) -> dict[Any, CaseAudit]:
    police = _agency_of_kind(AgencyKind.POLICE)
    audits: dict[Any, CaseAudit] = {}
    for case_id in ids:
        case = facts.cases.get(case_id)
        if case is None:
            continue
        current = facts.history[case.pk].on(day)
        audit = CaseAudit(
            case_id=case.pk,
            reference=case.reference,
            nominal_id=case.nominal_id,
            nominal_name=case.nominal.full_name,
            level=current.level if current else None,
            lead_agency_id=current.lead_agency_id if current else None,
        )
        limits = _identification_and_referral(facts, case)
        limits += _first_meetings(facts, case)
        counted = 0
        for part in (
            _reviews(facts, case),
            _minutes(facts, case),
            _level1_reviews(facts, case),
            _home_visits(facts, case, police),
        ):
            limits += part[0]
            counted += part[1]
        audit.time_limits = sorted(limits, key=lambda m: (m.due, str(m.kind)))
        audit.limits_counted = counted
        audit.actions = sorted(
            _late_actions(facts, case), key=lambda a: (a.due, a.meeting_date, a.number)
        )
        audit.disclosure = _disclosure(facts, case)
        audit.plans = _plans(facts, case)
        audit.attendance = _attendance(facts, case)
        audits[case.pk] = audit
    return audits


def case_audit(case: Case, as_of: dt.date | None = None) -> CaseAudit:
    return audit_cases([case.pk], as_of)[case.pk]


@dataclass(frozen=True)
class DiscussionCheck:
    """One discussion at a meeting: its minutes deadline (J 10.12) and attendance, late
    or not, so the meeting page shows every deadline, not only those missed."""

    case_id: Any
    reference: str
    discussed: bool
    minutes_id: Any
    minutes_status: str
    minutes_due: dt.date | None
    distributed_on: dt.date | None
    # Days late: past the due date when distributed, or to the day asked while not.
    days_late: int
    invited: int
    attended: int

    @property
    def minutes_state(self) -> str:
        if self.minutes_due is None:
            return "No minutes due"
        if self.distributed_on is not None:
            return "Distributed late" if self.days_late else "Distributed on time"
        return "Overdue" if self.days_late else "Not yet due"


@dataclass
class MeetingAudit:
    """One meeting: its own findings (each discussion's minutes deadline, disclosure,
    plan, attendance and the actions it set) and each discussed case's whole audit."""

    meeting: Meeting
    # The discussions shown (all, or those the viewer may see).
    items: list[AgendaItem]
    own: list[CaseAudit]
    cases: dict[Any, CaseAudit]
    checks: list[DiscussionCheck] = field(default_factory=list)

    @property
    def own_summary(self) -> str:
        return summary_text(self.own)


def meeting_audit(
    meeting: Meeting, items: QuerySet[AgendaItem] | None = None, as_of: dt.date | None = None
) -> MeetingAudit:
    """``items``: the agenda items the viewer may see (every one when None)."""
    queryset = items if items is not None else AgendaItem.objects.all()
    shown = list(
        queryset.filter(meeting=meeting, withdrawn_at__isnull=True)
        .select_related("case__nominal")
        .order_by("position", "created_at")
    )
    day = as_of or today()
    ids = list(dict.fromkeys(i.case_id for i in shown))
    facts = _Facts(ids, day) if ids else None
    audits = _audits(facts, ids, day) if facts is not None else {}
    own: list[CaseAudit] = []
    checks: list[DiscussionCheck] = []
    for item in shown:
        if facts is not None:
            checks.append(_check(facts, meeting, item, day))
        whole = audits.get(item.case_id)
        if whole is None:
            continue
        own.append(
            CaseAudit(
                case_id=whole.case_id,
                reference=whole.reference,
                nominal_id=whole.nominal_id,
                nominal_name=whole.nominal_name,
                level=whole.level,
                lead_agency_id=whole.lead_agency_id,
                time_limits=[
                    m
                    for m in whole.time_limits
                    if m.meeting_id == meeting.pk
                    and (m.kind == Kind.MINUTES or m.agenda_item_id == item.pk)
                ],
                actions=[a for a in whole.actions if a.meeting_id == meeting.pk],
                disclosure=[d for d in whole.disclosure if d.meeting_id == meeting.pk],
                plans=[p for p in whole.plans if p.meeting_id == meeting.pk],
                attendance=[g for g in whole.attendance if g.meeting_id == meeting.pk],
            )
        )
    return MeetingAudit(meeting=meeting, items=shown, own=own, cases=audits, checks=checks)


def _check(facts: _Facts, meeting: Meeting, item: AgendaItem, day: dt.date) -> DiscussionCheck:
    held = next((i for i in facts.items.get(item.case_id, []) if i.pk == item.pk), None)
    minutes = _minutes_of(held) if held is not None else None
    owes = held is not None and (
        held.discussed or meeting.status == MeetingStatus.HELD or minutes is not None
    )
    due = (
        clocks.minutes_due(meeting.date, meeting.level, facts.profiles.on(meeting.date))
        if owes and meeting.level in MULTI_AGENCY_LEVELS
        else None
    )
    done = minutes.distributed_on if minutes is not None else None
    if done is not None and done > day:
        done = None
    late = 0
    if due is not None:
        late = max(((done or day) - due).days, 0)
    invited = facts.invited_to(held) if held is not None else set()
    recorded = facts.attendance.get(item.pk, {})
    return DiscussionCheck(
        case_id=item.case_id,
        reference=item.case.reference,
        discussed=item.discussed,
        minutes_id=minutes.pk if minutes is not None else None,
        minutes_status=minutes.get_status_display() if minutes is not None else "Not started",
        minutes_due=due,
        distributed_on=done,
        days_late=late,
        invited=len(invited),
        attended=sum(1 for agency in invited if recorded.get(agency) in COUNTS_AS_ATTENDED),
    )


# The area list ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaRow:
    audit: CaseAudit
    time_limits: int
    actions: int
    disclosure: int
    plans: int
    attendance: int

    @property
    def total(self) -> int:
        return self.time_limits + self.actions + self.disclosure + self.plans + self.attendance


def check_period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise PeriodError("The end date must be the same as or after the start date")


def within(audit: CaseAudit, start: dt.date, end: dt.date, agency_id: int | None) -> CaseAudit:
    """The findings of one case due (or held) in the period, and for one agency if given.

    A time limit or an action counts by its due date, a discussion's findings by the
    meeting date. With an agency, only what that agency was responsible for is kept:
    the clocks it owned, its actions and its absences (decisions of the meeting itself,
    disclosure and the plan, belong to no one agency and are left out).
    """

    def keep(day: dt.date, agency: int | None = None, owned: bool = True) -> bool:
        if not start <= day <= end:
            return False
        return agency_id is None or (owned and agency == agency_id)

    return CaseAudit(
        case_id=audit.case_id,
        reference=audit.reference,
        nominal_id=audit.nominal_id,
        nominal_name=audit.nominal_name,
        level=audit.level,
        lead_agency_id=audit.lead_agency_id,
        time_limits=[m for m in audit.time_limits if keep(m.due, m.agency_id)],
        actions=[a for a in audit.actions if keep(a.due, a.agency_id)],
        disclosure=[d for d in audit.disclosure if keep(d.meeting_date, owned=False)],
        plans=[p for p in audit.plans if keep(p.meeting_date, owned=False)],
        attendance=[g for g in audit.attendance if keep(g.meeting_date, g.agency_id)],
    )


def area_audit(
    *,
    start: dt.date,
    end: dt.date,
    agency_id: int | None = None,
    cases: QuerySet[Case] | None = None,
    as_of: dt.date | None = None,
) -> list[AreaRow]:
    """Cases with findings in the period (those open at any time in it), most first.

    ``cases`` narrows to the cases the viewer may see (a query, never filtered row by
    row). Raises PeriodError for an end before the start.
    """
    check_period(start, end)
    candidates = (cases if cases is not None else Case.objects.all()).filter(
        Q(opened_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gte=start))
    )
    # Evaluated today: an action due in the period and still open is late to this day.
    audits = audit_cases(candidates.values_list("pk", flat=True), as_of)
    rows = []
    for audit in audits.values():
        found = within(audit, start, end, agency_id)
        if not found.has_findings:
            continue
        rows.append(
            AreaRow(
                audit=found,
                time_limits=len(found.time_limits),
                actions=len(found.actions),
                disclosure=len(found.disclosure),
                plans=len(found.plans),
                attendance=len(found.attendance),
            )
        )
    rows.sort(key=lambda r: (-r.total, r.audit.reference))
    return rows
