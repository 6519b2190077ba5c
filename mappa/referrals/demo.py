"""Demo data for identification, referrals, risk assessments and home visits (issue 4
point 8): referrals in every state, every assessment tool, home visits, and eligibility
events spread so that the worklist shows every kind in every state on the day it runs.

Deterministic for a given ``today``; built through the services so audit and rules hold.
"""

import datetime as dt
from typing import Any

from mappa.access.models import User
from mappa.assessments import services as assessment_services
from mappa.assessments.models import Tool
from mappa.referrals import services
from mappa.referrals.models import Referral
from mappa.register.models import CaseState, Nominal

ANSWERS: dict[str, Any] = {
    "overall_risk": "high",
    "risk_who": "Women known to him, in particular a former partner",
    "risk_nature": "Violence and controlling behaviour",
    "risk_when": "When a relationship ends or he drinks heavily",
    "risk_increase": "Alcohol misuse, loss of accommodation, contact with the former partner",
    "risk_reduce": "Stable housing, engagement with supervision, abstinence",
    "plan_restrictive_choices": ["licence_conditions", "home_visits"],
    "plan_restrictive": "Exclusion zone around the former partner's address",
    "plan_rehabilitative_choices": ["cognitive_behavioural"],
    "plan_protective_choices": ["prosocial_network"],
    "reason_choices": ["behaviour", "pattern"],
    "reason_for_referral": "Escalating threats towards a former partner since release.",
    "interagency_work": "Probation and police share information weekly; MARAC referral made.",
    "added_value": "Housing and police action together on the exclusion zone and a move.",
    "diversity": "No diversity needs that affect the risk.",
    "victim_concerns": "The former partner lives nearby and is frightened.",
    "child_protection_concerns": "no",
}


# The meetings demo's history (mappa.meetings.demo.HISTORY_MONTHS).
HISTORY_MONTHS = 28


def _user(username: str) -> User:
    user = User.objects.select_related("agency").get(username=username)
    if user.agency is None:
        raise RuntimeError(f"demo user {username} has no agency")
    return user


def _agency(user: User) -> Any:
    # _user() has checked that every demo user used here has an agency.
    return user.agency


def _open_states(category: str | None = None, level: int | None = None) -> list[CaseState]:
    states = CaseState.objects.filter(
        effective_to__isnull=True, case__closed_on__isnull=True, case__nominal__status="active"
    ).select_related("case__nominal")
    if category:
        states = states.filter(category=category)
    if level:
        states = states.filter(level=level)
    return list(states.order_by("case__nominal__reference"))


def _age(nominal: Nominal, day: dt.date) -> int:
    return nominal.age_on(day)


