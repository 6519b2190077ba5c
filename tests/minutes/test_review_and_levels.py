"""Section 8 follows the actions of the previous discussion; the conclusion moves the
case (J 9.2, 10.2, 13.3; MAPPA B notes s.16)."""

import datetime as dt

import pytest
from django.test import Client

from mappa.access.models import CasePart, Role
from mappa.access.services import case_part_grant_invited
from mappa.compliance.items import Kind
from mappa.minutes import selectors, services
from mappa.minutes.models import ActionState, MinutesStatus
from mappa.register.models import CaseState, NominalStatus
from tests.factories import make_user
from tests.minutes.conftest import complete, save

pytestmark = pytest.mark.django_db

FIRST = dt.date(2026, 3, 5)
SECOND = dt.date(2026, 5, 28)


def _distribute(cast, minutes):
    services.minutes_finalise(actor=cast.chair, minutes=minutes)
    return services.minutes_distribute(actor=cast.personas.administrator, minutes=minutes)


def test_section_8_lists_the_previous_actions_with_their_outcome(cast, started) -> None:
    personas = cast.personas
    officer = make_user(
        "callum", Role.PRACTITIONER, agency=personas.police, first_name="Callum", last_name="Destry"
    )
    first = complete(personas.administrator, started(FIRST), personas)
    _distribute(cast, first)
    visit, placement = first.actions.order_by("number")
    # The named owner's account was linked by name: the action is in "my actions".
    assert visit.owner_user == officer
    client = Client()
    client.force_login(officer)
    mine = client.get("/minutes/actions/?scope=mine&state=open").content.decode()
    assert (
        f"/minutes/actions/{visit.pk}/" in mine and f"/minutes/actions/{placement.pk}/" not in mine
    )
    # The owner completes the first action in the tracker; housing records the second as
    # not completed.
    response = client.post(
        f"/minutes/actions/{visit.pk}/complete/",
        {
            "complete-completed_on-day": "12",
            "complete-completed_on-month": "3",
            "complete-completed_on-year": "2026",
            "complete-note": "Safety plan reviewed with her",
            "version": str(visit.version),
        },
    )
    assert response.status_code == 302
    client.force_login(personas.partner)  # housing, the owning agency
    response = client.post(
        f"/minutes/actions/{placement.pk}/not-completed/",
        {
            "not-completed-reason": "No emergency placement was needed",
            "version": str(placement.version),
        },
    )
    assert response.status_code == 302

    second = started(SECOND)
    reviews = list(second.reviews.select_related("action").order_by("position"))
    assert [r.action.number for r in reviews] == [1, 2]
    assert (reviews[0].completed, reviews[0].done_on) == ("yes", dt.date(2026, 3, 12))
    assert (reviews[1].completed, reviews[1].reason_not_completed) == (
        "no",
        "No emergency placement was needed",
    )
    client.force_login(personas.administrator)
    page = client.get(f"/minutes/{second.pk}/").content.decode()
    assert "Police to visit the former partner" in page
    assert "12 March 2026" in page
    assert "No emergency placement was needed" in page


def test_open_actions_are_answered_at_the_meeting_and_closed_on_distribution(cast, started) -> None:
    personas = cast.personas
    first = complete(personas.administrator, started(FIRST), personas)
    _distribute(cast, first)
    second = started(SECOND)
    reviews = list(second.reviews.order_by("position"))
    assert [r.completed for r in reviews] == ["", ""]
    complete(personas.administrator, second, personas)
    problems = services.minutes_problems(second)
    assert "say whether it was completed" in problems["review"][0]
    save(
        personas.administrator,
        second,
        "review",
        {
            f"review.{reviews[0].pk}.completed": "yes",
            f"review.{reviews[0].pk}.done_on": dt.date(2026, 3, 20),
            f"review.{reviews[0].pk}.reason": "",
            f"review.{reviews[1].pk}.completed": "no",
            f"review.{reviews[1].pk}.done_on": None,
            f"review.{reviews[1].pk}.reason": "Housing could not find a placement in time",
        },
    )
    _distribute(cast, second)
    visit, placement = first.actions.order_by("number")
    assert (visit.state, visit.completed_on) == (ActionState.COMPLETED, dt.date(2026, 3, 20))
    assert (placement.state, placement.outcome_note) == (
        ActionState.NOT_COMPLETED,
        "Housing could not find a placement in time",
    )


