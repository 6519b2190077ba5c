"""The audit as one viewer may see it: names and links only where the policy lets
them open the record (decisions.md "KPI output": an SMB member sees references, a
co-ordinator sees names). Shared by the pages and the API, so both show the same.

What the viewer may open is asked once per kind of record for the whole page, as a
query (``nominals_visible_to``, ``minutes_visible_to``, ``actions_visible_to``,
``meetings_visible_to``), never row by row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from mappa.access.models import Role
from mappa.access.policy import CASE_ROLES, READ_ALL_ROLES, nominals_visible_to
from mappa.quality.selectors import CaseAudit, per_agency, summary_text


@dataclass
class Viewer:
    """What one user may open among the records an audit names."""

    user: Any
    everything: bool = False
    nominals: set[Any] = field(default_factory=set)
    minutes: set[Any] = field(default_factory=set)
    actions: set[Any] = field(default_factory=set)
    meetings: set[Any] = field(default_factory=set)

    @property
    def references_only(self) -> bool:
        """The board (J 15): references, never names or links."""
        return not self.everything and not self.nominals

    def may_open_case(self, audit: CaseAudit) -> bool:
        return self.everything or audit.nominal_id in self.nominals

    def minutes_url(self, pk: Any) -> str:
        if pk is not None and (self.everything or pk in self.minutes):
            return reverse("minutes:detail", args=[pk])
        return ""

    def action_url(self, pk: Any) -> str:
        if pk is not None and (self.everything or pk in self.actions):
            return reverse("minutes:action", args=[pk])
        return ""

    def meeting_url(self, pk: Any) -> str:
        if pk is not None and (self.everything or pk in self.meetings):
            return reverse("meetings:detail", args=[pk])
        return ""


def viewer_for(user: Any, audits: list[CaseAudit]) -> Viewer:
    """Four queries at most, whatever the number of rows."""
    from mappa.meetings.access import meetings_visible_to
    from mappa.minutes.access import actions_visible_to, minutes_visible_to

    if user.has_role(*READ_ALL_ROLES):
        return Viewer(user, everything=True)
    viewer = Viewer(user)
    if not user.has_role(*CASE_ROLES, Role.CHAIR):
        return viewer
    case_ids = [a.case_id for a in audits]
    nominal_ids = [a.nominal_id for a in audits]
    meeting_ids = {
        row.meeting_id
        for a in audits
        for rows in (a.time_limits, a.actions, a.disclosure, a.plans, a.attendance)
        for row in rows
        if getattr(row, "meeting_id", None) is not None
    }
    viewer.nominals = set(
        nominals_visible_to(user).filter(pk__in=nominal_ids).values_list("pk", flat=True)
    )
    viewer.minutes = set(
        minutes_visible_to(user).filter(case_id__in=case_ids).values_list("pk", flat=True)
    )
    viewer.actions = set(
        actions_visible_to(user).filter(case_id__in=case_ids).values_list("pk", flat=True)
    )
    viewer.meetings = set(
        meetings_visible_to(user).filter(pk__in=meeting_ids).values_list("pk", flat=True)
    )
    return viewer


def _date(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def present(
    audit: CaseAudit, viewer: Viewer, names: dict[int, str], *, api: bool = False
) -> dict[str, Any]:
    """One case's audit as rows for the page (dates as dates) or the API (ISO strings)."""
    open_case = viewer.may_open_case(audit)

    def day(value: dt.date | None) -> Any:
        return _date(value) if api else value

    def agency(pk: int | None) -> str:
        return names.get(pk, "") if pk is not None else ""

    time_limits = [
        {
            "kind": str(m.kind),
            "kind_label": m.kind_label,
            "basis_event": m.basis_event,
            "basis_date": day(m.basis_date),
            "due": day(m.due),
            "done": day(m.met_on),
            "days_late": m.days_late,
            "state": m.state_label,
            "outstanding": m.outstanding,
            "responsible": agency(m.agency_id),
            "note": m.note,
            "meeting_date": day(m.meeting_date),
            "meeting_url": viewer.meeting_url(m.meeting_id),
            "minutes_url": viewer.minutes_url(m.minutes_id),
        }
        for m in audit.time_limits
    ]
    actions = [
        {
            "number": a.number,
            "description": a.description if open_case else "",
            "meeting_date": day(a.meeting_date),
            "due": day(a.due),
            "done": day(a.done_on),
            "days_late": a.days_late,
            "state": a.state_label,
            "responsible": agency(a.agency_id),
            "owner": a.owner_name if open_case else "",
            "action_url": viewer.action_url(a.action_id),
            "minutes_url": viewer.minutes_url(a.minutes_id),
            "meeting_url": viewer.meeting_url(a.meeting_id),
        }
        for a in audit.actions
    ]
    disclosure = [
        {
            "meeting_date": day(d.meeting_date),
            "level": d.level,
            "minutes_status": d.minutes_status,
            "reason": d.reason,
            "meeting_url": viewer.meeting_url(d.meeting_id),
            "minutes_url": viewer.minutes_url(d.minutes_id),
        }
        for d in audit.disclosure
    ]
    plans = [
        {
            "meeting_date": day(p.meeting_date),
            "level": p.level,
            "no_victim_action": p.no_victim_action,
            "no_contingency": p.no_contingency,
            "missing": p.missing,
            "meeting_url": viewer.meeting_url(p.meeting_id),
            "minutes_url": viewer.minutes_url(p.minutes_id),
        }
        for p in audit.plans
    ]
    attendance = [
        {
            "meeting_date": day(g.meeting_date),
            "level": g.level,
            "agency": agency(g.agency_id),
            "status": g.status_label,
            "meeting_url": viewer.meeting_url(g.meeting_id),
        }
        for g in audit.attendance
    ]
    return {
        "case": {
            "id": str(audit.case_id) if api else audit.case_id,
            "reference": audit.reference,
            "name": audit.nominal_name if open_case else None,
            "level": audit.level,
            "lead_agency": agency(audit.lead_agency_id),
            "url": reverse("register:detail", args=[audit.nominal_id]) if open_case else "",
            "quality_url": reverse("quality:case", args=[audit.case_id]),
        },
        "summary": summary_text([audit]),
        "counts": counts(audit),
        "time_limits": time_limits,
        "actions": actions,
        "disclosure": disclosure,
        "plans": plans,
        "attendance": attendance,
        "per_agency": agency_rows(per_agency([audit], names)),
    }


