"""The referral journey in a real browser (issue 4): identification, a draft filled in over
two sittings, check answers, submission, endorsement, screening; and a second referral
declined with a reason the referrer then reads."""

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from mappa.access.models import Agency, AgencyKind, User
from mappa.common.dates import today
from mappa.profiles import clocks
from mappa.profiles.selectors import current_profile
from mappa.referrals import services as referral_services
from mappa.referrals.models import Referral
from mappa.register.models import Nominal
from tests.e2e.pages.referrals import (
    PersonRecordPage,
    ReferralListPage,
    long_date,
    short_date,
)
from tests.e2e.pages.register import RegisterListPage
from tests.e2e.pages.sign_in import SignInPage
from tests.factories import Role, make_agency, make_nominal, make_user

pytestmark = pytest.mark.django_db(transaction=True)

CATEGORY_2 = "Category 2: violent and other sexual offender"
LEVEL_1_DECLINE = "Can be managed at level 1 without a multi-agency meeting"
# A section still to do. The GOV.UK task list pattern says "Not started" until the user
# has answered something and "Incomplete" after; either way it is not "Completed".
TO_DO = re.compile(r"^\s*(Not started|Incomplete)\s*$")
DECLINE_NOTE = (
    "Probation and the police can manage the risk through licence conditions; "
    "no multi-agency meeting is needed at present."
)


@dataclass
class Cast:
    probation: Agency
    officer: User
    line_manager: User
    coordinator: User
    referred: Nominal
    declined: Nominal


@pytest.fixture
def cast(migration_data: None) -> Cast:
    probation = make_agency("Probation and After-Care Service", AgencyKind.PROBATION, is_core=True)
    coordination = make_agency("MAPPA Co-ordination Unit", AgencyKind.COORDINATION)
    officer = make_user(
        "pofficer", Role.PRACTITIONER, agency=probation, first_name="Priya", last_name="Officer"
    )
    line_manager = make_user(
        "lmanager", Role.LINE_MANAGER, agency=probation, first_name="Luke", last_name="Manager"
    )
    coordinator = make_user(
        "coordinator", Role.COORDINATOR, agency=coordination, first_name="Cora", last_name="Dinator"
    )
    referred = make_nominal(
        coordinator,
        given_names="Daniel",
        family_name="Renouf",
        date_of_birth=dt.date(1984, 3, 9),
        category="2",
        level=1,
        lead_agency=probation,
        manager=officer,
    )
    declined = make_nominal(
        coordinator,
        given_names="Kevin",
        family_name="Querée",
        date_of_birth=dt.date(1990, 11, 23),
        category="2",
        level=1,
        lead_agency=probation,
        manager=officer,
    )
    return Cast(probation, officer, line_manager, coordinator, referred, declined)


def _sent_for_screening(cast: Cast) -> Referral:
    """The second referral reaches the screening queue the way the first does, through the
    services: its own journey through the pages is the first referral's."""
    referral = referral_services.referral_start(actor=cast.officer, nominal=cast.declined)
    referral_services.referral_update(
        actor=cast.officer,
        referral=referral,
        data={
            "category": "2",
            "level_sought": 2,
            "custody": "community",
            "overall_risk": "medium",
            "risk_who": "A former partner",
            "risk_nature": "Threats of violence",
            "risk_when": "When drinking",
            "risk_increase": "Loss of accommodation",
            "risk_reduce": "Stable work",
            "plan_restrictive_choices": ["licence_conditions"],
            "reason_for_referral": "Threats made to a former partner since release",
            "added_value": "Police and housing can share what they know",
            "victim_concerns": "The former partner lives nearby",
            "child_protection_concerns": "no",
            "line_manager": cast.line_manager,
        },
    )
    referral = referral_services.referral_submit(actor=cast.officer, referral=referral)
    return referral_services.referral_endorse(actor=cast.line_manager, referral=referral)


def sign_in(page: Page, user: User) -> None:
    SignInPage(page).open().sign_in_as(user)