def test_level_reduced_to_1_moves_the_case_and_the_lead_agency_owns_the_actions(
    cast, started, case_nominal
) -> None:
    personas = cast.personas
    case = case_nominal.cases.get()
    # Education was invited to a meeting about the case: its part lasts until the case leaves level 2/3.
    case_part_grant_invited(
        case=case, agency=personas.education, on=FIRST, source="Invited to the meeting"
    )
    minutes = complete(personas.administrator, started(FIRST), personas)
    save(
        personas.administrator,
        minutes,
        "conclusion",
        {
            "conclusion": "level_1",
            "ongoing_at_level": "no",
            "conclusion_reasons": "Risk now manageable by probation alone",
        },
    )
    minutes = _distribute(cast, minutes)
    state = CaseState.objects.get(case=case, effective_to__isnull=True)
    assert (state.level, state.effective_from, state.lead_agency) == (1, FIRST, personas.probation)
    assert "level 2 meeting on 5 March 2026" in state.reason
    # Every open action now belongs to the lead agency, its manager named; the original is kept.
    for action in minutes.actions.all():
        assert action.agency == personas.probation
        assert action.owner_user == personas.owner
        assert action.transferred_on == FIRST
    placement = minutes.actions.get(number=2)
    assert (placement.original_agency, placement.original_owner_name) == (
        personas.housing,
        "Saskia Penhallow",
    )
    part = CasePart.objects.get(case=case, agency=personas.education)
    assert part.ended_on == FIRST
    assert "The case moved from level 2 to level 1" in minutes.outcome_applied
    # The compliance clock follows at once: a level 1 review is now due 3 months on.
    items = [
        i
        for i in selectors.due_items(SECOND)
        if i.kind == Kind.LEVEL1_REVIEW and i.case_id == case.pk
    ]
    assert [(i.basis_event, i.basis_date, i.due) for i in items] == [
        ("moved to level 1", FIRST, dt.date(2026, 6, 5))
    ]


def test_level_raised_to_3(cast, started, case_nominal) -> None:
    personas = cast.personas
    minutes = complete(personas.administrator, started(FIRST), personas)
    save(
        personas.administrator,
        minutes,
        "conclusion",
        {
            "conclusion": "level_3",
            "ongoing_at_level": "no",
            "conclusion_reasons": "Threats to kill",
        },
    )
    save(
        personas.administrator,
        minutes,
        "administration",
        {"next_meeting_date": dt.date(2026, 4, 16)},
    )
    _distribute(cast, minutes)
    state = CaseState.objects.get(case__nominal=case_nominal, effective_to__isnull=True)
    assert state.level == 3


def test_next_meeting_no_later_than_the_review_interval(cast, started) -> None:
    personas = cast.personas
    minutes = complete(personas.administrator, started(FIRST), personas)
    save(
        personas.administrator,
        minutes,
        "conclusion",
        {"conclusion": "level_3", "ongoing_at_level": "no"},
    )
    # 12 weeks was proposed for level 2; at level 3 the meeting is due within 6 weeks.
    assert services.minutes_problems(minutes)["administration"] == [
        "The next meeting must be no later than 16 April 2026, the review interval for the recommended level (J 10.11)"
    ]


def test_leaving_mappa_archives_the_record(cast, started, case_nominal) -> None:
    personas = cast.personas
    minutes = complete(personas.administrator, started(FIRST), personas)
    save(
        personas.administrator,
        minutes,
        "conclusion",
        {
            "conclusion": "leave",
            "ongoing_at_level": "no",
            "conclusion_reasons": "Licence expired; no longer eligible",
        },
    )
    _distribute(cast, minutes)
    case_nominal.refresh_from_db()
    assert case_nominal.status == NominalStatus.ARCHIVED
    case = case_nominal.cases.get()
    assert case.closed_on == FIRST
    assert all(a.agency == personas.probation for a in minutes.actions.all())


def test_referred_actions_wait_for_the_next_meeting(cast, started) -> None:
    personas = cast.personas
    first = complete(personas.administrator, started(FIRST), personas)
    referred = services.action_save(
        actor=personas.administrator,
        minutes=first,
        data={
            "description": "Specialist assessment nobody present can fund",
            "refer_to_next_meeting": True,
        },
    )
    _distribute(cast, first)
    referred.refresh_from_db()
    assert referred.state == ActionState.REFERRED
    second = started(SECOND)
    assert referred.pk in set(second.reviews.values_list("action_id", flat=True))
    assert second.status == MinutesStatus.DRAFT
