"""Home visits (J 14.9): the next visit follows the overall risk level at which the person
is managed, never RM2000, Stable/Acute-07 or the MAPPA level."""

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from mappa.assessments.models import HomeVisit, Tool
from mappa.assessments.risk import (
    RiskSource,
    overall_risk_level,
    register_meeting_risk_source,
    unregister_meeting_risk_source,
)
from mappa.assessments.selectors import next_home_visit, risk_panel_for
from mappa.assessments.services import home_visit_record
from mappa.audit.models import AuditEvent
from mappa.common.dates import today
from mappa.profiles.clocks import ClockState
from tests.assessments.conftest import record
from tests.conftest import Personas

pytestmark = pytest.mark.django_db
D = dt.date


def visit(personas: Personas, nominal: Any, on: dt.date, outcome: str = "seen") -> HomeVisit:
    return home_visit_record(
        actor=personas.owner,
        nominal=nominal,
        visited_on=on,
        officers="PC Jane Le Brocq",
        announced=False,
        outcome=outcome,
        outcome_details="No reply at the door" if outcome != "seen" else "",
    )


# The overall risk level -------------------------------------------------------------


def test_no_assessment_no_level(rso: Any) -> None:
    level, source = overall_risk_level(rso, D(2026, 3, 1))
    assert level is None and source.kind == "none"


def test_oasys_community_counts_by_its_highest_rating(personas: Personas, rso: Any) -> None:
    record(
        personas,
        rso,
        Tool.OASYS_ROSH_COMMUNITY,
        D(2026, 1, 10),
        children="very_high",
        public="medium",
        known_adult="high",
        staff="low",
    )
    level, source = overall_risk_level(rso, D(2026, 3, 1))
    assert level == "very_high"
    assert source.kind == "oasys_rosh_community"
    assert "Highest OASys risk of serious harm in the community" in source.description


def test_rm2000_stable_acute_and_custody_rosh_never_set_the_level(
    personas: Personas, rso: Any
) -> None:
    record(personas, rso, Tool.RM2000, D(2026, 1, 10), sexual="very_high")
    record(personas, rso, Tool.STABLE_ACUTE, D(2026, 1, 10))
    record(personas, rso, Tool.OASYS_ROSH_CUSTODY, D(2026, 1, 10))
    assert overall_risk_level(rso, D(2026, 3, 1))[0] is None


def test_latest_lead_agency_view_wins(personas: Personas, rso: Any) -> None:
    record(personas, rso, Tool.OASYS_ROSH_COMMUNITY, D(2026, 1, 10))  # highest: high
    record(personas, rso, Tool.OVERALL_ROSH, D(2026, 2, 10), level="medium")
    assert overall_risk_level(rso, D(2026, 3, 1))[0] == "medium"
    # Asked as at 1 February, only the OASys assessment existed.
    assert overall_risk_level(rso, D(2026, 2, 1))[0] == "high"
    # On the same day, the lead agency's overall judgement wins over the OASys ratings.
    record(
        personas,
        rso,
        Tool.OASYS_ROSH_COMMUNITY,
        D(2026, 2, 10),
        children="low",
        public="low",
        known_adult="low",
        staff="low",
    )
    assert overall_risk_level(rso, D(2026, 3, 1))[0] == "medium"


def test_the_lead_agencys_assessment_comes_before_another_agencys(
    personas: Personas, rso: Any
) -> None:
    # Probation leads the case. A later assessment by housing does not displace it.
    record(personas, rso, Tool.OVERALL_ROSH, D(2026, 1, 10), level="high")
    record(personas, rso, Tool.OVERALL_ROSH, D(2026, 2, 10), level="low", agency=personas.housing)
    level, source = overall_risk_level(rso, D(2026, 3, 1))
    assert level == "high"
    assert "Probation" in source.description


def test_a_meetings_view_of_risk_wins_when_registered(personas: Personas, rso: Any) -> None:
    record(personas, rso, Tool.OVERALL_ROSH, D(2026, 2, 10), level="low")

    def meeting(nominal: Any, as_of: dt.date) -> tuple[str, RiskSource] | None:
        if nominal.pk != rso.pk:
            return None
        return "very_high", RiskSource(
            kind="meeting", description="Agreed at the meeting on 20 February 2026"
        )

    register_meeting_risk_source(meeting)
    try:
        assert overall_risk_level(rso, D(2026, 3, 1))[0] == "very_high"
    finally:
        unregister_meeting_risk_source(meeting)
    assert overall_risk_level(rso, D(2026, 3, 1))[0] == "low"


