"""The executive summary as the system drafts it from the records (J 5.6).

From the case's referral (MAPPA A) and every set of distributed minutes (MAPPA B):

1. the person's name and personal details, so the reader knows the report is about
   the right person;
2. the referring agency (never the referring officer's name), the date of the
   referral and the reason for it;
3. a summary of the meetings: the risks identified, diversity needs, general victim
   issues, the agreed risk assessment and the level of management;
4. an outline of the risk management plan: the actions put in place by the agencies
   and whether they were completed, and, where the case is no longer at level 2 or 3,
   why;
5. the dates of up to the last 10 meetings;
6. the chair's details and the date the summary was completed.

The draft is JSON (see ``redaction.py`` for its shape): values typed by people are
marked ``narrative`` and are redacted; dates, labels and the person managed's own
details are not. Minutes not yet distributed are left out (they can still change) and
the draft says how many. The queries do not grow with the case's history: one per
kind of record, prefetched.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch

from mappa.common.dates import today
from mappa.meetings.models import AgendaItem
from mappa.minutes.models import (
    CONCLUSION_LEVEL,
    Action,
    Conclusion,
    Minutes,
    MinutesStatus,
)
from mappa.referrals import choices as referral_choices
from mappa.referrals.models import Referral, ReferralStatus
from mappa.register.models import Case, CaseState

MAX_MEETINGS = 10  # J 5.6: "dates of up to the last 10 meetings"
NONE_RECORDED = "None recorded"
NOT_YET = "Completed when the summary is finalised"

HEADINGS = {
    "person": "1. The person's name and personal details",
    "referral": "2. Referring agency and reason for referral",
    "meetings": "3. Summary of the meetings",
    "plan": "4. Outline of the risk management plan",
    "dates": "5. Meeting details",
    "chair": "6. Details of the meeting chair",
}


def _d(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        from django.utils import timezone

        value = timezone.localtime(value).date()
    return f"{value.day} {value:%B %Y}"


def _field(label: str, value: Any, narrative: bool = False) -> dict[str, Any]:
    return {"label": label, "value": str(value or ""), "narrative": narrative}


def _section(
    key: str,
    heading: str,
    fields: list[dict[str, Any]] | None = None,
    tables: list[dict[str, Any]] | None = None,
    *,
    note: str = "",
    empty: str = "",
) -> dict[str, Any]:
    return {
        "key": key,
        "heading": heading,
        "fields": fields or [],
        "tables": tables or [],
        "note": note,
        "empty": empty,
    }


def _referral(case: Case) -> Referral | None:
    """The accepted referral, else the latest one sent (never a draft)."""
    referrals = (
        Referral.objects.filter(case=case)
        .exclude(status__in=[ReferralStatus.DRAFT, ReferralStatus.WITHDRAWN])
        .select_related("referring_agency")
        .order_by("-submitted_at", "-created_at")
    )
    accepted = [r for r in referrals if r.status == ReferralStatus.ACCEPTED]
    return accepted[0] if accepted else next(iter(referrals), None)


def _join(*parts: str) -> str:
    return "\n".join(p.strip() for p in parts if p and p.strip())


def _risks(m: Minutes) -> str:
    rows = [
        ("Who is at risk", m.risk_who),
        ("Nature of the risk", m.risk_nature),
        ("When the risk is greatest", m.risk_when),
        ("What increases the risk", m.risk_increase),
        ("What reduces the risk", m.risk_reduce),
    ]
    return "\n".join(f"{label}: {value.strip()}" for label, value in rows if value.strip())


def _victim_issues(m: Minutes) -> str:
    parts = [m.victim_concerns]
    if m.domestic_abuse == "yes" and m.domestic_abuse_details.strip():
        parts.append(f"Domestic abuse: {m.domestic_abuse_details}")
    return _join(*parts)


def _level_text(m: Minutes) -> str:
    if not m.conclusion:
        return ""
    label = str(Conclusion(m.conclusion).label)
    return f"{label}. {m.conclusion_reasons.strip()}".strip()


def build_draft(case: Case, *, chair: Any = None) -> dict[str, Any]:
    """The draft's sections (unredacted), from the records as they are now."""
    nominal = case.nominal
    state = CaseState.objects.filter(case=case, effective_to__isnull=True).first() or (
        CaseState.objects.filter(case=case).order_by("-effective_from").first()
    )
    referral = _referral(case)
    all_minutes = list(
        Minutes.objects.filter(case=case)
        .select_related("agenda_item__meeting")
        .prefetch_related(
            Prefetch("actions", queryset=Action.objects.select_related("agency").order_by("number"))
        )
        .order_by("agenda_item__meeting__date", "agenda_item__meeting__start_time")
    )
    minutes = [m for m in all_minutes if m.status == MinutesStatus.DISTRIBUTED]
    left_out = len(all_minutes) - len(minutes)

    sections = [
        _person_section(nominal, case, state),
        _referral_section(referral),
        *_meetings_sections(referral, minutes, left_out),
        _plan_section(case, state, minutes),
        _dates_section(case),
        _chair_section(chair),
    ]
    return {
        "title": "MAPPA meeting minutes executive summary",
        "case_reference": case.reference,
        "record_reference": nominal.reference,
        "drafted_on": today().isoformat(),
        "sections": sections,
    }