def counts(audit: CaseAudit) -> dict[str, int]:
    return {
        "time_limits": len(audit.time_limits),
        "time_limit_days": sum(m.days_late for m in audit.time_limits),
        "actions": len(audit.actions),
        "disclosure": len(audit.disclosure),
        "plans": len(audit.plans),
        "attendance": len(audit.attendance),
    }


def agency_rows(totals: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "agency": t.agency_name,
            "time_limits": t.time_limits,
            "time_limit_days": t.time_limit_days,
            "actions": t.actions,
            "action_days": t.action_days,
            "attendance_gaps": t.attendance_gaps,
        }
        for t in totals
    ]


def discussion_rows(
    checks: list[Any],
    audits: dict[Any, CaseAudit],
    viewer: Viewer,
    names: dict[int, str],
    *,
    api: bool = False,
) -> list[dict[str, Any]]:
    """Each discussion at a meeting: its minutes deadline and attendance."""
    rows = []
    for check in checks:
        audit = audits.get(check.case_id)
        if audit is None:
            continue
        case = present(audit, viewer, names, api=api)["case"]
        rows.append(
            {
                "case": case,
                "discussed": check.discussed,
                "minutes_status": check.minutes_status,
                "minutes_due": _date(check.minutes_due) if api else check.minutes_due,
                "distributed_on": _date(check.distributed_on) if api else check.distributed_on,
                "days_late": check.days_late,
                "minutes_state": check.minutes_state,
                "minutes_url": viewer.minutes_url(check.minutes_id),
                "invited": check.invited,
                "attended": check.attended,
            }
        )
    return rows
