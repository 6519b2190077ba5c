"""A hand-built case with one of each kind of finding, and a clean case.

Meetings, discussions, invitations, attendance and minutes are written straight to the
database as history (as tests/minutes and tests/meetings do): the services stamp
today's date on distribution and completion, and these records are months old. The
person, the case, its dated management and the eligibility event go through the
services. Every figure the tests expect is worked out by hand below.

Jersey (``jersey-2010``) calendar used here, 2026: Good Friday 3 April and Easter
Monday 6 April are bank holidays.

Case A (category 2, level 2, led by probation, opened Monday 5 January 2026), looked
at on Tuesday 30 June 2026 (AS_OF):

Time limits
- Identification: sentence on Friday 2 January; limit 3 calendar days, due Monday
  5 January; identified Tuesday 6 January: 1 day late. Recorded by the co-ordinator,
  whose agency is the co-ordination unit, which is responsible.
- Referral: in the community with no planned release, due at once on the day
  identified (6 January); never sent: outstanding, 30 June - 6 January =
  25 (rest of January) + 28 + 31 + 30 + 31 + 30 = 175 days late. Probation (the lead).
- Review 1: came to level 2 on 5 January; 12 weeks, due Monday 30 March; discussed at
  the meeting of 30 March: on the due date, met (not a finding).
- Minutes of 30 March (level 2: 10 working days): 31 Mar (1), 1 Apr (2), 2 Apr (3),
  Good Friday 3 Apr and Easter Monday 6 Apr skipped, 7 (4), 8 (5), 9 (6), 10 (7),
  13 (8), 14 (9), 15 April (10): due Wednesday 15 April (without the bank holidays it
  would be 13 April). Distributed 16 April: 1 day late. Co-ordination unit.
- Review 2: from 30 March, due 22 June (12 weeks); discussed Tuesday 23 June: 1 day
  late. Probation.
- Minutes of 23 June: due 10 working days later (7 July): not yet due on 30 June.
- Review 3: from 23 June, due 15 September: not yet due.

Actions (set at 30 March, minutes distributed)
- 1 Police, due 10 April, completed 10 April: on time.
- 2 Housing (contingency), due 20 April, completed 21 April: 1 day late.
- 3 Police, due 1 May, found not completed at the meeting of 23 June:
  30 (rest of May) + 23 = 53 days late.
- 4 Probation, due 29 June, open: 1 day late on 30 June.
- 5 Probation, due 30 June, open: on its due date, not late.
- 6 Police, protects victims, referred to the next meeting (J 8.3): no deadline, so
  not late, and not deliverable, so the plan of 30 March has no victim action.

Disclosure: 30 March "no" with reasons (recorded); 23 June minutes (checked) have no
decision: 1 finding.
Plans: 30 March (distributed) has no deliverable victim action; its contingency is
action 2: 1 finding ("No action to protect victims").
Attendance (invited: police and probation as standing members, housing for the case;
education's invitation was cancelled and does not count):
- 30 March: police in person, probation sent a report (counts), housing sent
  apologies: 1 gap (housing).
- 23 June: police by video, probation absent, housing nothing recorded: 2 gaps.

Per agency (time limits and their days; actions and their days; attendance gaps):
- Probation: 2 (175 + 1 = 176 days); 1 (1 day); 1 gap.
- Housing: 0; 1 (1 day); 2 gaps.
- Co-ordination unit: 2 (1 + 1 = 2 days); 0; 0.
- Police: 0; 1 (53 days); 0.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from mappa.meetings.models import (
    AgendaItem,
    Attendance,
    DiscussionKind,
    Invitation,
    InvitationKind,
    InvitationStatus,
    Meeting,
    MeetingStatus,
)
from mappa.minutes.models import Action, ActionReview, ActionState, Minutes, MinutesStatus
from mappa.referrals import services as referral_services
from mappa.register.models import Case, Nominal
from tests.conftest import Personas
from tests.factories import make_nominal

AS_OF = dt.date(2026, 6, 30)
OPENED = dt.date(2026, 1, 5)


def meeting_on(day: dt.date, level: int = 2, **extra: Any) -> Meeting:
    return Meeting.objects.create(
        level=level,
        date=day,
        start_time=dt.time(10, 0),
        venue="Police headquarters, Rouge Bouillon",
        status=extra.pop("status", MeetingStatus.HELD),
        **extra,
    )


def discuss(meeting: Meeting, case: Case, **extra: Any) -> AgendaItem:
    return AgendaItem.objects.create(
        meeting=meeting,
        case=case,
        kind=extra.pop("kind", DiscussionKind.REVIEW),
        discussed=extra.pop("discussed", True),
        position=extra.pop("position", 1),
        **extra,
    )


def invite(meeting: Meeting, agency: Any, item: AgendaItem | None = None, **extra: Any) -> None:
    Invitation.objects.create(
        meeting=meeting,
        agenda_item=item,
        agency=agency,
        name=f"Contact at {agency}",
        kind=InvitationKind.STANDING if item is None else InvitationKind.CASE,
        status=extra.pop("status", InvitationStatus.SENT),
        **extra,
    )


def attended(item: AgendaItem, agency: Any, status: str) -> None:
    Attendance.objects.create(agenda_item=item, agency=agency, status=status)


def write_minutes(item: AgendaItem, **fields: Any) -> Minutes:
    return Minutes.objects.create(agenda_item=item, case=item.case, **fields)


def add_action(minutes: Minutes, number: int, agency: Any, **fields: Any) -> Action:
    return Action.objects.create(
        minutes=minutes,
        case=minutes.case,
        number=number,
        description=fields.pop("description", f"Action {number} of the plan"),
        agency=agency,
        owner_name=fields.pop("owner_name", "Morwenna Trelawney"),
        **fields,
    )


@dataclass
class Built:
    nominal: Nominal
    case: Case
    first: Meeting
    second: Meeting
    first_minutes: Minutes
    second_minutes: Minutes
    actions: dict[int, Action]


@pytest.fixture
def case_a(personas: Personas) -> Built:
    nominal = make_nominal(
        personas.coordinator,
        family_name="Quennell",
        given_names="Barnaby",
        lead_agency=personas.probation,
        manager=personas.owner,
        opened_on=OPENED,
    )
    case = nominal.cases.get()
    referral_services.eligibility_record(
        actor=personas.coordinator,
        nominal=nominal,
        kind="sentence",
        event_date=dt.date(2026, 1, 2),
        identified_on=dt.date(2026, 1, 6),
        custody="community",
    )
    coordination = personas.coordinator.agency

    first = meeting_on(dt.date(2026, 3, 30))
    item1 = discuss(first, case)
    second = meeting_on(dt.date(2026, 6, 23))
    item2 = discuss(second, case)
    for meeting, item in ((first, item1), (second, item2)):
        invite(meeting, personas.police)
        invite(meeting, personas.probation)
        invite(meeting, personas.housing, item)
        invite(meeting, personas.education, item, status=InvitationStatus.CANCELLED)
    attended(item1, personas.police, "in_person")
    attended(item1, personas.probation, "report")
    attended(item1, personas.housing, "apologies")
    attended(item2, personas.police, "remote")
    attended(item2, personas.probation, "absent")

    first_minutes = write_minutes(
        item1,
        status=MinutesStatus.DISTRIBUTED,
        disclosure="no",
        disclosure_reasons="No third party needs to be told.",
        distributed_on=dt.date(2026, 4, 16),
    )
    actions = {
        1: add_action(
            first_minutes,
            1,
            personas.police,
            due_date=dt.date(2026, 4, 10),
            state=ActionState.COMPLETED,
            completed_on=dt.date(2026, 4, 10),
        ),
        2: add_action(
            first_minutes,
            2,
            personas.housing,
            due_date=dt.date(2026, 4, 20),
            contingency=True,
            state=ActionState.COMPLETED,
            completed_on=dt.date(2026, 4, 21),
        ),
        3: add_action(
            first_minutes,
            3,
            personas.police,
            due_date=dt.date(2026, 5, 1),
            state=ActionState.NOT_COMPLETED,
        ),
        4: add_action(first_minutes, 4, personas.probation, due_date=dt.date(2026, 6, 29)),
        5: add_action(first_minutes, 5, personas.probation, due_date=dt.date(2026, 6, 30)),
        6: add_action(
            first_minutes,
            6,
            personas.police,
            protects_victims=True,
            refer_to_next_meeting=True,
            state=ActionState.REFERRED,
        ),
    }
    second_minutes = write_minutes(item2, status=MinutesStatus.CHECKED)
    ActionReview.objects.create(
        minutes=second_minutes,
        action=actions[3],
        completed="no",
        reason_not_completed="The officer was on leave.",
    )
    assert coordination is not None
    return Built(nominal, case, first, second, first_minutes, second_minutes, actions)


@pytest.fixture
def clean_case(personas: Personas) -> Built:
    """Opened 4 May 2026 at level 2; discussed 2 June, minutes distributed 5 June with a
    disclosure decision, a victim action and a contingency, every invitee present, both
    actions done on time. On 30 June nothing is late: the next review is due 25 August,
    and nothing else has fallen due."""
    nominal = make_nominal(
        personas.coordinator,
        family_name="Pendragon",
        given_names="Isolde",
        lead_agency=personas.probation,
        manager=personas.owner,
        opened_on=dt.date(2026, 5, 4),
    )
    case = nominal.cases.get()
    meeting = meeting_on(dt.date(2026, 6, 2))
    item = discuss(meeting, case)
    invite(meeting, personas.police)
    invite(meeting, personas.probation)
    attended(item, personas.police, "in_person")
    attended(item, personas.probation, "remote")
    minutes = write_minutes(
        item,
        status=MinutesStatus.DISTRIBUTED,
        disclosure="yes",
        disclosure_reasons="The new partner must know of the risk to her children.",
        contingency_plan="Recall to custody if the exclusion zone is breached.",
        distributed_on=dt.date(2026, 6, 5),
    )
    first = add_action(
        minutes,
        1,
        personas.police,
        protects_victims=True,
        due_date=dt.date(2026, 6, 10),
        state=ActionState.COMPLETED,
        completed_on=dt.date(2026, 6, 9),
    )
    add_action(minutes, 2, personas.probation, due_date=dt.date(2026, 7, 15))
    return Built(nominal, case, meeting, meeting, minutes, minutes, {1: first})


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """The pages and the API look at the audit on AS_OF, not on the real today."""
    for module in ("mappa.quality.selectors", "mappa.quality.views", "mappa.quality.api"):
        monkeypatch.setattr(f"{module}.today", lambda: AS_OF)
    return AS_OF
