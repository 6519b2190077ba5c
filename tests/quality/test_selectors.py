"""The audit's figures, worked out by hand (tests/quality/conftest.py for case A).

Boundaries: on the due date is met; one day after is 1 day late; a bank holiday inside
a working-day clock moves the due date (minutes of 30 March 2026 are due 15 April,
not 13 April, because of Good Friday and Easter Monday).
"""

import datetime as dt

import pytest

from mappa.assessments.models import HomeVisit
from mappa.compliance.items import Kind
from mappa.minutes.models import Level1Review, MinutesStatus
from mappa.profiles import clocks
from mappa.profiles.selectors import current_profile
from mappa.quality import selectors
from mappa.referrals.models import Referral
from mappa.register import services as register_services
from mappa.register.models import Case
from tests.conftest import Personas
from tests.factories import make_nominal
from tests.quality.conftest import AS_OF, OPENED, Built, discuss, meeting_on, write_minutes

pytestmark = pytest.mark.django_db


def _limits(audit: selectors.CaseAudit) -> list[tuple]:
    return [
        (str(m.kind), m.due, m.met_on, m.days_late, m.outstanding, m.agency_id)
        for m in audit.time_limits
    ]


def test_every_time_limit_missed_on_case_a(case_a: Built, personas: Personas) -> None:
    audit = selectors.case_audit(case_a.case, AS_OF)
    coordination = personas.coordinator.agency_id
    assert _limits(audit) == [
        # Sentence 2 Jan + 3 days = 5 Jan; identified 6 Jan.
        ("identification", dt.date(2026, 1, 5), dt.date(2026, 1, 6), 1, False, coordination),
        # Due the day identified; never sent: 175 days to 30 June, still outstanding.
        ("referral", dt.date(2026, 1, 6), None, 175, True, personas.probation.pk),
        # 10 working days after 30 March, past Good Friday and Easter Monday.
        ("minutes", dt.date(2026, 4, 15), dt.date(2026, 4, 16), 1, False, coordination),
        # 30 March + 12 weeks = 22 June; discussed 23 June.
        ("review", dt.date(2026, 6, 22), dt.date(2026, 6, 23), 1, False, personas.probation.pk),
    ]
    review = audit.time_limits[3]
    assert review.meeting_id == case_a.second.pk
    assert review.basis_event == "previous discussion"
    assert review.state_label == "Met late"
    assert audit.time_limits[1].state_label == "Overdue"


def test_the_bank_holidays_move_the_minutes_due_date() -> None:
    profile = current_profile(dt.date(2026, 3, 30))
    assert clocks.minutes_due(dt.date(2026, 3, 30), 2, profile) == dt.date(2026, 4, 15)
    # The same count across two ordinary weeks: 10 working days after 4 May is 18 May.
    assert clocks.minutes_due(dt.date(2026, 5, 4), 2, profile) == dt.date(2026, 5, 18)


def test_on_the_due_date_is_met(case_a: Built) -> None:
    audit = selectors.case_audit(case_a.case, AS_OF)
    # Review 1 was due 30 March and held on 30 March: counted, not a finding.
    reviews = [m for m in audit.time_limits if m.kind == Kind.REVIEW]
    assert [m.due for m in reviews] == [dt.date(2026, 6, 22)]
    # Minutes distributed on their due date are on time.
    case_a.first_minutes.distributed_on = dt.date(2026, 4, 15)
    case_a.first_minutes.save()
    audit = selectors.case_audit(case_a.case, AS_OF)
    assert [m.kind for m in audit.time_limits if m.kind == Kind.MINUTES] == []


def test_actions_not_done_by_their_deadline(case_a: Built, personas: Personas) -> None:
    audit = selectors.case_audit(case_a.case, AS_OF)
    assert [
        (a.number, a.state_label, a.due, a.done_on, a.days_late, a.agency_id) for a in audit.actions
    ] == [
        (2, "Completed late", dt.date(2026, 4, 20), dt.date(2026, 4, 21), 1, personas.housing.pk),
        # Found not completed at the meeting of 23 June: 53 days after 1 May.
        (3, "Not completed", dt.date(2026, 5, 1), None, 53, personas.police.pk),
        # Open, due 29 June, looked at on 30 June. Action 5 (due 30 June) is not late.
        (4, "Open and overdue", dt.date(2026, 6, 29), None, 1, personas.probation.pk),
    ]


