"""A hand-built register for the annual report, year Y = last calendar year.

The area's profile is jersey-2010 (the default): the year runs 1 January Y to
31 December Y and the snapshot is on S = 31 December Y. People and their history
(built through the register's services, with past dates):

    A  cat 1 L1 from Y-2, open                       snapshot (1, L1)
    B  cat 2 L1 from Y-1; L2 1 Feb Y; L3 1 Jun Y; L2 1 Sep Y
                                                     snapshot (2, L2); managed (2, L3)
    C  cat 2 L2 from Y-1; cat 1 (still L2) 1 Jul Y   snapshot (1, L2); managed (1, L2)
    D  cat 3 L3 from 1 Mar Y, archived 30 Dec Y      not in the snapshot; managed (3, L3)
    E  cat 1 L2 from Y-1, archived on S              not in the snapshot; managed (1, L2)
    F  cat 2 L2 from Y-1, archived 1 May Y, re-activated 1 May Y (second case, L2),
       L1 1 Aug Y                                    snapshot (2, L1) once; managed (2, L2) once
    G  PDP L1 from 1 Feb Y                           snapshot (pdp, L1)
    H  cat 2 L3 from S + 1 day                       nowhere
    I  cat 2 L2 from Y-3, archived 15 Nov Y-1        nowhere
    J  cat 1 L3 from S                               snapshot (1, L3); managed (1, L3)
    K  cat 3 L2 from Y-1, open                       snapshot (3, L2); managed (3, L2)

Snapshot: cat 1 = A, C, J (3); cat 2 = B, F (2); cat 3 = K (1); total 6.
Levels: L1 = A, F (2); L2 = B, C, K (3); L3 = J (1). PDPs: G at L1.
Managed at L2/L3 in Y: L2 = C (1), E (1), F (2), K (3) = 4; L3 = B (2), D (3), J (1) = 3.

Outcome events (dates in Y unless said):
    A  notification caution 10 Feb (cat 1, L1); conviction 10 Apr (cat 1, L1);
       conviction 20 Dec Y-1 (outside); custody breach of licence 1 May (L1);
       SHPO with foreign travel restrictions 1 Jun; foreign travel order 2 Jun;
       deregistration eligible 1 Nov; deregistration eligible 1 Jan Y+1 (outside)
    B  custody breach of licence 1 Jul (L3); custody breach of order 1 Oct (L2)
    C  notification caution 1 Mar (cat 2 then: not in T4); conviction 1 Aug (cat 1, L2);
       SHPO 1 Mar (cat 2 then: not in T5)
    D  custody further offence 1 Jun (L3); serious further offence charge 1 Dec (cat 3, L3);
       serious case review 30 Dec (case closed that day: no state, still counted)
    E  serious further offence charge 5 Nov (cat 1, L2); SOPO revoked 1 Jul
    F  serious further offence charge 1 Sep (cat 2, L1: Jersey only)
    G  serious further offence charge 1 Oct (pdp, L1: Jersey only, PDP column)
    I  lifetime notification revoked 1 Dec Y-1 (outside)
    J  notification order imposed on S (cat 1, L3)
    K  custody breach of licence 1 Mar (L2); notification after SRO breach 1 Feb

Referrals: R1 received 5 Jan, accepted 20 Jan; R2 received 20 Dec Y-1, accepted
10 Jan; R3 received 28 Dec, declined 3 Jan Y+1; R4 received 1 Mar, declined 5 Mar;
R5 a draft. Received 3 (R1, R3, R4); accepted 2 (R1, R2); declined 1 (R4).

Meetings: M1 L2 15 Mar, C discussed (K not) - held; M2 L3 10 Jun, B discussed - held;
M3 L2 20 Jul cancelled; M4 L2 1 Aug, nothing discussed; M5 L3 5 Jan Y+1 (outside);
M6 L2 10 Oct, C discussed, F withdrawn. L2: 2 meetings, 2 discussions; L3: 1 and 1.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from mappa.meetings.models import AgendaItem, Meeting, MeetingStatus
from mappa.outcomes.models import OrderType, OutcomeEvent, OutcomeKind
from mappa.referrals.models import Referral, ReferralStatus
from mappa.register import services
from mappa.register.models import Case, Nominal
from mappa.register.services import current_case, current_state
from tests.conftest import Personas
from tests.factories import make_nominal

_names = itertools.count(1)


@dataclass
class Fixture:
    year: int
    people: dict[str, Nominal]

    @property
    def snapshot(self) -> dt.date:
        return dt.date(self.year, 12, 31)


def d(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, day)


def _person(personas: Personas, letter: str, category: str, level: int, opened: dt.date) -> Nominal:
    return make_nominal(
        personas.coordinator,
        family_name=f"Annual{letter}",
        given_names=f"Person{next(_names)}",
        category=category,
        level=level,
        lead_agency=personas.probation,
        opened_on=opened,
    )


def move(personas: Personas, nominal: Nominal, category: str, level: int, on: dt.date) -> None:
    case = current_case(nominal)
    assert case is not None
    state = current_state(case)
    assert state is not None
    services.case_update_management(
        actor=personas.coordinator,
        case=case,
        category=category,
        level=level,
        lead_agency=state.lead_agency,
        manager=state.manager,
        effective_from=on,
        reason="Annual report fixture",
        pdp_behaviour=case.pdp_behaviour,
        notification_end_date=case.notification_end_date,
        notification_indefinite=case.notification_indefinite or category == "1",
    )


def archive(personas: Personas, nominal: Nominal, on: dt.date) -> None:
    services.nominal_archive(
        actor=personas.coordinator, nominal=nominal, reason="Left MAPPA", effective_on=on
    )


def event(nominal: Nominal, kind: str, on: dt.date, **extra: Any) -> OutcomeEvent:
    case = (
        Case.objects.filter(nominal=nominal, opened_on__lte=on)
        .exclude(closed_on__lte=on)
        .order_by("-opened_on")
        .first()
    )
    return OutcomeEvent.objects.create(
        nominal=nominal, case=case, kind=kind, occurred_on=on, **extra
    )


def _aware(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def referral(
    personas: Personas,
    nominal: Nominal,
    status: str,
    received: dt.date | None,
    decided: dt.date | None = None,
) -> Referral:
    case = nominal.cases.order_by("-opened_on").first()
    assert case is not None
    return Referral.objects.create(
        nominal=nominal,
        case=case,
        reference=f"REF-{next(_names)}",
        status=status,
        category="2",
        referrer=personas.owner,
        referring_agency=personas.probation,
        received_on=received,
        decided_at=_aware(decided) if decided else None,
    )


def meeting(level: int, on: dt.date, status: str = MeetingStatus.HELD) -> Meeting:
    return Meeting.objects.create(level=level, date=on, start_time=dt.time(10, 0), status=status)


def item(meeting_: Meeting, nominal: Nominal, *, discussed: bool, withdrawn: bool = False) -> None:
    case = nominal.cases.order_by("-opened_on").first()
    assert case is not None
    AgendaItem.objects.create(
        meeting=meeting_,
        case=case,
        kind="review",
        discussed=discussed,
        withdrawn_at=timezone.now() if withdrawn else None,
        withdrawn_reason="Not ready" if withdrawn else "",
    )


def build(personas: Personas) -> Fixture:
    y = timezone.localdate().year - 1
    s = d(y, 12, 31)
    p: dict[str, Nominal] = {}
    p["A"] = _person(personas, "A", "1", 1, d(y - 2, 6, 1))
    p["B"] = _person(personas, "B", "2", 1, d(y - 1, 3, 1))
    move(personas, p["B"], "2", 2, d(y, 2, 1))
    move(personas, p["B"], "2", 3, d(y, 6, 1))
    move(personas, p["B"], "2", 2, d(y, 9, 1))
    p["C"] = _person(personas, "C", "2", 2, d(y - 1, 1, 1))
    move(personas, p["C"], "1", 2, d(y, 7, 1))
    p["D"] = _person(personas, "D", "3", 3, d(y, 3, 1))
    archive(personas, p["D"], d(y, 12, 30))
    p["E"] = _person(personas, "E", "1", 2, d(y - 1, 3, 1))
    archive(personas, p["E"], s)
    p["F"] = _person(personas, "F", "2", 2, d(y - 1, 1, 1))
    archive(personas, p["F"], d(y, 5, 1))
    services.nominal_reactivate(
        actor=personas.coordinator, nominal=p["F"], reason="Back", effective_on=d(y, 5, 1)
    )
    move(personas, p["F"], "2", 1, d(y, 8, 1))
    p["G"] = _person(personas, "G", "pdp", 1, d(y, 2, 1))
    p["H"] = _person(personas, "H", "2", 3, s + dt.timedelta(days=1))
    p["I"] = _person(personas, "I", "2", 2, d(y - 3, 1, 1))
    archive(personas, p["I"], d(y - 1, 11, 15))
    p["J"] = _person(personas, "J", "1", 3, s)
    p["K"] = _person(personas, "K", "3", 2, d(y - 1, 1, 1))

    kind = OutcomeKind
    event(p["A"], kind.NOTIFICATION_BREACH_CAUTION, d(y, 2, 10))
    event(p["A"], kind.NOTIFICATION_BREACH_CONVICTION, d(y, 4, 10))
    event(p["A"], kind.NOTIFICATION_BREACH_CONVICTION, d(y - 1, 12, 20))
    event(p["A"], kind.CUSTODY_BREACH_OF_LICENCE, d(y, 5, 1))
    event(
        p["A"],
        kind.ORDER_IMPOSED,
        d(y, 6, 1),
        order_type=OrderType.SHPO,
        foreign_travel_restrictions=True,
    )
    event(p["A"], kind.ORDER_IMPOSED, d(y, 6, 2), order_type=OrderType.FOREIGN_TRAVEL_ORDER)
    event(p["A"], kind.DEREGISTRATION_ELIGIBLE, d(y, 11, 1))
    event(p["A"], kind.DEREGISTRATION_ELIGIBLE, d(y + 1, 1, 1))
    event(p["B"], kind.CUSTODY_BREACH_OF_LICENCE, d(y, 7, 1))
    event(p["B"], kind.CUSTODY_BREACH_OF_ORDER, d(y, 10, 1))
    event(p["C"], kind.NOTIFICATION_BREACH_CAUTION, d(y, 3, 1))
    event(p["C"], kind.NOTIFICATION_BREACH_CONVICTION, d(y, 8, 1))
    event(p["C"], kind.ORDER_IMPOSED, d(y, 3, 1), order_type=OrderType.SHPO)
    event(p["D"], kind.CUSTODY_FURTHER_OFFENCE, d(y, 6, 1))
    event(p["D"], kind.SERIOUS_FURTHER_OFFENCE_CHARGE, d(y, 12, 1))
    event(p["D"], kind.SERIOUS_CASE_REVIEW, d(y, 12, 30))
    event(p["E"], kind.SERIOUS_FURTHER_OFFENCE_CHARGE, d(y, 11, 5))
    event(p["E"], kind.ORDER_REVOKED, d(y, 7, 1), order_type=OrderType.SOPO)
    event(p["F"], kind.SERIOUS_FURTHER_OFFENCE_CHARGE, d(y, 9, 1))
    event(p["G"], kind.SERIOUS_FURTHER_OFFENCE_CHARGE, d(y, 10, 1))
    event(p["I"], kind.LIFETIME_NOTIFICATION_REVOKED, d(y - 1, 12, 1))
    event(p["J"], kind.ORDER_IMPOSED, s, order_type=OrderType.NOTIFICATION_ORDER)
    event(p["K"], kind.CUSTODY_BREACH_OF_LICENCE, d(y, 3, 1))
    event(p["K"], kind.NOTIFICATION_AFTER_SRO_BREACH, d(y, 2, 1))

    status = ReferralStatus
    referral(personas, p["B"], status.ACCEPTED, d(y, 1, 5), d(y, 1, 20))
    referral(personas, p["C"], status.ACCEPTED, d(y - 1, 12, 20), d(y, 1, 10))
    referral(personas, p["K"], status.DECLINED, d(y, 12, 28), d(y + 1, 1, 3))
    referral(personas, p["A"], status.DECLINED, d(y, 3, 1), d(y, 3, 5))
    referral(personas, p["G"], status.DRAFT, None)

    m1 = meeting(2, d(y, 3, 15))
    item(m1, p["C"], discussed=True)
    item(m1, p["K"], discussed=False)
    item(meeting(3, d(y, 6, 10)), p["B"], discussed=True)
    item(meeting(2, d(y, 7, 20), MeetingStatus.CANCELLED), p["C"], discussed=True)
    item(meeting(2, d(y, 8, 1), MeetingStatus.PLANNED), p["K"], discussed=False)
    item(meeting(3, d(y + 1, 1, 5)), p["B"], discussed=True)
    m6 = meeting(2, d(y, 10, 10))
    item(m6, p["C"], discussed=True)
    item(m6, p["F"], discussed=True, withdrawn=True)
    return Fixture(year=y, people=p)