# The next home visit ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "due"),
    [
        # Last completed visit 31 Jan 2026, month-end clamped:
        ("very_high", D(2026, 2, 28)),  # + 1 month: 31 Feb -> 28 Feb
        ("high", D(2026, 4, 30)),  # + 3 months: 31 Apr -> 30 Apr
        ("medium", D(2026, 7, 31)),  # + 6 months
        ("low", D(2027, 1, 31)),  # + 12 months
    ],
)
def test_next_visit_by_overall_risk_level(
    personas: Personas, rso: Any, level: str, due: dt.date
) -> None:
    record(personas, rso, Tool.OVERALL_ROSH, D(2026, 1, 5), level=level)
    visit(personas, rso, D(2026, 1, 31))
    found = next_home_visit(rso, D(2026, 2, 1))
    assert found is not None
    assert (found.risk_level, found.due, found.basis_date) == (level, due, D(2026, 1, 31))
    assert found.basis_event == "last completed home visit"


def test_visit_state_at_the_boundary(personas: Personas, rso: Any) -> None:
    record(personas, rso, Tool.OVERALL_ROSH, D(2026, 1, 5), level="very_high")
    visit(personas, rso, D(2026, 1, 31))
    on_day = next_home_visit(rso, D(2026, 2, 28))
    after = next_home_visit(rso, D(2026, 3, 1))
    assert on_day is not None and on_day.status is not None
    assert on_day.status.state == ClockState.DUE_SOON
    assert after is not None and after.status is not None
    assert (after.status.state, after.status.days_late) == (ClockState.OVERDUE, 1)
    # A visit on the due date restarts the clock: next due 28 March.
    visit(personas, rso, D(2026, 2, 28))
    again = next_home_visit(rso, D(2026, 3, 1))
    assert again is not None and again.due == D(2026, 3, 28)


def test_a_visit_without_seeing_the_person_does_not_restart_the_clock(
    personas: Personas, rso: Any
) -> None:
    record(personas, rso, Tool.OVERALL_ROSH, D(2026, 1, 5), level="high")
    visit(personas, rso, D(2026, 1, 31))
    visit(personas, rso, D(2026, 4, 20), outcome="not_at_home")
    found = next_home_visit(rso, D(2026, 5, 1))
    assert found is not None
    assert (found.basis_date, found.due) == (D(2026, 1, 31), D(2026, 4, 30))
    assert found.status is not None and found.status.state == ClockState.OVERDUE


def test_no_visit_yet_counts_from_registration(personas: Personas, rso: Any) -> None:
    # On the register as category 1 since 1 Jan 2025; medium risk: + 6 months.
    record(personas, rso, Tool.OVERALL_ROSH, D(2025, 1, 5), level="medium")
    found = next_home_visit(rso, D(2025, 2, 1))
    assert found is not None
    assert (found.basis_date, found.due) == (D(2025, 1, 1), D(2025, 7, 1))
    assert "no visit recorded" in found.basis_event


def test_no_risk_level_no_due_date(rso: Any) -> None:
    found = next_home_visit(rso, D(2026, 2, 1))
    assert found is not None
    assert (found.due, found.status, found.risk_label) == (None, None, "Not recorded")


def test_not_category_1_has_no_visit_clock(personas: Personas, nominal: Any) -> None:
    assert next_home_visit(nominal) is None


def test_risk_panel_for_the_persons_page(personas: Personas, rso: Any) -> None:
    record(personas, rso, Tool.RM2000, D(2026, 1, 5))
    record(personas, rso, Tool.OVERALL_ROSH, D(2026, 1, 5), level="high")
    panel = risk_panel_for(rso, D(2026, 2, 1))
    assert [i.tool for i in panel.latest] == [Tool.RM2000, Tool.OVERALL_ROSH]
    assert panel.overall_risk_label == "High"
    assert panel.home_visit is not None
    assert panel.home_visit.due == D(2025, 4, 1)  # registered 1 Jan 2025, high: + 3 months


# Recording a visit ------------------------------------------------------------------


def test_visit_is_recorded_and_audited(personas: Personas, rso: Any) -> None:
    saved = visit(personas, rso, D(2026, 1, 31))
    event = AuditEvent.objects.get(action="home_visit.add")
    assert event.object_id == str(saved.pk) and event.nominal_id == str(rso.pk)
    assert event.changes is not None
    assert event.changes["visited_on"] == [None, "2026-01-31"]
    assert event.changes["announced"] == [None, False]


def test_visit_refused_for_someone_not_category_1(personas: Personas, nominal: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        visit(personas, nominal, D(2026, 1, 31))
    assert "registered sexual offenders (category 1)" in caught.value.messages[0]
    assert "category 2" in caught.value.messages[0]


def test_visit_refused_with_bad_input(personas: Personas, rso: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        home_visit_record(
            actor=personas.owner,
            nominal=rso,
            visited_on=today() + dt.timedelta(days=1),
            officers="  ",
            announced=True,
            outcome="other",
        )
    errors = caught.value.message_dict
    assert errors["visited_on"] == ["Date of the visit must be today or in the past"]
    assert errors["officers"] == ["Enter the officers who visited"]
    assert errors["outcome_details"] == ["Describe what happened at the visit"]
    assert not HomeVisit.objects.exists()