def _historic_referrals(
    today: dt.date, coordinator: User, probation: User, police: User, manager: User
) -> dict[str, int]:
    """Two years of referrals already decided (issue 6, point 9: the annual report counts
    those received, accepted and declined in the year): an accepted one before each spell
    at level 2 or 3 that began in the two years, and some declined. Written as history
    in bulk with their dates and one audit event; the screening services run on today's
    date and would move each case to level 2 or 3 again."""
    from django.utils import timezone

    from mappa.audit.services import audit_record
    from mappa.profiles.calendar import add_months, add_working_days
    from mappa.profiles.selectors import current_profile
    from mappa.referrals.models import DeclineReason, ReferralEvent, ReferralStatus

    start = add_months(today, -HISTORY_MONTHS)
    profile = current_profile(today)
    states = list(
        CaseState.objects.select_related("case__nominal", "lead_agency").order_by(
            "case_id", "effective_from"
        )
    )
    by_case: dict[Any, list[CaseState]] = {}
    for state in states:
        by_case.setdefault(state.case_id, []).append(state)
    referrals: list[Referral] = []
    events: list[tuple[ReferralEvent, dt.datetime]] = []
    numbers: dict[Any, int] = {}

    def at(day: dt.date, hour: int) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))

    def add(state: CaseState, received: dt.date, accepted: bool, level: int) -> None:
        nominal = state.case.nominal
        numbers[nominal.pk] = numbers.get(nominal.pk, 0) + 1
        referrer = probation if state.lead_agency.kind == "probation" else police
        decided = received + dt.timedelta(days=3)
        referral = Referral(
            nominal=nominal,
            case=state.case,
            reference=f"{nominal.reference}/R{numbers[nominal.pk]}",
            status=ReferralStatus.ACCEPTED if accepted else ReferralStatus.DECLINED,
            category=state.category,
            level_sought=level,
            sexual_offender=state.category == "1",
            custody="community",
            **{k: v for k, v in ANSWERS.items() if hasattr(Referral, k)},
            referrer=referrer,
            referring_agency=_agency(referrer),
            line_manager=manager,
            endorsed_by=manager,
            endorsed_at=at(received, 9),
            endorsement_note="Agreed: needs a meeting",
            submitted_at=at(received - dt.timedelta(days=1), 15),
            received_on=received,
            decided_by=coordinator,
            decided_at=at(decided, 11),
            decision_note="Meets the threshold for multi-agency management"
            if accepted
            else "The risks can be managed through normal liaison between the agencies.",
            decline_reason="" if accepted else DeclineReason.LEVEL_1,
            accepted_category=state.category if accepted else "",
            accepted_level=level if accepted else None,
            first_meeting_due=add_working_days(received, 15, profile) if accepted else None,
        )
        referrals.append(referral)
        for day, by, status, note in (
            (received - dt.timedelta(days=1), referrer, ReferralStatus.AWAITING_ENDORSEMENT, ""),
            (received, manager, ReferralStatus.AWAITING_SCREENING, "Agreed: needs a meeting"),
            (decided, coordinator, referral.status, referral.decision_note),
        ):
            events.append(
                (ReferralEvent(referral=referral, by=by, status=status, note=note), at(day, 10))
            )

    for history in by_case.values():
        for previous, state in zip([None, *history], history, strict=False):
            if state.level not in (2, 3) or not start < state.effective_from < today:
                continue
            if previous is not None and previous.level in (2, 3):
                continue
            received = max(state.case.opened_on, state.effective_from - dt.timedelta(days=4))
            add(state, received, True, state.level)
    level1 = [s for s in states if s.level == 1 and s.category in ("1", "2")]
    for number in range(12):
        # About one declined every two months.
        received = start + dt.timedelta(days=30 + 60 * number)
        fits = [
            s
            for s in level1
            if s.effective_from <= received
            and (s.effective_to is None or received < s.effective_to)
            and s.case.nominal.pk not in numbers
        ]
        if fits:
            add(fits[(number * 7) % len(fits)], received, False, 2)
    Referral.objects.bulk_create(referrals)
    ReferralEvent.objects.bulk_create([event for event, _at in events])
    for event, when in events:
        # ``at`` is stamped on insert; the history keeps the day it happened.
        ReferralEvent.objects.filter(pk=event.pk).update(at=when)
    audit_record(
        actor=coordinator,
        action="referral.demo_history",
        detail={
            "accepted": sum(r.status == ReferralStatus.ACCEPTED for r in referrals),
            "declined": sum(r.status == ReferralStatus.DECLINED for r in referrals),
            "from": start,
        },
    )
    return {
        "referrals decided in the last two years": len(referrals),
    }