def test_an_action_moved_to_the_lead_agency_after_its_deadline_stays_with_its_agency(
    case_a: Built, personas: Personas
) -> None:
    action = case_a.actions[3]
    action.original_agency = personas.police
    action.agency = personas.probation
    action.transferred_on = dt.date(2026, 6, 24)
    action.save()
    audit = selectors.case_audit(case_a.case, AS_OF)
    assert [a.agency_id for a in audit.actions if a.number == 3] == [personas.police.pk]


def test_disclosure_plans_and_attendance(case_a: Built, personas: Personas) -> None:
    audit = selectors.case_audit(case_a.case, AS_OF)
    assert [(d.meeting_date, d.reason) for d in audit.disclosure] == [
        (dt.date(2026, 6, 23), "No decision on disclosure recorded")
    ]
    # The victim action was referred to the next meeting (J 8.3): not deliverable.
    assert [(p.meeting_date, p.no_victim_action, p.no_contingency) for p in audit.plans] == [
        (dt.date(2026, 3, 30), True, False)
    ]
    assert audit.plans[0].missing == "No action to protect victims"
    assert [(g.meeting_date, g.agency_id, g.status) for g in audit.attendance] == [
        (dt.date(2026, 3, 30), personas.housing.pk, "apologies"),
        (dt.date(2026, 6, 23), personas.probation.pk, "absent"),
        (dt.date(2026, 6, 23), personas.housing.pk, ""),
    ]
    assert audit.attendance[2].status_label == "No attendance recorded"


def test_a_decision_without_reasons_and_a_discussion_without_minutes(
    case_a: Built, personas: Personas
) -> None:
    case_a.second_minutes.disclosure = "yes"
    case_a.second_minutes.save()
    meeting = meeting_on(dt.date(2026, 6, 25), level=3)
    discuss(meeting, case_a.case)
    audit = selectors.case_audit(case_a.case, AS_OF)
    assert [d.reason for d in audit.disclosure] == [
        "Decision recorded without its reasons",
        "No minutes",
    ]


def test_per_agency_sums(case_a: Built, personas: Personas) -> None:
    audit = selectors.case_audit(case_a.case, AS_OF)
    totals = {
        t.agency_id: (t.time_limits, t.time_limit_days, t.actions, t.action_days, t.attendance_gaps)
        for t in audit.per_agency(selectors.agency_names())
    }
    assert totals == {
        personas.probation.pk: (2, 176, 1, 1, 1),
        personas.housing.pk: (0, 0, 1, 1, 2),
        personas.coordinator.agency_id: (2, 2, 0, 0, 0),
        personas.police.pk: (0, 0, 1, 53, 0),
    }
    ordered = [t.agency_id for t in audit.per_agency(selectors.agency_names())]
    assert ordered[0] == personas.probation.pk  # 4 findings, the most


def test_summary(case_a: Built) -> None:
    audit = selectors.case_audit(case_a.case, AS_OF)
    assert selectors.summary_text([audit]) == (
        "4 time limits missed, 3 actions not done by their deadline, 1 case discussion "
        "without a disclosure decision, 1 plan without a victim action or contingency, "
        "3 attendance gaps."
    )


def test_a_clean_case_has_no_findings(clean_case: Built) -> None:
    audit = selectors.case_audit(clean_case.case, AS_OF)
    assert not audit.has_findings
    assert audit.finding_count == 0
    assert selectors.summary_text([audit]) == "Nothing was found missed, late or missing."
    assert audit.per_agency(selectors.agency_names()) == []


def _level_2_case(personas: Personas, name: str, **extra) -> Case:
    nominal = make_nominal(
        personas.coordinator,
        family_name=name,
        lead_agency=personas.probation,
        manager=personas.owner,
        opened_on=OPENED,
        **extra,
    )
    return nominal.cases.get()


def _move(personas: Personas, case: Case, level: int, on: dt.date) -> None:
    state = case.states.get(effective_to__isnull=True)
    register_services.case_update_management(
        actor=personas.coordinator,
        case=case,
        category=state.category,
        level=level,
        lead_agency=state.lead_agency,
        manager=state.manager,
        effective_from=on,
        reason="Test",
    )


