"""Reads of assessments and home visits: what the person's pages show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mappa.assessments.models import (
    DETAIL_RELATIONS,
    TOOL_MODELS,
    Assessment,
    AssessmentDetail,
    HomeVisit,
    RiskLevel,
    Tool,
    VisitOutcome,
)
from mappa.assessments.risk import RiskSource, overall_risk_level
from mappa.common.dates import today
from mappa.profiles.calendar import add_months
from mappa.profiles.clocks import ClockStatus, clock_status, home_visit_due
from mappa.profiles.profile import Profile
from mappa.profiles.selectors import current_profile
from mappa.register.models import CaseState, Category, Nominal

TOOL_ORDER = {tool: index for index, tool in enumerate(TOOL_MODELS)}


def whole_months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from ``earlier`` to ``later`` (month-end clamped, as clocks are)."""
    if later < earlier:
        return 0
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    while months > 0 and add_months(earlier, months) > later:
        months -= 1
    return months


def age_in_words(earlier: dt.date, later: dt.date) -> str:
    days = (later - earlier).days
    if days <= 0:
        return "today"
    months = whole_months_between(earlier, later)
    if months == 0:
        return "1 day" if days == 1 else f"{days} days"
    if months < 12:
        return "1 month" if months == 1 else f"{months} months"
    years, rest = divmod(months, 12)
    text = "1 year" if years == 1 else f"{years} years"
    if rest:
        text += " 1 month" if rest == 1 else f" {rest} months"
    return text


@dataclass(frozen=True)
class LatestAssessment:
    tool: Tool
    assessment: AssessmentDetail
    age_days: int
    age_months: int
    age_text: str

    @property
    def label(self) -> str:
        return str(self.tool.label)

    @property
    def completed_on(self) -> dt.date:
        return self.assessment.completed_on


def assessment_history(nominal: Nominal) -> list[AssessmentDetail]:
    """Every assessment of the person, newest first, each as its tool's own record."""
    rows = (
        Assessment.objects.filter(nominal=nominal)
        .select_related("author", "agency", *DETAIL_RELATIONS)
        .order_by("-completed_on", "-created_at")
    )
    return [row.detail for row in rows]


def latest_assessments(
    nominal: Nominal, as_of: dt.date | None = None, *, history: list[AssessmentDetail] | None = None
) -> list[LatestAssessment]:
    """The latest assessment of each tool, with its age on ``as_of``, in tool order."""
    day = as_of or today()
    rows = history if history is not None else assessment_history(nominal)
    latest: dict[Tool, AssessmentDetail] = {}
    for row in rows:
        if row.completed_on > day:
            continue
        tool = Tool(row.tool)
        if tool not in latest:
            latest[tool] = row
    out = [
        LatestAssessment(
            tool=tool,
            assessment=row,
            age_days=(day - row.completed_on).days,
            age_months=whole_months_between(row.completed_on, day),
            age_text=age_in_words(row.completed_on, day),
        )
        for tool, row in latest.items()
    ]
    out.sort(key=lambda item: TOOL_ORDER[item.tool])
    return out


def home_visits_for(nominal: Nominal) -> list[HomeVisit]:
    return list(
        HomeVisit.objects.filter(nominal=nominal)
        .select_related("recorded_by")
        .order_by("-visited_on", "-created_at")
    )


def _category_1_since(nominal: Nominal, as_of: dt.date) -> dt.date | None:
    """When the open case's current run of category 1 began, or None if not category 1."""
    states = list(
        CaseState.objects.filter(
            case__nominal=nominal, case__closed_on__isnull=True, effective_from__lte=as_of
        ).order_by("-effective_from", "-recorded_at")
    )
    if not states or states[0].category != Category.CATEGORY_1:
        return None
    since = states[0].effective_from
    for state in states[1:]:
        if state.category != Category.CATEGORY_1:
            break
        since = state.effective_from
    return since


@dataclass(frozen=True)
class HomeVisitDue:
    risk_level: str | None
    risk_source: RiskSource
    # The event the due date counts from: the last completed visit, else the day
    # the person's open case became category 1.
    basis_event: str
    basis_date: dt.date
    due: dt.date | None
    status: ClockStatus | None

    @property
    def risk_label(self) -> str:
        return str(RiskLevel(self.risk_level).label) if self.risk_level else "Not recorded"


def next_home_visit(
    nominal: Nominal, as_of: dt.date | None = None, profile: Profile | None = None
) -> HomeVisitDue | None:
    """When the next police home visit is due (J 14.9), or None if not category 1.

    A visit counts only when the person was seen at home: a visit with no reply or
    with entry refused does not restart the clock.
    """
    day = as_of or today()
    since = _category_1_since(nominal, day)
    if since is None or nominal.is_archived:
        return None
    rules = profile or current_profile(day)
    last = (
        HomeVisit.objects.filter(nominal=nominal, outcome=VisitOutcome.SEEN, visited_on__lte=day)
        .order_by("-visited_on")
        .values_list("visited_on", flat=True)
        .first()
    )
    if last is not None:
        basis_event, basis_date = "last completed home visit", last
    else:
        basis_event, basis_date = "registration as a category 1 case (no visit recorded)", since
    level, source = overall_risk_level(nominal, day)
    if level is None:
        return HomeVisitDue(level, source, basis_event, basis_date, None, None)
    due = home_visit_due(basis_date, level, rules)
    return HomeVisitDue(
        level,
        source,
        basis_event,
        basis_date,
        due,
        clock_status(due, None, day, rules.due_soon_days),
    )


@dataclass(frozen=True)
class RiskPanel:
    """What the person's front page shows of risk: for ``assessments/_person_panel.html``."""

    nominal: Nominal
    latest: list[LatestAssessment]
    overall_risk_level: str | None
    overall_risk_source: RiskSource
    home_visit: HomeVisitDue | None

    @property
    def overall_risk_label(self) -> str:
        if not self.overall_risk_level:
            return "Not recorded"
        return str(RiskLevel(self.overall_risk_level).label)


def risk_panel_for(nominal: Nominal, as_of: dt.date | None = None) -> RiskPanel:
    day = as_of or today()
    level, source = overall_risk_level(nominal, day)
    return RiskPanel(
        nominal=nominal,
        latest=latest_assessments(nominal, day),
        overall_risk_level=level,
        overall_risk_source=source,
        home_visit=next_home_visit(nominal, day),
    )