def build_demo_referrals(today: dt.date) -> dict[str, int]:
    """Returns a count of what it made, by kind."""
    if Referral.objects.exists():
        return {}
    coordinator = _user("coordinator")
    probation = _user("probation")
    police = _user("police")
    manager = _user("linemanager")
    counts: dict[str, int] = _historic_referrals(today, coordinator, probation, police, manager)

    level1 = [s for s in _open_states(level=1) if s.category != "pdp"]
    # Eligibility events: identification met on time, met late, and referral clocks
    # overdue, due soon and not yet due (planned release 6 months and a bit ahead).
    spread = [
        ("sentence", 40, 38, "custody", 150),  # referral overdue (due 30 days ago)
        ("sentence", 20, 15, "custody", 186),  # referral due soon (due in 4-6 days)
        ("hospital_admission", 10, 9, "custody", 400),  # referral not yet due
        ("notification_order", 6, 5, "community", None),  # referral due at once: overdue
        ("transfer_in", 3, 1, "custody", 300),  # identified late? (2 days after: on time)
        ("sentence", 9, 2, "custody", 500),  # identified 7 days after: met late
    ]
    for state, (kind, event_ago, identified_ago, custody, release_in) in zip(
        level1, spread, strict=False
    ):
        nominal = state.case.nominal
        event_date = max(today - dt.timedelta(days=event_ago), state.case.opened_on)
        identified = max(today - dt.timedelta(days=identified_ago), event_date)
        services.eligibility_record(
            actor=probation if state.lead_agency.kind == "probation" else police,
            nominal=nominal,
            kind=kind,
            event_date=event_date,
            identified_on=min(identified, today),
            custody=custody,
            planned_release_date=today + dt.timedelta(days=release_in) if release_in else None,
        )
        counts["eligibility events"] = counts.get("eligibility events", 0) + 1

    # Referrals in every state, from probation-led level 1 cases.
    candidates = [
        s
        for s in _open_states(level=1)
        if s.lead_agency.kind == "probation" and s.category in ("1", "2")
    ]
    states = [
        "draft",
        "awaiting_endorsement",
        "awaiting_screening",
        "accepted",
        "declined",
        "returned",
    ]
    for state, wanted in zip(candidates, states, strict=False):
        nominal = state.case.nominal
        referral = services.referral_start(actor=probation, nominal=nominal)
        data = {
            **ANSWERS,
            "category": state.category,
            "level_sought": 2,
            "custody": "community",
            "sexual_offender": state.category == "1",
            "line_manager": manager,
        }
        if wanted == "draft":
            data = {k: data[k] for k in ("category", "level_sought", "risk_who", "line_manager")}
        services.referral_update(actor=probation, referral=referral, data=data)
        if wanted != "draft":
            referral = services.referral_submit(actor=probation, referral=referral)
        if wanted in ("awaiting_screening", "accepted", "declined", "returned"):
            referral = services.referral_endorse(
                actor=manager, referral=referral, note="Agreed: needs a meeting"
            )
        if wanted == "accepted":
            services.referral_accept(
                actor=coordinator,
                referral=referral,
                category=state.category,
                level=2,
                note="Meets the threshold for level 2",
            )
        elif wanted == "declined":
            services.referral_decline(
                actor=coordinator,
                referral=referral,
                reason="not_eligible" if state.category == "1" else "level_1",
                note="The risks can be managed through normal liaison between probation and housing.",
            )
        elif wanted == "returned":
            services.referral_return(
                actor=coordinator,
                referral=referral,
                by_coordinator=True,
                note="Add who the victim is at risk from now, and the planned address.",
            )
        counts[f"referrals {wanted}"] = 1

    # Every assessment tool on a few people; a child gets ASSET.
    tools_adult: list[tuple[str, dict[str, Any]]] = [
        (Tool.RM2000, {"sexual": "high", "violent": "medium", "combined": "high"}),
        (
            Tool.OASYS_RECONVICTION,
            {
                "ogp_1y_pct": 22,
                "ogp_2y_pct": 35,
                "ogp_band": "medium",
                "ovp_1y_pct": 18,
                "ovp_2y_pct": 29,
                "ovp_band": "medium",
                "ogrs3_1y_pct": 30,
                "ogrs3_2y_pct": 45,
                "ogrs3_band": "high",
            },
        ),
        (
            Tool.OASYS_ROSH_COMMUNITY,
            {
                "children": "high",
                "public": "medium",
                "known_adult": "high",
                "staff": "low",
                "prisoners": "low",
            },
        ),
        (
            Tool.OASYS_ROSH_CUSTODY,
            {
                "children": "medium",
                "public": "low",
                "known_adult": "medium",
                "staff": "medium",
                "prisoners": "medium",
            },
        ),
        (Tool.SARA, {"risk_to_partner": "high", "risk_to_others": "medium"}),
        (
            Tool.STABLE_ACUTE,
            {
                "stable_score": 12,
                "stable_priority": "high",
                "acute_sexual_violent": "moderate",
                "acute_general": "moderate",
            },
        ),
        (
            Tool.HCR20,
            {
                "historical_score": 14,
                "clinical_score": 6,
                "risk_management_score": 5,
                "final_judgement": "high",
            },
        ),
        (Tool.LSI_R, {"total_score": 31, "band": "medium_high"}),
        (
            Tool.MENTAL_HEALTH,
            {"tool_name": "Psychiatric risk formulation", "outcome": "Risk linked to relapse"},
        ),
        (Tool.OVERALL_ROSH, {"level": "high", "details": "High risk to a known adult"}),
    ]
    adults = [
        s for s in _open_states() if _age(s.case.nominal, today) >= 21 and s.category != "pdp"
    ]
    for index, state in enumerate(adults[:12]):
        nominal = state.case.nominal
        author = police if state.lead_agency.kind == "police" else probation
        chosen = (
            tools_adult
            if index < 2
            else [tools_adult[(index * 3) % len(tools_adult)], tools_adult[-1]]
        )
        for offset, (tool, values) in enumerate(chosen):
            completed = today - dt.timedelta(days=30 + 40 * index + 7 * offset)
            if completed < nominal.date_of_birth.replace(year=nominal.date_of_birth.year + 18):
                continue
            if tool == Tool.OVERALL_ROSH:
                values = {**values, "level": ["very_high", "high", "medium", "low"][index % 4]}
            assessment_services.assessment_record(
                actor=author,
                nominal=nominal,
                tool=tool,
                completed_on=completed,
                author=author,
                agency=_agency(author),
                values=values,
            )
            counts["assessments"] = counts.get("assessments", 0) + 1
    young = [s for s in _open_states() if _age(s.case.nominal, today) < 18]
    for state in young[:2]:
        nominal = state.case.nominal
        completed = today - dt.timedelta(days=60)
        if _age(nominal, completed) < 18:
            assessment_services.assessment_record(
                actor=probation,
                nominal=nominal,
                tool=Tool.ASSET,
                completed_on=completed,
                author=probation,
                agency=_agency(probation),
                values={
                    "risk_of_serious_harm": "high",
                    "reconviction_score": 21,
                    "reconviction_likelihood": "medium_high",
                },
            )
            counts["assessments"] = counts.get("assessments", 0) + 1

    # Home visits to registered sexual offenders: overall risk set, visits spread so
    # that one is overdue, one due soon and others not yet due.
    rsos = _open_states(category="1")[:8]
    for index, state in enumerate(rsos):
        nominal = state.case.nominal
        level = ["very_high", "high", "medium", "low"][index % 4]
        assessment_services.assessment_record(
            actor=police,
            nominal=nominal,
            tool=Tool.OVERALL_ROSH,
            completed_on=max(today - dt.timedelta(days=200), state.effective_from),
            author=police,
            agency=_agency(police),
            values={"level": level, "details": "Police risk review"},
        )
        months = {"very_high": 1, "high": 3, "medium": 6, "low": 12}[level]
        # Last visit: overdue for the first two, due within a week for the third.
        ago = months * 30 + (10 if index < 2 else (-3 if index == 2 else -40))
        visited = today - dt.timedelta(days=max(ago, 1))
        if visited >= state.effective_from:
            assessment_services.home_visit_record(
                actor=police,
                nominal=nominal,
                visited_on=visited,
                officers="PC Renouf, PC Le Cornu",
                announced=index % 2 == 0,
                outcome="seen",
                joint_with_probation=index % 3 == 0,
                outcome_details="Seen at home; accommodation suitable.",
                concerns="" if index % 2 else "Children's toys seen in the flat: follow up.",
            )
            counts["home visits"] = counts.get("home visits", 0) + 1
    return counts
