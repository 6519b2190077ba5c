"""Reads of minutes, actions and level 1 reviews, and their part of the compliance clock.

``due_items(as_of)`` is gathered by ``mappa.compliance.services``: the minutes of every
case discussion held (J 10.12) and every level 1 case's lead-agency review (J 9.2).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.urls import reverse

from mappa.access.models import Agency, AgencyKind
from mappa.assessments.risk import RiskSource
from mappa.common.dates import today
from mappa.compliance.items import DueItem, Kind
from mappa.minutes import access
from mappa.minutes.models import (
    Action,
    ActionState,
    Level1Review,
    Minutes,
    MinutesAmendment,
    MinutesStatus,
    RoshLevel,
)
from mappa.minutes.services import effective_value, level1_since
from mappa.profiles import clocks
from mappa.profiles.selectors import current_profile
from mappa.register.models import Case, CaseState, Nominal


def minutes_detail(pk: Any) -> Minutes:
    """One case discussion's minutes with everything the page and the print show."""
    return (
        Minutes.objects.select_related(
            "agenda_item__meeting__chair",
            "case__nominal",
            "prepared_by",
            "checked_by",
            "distributed_by",
        )
        .prefetch_related(
            "agency_updates__agency",
            Prefetch(
                "actions",
                queryset=Action.objects.select_related(
                    "agency", "owner_user", "original_agency"
                ).order_by("number"),
            ),
            Prefetch(
                "reviews__action",
                queryset=Action.objects.select_related(
                    "agency", "minutes__agenda_item__meeting", "original_agency"
                ),
            ),
            Prefetch("amendments", queryset=MinutesAmendment.objects.select_related("author")),
            "distributions__agency",
        )
        .get(pk=pk)
    )


def minutes_for_case(user: Any, case: Case) -> QuerySet[Minutes]:
    return (
        access.minutes_visible_to(user)
        .filter(case=case)
        .select_related("agenda_item__meeting")
        .order_by("-agenda_item__meeting__date")
    )


def amendments_by_field(minutes: Minutes) -> dict[str, list[MinutesAmendment]]:
    found: dict[str, list[MinutesAmendment]] = defaultdict(list)
    for amendment in minutes.amendments.all():
        found[amendment.field].append(amendment)
    return dict(found)


# Actions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionFilters:
    scope: str = "mine"  # mine, agency, all
    state: str = ""  # open, overdue, completed, not_completed, referred
    due_before: dt.date | None = None
    case_reference: str = ""
    agency_id: int | None = None


def actions_for_user(
    user: Any, filters: ActionFilters, on: dt.date | None = None
) -> QuerySet[Action]:
    """The tracker: "my actions", "my agency's actions" (or any agency, for area-wide
    roles), filtered by state and due date, in the query."""
    day = on or today()
    queryset = access.actions_visible_to(user).select_related(
        "agency", "owner_user", "case__nominal", "minutes__agenda_item__meeting", "original_agency"
    )
    if filters.scope == "mine":
        queryset = queryset.filter(owner_user_id=user.pk)
    elif filters.scope == "agency":
        queryset = queryset.filter(agency_id=filters.agency_id or user.agency_id)
    elif filters.agency_id:
        queryset = queryset.filter(agency_id=filters.agency_id)
    if filters.state == "overdue":
        queryset = queryset.filter(state=ActionState.OPEN, due_date__lt=day)
    elif filters.state in ActionState.values:
        queryset = queryset.filter(state=filters.state)
    if filters.due_before is not None:
        queryset = queryset.filter(due_date__lte=filters.due_before)
    if filters.case_reference:
        queryset = queryset.filter(case__reference__iexact=filters.case_reference.strip())
    return queryset.order_by(F("due_date").asc(nulls_last=True), "case__reference", "number")


def actions_for_agency(
    agency: Agency | int, *, states: tuple[str, ...] = (ActionState.OPEN,)
) -> QuerySet[Action]:
    """Every live action an agency owns (for its SPOC, reassignment lists, reports)."""
    agency_id = agency.pk if isinstance(agency, Agency) else agency
    return (
        Action.objects.exclude(minutes__status=MinutesStatus.DRAFT)
        .filter(agency_id=agency_id, state__in=states)
        .select_related("case", "owner_user", "minutes__agenda_item__meeting")
        .order_by(F("due_date").asc(nulls_last=True), "case__reference", "number")
    )


def open_actions_of_disabled_users() -> QuerySet[Action]:
    """decisions.md: a disabled user's open actions wait on a reassignment list."""
    return (
        Action.objects.exclude(minutes__status=MinutesStatus.DRAFT)
        .filter(state=ActionState.OPEN, owner_user__is_active=False)
        .select_related("case", "agency", "owner_user")
    )


def action_detail(pk: Any) -> Action:
    return (
        Action.objects.select_related(
            "agency",
            "owner_user",
            "case__nominal",
            "minutes__agenda_item__meeting",
            "original_agency",
            "outcome_by",
        )
        .prefetch_related("progress__by", "reviews__minutes__agenda_item__meeting")
        .get(pk=pk)
    )


# The meeting's view of risk (assessments.risk) ---------------------------------------------


