"""The board and outcome events in a real browser: the co-ordinator adds a seat and its
holder, plans a meeting with the chair in rotation, is refused marking it held until
every seat's attendance is given, holds it, reads the attendance by seat; then records,
corrects and removes an outcome event on a person's record. axe runs on every page and
each page's screenshot is kept (test-artifacts/screenshots)."""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from mappa.access.models import AgencyKind, User
from mappa.smb import services
from tests.e2e.pages.base import BasePage
from tests.e2e.pages.sign_in import SignInPage
from tests.factories import Role, make_agency, make_nominal, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = dt.date(2026, 3, 12)


@pytest.fixture
def coordinator(migration_data: None) -> User:  # noqa: F811
    coordination = make_agency("MAPPA Co-ordination Unit", AgencyKind.COORDINATION)
    police = make_agency("States of Jersey Police", AgencyKind.POLICE, is_core=True)
    probation = make_agency("Probation and After-Care Service", AgencyKind.PROBATION)
    user = make_user("coordinator", Role.COORDINATOR, agency=coordination)
    seat = services.seat_create(
        actor=user,
        title="Superintendent, Police",
        agency=police,
        minimum_grade="Superintendent",
        created_on=dt.date(2025, 1, 1),
    )
    services.holder_change(
        actor=user, seat=seat, name="Supt Anne Renouf", started_on=seat.created_on
    )
    make_nominal(user, family_name="Le Brun", given_names="Paul", lead_agency=probation)
    return user


def _on(tab: Page, heading: str, name: str) -> BasePage:
    screen = BasePage(tab)
    screen.heading = heading
    return screen.arrive(name)


def _expect_date_error(screen: BasePage, field: str, message: str) -> None:
    """A date's error: the summary links to its day box; the message is on the fieldset."""
    link = screen.error_summary.locator(f'a[href="#{field}-day"]')
    expect(link).to_have_text(message)
    fieldset = screen.page.locator("fieldset").filter(has=screen.page.locator(f"#{field}-day"))
    expect(fieldset.locator(".govuk-error-message")).to_contain_text(message)
    link.click()
    expect(screen.page.locator(f"#{field}-day")).to_be_focused()


def test_the_board_meets_and_an_outcome_is_recorded(page: Page, coordinator: User) -> None:  # noqa: F811
    SignInPage(page).open().sign_in_as(coordinator)

    page.goto("/smb/")
    board = _on(page, "Strategic Management Board", "smb-board")
    board.follow("Add a seat")
    form = _on(page, "Add a seat", "smb-seat-add")
    form.press("Save")
    form = _on(page, "Add a seat", "smb-seat-add-errors")
    form.expect_error("id_title", "Enter the seat")
    form.fill("Seat", "Assistant Chief Officer, Probation")
    form.select("Agency", "Probation and After-Care Service")
    form.fill("Minimum grade", "Assistant Chief Officer")
    form.fill_date("created_on", dt.date(2025, 1, 1))
    form.press("Save")
    board = _on(page, "Strategic Management Board", "smb-board-seat-added")
    board.follow("Record a new holder of Assistant Chief Officer, Probation")
    holder = _on(page, "Record a new holder", "smb-holder")
    holder.fill("Full name", "Brian Le Marquand")
    holder.fill_date("started_on", dt.date(2025, 1, 1))
    holder.press("Save")
    _on(page, "Strategic Management Board", "smb-board-holder").expect_success(
        "Brian Le Marquand now holds the seat"
    )

    page.goto("/smb/meetings/")
    meetings = _on(page, "Board meetings", "smb-meetings")
    expect(page.locator(".govuk-warning-text").first).to_contain_text(
        "The board meets at least quarterly"
    )
    meetings.follow("Plan a meeting")
    plan = _on(page, "Plan a board meeting", "smb-meeting-add")
    expect(page.locator(".govuk-inset-text")).to_contain_text(
        "Next in rotation: Superintendent, Police"
    )
    plan.press("Save")
    plan = _on(page, "Plan a board meeting", "smb-meeting-add-errors")
    _expect_date_error(plan, "date", "Enter the date of the meeting")
    plan.fill_date("date", DAY)
    plan.fill("Venue (optional)", "Police headquarters")
    plan.press("Save")
    detail = _on(page, "Board meeting on 12 March 2026", "smb-meeting")
    detail.follow("Record attendance and minutes")
    record = _on(page, "Attendance and minutes", "smb-record")
    record.choose(
        "How did Superintendent, Police take part? (holder: Supt Anne Renouf)", "Attended"
    )
    record.fill("Short minutes", "Reviewed the quarter's KPIs.")
    record.press("Save and mark as held")
    record = _on(page, "Attendance and minutes", "smb-record-errors")
    expect(record.error_summary).to_contain_text(
        "Select how Assistant Chief Officer, Probation took part"
    )
    record.choose(
        "How did Assistant Chief Officer, Probation take part? (holder: Brian Le Marquand)",
        "A deputy attended",
    )
    record.fill("Who attended for Assistant Chief Officer, Probation?", "Dana Le Sueur")
    record.press("Save and mark as held")
    detail = _on(page, "Board meeting on 12 March 2026", "smb-meeting-held")
    detail.expect_success("The meeting has been marked as held")
    expect(page.locator("table")).to_contain_text("Dana Le Sueur")

    page.goto("/smb/attendance/")
    table = _on(page, "Attendance by seat", "smb-attendance")
    table.fill_date("start", dt.date(2026, 6, 1))
    table.fill_date("end", dt.date(2026, 1, 1))
    table.press("Show")
    table = _on(page, "Attendance by seat", "smb-attendance-errors")
    _expect_date_error(table, "end", "The end date must be the same as or after the start date")
    table.fill_date("start", dt.date(2026, 1, 1))
    table.fill_date("end", dt.date(2026, 3, 31))
    table.press("Show")
    _on(page, "Attendance by seat", "smb-attendance-q1")
    expect(page.locator(".govuk-inset-text")).to_contain_text("Met: every seat reached 90%")

    from mappa.register.models import Nominal

    person = Nominal.objects.get(family_name="Le Brun")
    page.goto(f"/outcomes/{person.pk}/")
    outcomes = _on(page, "Outcome events", "outcomes-list")
    outcomes.follow("Record an outcome")
    add = _on(page, "Record an outcome", "outcomes-add")
    add.select("What happened?", "Order imposed")
    add.fill_date("occurred_on", person.cases.get().opened_on)
    add.press("Save")
    add = _on(page, "Record an outcome", "outcomes-add-errors")
    add.expect_error("id_order_type", "Select the type of order")
    add.select("Type of order (for an order imposed or revoked)", "Sexual harm prevention order")
    page.get_by_label("The order has foreign-travel restrictions").check()
    add.press("Save")
    outcomes = _on(page, "Outcome events", "outcomes-recorded")
    expect(page.locator("table")).to_contain_text(
        "Order imposed: sexual harm prevention order, with foreign-travel restrictions"
    )
    page.get_by_role("link", name="Change order imposed").click()
    _on(page, "Change the outcome event", "outcomes-edit")
    page.goto(f"/outcomes/{person.pk}/")
    page.get_by_role("link", name="Remove order imposed").click()
    remove = _on(page, "Remove this outcome event?", "outcomes-remove")
    remove.press("Remove")
    _on(page, "Outcome events", "outcomes-removed")
    expect(page.locator("main")).to_contain_text("No outcome events are recorded.")
