"""The quality audit in a real browser, with axe on every page and a screenshot of each:
the co-ordinator lists the area's cases with findings, gets a clear message for a
period that ends before it starts, opens a case's audit and the audit of a meeting;
a board member sees the same case by reference only.

"""

import datetime as dt

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import Personas
from tests.e2e.pages.base import BasePage
from tests.e2e.pages.sign_in import SignInPage
from tests.quality.conftest import Built, case_a, frozen  # noqa: F401 - its fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class AreaPage(BasePage):
    heading = "Quality audit"
    name = "quality-area"


class CasePage(BasePage):
    heading = "Quality audit"
    name = "quality-case"


class MeetingPage(BasePage):
    heading = "Quality audit of the meeting"
    name = "quality-meeting"


def _fill_date(tab: Page, field: str, day: dt.date) -> None:
    tab.fill(f"[name='{field}-day']", str(day.day))
    tab.fill(f"[name='{field}-month']", str(day.month))
    tab.fill(f"[name='{field}-year']", str(day.year))


def test_quality_audit_journey(
    page: Page,
    migration_data: None,
    case_a: Built,  # noqa: F811 - the fixture imported above
    personas: Personas,
    frozen: dt.date,  # noqa: F811
) -> None:
    SignInPage(page).open().sign_in_as(personas.coordinator)
    page.goto("/quality/")
    area = AreaPage(page).arrive("quality-area-this-quarter")
    expect(page.locator("#summary")).to_contain_text("1 April 2026 to 30 June 2026: 1 case.")

    _fill_date(page, "start", dt.date(2026, 4, 2))
    _fill_date(page, "end", dt.date(2026, 4, 1))
    page.get_by_role("button", name="Show cases").click()
    area.arrive("quality-area-end-before-start")
    expect(area.error_summary).to_contain_text(
        "The end date must be the same as or after the start date"
    )

    _fill_date(page, "start", dt.date(2026, 1, 1))
    _fill_date(page, "end", dt.date(2026, 6, 30))
    page.get_by_role("button", name="Show cases").click()
    area.arrive("quality-area-half-year")
    page.get_by_role("link", name=case_a.case.reference).first.click()

    CasePage(page).arrive()
    expect(page.locator("#summary")).to_have_text(
        "4 time limits missed, 3 actions not done by their deadline, 1 case discussion "
        "without a disclosure decision, 1 plan without a victim action or contingency, "
        "3 attendance gaps."
    )
    expect(page.locator(".govuk-caption-l")).to_contain_text("Barnaby Quennell")

    page.goto(f"/quality/meeting/{case_a.second.pk}/")
    MeetingPage(page).arrive()
    expect(page.locator("#summary")).to_contain_text("2 attendance gaps")

    page.context.clear_cookies()
    SignInPage(page).open().sign_in_as(personas.smb_member)
    page.goto(f"/quality/case/{case_a.case.pk}/")
    CasePage(page).arrive("quality-case-board-member")
    expect(page.locator("main")).not_to_contain_text("Quennell")
    expect(page.locator("main")).to_contain_text("by case reference only")