def latest_meeting_view(nominal: Nominal, as_of: dt.date) -> tuple[str, RiskSource] | None:
    """J 9.1, 14.9 (decisions.md): the risk of serious harm agreed at the latest meeting
    with confirmed minutes (checked or distributed), as amended."""
    minutes = (
        Minutes.objects.filter(
            case__nominal=nominal,
            agenda_item__meeting__date__lte=as_of,
        )
        .exclude(status=MinutesStatus.DRAFT)
        .exclude(rosh="")
        .select_related("agenda_item__meeting")
        .prefetch_related("amendments")
        .order_by("-agenda_item__meeting__date", "-agenda_item__meeting__start_time")
        .first()
    )
    if minutes is None:
        return None
    level = effective_value(minutes, "rosh")
    if level not in RoshLevel.values:
        return None
    meeting = minutes.agenda_item.meeting
    return str(level), RiskSource(
        kind="meeting",
        on=meeting.date,
        description=f"Agreed at the level {meeting.level} meeting on {meeting.date:%-d %B %Y}",
    )


# The compliance clock -----------------------------------------------------------------------


def _coordination_agency_id() -> int | None:
    return (
        Agency.objects.filter(kind=AgencyKind.COORDINATION, active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


def minutes_due_items(as_of: dt.date) -> list[DueItem]:
    """J 10.12: the minutes of each case discussion held, due 10 working days (level 2)
    or 5 (level 3) after the meeting; met on the day they were distributed."""
    from mappa.meetings.models import AgendaItem

    profile = current_profile(as_of)
    items = (
        AgendaItem.objects.filter(meeting__date__lte=as_of, withdrawn_at__isnull=True)
        .exclude(meeting__status="cancelled")
        .filter(Q(discussed=True) | Q(meeting__status="held") | Q(minutes__isnull=False))
        .select_related("meeting", "case", "minutes")
        .order_by("meeting__date")
    )
    coordination = _coordination_agency_id()
    out: list[DueItem] = []
    for item in items:
        meeting = item.meeting
        minutes = getattr(item, "minutes", None)
        met_on = minutes.distributed_on if minutes is not None else None
        if met_on is not None and met_on > as_of:
            met_on = None
        note = "Not started" if minutes is None else str(minutes.get_status_display())
        out.append(
            DueItem(
                case_id=item.case_id,
                case_reference=item.case.reference,
                nominal_id=item.case.nominal_id,
                level=meeting.level,
                kind=Kind.MINUTES,
                basis_event=f"level {meeting.level} meeting",
                basis_date=meeting.date,
                due=clocks.minutes_due(meeting.date, meeting.level, profile),
                met_on=met_on,
                agency_id=coordination,
                note=f"Minutes: {note.lower()}",
                link=reverse("minutes:detail", args=[minutes.pk])
                if minutes is not None
                else reverse("minutes:discussion", args=[item.pk]),
                extra={"agenda_item_id": str(item.pk)},
            )
        )
    return out


def level1_due_items(as_of: dt.date) -> list[DueItem]:
    """J 9.2: the lead agency reviews each level 1 case at least every 3 months, from the
    later of the move to level 1 and the last review."""
    profile = current_profile(as_of)
    current = list(
        CaseState.objects.filter(
            effective_to__isnull=True,
            level=1,
            effective_from__lte=as_of,
            case__closed_on__isnull=True,
            case__nominal__status="active",
        ).select_related("case")
    )
    case_ids = [s.case_id for s in current]
    history: dict[Any, list[CaseState]] = defaultdict(list)
    for state in CaseState.objects.filter(case_id__in=case_ids):
        history[state.case_id].append(state)
    last_review: dict[Any, dt.date] = {}
    for case_id, review_date in (
        Level1Review.objects.filter(case_id__in=case_ids, review_date__lte=as_of)
        .order_by("case_id", "review_date")
        .values_list("case_id", "review_date")
    ):
        last_review[case_id] = review_date
    out: list[DueItem] = []
    for state in current:
        since = level1_since(history[state.case_id]) or state.effective_from
        last = last_review.get(state.case_id)
        if last is not None and last < since:
            last = None
        basis = ("last level 1 review", last) if last else ("moved to level 1", since)
        out.append(
            DueItem(
                case_id=state.case_id,
                case_reference=state.case.reference,
                nominal_id=state.case.nominal_id,
                level=1,
                kind=Kind.LEVEL1_REVIEW,
                basis_event=basis[0],
                basis_date=basis[1],
                due=clocks.level1_review_due(since, last, profile),
                met_on=None,
                agency_id=state.lead_agency_id,
                link=reverse("minutes:level1", args=[state.case_id]),
            )
        )
    return out


def due_items(as_of: dt.date) -> list[DueItem]:
    """This app's items for the compliance clock, in a fixed number of queries."""
    return [*minutes_due_items(as_of), *level1_due_items(as_of)]


def level1_status(case: Case, as_of: dt.date | None = None) -> dict[str, Any] | None:
    """For the level 1 page: since when at level 1, the last review and the next due."""
    day = as_of or today()
    states = list(case.states.all())
    current = next((s for s in states if s.effective_to is None), None)
    if current is None or current.level != 1:
        return None
    since = level1_since(states) or current.effective_from
    last = (
        Level1Review.objects.filter(case=case, review_date__gte=since, review_date__lte=day)
        .order_by("-review_date")
        .values_list("review_date", flat=True)
        .first()
    )
    profile = current_profile(day)
    due = clocks.level1_review_due(since, last, profile)
    return {
        "since": since,
        "last": last,
        "due": due,
        "status": clocks.clock_status(due, None, day, profile.due_soon_days),
        "lead_agency": current.lead_agency,
        "lead_agency_id": current.lead_agency_id,
    }