def test_referral_drafted_over_two_sittings_endorsed_and_accepted_and_another_declined(
    page: Page, cast: Cast
) -> None:
    second = _sent_for_screening(cast)
    day = today()
    record_heading = "RENOUF, Daniel"

    # --- The probation officer identifies the person and starts a referral (J 3.3, 10.4).
    sign_in(page, cast.officer)
    register = RegisterListPage(page).arrive()
    register.page.get_by_role("link", name=record_heading, exact=True).click()
    record = PersonRecordPage(page, record_heading).arrive()
    expect(record.eligible_tag).to_have_count(0)
    record = record.record_eligibility().record(
        kind="Sentence",
        event_date=day - dt.timedelta(days=2),
        identified_on=day,
        where="In the community",
        record_heading=record_heading,
    )
    expect(record.eligible_tag).to_be_visible()
    expect(page.locator("main")).to_contain_text(
        f"Identified as MAPPA-eligible on {long_date(day)}"
    )

    referral = record.start_referral()
    reference = referral.reference
    expect(referral.status_tag).to_have_text("Draft")
    # The category comes from the register and where the person is from the eligibility
    # just recorded; the level sought is still to be chosen.
    expect(referral.task_status("Category and level")).to_contain_text("Incomplete")
    expect(referral.task_status("Risk assessment summary")).to_have_text(TO_DO)

    # First sitting: category and level, and the risk assessment summary.
    section = referral.section("Category and level")
    section.choose("Category", CATEGORY_2)
    section.choose("Level sought", "Level 3")
    section.choose("Where is the person now?", "In the community")
    referral = section.save()

    section = referral.section("Risk assessment summary")
    section.choose("Current risk of serious harm", "High")
    section.fill("Who is at risk?", "His former partner and her two children")
    section.fill("What is the nature of the risk?", "Serious violence, including with a weapon")
    section.fill("When is the risk likely to be greatest?", "If he learns where she now lives")
    section.fill("What circumstances are likely to increase risk?", "Drinking; losing his tenancy")
    section.fill("What factors are likely to reduce risk?", "Supervision and stable work")
    referral = section.save()
    expect(referral.task_status("Risk assessment summary")).to_have_text("Completed")
    expect(referral.task_status("Risk management plan")).to_have_text(TO_DO)

    # The officer leaves for the register; the draft keeps what was typed.
    RegisterListPage(page).open()

    # Second sitting: back through the Referrals page.
    referrals = ReferralListPage(page).open_from_navigation()
    expect(referrals.row(reference)).to_contain_text("Draft")
    referral = referrals.open_referral(reference)
    expect(referral.task_status("Category and level")).to_have_text("Completed")
    expect(referral.task_status("Risk assessment summary")).to_have_text("Completed")
    expect(referral.answer("Who is at risk?")).to_have_text(
        "His former partner and her two children"
    )
    expect(referral.answer("Level sought")).to_have_text("Level 3")

    section = referral.section("Risk management plan")
    section.tick("Restrictive interventions", "Restrictive licence conditions")
    section.tick("Restrictive interventions", "Home visits by police and probation")
    section.fill(
        "Restrictive interventions: details", "Exclusion zone around the former partner's home"
    )
    section.tick("Rehabilitative interventions", "Cognitive-behavioural programmes")
    section.tick(
        "Protective interventions", "Employment, voluntary work or other diverting activities"
    )
    referral = section.save()
    expect(referral.answer("Restrictive interventions")).to_contain_text(
        "Restrictive licence conditions"
    )

    section = referral.section("Relevant information")
    section.tick("Concerns behind the referral", "Behaviour and attitudes")
    section.fill("Reason for referral", "Threats to his former partner since sentence")
    section.fill("What inter-agency work has been done so far?", "Police warning marker added")
    section.fill(
        "How will active level 2 or 3 management add value?",
        "Police, housing and children's services need one plan",
    )
    referral = section.save()

    # Victim concerns are left for later; safeguarding and the line manager are done now.
    section = referral.section("Safeguarding")
    section.choose("Are there any child protection concerns?", "Yes")
    section.fill("What are they?", "The former partner's children live with her")
    section.fill("Allocated social worker (name and contact details)", "Sam Carter, 01534 000000")
    section.choose("Is any child subject to a child protection plan?", "No")
    referral = section.save()

    section = referral.section("Line manager")
    section.select("Line manager who will endorse the referral", "Luke Manager, line manager")
    referral = section.save()
    expect(referral.task_status("Victim concerns")).to_have_text(TO_DO)

    # Check answers with a section missing: the error summary says what and links to it.
    check = referral.check_answers()
    check.send_expecting_problems()
    problem = "Enter the victim concerns, or say that none are known"
    expect(check.problems).to_have_count(1)
    expect(check.problems.first).to_have_text(problem)
    section = check.put_right(problem, "Victim concerns")
    section.fill("Victim concerns", "The former partner fears he will find her new address")
    referral = section.save()
    expect(referral.task_status("Victim concerns")).to_have_text("Completed")

    check = referral.check_answers()
    expect(check.error_summary).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Luke Manager")
    referral = check.send("Referral sent to your line manager for endorsement")
    expect(referral.status_tag).to_have_text("Awaiting line manager endorsement")
    expect(page.get_by_role("link", name="Check answers and send")).to_have_count(0)
    referral.sign_out()

    # --- The line manager endorses it (MAPPA A notes, section 9).
    sign_in(page, cast.line_manager)
    referrals = ReferralListPage(page).open_from_navigation()
    expect(referrals.waiting_for_endorsement).to_contain_text(reference)
    referral = referrals.endorse(reference).endorse("I know the case and agree with the referral.")
    expect(referral.status_tag).to_have_text("Awaiting screening")
    referral.sign_out()

    # --- The co-ordinator screens it: the queue shows when the first meeting is due (J 10.4).
    due = clocks.first_meeting_due_community(day, current_profile(day))
    assert due >= day + dt.timedelta(days=21), "15 working days is at least three weeks"
    sign_in(page, cast.coordinator)
    queue = ReferralListPage(page).open_from_navigation().screening_queue()
    expect(queue.row(reference)).to_contain_text("RENOUF, Daniel")
    expect(queue.row(reference)).to_contain_text(f"{CATEGORY_2}, level 3")
    expect(queue.first_meeting_by(reference)).to_have_text(short_date(due))
    expect(queue.row(second.reference)).to_contain_text("QUERÉE, Kevin")

    screen = queue.screen(reference)
    expect(screen.summary("First meeting by")).to_have_text(long_date(due))
    referral = screen.accept(category=CATEGORY_2, level="Level 3")
    expect(referral.status_tag).to_have_text("Accepted")
    expect(page.locator(".govuk-inset-text")).to_contain_text(
        f"Accepted at level 3 ({CATEGORY_2}) by Cora Dinator"
    )
    expect(page.locator("main")).to_contain_text(f"First meeting must be held by {long_date(due)}")

    # The referral links to the person's record, which now shows level 3 management.
    page.get_by_role("link", name=re.compile(rf"^{re.escape(record_heading)} \(")).click()
    record = PersonRecordPage(page, record_heading).arrive("record-level-3")
    expect(record.summary_value("Level of management")).to_have_text(
        "Level 3: senior multi-agency management"
    )

    # The second referral is declined, with the reason the referrer will read (J 3.5).
    queue = ReferralListPage(page).open_from_navigation().screening_queue()
    expect(queue.row(reference)).to_have_count(0)
    declined = queue.screen(second.reference).decline(reason=LEVEL_1_DECLINE, note=DECLINE_NOTE)
    expect(declined.status_tag).to_have_text("Declined")
    declined.sign_out()

    # --- The probation officer reads why.
    sign_in(page, cast.officer)
    referrals = ReferralListPage(page).open_from_navigation()
    expect(referrals.row(reference)).to_contain_text("Accepted")
    expect(referrals.row(second.reference)).to_contain_text("Declined")
    declined = referrals.open_referral(second.reference)
    expect(declined.decision_banner).to_contain_text(LEVEL_1_DECLINE)
    expect(declined.decision_banner).to_contain_text(DECLINE_NOTE)
    expect(declined.decision_banner).to_contain_text("Decided by Cora Dinator")