def _person_section(nominal: Any, case: Case, state: CaseState | None) -> dict[str, Any]:
    aliases = ", ".join(str(a) for a in nominal.aliases.all())
    fields = [
        _field("Family name", nominal.family_name),
        _field("Given names", nominal.given_names),
        _field("Date of birth", _d(nominal.date_of_birth)),
        _field("Gender", nominal.get_gender_display()),
        _field("Ethnicity", nominal.ethnicity),
        _field("Other names", aliases),
        _field("Record reference", nominal.reference),
        _field("Case reference", case.reference),
        _field("Category", state.get_category_display() if state else ""),
        _field("Level of management now", state.get_level_display() if state else ""),
    ]
    return _section("person", HEADINGS["person"], fields)


def _referral_section(referral: Referral | None) -> dict[str, Any]:
    if referral is None:
        return _section(
            "referral",
            HEADINGS["referral"],
            empty="No referral is recorded for this case: the reason for referral is missing.",
        )
    reasons = referral_choices.labels(referral_choices.REASONS, referral.reason_choices or [])
    made_on = referral.submitted_at or referral.created_at
    fields = [
        # J 5.6: the referring agency, never the referring officer.
        _field("Referring agency", referral.referring_agency.name),
        _field("Date of referral", _d(made_on)),
        _field("Grounds for referral", "; ".join(reasons)),
        _field("Reason for referral", referral.reason_for_referral, narrative=True),
        _field("How level 2 or 3 management would add value", referral.added_value, narrative=True),
    ]
    return _section(
        "referral",
        HEADINGS["referral"],
        fields,
        note=f"From referral {referral.reference}",
    )


def _meetings_sections(
    referral: Referral | None, minutes: list[Minutes], left_out: int
) -> list[dict[str, Any]]:
    latest = minutes[-1] if minutes else None
    note = f"From the minutes of {len(minutes)} meeting{'s' if len(minutes) != 1 else ''}"
    if left_out:
        note += (
            f"; {left_out} set{'s' if left_out != 1 else ''} of minutes not yet distributed "
            "left out"
        )
    overview = [
        _field(
            "Diversity needs that required managing",
            referral.diversity if referral else "",
            narrative=True,
        ),
        _field(
            "The agreed risk of serious harm (latest meeting)",
            latest.get_rosh_display() if latest and latest.rosh else "",
        ),
        _field(
            "The level of management agreed (latest meeting)",
            _level_text(latest) if latest else "",
            narrative=True,
        ),
    ]
    out = [
        _section(
            "meetings",
            HEADINGS["meetings"],
            overview,
            note=note + ".",
            empty="" if minutes else "No minutes have been distributed for this case.",
        )
    ]
    for m in minutes:
        meeting = m.agenda_item.meeting
        out.append(
            _section(
                f"meeting-{m.pk}",
                f"Meeting of {_d(meeting.date)} (level {meeting.level})",
                [
                    _field("Risks identified", _risks(m), narrative=True),
                    _field("General victim issues", _victim_issues(m), narrative=True),
                    _field("Agreed risk of serious harm", m.get_rosh_display() if m.rosh else ""),
                    _field("Level of management agreed", _level_text(m), narrative=True),
                ],
            )
        )
    return out