def test_leaving_level_2_before_the_review_is_due_owes_nothing(personas: Personas) -> None:
    # Came to level 2 on 5 January: review due 30 March. Moved to level 1 on 20 March.
    case = _level_2_case(personas, "Tregarthen")
    _move(personas, case, 1, dt.date(2026, 3, 20))
    audit = selectors.case_audit(case, AS_OF)
    assert [m.kind for m in audit.time_limits if m.kind == Kind.REVIEW] == []
    # Level 1 from 20 March: the lead agency's review due 20 June (3 months); none by
    # 30 June: 10 days overdue.
    assert _limits(audit) == [
        ("level1_review", dt.date(2026, 6, 20), None, 10, True, personas.probation.pk)
    ]


def test_leaving_level_2_after_the_review_was_due_is_a_miss(personas: Personas) -> None:
    # Due 30 March; never discussed; left level 2 on 10 April: 11 days late, not open.
    case = _level_2_case(personas, "Penrose")
    _move(personas, case, 1, dt.date(2026, 4, 10))
    audit = selectors.case_audit(case, dt.date(2026, 5, 1))
    reviews = [m for m in audit.time_limits if m.kind == Kind.REVIEW]
    assert [(m.due, m.met_on, m.days_late, m.outstanding) for m in reviews] == [
        (dt.date(2026, 3, 30), None, 11, False)
    ]
    assert reviews[0].note == "Not met before the case left level 2 and 3 on 10 April 2026"


def test_level_1_reviews_on_the_due_date_and_a_day_late(personas: Personas) -> None:
    # Level 1 from 5 January: due 5 April (3 calendar months). Reviewed 5 April: met.
    # Next due 5 July; reviewed 6 July: 1 day late. Next due 6 October.
    case = _level_2_case(personas, "Kitto", level=1)
    for day in (dt.date(2026, 4, 5), dt.date(2026, 7, 6)):
        Level1Review.objects.create(
            case=case,
            review_date=day,
            agency=personas.probation,
            reviewed_by=personas.owner,
            new_information="None",
        )
    audit = selectors.case_audit(case, dt.date(2026, 7, 31))
    assert _limits(audit) == [
        ("level1_review", dt.date(2026, 7, 5), dt.date(2026, 7, 6), 1, False, personas.probation.pk)
    ]
    assert audit.limits_counted == 2


def test_first_meeting_late_is_not_counted_again_as_a_review(personas: Personas) -> None:
    # Referral received Monday 2 February; 15 working days: due Monday 23 February
    # (3, 4, 5, 6, 9, 10, 11, 12, 13, 16, 17, 18, 19, 20, 23 February). First
    # discussed 24 February: 1 day late. The review clock from "came to level 2" is the
    # first meeting's, so it is not a second finding. The next review, due 12 weeks
    # after 24 February (19 May), never held: 42 days overdue on 30 June.
    case = _level_2_case(personas, "Angove")
    assert clocks.first_meeting_due_community(
        dt.date(2026, 2, 2), current_profile(dt.date(2026, 2, 2))
    ) == dt.date(2026, 2, 23)
    referral = Referral.objects.create(
        nominal=case.nominal,
        case=case,
        reference="MN-R-1",
        status="accepted",
        referrer=personas.owner,
        referring_agency=personas.probation,
        received_on=dt.date(2026, 2, 2),
        first_meeting_due=dt.date(2026, 2, 23),
        accepted_level=2,
    )
    discuss(meeting_on(dt.date(2026, 2, 24)), case, referral=referral)
    audit = selectors.case_audit(case, AS_OF)
    rows = [
        (str(m.kind), m.due, m.met_on, m.days_late, m.outstanding)
        for m in audit.time_limits
        if m.kind in (Kind.FIRST_MEETING, Kind.REVIEW)
    ]
    assert rows == [
        ("first_meeting", dt.date(2026, 2, 23), dt.date(2026, 2, 24), 1, False),
        ("review", dt.date(2026, 5, 19), None, 42, True),
    ]


