"""The meetings journey in a real browser (issue 5): an accepted referral on a meeting's
agenda, invitations sent with a calendar file, attendance, MAPPA B minutes whose
finalisation is refused without an action protecting victims (J 7.2), distribution, the
owner completing an action, and a review meeting whose section 8 lists both actions
with what happened and which moves the case to level 1."""

import datetime as dt
import time
from dataclasses import dataclass
from email.message import Message as EmailMessagePart
from typing import Any

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from mappa.access.models import Agency, AgencyKind, Contact, User
from mappa.common.dates import today
from mappa.meetings import services as meeting_services
from mappa.meetings.models import Meeting
from mappa.referrals import services as referral_services
from mappa.register.models import Case, Nominal
from mappa.register.services import current_case
from tests.e2e.pages.meetings import MeetingPage
from tests.e2e.pages.minutes import ActionListPage, MinutesPage, MinutesStartPage
from tests.e2e.pages.register import NominalPage
from tests.e2e.pages.sign_in import SignInPage
from tests.factories import Role, make_agency, make_nominal, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PROBATION = "Probation and After-Care Service"
RECORD_HEADING = "RENOUF, Daniel"
OFFICER_EMAIL = "priya.officer@probation.example.org"
FIRST_START = dt.time(9, 30)
REVIEW_START = dt.time(15, 0)
VICTIM_CONCERNS = "His former partner fears he will find her new address."
NOT_DONE = "The tenancy panel has not met yet."


@dataclass
class Cast:
    probation: Agency
    officer: User
    administrator: User
    chair: User
    nominal: Nominal
    case: Case
    meeting: Meeting


def _accepted_referral(
    *, line_manager: User, coordinator: User, nominal: Nominal, officer: User
) -> None:
    """Referral, submission by a line manager (no endorsement needed) and acceptance at
    level 2: the referral journey has its own browser test."""
    referral = referral_services.referral_start(actor=line_manager, nominal=nominal)
    referral_services.referral_update(
        actor=line_manager,
        referral=referral,
        data={
            "category": "2",
            "level_sought": 2,
            "custody": "community",
            "overall_risk": "high",
            "risk_who": "Former partner",
            "risk_nature": "Violence",
            "risk_when": "On contact with the former partner",
            "risk_increase": "Alcohol misuse",
            "risk_reduce": "Stable accommodation",
            "plan_restrictive_choices": ["licence_conditions"],
            "reason_for_referral": "Escalating threats",
            "added_value": "Housing and police co-ordination",
            "victim_concerns": "Former partner lives nearby",
            "child_protection_concerns": "no",
            "line_manager": line_manager,
        },
    )
    referral = referral_services.referral_submit(actor=line_manager, referral=referral)
    referral_services.referral_accept(
        actor=coordinator, referral=referral, category="2", level=2, note="Agreed"
    )


@pytest.fixture
def cast(migration_data: None) -> Cast:
    probation = make_agency(PROBATION, AgencyKind.PROBATION, is_core=True)
    coordination = make_agency("MAPPA Co-ordination Unit", AgencyKind.COORDINATION)
    officer = make_user(
        "pofficer",
        Role.PRACTITIONER,
        agency=probation,
        first_name="Priya",
        last_name="Officer",
        email=OFFICER_EMAIL,
    )
    line_manager = make_user(
        "lmanager",
        Role.LINE_MANAGER,
        agency=probation,
        first_name="Luke",
        last_name="Manager",
        email="luke.manager@probation.example.org",
    )
    coordinator = make_user(
        "coordinator", Role.COORDINATOR, agency=coordination, first_name="Cora", last_name="Dinator"
    )
    administrator = make_user(
        "administrator",
        Role.ADMINISTRATOR,
        agency=coordination,
        first_name="Adam",
        last_name="Ministrator",
    )
    chair = make_user(
        "chair", Role.CHAIR, agency=probation, first_name="Charlotte", last_name="Hair"
    )
    Contact.objects.create(
        agency=probation,
        name="Sam Spoke",
        role="Single point of contact",
        email="sam.spoke@probation.example.org",
        is_spoc=True,
    )
    nominal = make_nominal(
        coordinator,
        given_names="Daniel",
        family_name="Renouf",
        date_of_birth=dt.date(1984, 3, 9),
        category="2",
        level=1,
        lead_agency=probation,
        manager=officer,
    )
    _accepted_referral(
        line_manager=line_manager, coordinator=coordinator, nominal=nominal, officer=officer
    )
    case = current_case(nominal)
    assert case is not None
    # Held today: attendance and minutes are for a meeting on or before the day, and
    # invitations for one on or after it.
    meeting = meeting_services.meeting_create(
        actor=administrator,
        level=2,
        date=today(),
        start_time=FIRST_START,
        end_time=dt.time(12, 0),
        venue="Police headquarters, room 2",
        chair=chair,
        emergency_reason="The first meeting for a new referral cannot wait for the panel day",
    )
    return Cast(probation, officer, administrator, chair, nominal, case, meeting)


