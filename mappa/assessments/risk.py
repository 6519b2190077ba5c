"""The overall risk level at which a person is managed (J 9.1, 14.9; decisions.md).

It is the risk of serious harm agreed at the latest meeting, else the lead agency's
latest assessment of it. It is never RM2000, Stable/Acute-07 or the MAPPA level:
those measure other things (J 14.9).

Meetings do not exist yet. When they do, the meetings app registers a source in its
``AppConfig.ready()``::

    from mappa.assessments.risk import RiskSource, register_meeting_risk_source

    def latest_meeting_view(nominal, as_of):
        minutes = ...  # the latest meeting on or before as_of with a view of risk
        if minutes is None:
            return None
        return minutes.rosh_level, RiskSource(
            kind="meeting", on=minutes.meeting_date,
            description=f"Agreed at the meeting on {minutes.meeting_date:%-d %B %Y}",
        )

    register_meeting_risk_source(latest_meeting_view)

and every caller of ``overall_risk_level`` follows the meeting from then on.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from mappa.assessments.models import Assessment, RiskLevel, Tool
from mappa.common.dates import today
from mappa.register.models import CaseState, Nominal


@dataclass(frozen=True)
class RiskSource:
    # "meeting", "overall_rosh" (the lead agency's overall judgement),
    # "oasys_rosh_community" (the highest of its ratings) or "none".
    kind: str
    description: str
    on: dt.date | None = None
    assessment_id: uuid.UUID | None = None


MeetingRiskSource = Callable[[Nominal, dt.date], "tuple[str, RiskSource] | None"]
_meeting_sources: list[MeetingRiskSource] = []


def register_meeting_risk_source(source: MeetingRiskSource) -> None:
    """Let the meetings app supply the risk agreed at the latest meeting; it wins."""
    if source not in _meeting_sources:
        _meeting_sources.append(source)


def unregister_meeting_risk_source(source: MeetingRiskSource) -> None:
    if source in _meeting_sources:
        _meeting_sources.remove(source)


def _lead_agency_id(nominal: Nominal, as_of: dt.date) -> int | None:
    state = (
        CaseState.objects.filter(case__nominal=nominal, effective_from__lte=as_of)
        .order_by("-effective_from", "-recorded_at")
        .only("lead_agency_id")
        .first()
    )
    return state.lead_agency_id if state else None


def overall_risk_level(
    nominal: Nominal, as_of: dt.date | None = None
) -> tuple[str | None, RiskSource]:
    """``(level, source)``: level is ``low``, ``medium``, ``high``, ``very_high`` or None.

    Without a meeting's view, the lead agency's latest assessment counts: its
    "Overall risk of serious harm (lead agency)" record, or the highest rating of its
    OASys risk of serious harm in the community, whichever is later (on the same day
    the overall judgement wins). Assessments by other agencies count only when the
    lead agency has recorded none.
    """
    day = as_of or today()
    for source in _meeting_sources:
        found = source(nominal, day)
        if found is not None:
            return found
    candidates = list(
        Assessment.objects.filter(
            nominal=nominal,
            tool__in=[Tool.OVERALL_ROSH, Tool.OASYS_ROSH_COMMUNITY],
            completed_on__lte=day,
        )
        .select_related("overallrosh", "oasysroshcommunity", "agency")
        .order_by("-completed_on", "-created_at")
    )
    lead = _lead_agency_id(nominal, day)
    pool = [a for a in candidates if a.agency_id == lead] or candidates
    if not pool:
        return None, RiskSource(
            kind="none",
            description="No meeting view of risk and no lead agency assessment of the "
            "risk of serious harm recorded",
        )
    pool.sort(key=lambda a: (a.completed_on, a.tool == Tool.OVERALL_ROSH), reverse=True)
    chosen = pool[0]
    when = f"{chosen.completed_on:%-d %B %Y}"
    if chosen.tool == Tool.OVERALL_ROSH:
        level = chosen.overallrosh.level
        description = f"Overall risk of serious harm (lead agency), {chosen.agency}, {when}"
    else:
        level = chosen.oasysroshcommunity.highest
        description = (
            f"Highest OASys risk of serious harm in the community, {chosen.agency}, {when}"
        )
    return RiskLevel(level).value, RiskSource(
        kind=str(chosen.tool),
        description=description,
        on=chosen.completed_on,
        assessment_id=chosen.pk,
    )
