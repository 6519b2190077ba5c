"""The compliance clock: every due item of every active case, by the area's profile.

Each app owning a time limit contributes its items (``CONTRIBUTORS``); this module
evaluates them against a date and filters them to what the user may see. Time limits
and the calendar come from the jurisdiction profile, never from code.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from mappa.access.models import Role
from mappa.access.policy import nominals_visible_to
from mappa.compliance.items import KIND_LABELS, DueItem, Kind
from mappa.profiles import clocks
from mappa.profiles.profile import Profile
from mappa.profiles.selectors import current_profile
from mappa.referrals.models import EligibilityEvent, Referral
from mappa.register.models import Case, CaseState, Category


@dataclass(frozen=True)
class Evaluated:
    item: DueItem
    status: clocks.ClockStatus

    @property
    def state(self) -> str:
        return str(self.status.state)

    @property
    def met_late(self) -> bool:
        return self.status.state == clocks.ClockState.MET and self.status.on_time is False

    @property
    def state_label(self) -> str:
        return "Met late" if self.met_late else self.status.state.label

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.item.kind]


def _current_states(case_ids: Iterable[Any]) -> dict[Any, CaseState]:
    states = CaseState.objects.filter(case_id__in=list(case_ids), effective_to__isnull=True)
    return {s.case_id: s for s in states}


def identification_and_referral_items(as_of: dt.date, profile: Profile) -> list[DueItem]:
    """J 3.3: identified within 3 days of the event; referred 6 months before planned
    release (a PDP on the day identified)."""
    events = list(
        EligibilityEvent.objects.filter(
            nominal__status="active", nominal__cases__closed_on__isnull=True, event_date__lte=as_of
        )
        .select_related("nominal")
        .order_by("nominal_id", "-event_date")
    )
    cases = {
        c.nominal_id: c
        for c in Case.objects.filter(
            closed_on__isnull=True, nominal_id__in={e.nominal_id for e in events}
        )
    }
    states = _current_states(c.pk for c in cases.values())
    submitted: dict[Any, list[dt.date]] = {}
    for case_id, submitted_at in Referral.objects.filter(
        case_id__in=[c.pk for c in cases.values()], submitted_at__isnull=False
    ).values_list("case_id", "submitted_at"):
        if submitted_at is not None:
            submitted.setdefault(case_id, []).append(timezone.localdate(submitted_at))
    items: list[DueItem] = []
    latest_seen: set[Any] = set()
    for event in events:
        case = cases.get(event.nominal_id)
        if case is None:
            continue
        state = states.get(case.pk)
        level = state.level if state else None
        lead = state.lead_agency_id if state else None
        items.append(
            DueItem(
                case_id=case.pk,
                case_reference=case.reference,
                nominal_id=event.nominal_id,
                level=level,
                kind=Kind.IDENTIFICATION,
                basis_event=event.get_kind_display().lower(),
                basis_date=event.event_date,
                due=clocks.identification_due(event.event_date, profile),
                met_on=event.identified_on,
                agency_id=event.recorded_by_agency_id or lead,
            )
        )
        # The referral clock runs from the latest eligibility event only.
        if event.nominal_id in latest_seen:
            continue
        latest_seen.add(event.nominal_id)
        is_pdp = bool(state and state.category == Category.PDP)
        due = clocks.referral_due(event.planned_release_date, is_pdp, event.identified_on, profile)
        met = min((d for d in submitted.get(case.pk, []) if d >= event.event_date), default=None)
        basis = (
            ("planned release", event.planned_release_date)
            if event.planned_release_date and not is_pdp
            else ("identified as eligible", event.identified_on)
        )
        items.append(
            DueItem(
                case_id=case.pk,
                case_reference=case.reference,
                nominal_id=event.nominal_id,
                level=level,
                kind=Kind.REFERRAL,
                basis_event=basis[0],
                basis_date=basis[1],
                due=due,
                met_on=met,
                agency_id=lead,
            )
        )
    return items


def home_visit_items(as_of: dt.date, profile: Profile) -> list[DueItem]:
    """J 14.9: police home visits to registered sexual offenders by overall risk."""
    from mappa.assessments.selectors import next_home_visit

    items: list[DueItem] = []
    open_category_1 = CaseState.objects.filter(
        effective_to__isnull=True,
        category=Category.CATEGORY_1,
        case__closed_on__isnull=True,
        case__nominal__status="active",
    ).select_related("case__nominal")
    police = None
    for state in open_category_1:
        visit = next_home_visit(state.case.nominal, as_of, profile)
        if visit is None or visit.due is None:
            continue
        if police is None:
            from mappa.access.models import Agency, AgencyKind

            police = (
                Agency.objects.filter(kind=AgencyKind.POLICE).values_list("pk", flat=True).first()
            )
        items.append(
            DueItem(
                case_id=state.case_id,
                case_reference=state.case.reference,
                nominal_id=state.case.nominal_id,
                level=state.level,
                kind=Kind.HOME_VISIT,
                basis_event=visit.basis_event,
                basis_date=visit.basis_date,
                due=visit.due,
                met_on=None,
                agency_id=police,
                note=f"Overall risk: {visit.risk_level}",
            )
        )
    return items


Contributor = Callable[[dt.date, Profile], list[DueItem]]


def _contributors() -> list[Contributor]:
    contributors: list[Contributor] = [identification_and_referral_items, home_visit_items]
    # Meetings (first meetings, reviews) and minutes (minutes, level 1 reviews) own
    # their clocks; they contribute here once installed.
    from importlib import import_module

    for module_name in ("mappa.meetings.selectors", "mappa.minutes.selectors"):
        try:
            module = import_module(module_name)
        except ModuleNotFoundError:
            continue
        due_items = getattr(module, "due_items", None)
        if due_items is not None:
            contributors.append(_adapted(due_items))
    return contributors


def _adapted(function: Any) -> Contributor:
    def contributor(as_of: dt.date, profile: Profile) -> list[DueItem]:
        return list(function(as_of))

    return contributor


def evaluate(items: Iterable[DueItem], as_of: dt.date, profile: Profile) -> list[Evaluated]:
    return [
        Evaluated(item, clocks.clock_status(item.due, item.met_on, as_of, profile.due_soon_days))
        for item in items
    ]


def area_due_items(as_of: dt.date) -> list[Evaluated]:
    """Every due item in the area on ``as_of``, soonest first."""
    profile = current_profile(as_of)
    items: list[DueItem] = []
    for contributor in _contributors():
        items.extend(contributor(as_of, profile))
    evaluated = evaluate(items, as_of, profile)
    return sorted(evaluated, key=lambda e: (e.item.due, e.item.case_reference, e.item.kind))


def due_items_for_user(
    user: Any,
    as_of: dt.date,
    *,
    kind: str = "",
    state: str = "",
    agency_id: int | None = None,
    case_id: Any = None,
) -> list[Evaluated]:
    """The worklist as this user may see it: the whole area for area-wide roles and
    auditors, otherwise their agency's cases (J 13.2)."""
    visible = set(nominals_visible_to(user).values_list("pk", flat=True))
    rows = [e for e in area_due_items(as_of) if e.item.nominal_id in visible]
    if not user.has_role(Role.COORDINATOR, Role.ADMINISTRATOR, Role.AUDITOR):
        agency_id = user.agency_id
        rows = [e for e in rows if _responsible(e, agency_id)]
    elif agency_id:
        rows = [e for e in rows if _responsible(e, agency_id)]
    if kind:
        rows = [e for e in rows if e.item.kind == kind]
    if state:
        rows = [e for e in rows if e.state == state]
    if case_id is not None:
        rows = [e for e in rows if str(e.item.case_id) == str(case_id)]
    return rows


def _responsible(evaluated: Evaluated, agency_id: int | None) -> bool:
    return agency_id is not None and evaluated.item.agency_id == agency_id


def as_json(evaluated: Iterable[Evaluated]) -> list[dict[str, Any]]:
    """The shape ``manage.py compliance`` and the API print (issue 4 point 7)."""
    return [
        {
            "case": e.item.case_reference,
            "level": e.item.level,
            "kind": str(e.item.kind),
            "basis": {"event": e.item.basis_event, "date": e.item.basis_date.isoformat()},
            "due": e.item.due.isoformat(),
            "state": e.state,
            "met_on": e.item.met_on.isoformat() if e.item.met_on else None,
            "days_late": e.status.days_late,
        }
        for e in evaluated
    ]