def sign_in(page: Page, user: User) -> None:
    SignInPage(page).open().sign_in_as(user)


def _heading_date(day: dt.date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _calendars(since: int) -> list[Any]:
    """The calendar files attached to mail sent after the first ``since`` messages. The
    live server runs in a thread of this process, so its locmem outbox is this one."""
    deadline = time.monotonic() + 10
    found: list[Any] = []
    while time.monotonic() < deadline:
        found = []
        for message in mail.outbox[since:]:
            parts = list(getattr(message, "attachments", [])) + list(
                getattr(message, "alternatives", [])
            )
            for part in parts:
                # An attachment is a MIME part or a (filename, content, mimetype) tuple;
                # an alternative is a (content, mimetype) pair.
                if isinstance(part, EmailMessagePart):
                    mimetype, content = part.get_content_type(), part.get_payload(decode=True)
                elif len(part) == 3:
                    content, mimetype = part[1], part[2]
                else:
                    content, mimetype = part[0], part[1]
                if str(mimetype).startswith("text/calendar"):
                    raw = content.encode() if isinstance(content, str) else content
                    assert isinstance(raw, bytes), f"Unexpected calendar payload: {raw!r}"
                    found.append(icalendar.Calendar.from_ical(raw))
        if found:
            return found
        time.sleep(0.2)
    return found


def _fill_common_sections(minutes: MinutesPage) -> MinutesPage:
    """Sections 9 to 14 and 17, the same in substance at both meetings."""
    update = minutes.add_agency_update()
    update.fill("Full name of the person giving the update", "Priya Officer")
    update.select("Agency", PROBATION)
    update.fill("Update", "He reports weekly and has kept to his licence conditions.")
    minutes = update.save("The update has been saved")
    expect(minutes.section_block("agencies")).to_contain_text("Priya Officer")

    section = minutes.change_section("10", "Current victim concerns")
    section.fill(
        "Outline any concerns about the victim of the index offence or potential victims",
        VICTIM_CONCERNS,
    )
    section.choose("Has the victim taken up the Victim Liaison Service?", "No")
    section.choose("Are there any domestic abuse concerns?", "No")
    minutes = section.save("10")

    section = minutes.change_section(
        "11a and 12", "Agreed risk assessment and the meeting's view of risk"
    )
    section.fill("Who is at risk?", "His former partner")
    section.fill("What is the nature of the risk?", "Serious violence")
    section.fill("When is the risk likely to be greatest?", "If he learns where she lives")
    section.fill("What circumstances are likely to increase risk?", "Drinking; losing his home")
    section.fill("What factors are likely to reduce risk?", "Supervision and stable work")
    section.choose("The meeting's view of the risk of serious harm the person poses now", "High")
    minutes = section.save("11a and 12")

    section = minutes.change_section("11b", "Agreed risk management plan")
    section.fill("Restrictive factors and interventions", "Exclusion zone; weekly reporting")
    section.fill("Rehabilitative factors and interventions", "Alcohol treatment programme")
    section.fill("Protective factors and interventions", "Stable work with his brother")
    minutes = section.save("11b")

    section = minutes.change_section("13", "Disclosure, and informing the person")
    section.choose("Are you going to make disclosure?", "No")
    section.fill("Why, or why not", "The former partner already knows the risk he poses.")
    minutes = section.save("13")

    section = minutes.change_section("14", "Press and media handling")
    section.choose("Does press and media handling need to be considered?", "No")
    minutes = section.save("14")

    section = minutes.change_section("17", "Human Rights Act validation")
    section.check("It was agreed that the actions decided upon were necessary and proportionate")
    section.tick("With particular reference to", "Public safety")
    return section.save("17")


def test_meeting_invitations_minutes_actions_and_review_to_level_1(page: Page, cast: Cast) -> None:
    day = today()
    reference = cast.case.reference
    owner_account = f"Priya Officer, {PROBATION}"
    due = day + dt.timedelta(days=14)

    # --- The administrator opens the meeting and puts the accepted case on its agenda.
    sign_in(page, cast.administrator)
    first = MeetingPage(page, _heading_date(day)).open(
        reverse("meetings:detail", args=[cast.meeting.pk])
    )
    expect(page.locator("main")).to_contain_text(reference)
    first.add_case(reference)
    expect(first.agenda_row(reference)).to_contain_text("First meeting")

    # Invitations: proposed by the service, confirmed, sent with a calendar file (J 10.8).
    first.propose_invitations()
    expect(first.invitations).to_contain_text("Priya Officer")
    first.confirm_all_invitations()
    sent_before = len(mail.outbox)
    first.send_invitations()
    calendars = _calendars(sent_before)
    assert calendars, "No email with a calendar file was sent"
    events = [e for c in calendars for e in c.walk("VEVENT")]
    starts = {e.decoded("dtstart") for e in events}
    assert all(
        isinstance(s, dt.datetime) and s.date() == day and (s.hour, s.minute) == (9, 30)
        for s in starts
    ), starts
    attendees = {str(a).lower() for e in events for a in e.get("attendee", []) or []} | {
        str(e.get("attendee")).lower() for e in events if isinstance(e.get("attendee"), str)
    }
    assert f"mailto:{OFFICER_EMAIL}" in attendees, attendees
    page.reload()
    first.arrive("meeting-invitations-delivered")
    expect(first.invitations).to_contain_text("Sent")

    # --- Attendance for the case (J 16.2).
    first = first.record_attendance(reference).save(
        reference=reference,
        date_heading=_heading_date(day),
        agency=PROBATION,
        agency_pk=cast.probation.pk,
        how="Attended in person",
        representative="Priya Officer",
        grade="Probation officer",
    )

    # --- The minutes (MAPPA B sections 8-18).
    first.open_minutes(reference)
    minutes = MinutesStartPage(page, 2, _long_date(day)).arrive().start()
    expect(minutes.section_block("review")).to_contain_text(
        "There were no actions from an earlier meeting to review."
    )
    minutes = _fill_common_sections(minutes)

    section = minutes.change_section("16", "Conclusion")
    section.choose("What level of MAPPA management is recommended?", "Manage at level 2")
    section.fill("Why", "The risk to his former partner needs police and housing together.")
    section.choose("Does this case require ongoing management at this level?", "Yes")
    section.fill(
        "What will be achieved, and what actions are needed to make sure it happens?",
        "Settled housing away from the former partner's area.",
    )
    section.check("The meeting considered whether the person can be discharged from MAPPA")
    minutes = section.save("16")

    action = minutes.add_action()
    action.fill_action(
        description="Find him a tenancy outside the exclusion zone",
        agency=PROBATION,
        owner_name="Priya Officer",
        owner_account=owner_account,
        due=due,
    )
    minutes = action.save("The action has been saved")

    # Finalising without an action protecting victims is refused (J 7.2).
    check = minutes.check_and_finalise().finalise_expecting_refusal()
    expect(check.problems).to_contain_text(
        [
            "Section 15: The plan must contain at least one action to protect victims "
            "(J 7.2): mark the action that does"
        ]
    )
    page.get_by_role("link", name="Back to the minutes").click()
    minutes = minutes.back("minutes-after-refusal")
    expect(minutes.section_block("victims")).to_contain_text(VICTIM_CONCERNS)
    expect(minutes.section_block("actions")).to_contain_text(
        "Find him a tenancy outside the exclusion zone"
    )

    action = minutes.add_action()
    action.fill_action(
        description="Police to visit the former partner and fit a panic alarm",
        agency=PROBATION,
        owner_name="Charlotte Hair",
        owner_account=f"Charlotte Hair, {PROBATION}",
        due=due,
        protects_victims=True,
        contingency=True,
    )
    minutes = action.save("The action has been saved")
    minutes = minutes.check_and_finalise().finalise()
    minutes = minutes.distribute().distribute()
    minutes.sign_out()

    # --- The action's owner completes it with a note.
    sign_in(page, cast.officer)
    actions = ActionListPage(page).open()
    expect(page.locator("main")).to_contain_text(f"Case {reference}, action 1")
    done = actions.open_action(reference, 1).complete(
        on=day, note="Tenancy signed at Les Quennevais."
    )
    expect(page.locator("main")).to_contain_text("Completed")
    done.sign_out()

    # --- The review meeting, later the same day: section 8 lists both actions.
    review_meeting = meeting_services.meeting_create(
        actor=cast.administrator,
        level=2,
        date=day,
        start_time=REVIEW_START,
        venue="Police headquarters, room 2",
        chair=cast.chair,
        emergency_reason="Review after the housing change",
    )
    sign_in(page, cast.administrator)
    review = MeetingPage(page, _heading_date(day)).open(
        reverse("meetings:detail", args=[review_meeting.pk])
    )
    review.add_case(reference)
    review.propose_invitations()
    review.confirm_all_invitations()
    review = review.record_attendance(reference).save(
        reference=reference,
        date_heading=_heading_date(day),
        agency=PROBATION,
        agency_pk=cast.probation.pk,
        how="Joined by video or phone",
        representative="Priya Officer",
    )
    review.open_minutes(reference)
    minutes = MinutesStartPage(page, 2, _long_date(day)).arrive().start()
    reviewed = minutes.section_block("review").locator("tbody tr")
    expect(reviewed).to_have_count(2)
    expect(reviewed.nth(0)).to_contain_text("Find him a tenancy outside the exclusion zone")
    expect(reviewed.nth(0)).to_contain_text("Yes")
    expect(reviewed.nth(1)).to_contain_text("Police to visit the former partner")
    expect(reviewed.nth(1)).to_contain_text("Not answered yet")

    section = minutes.change_section("8", "Review of the actions from the last meeting")
    section.choose("Was action 2 completed?", "No")
    section.fill("Reason action 2 was not completed", NOT_DONE)
    minutes = section.save("8")
    expect(reviewed.nth(1)).to_contain_text(NOT_DONE)

    minutes = _fill_common_sections(minutes)
    section = minutes.change_section("16", "Conclusion")
    section.choose(
        "What level of MAPPA management is recommended?", "Manage at level 1 by the lead agency"
    )
    section.fill("Why", "Settled housing far from the former partner; probation can manage.")
    section.choose("Does this case require ongoing management at this level?", "No")
    section.check("The meeting considered whether the person can be discharged from MAPPA")
    minutes = section.save("16")
    action = minutes.add_action()
    action.fill_action(
        description="Keep the panic alarm fitted and test it monthly",
        agency=PROBATION,
        owner_name="Priya Officer",
        owner_account=owner_account,
        due=due,
        protects_victims=True,
        contingency=True,
    )
    minutes = action.save("The action has been saved")
    minutes = minutes.check_and_finalise().finalise()
    minutes = minutes.distribute().distribute()

    # The person's record shows level 1 management.
    page.goto(reverse("register:detail", args=[cast.nominal.pk]))
    record = NominalPage(page, RECORD_HEADING).arrive("record-level-1")
    expect(record.summary_value("Level of management")).to_contain_text("Level 1")
