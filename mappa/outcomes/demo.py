"""Outcome events for the demo area (issue 6, point 9): two years of every kind, so that
every table of the annual report has figures, in the last twelve months and in the last
full calendar year (Jersey reports by calendar year, J 15.5).

Each event is recorded through ``outcome_event_create`` on a person whose record fits
it on that date: breaches of notification, orders and deregistration for registered
sexual offenders (category 1); returns to custody, serious further offence charges and
serious case reviews for people managed at level 2 or 3 on the day (T8-T10 count
those); sexual risk orders and notification after their breach for potentially
dangerous persons. Deterministic from the day it is run; changes nothing when the
register already holds outcome events.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from typing import Any

from django.db import transaction

from mappa.access.models import User
from mappa.outcomes.models import OrderType, OutcomeEvent, OutcomeKind
from mappa.register.models import CaseState, Category, Nominal

SEED = 2021
POPULATION = 103_267  # Jersey, 2021 Census (all ages)
POPULATION_SOURCE = "Jersey 2021 Census, all ages"

# (kind, order type, foreign-travel restrictions, who, how many in two years, notes)
# who: "cat1", "cat1_indefinite", "pdp", "cat2", "multi" (level 2 or 3 on the day).
PLAN: list[tuple[str, str, bool, str, int, str]] = [
    (
        OutcomeKind.NOTIFICATION_BREACH_CAUTION,
        "",
        False,
        "cat1",
        4,
        "Failed to notify a change of address within 7 days; cautioned by the Centenier",
    ),
    (
        OutcomeKind.NOTIFICATION_BREACH_CONVICTION,
        "",
        False,
        "cat1",
        4,
        "Convicted in the Magistrate's Court of failing to notify foreign travel",
    ),
    (
        OutcomeKind.ORDER_IMPOSED,
        OrderType.SHPO,
        True,
        "cat1",
        3,
        "Sexual harm prevention order on conviction, with a prohibition on travel abroad",
    ),
    (
        OutcomeKind.ORDER_IMPOSED,
        OrderType.SHPO,
        False,
        "cat1",
        4,
        "Sexual harm prevention order: no unsupervised contact with children under 16",
    ),
    (
        OutcomeKind.ORDER_IMPOSED,
        OrderType.NOTIFICATION_ORDER,
        False,
        "cat1",
        2,
        "Notification order after a conviction abroad (Sex Offenders (Jersey) Law 2010)",
    ),
    (
        OutcomeKind.ORDER_IMPOSED,
        OrderType.FOREIGN_TRAVEL_ORDER,
        False,
        "cat1",
        2,
        "Foreign travel order: prohibited from travelling outside the British Islands",
    ),
    (
        OutcomeKind.ORDER_IMPOSED,
        OrderType.SEXUAL_RISK_ORDER,
        False,
        "pdp",
        3,
        "Sexual risk order on the application of the police",
    ),
    (
        OutcomeKind.ORDER_IMPOSED,
        OrderType.VIOLENT_OFFENDER_ORDER,
        False,
        "cat2",
        2,
        "Violent offender order: not to enter licensed premises in St Helier",
    ),
    (
        OutcomeKind.ORDER_IMPOSED,
        OrderType.RESTRAINING_ORDER,
        False,
        "cat2",
        3,
        "Restraining order protecting a former partner",
    ),
    (
        OutcomeKind.ORDER_REVOKED,
        OrderType.SHPO,
        False,
        "cat1",
        2,
        "Revoked by the Royal Court on the person's application",
    ),
    (
        OutcomeKind.NOTIFICATION_AFTER_SRO_BREACH,
        "",
        False,
        "pdp",
        2,
        "Convicted of breaching the sexual risk order: now subject to notification",
    ),
    (
        OutcomeKind.LIFETIME_NOTIFICATION_REVOKED,
        "",
        False,
        "cat1_indefinite",
        2,
        "Indefinite notification requirements revoked on review at the person's application",
    ),
    (
        OutcomeKind.DEREGISTRATION_ELIGIBLE,
        "",
        False,
        "cat1",
        8,
        "Notification period ends: eligible for deregistration",
    ),
    (
        OutcomeKind.CUSTODY_BREACH_OF_LICENCE,
        "",
        False,
        "multi",
        5,
        "Recalled to HM Prison La Moye for breach of licence conditions (exclusion zone)",
    ),
    (
        OutcomeKind.CUSTODY_BREACH_OF_ORDER,
        "",
        False,
        "multi",
        3,
        "Returned to custody for breach of a probation order",
    ),
    (
        OutcomeKind.CUSTODY_FURTHER_OFFENCE,
        "",
        False,
        "multi",
        2,
        "Remanded in custody charged with a further offence of assault",
    ),
    (
        OutcomeKind.SERIOUS_FURTHER_OFFENCE_CHARGE,
        "",
        False,
        "multi",
        2,
        "Charged with grievous bodily harm with intent: a serious further offence review "
        "has been started",
    ),
    (
        OutcomeKind.SERIOUS_CASE_REVIEW,
        "",
        False,
        "multi",
        2,
        "MAPPA serious case review commissioned by the SMB after the serious further offence",
    ),
]


def _dates(today: dt.date, count: int, rng: random.Random) -> list[dt.date]:
    """``count`` days over the two years ending ``today``: at least one in the last
    twelve months and one in the last full calendar year."""
    last_year = (dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31))
    recent = (today - dt.timedelta(days=364), today - dt.timedelta(days=3))
    window = (today - dt.timedelta(days=725), today - dt.timedelta(days=3))
    spans = [recent, last_year, *([window] * max(0, count - 2))]
    out = []
    for first, last in spans[:count]:
        out.append(first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days))))
    return sorted(out)


def _candidates(states: list[CaseState], who: str, day: dt.date) -> list[CaseState]:
    def fits(state: CaseState) -> bool:
        if not (
            state.effective_from <= day
            and (state.effective_to is None or day < state.effective_to)
            and state.case.opened_on <= day
        ):
            return False
        if who == "multi":
            return state.level in (2, 3)
        if who == "cat1":
            return state.category == Category.CATEGORY_1
        if who == "cat1_indefinite":
            return state.category == Category.CATEGORY_1 and state.case.notification_indefinite
        if who == "pdp":
            return state.category == Category.PDP
        return state.category == Category.CATEGORY_2

    return [s for s in states if fits(s)]


@transaction.atomic
def build_demo_outcomes(today: dt.date) -> dict[str, int]:
    """Record the demo's outcome events; returns how many of each kind."""
    from mappa.outcomes.services import outcome_event_create
    from mappa.profiles.selectors import current_area
    from mappa.profiles.services import area_update

    if OutcomeEvent.objects.exists():
        return {}
    actor: Any = User.objects.filter(username="coordinator").first()
    if actor is None:
        return {}
    area = current_area()
    if not area.population:
        # Figures per 100,000 need the area's population (T3).
        area_update(
            actor=actor,
            area=area,
            profile_key=area.profile_key,
            population=POPULATION,
            population_source=POPULATION_SOURCE,
            reason="Demo area: population for the figures per 100,000",
        )
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    states = list(
        CaseState.objects.select_related("case__nominal").order_by(
            "case__nominal__reference", "effective_from"
        )
    )
    used: dict[str, set[Any]] = defaultdict(set)
    made: Counter[str] = Counter()
    for kind, order_type, travel, who, count, notes in PLAN:
        for day in _dates(today, count, rng):
            options = [
                s for s in _candidates(states, who, day) if s.case.nominal_id not in used[kind]
            ]
            if not options:
                continue
            state = options[rng.randrange(len(options))]
            nominal: Nominal = state.case.nominal
            outcome_event_create(
                actor=actor,
                nominal=nominal,
                kind=kind,
                occurred_on=day,
                order_type=order_type,
                foreign_travel_restrictions=travel,
                notes=notes,
            )
            used[kind].add(nominal.pk)
            made[str(kind)] += 1
    return dict(made)