def test_home_visits_by_the_overall_risk_of_the_day(personas: Personas) -> None:
    # Category 1, discussed 5 January with the meeting's view of risk "high" (minutes
    # checked): a visit every 3 months, due 5 April. A visit with no reply on 5 April
    # does not count; seen 6 April: 1 day late, the police responsible. Next due
    # 6 July: not yet due on 30 June.
    case = _level_2_case(personas, "Rowse", category="1")
    item = discuss(meeting_on(OPENED), case)
    write_minutes(item, status=MinutesStatus.CHECKED, rosh="high")
    for day, outcome in ((dt.date(2026, 4, 5), "no_reply"), (dt.date(2026, 4, 6), "seen")):
        HomeVisit.objects.create(
            nominal=case.nominal,
            visited_on=day,
            officers="PC Le Brocq",
            announced=False,
            outcome=outcome,
        )
    audit = selectors.case_audit(case, AS_OF)
    visits = [m for m in audit.time_limits if m.kind == Kind.HOME_VISIT]
    assert [(m.due, m.met_on, m.days_late, m.agency_id) for m in visits] == [
        (dt.date(2026, 4, 5), dt.date(2026, 4, 6), 1, personas.police.pk)
    ]
    assert visits[0].note == "Overall risk: high"


def test_meeting_audit_keeps_the_meetings_own_findings(case_a: Built, personas: Personas) -> None:
    result = selectors.meeting_audit(case_a.second, as_of=AS_OF)
    own = result.own[0]
    # 23 June: the review met a day late at it, no disclosure decision, two absences.
    assert [(str(m.kind), m.days_late) for m in own.time_limits] == [("review", 1)]
    assert [d.reason for d in own.disclosure] == ["No decision on disclosure recorded"]
    assert [g.agency_id for g in own.attendance] == [personas.probation.pk, personas.housing.pk]
    assert own.actions == [] and own.plans == []
    assert result.cases[case_a.case.pk].finding_count == 12
    # Every discussion's minutes deadline, late or not: 23 June + 10 working days is
    # 7 July (24, 25, 26, 29, 30 June, 1, 2, 3, 6, 7 July), not yet due on 30 June.
    # Invited: police, probation (standing), housing (the case); only police attended.
    check = result.checks[0]
    assert (check.minutes_due, check.distributed_on, check.days_late) == (
        dt.date(2026, 7, 7),
        None,
        0,
    )
    assert check.minutes_state == "Not yet due"
    assert (check.invited, check.attended) == (3, 1)
    earlier = selectors.meeting_audit(case_a.first, as_of=AS_OF)
    assert [
        (c.minutes_due, c.distributed_on, c.days_late, c.minutes_state) for c in earlier.checks
    ] == [(dt.date(2026, 4, 15), dt.date(2026, 4, 16), 1, "Distributed late")]
    assert (earlier.checks[0].invited, earlier.checks[0].attended) == (3, 2)
    first = earlier.own[0]
    assert [str(m.kind) for m in first.time_limits] == ["minutes"]
    assert [a.number for a in first.actions] == [2, 3, 4]
    assert len(first.plans) == 1 and len(first.attendance) == 1


def test_area_list_by_period_and_agency(
    case_a: Built, clean_case: Built, personas: Personas
) -> None:
    rows = selectors.area_audit(start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 30), as_of=AS_OF)
    # April: the minutes due 15 April and action 2 due 20 April.
    assert [(r.audit.reference, r.time_limits, r.actions, r.total) for r in rows] == [
        (case_a.case.reference, 1, 1, 2)
    ]
    housing = selectors.area_audit(
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 6, 30),
        agency_id=personas.housing.pk,
        as_of=AS_OF,
    )
    assert [(r.actions, r.attendance, r.disclosure, r.plans) for r in housing] == [(1, 2, 0, 0)]
    # Nothing fell due in July by 30 June (the minutes of 23 June are due 7 July).
    assert (
        selectors.area_audit(start=dt.date(2026, 7, 1), end=dt.date(2026, 7, 31), as_of=AS_OF) == []
    )
    with pytest.raises(selectors.PeriodError, match="same as or after the start date"):
        selectors.area_audit(start=dt.date(2026, 4, 2), end=dt.date(2026, 4, 1))