def _completion(action: Action) -> str:
    if action.state == "completed":
        return f"Completed{' on ' + _d(action.completed_on) if action.completed_on else ''}"
    if action.state == "not_completed":
        return "Not completed"
    if action.state == "referred":
        return "Referred to the next meeting"
    return "Open"


def _plan_section(case: Case, state: CaseState | None, minutes: list[Minutes]) -> dict[str, Any]:
    latest = minutes[-1] if minutes else None
    fields = []
    if latest is not None:
        fields += [
            _field("Restrictive interventions", latest.plan_restrictive, narrative=True),
            _field("Rehabilitative interventions", latest.plan_rehabilitative, narrative=True),
            _field("Protective interventions", latest.plan_protective, narrative=True),
            _field("Contingency plan", latest.contingency_plan, narrative=True),
        ]
    fields.append(
        _field(
            "Why the case is no longer managed at level 2 or 3",
            _why_not(case, state, minutes),
            narrative=True,
        )
    )
    rows = []
    for m in minutes:
        for action in m.actions.all():
            rows.append(
                [
                    f"{_d(m.agenda_item.meeting.date)}, action {action.number}",
                    action.agency.name if action.agency else "No agency",
                    action.description,
                    _completion(action),
                ]
            )
    tables = []
    if rows:
        tables.append(
            {
                "columns": ["Meeting and action", "Agency", "Action", "Completed"],
                "rows": rows,
                "narrative": [2],
            }
        )
    else:
        fields.append(_field("Actions", NONE_RECORDED))
    return _section(
        "plan",
        HEADINGS["plan"],
        fields,
        tables,
        note="The plan agreed at the latest meeting, and every action set at the meetings.",
    )


def _why_not(case: Case, state: CaseState | None, minutes: list[Minutes]) -> str:
    level = state.level if state else None
    if case.closed_on is None and level in (2, 3):
        return f"Not applicable: the case is managed at level {level}."
    for m in reversed(minutes):
        if m.conclusion and CONCLUSION_LEVEL.get(Conclusion(m.conclusion), 0) < 2:
            return _level_text(m)
    if case.closed_on is not None and case.close_reason:
        return case.close_reason
    return state.reason if state else ""


def _dates_section(case: Case) -> dict[str, Any]:
    items = list(
        AgendaItem.objects.filter(case=case, withdrawn_at__isnull=True, meeting__date__lte=today())
        .exclude(meeting__status="cancelled")
        .select_related("meeting")
        .order_by("-meeting__date", "-meeting__start_time")[:MAX_MEETINGS]
    )
    rows = [[_d(i.meeting.date), f"Level {i.meeting.level}", i.get_kind_display()] for i in items]
    return _section(
        "dates",
        HEADINGS["dates"],
        tables=[{"columns": ["Date", "Level", "Discussion"], "rows": rows, "narrative": []}]
        if rows
        else [],
        note=f"The last {MAX_MEETINGS} meetings at most, latest first.",
        empty="" if rows else "No meeting about this case has been held.",
    )


def chair_fields(chair: Any, completed_on: dt.date | None) -> list[dict[str, Any]]:
    if chair is None:
        name, title, agency, contact = "No meeting has been held: no chair", "", "", ""
    else:
        name = chair.display_name
        title = chair.job_title
        agency = chair.agency.name if chair.agency_id else ""
        contact = ", ".join(p for p in (chair.email, chair.phone) if p)
    return [
        _field("Chair", name),
        _field("Job title", title),
        _field("Agency", agency),
        _field("Contact details", contact),
        _field("Date this summary was completed", _d(completed_on) if completed_on else NOT_YET),
    ]


def _chair_section(chair: Any) -> dict[str, Any]:
    return _section("chair", HEADINGS["chair"], chair_fields(chair, None))


def with_completion(content: dict[str, Any], chair: Any, completed_on: dt.date) -> dict[str, Any]:
    """The content with the chair's details and the completion date filled in."""
    sections = [
        {**s, "fields": chair_fields(chair, completed_on)} if s.get("key") == "chair" else s
        for s in content.get("sections", [])
    ]
    return {**content, "sections": sections, "completed_on": completed_on.isoformat()}
