"""The annual report page in a real browser: a wrong year, the tables, the explanation.

axe runs on every page (BasePage.arrive) and each page is kept as a screenshot. Uses the
browser harness of tests/e2e (its fixtures are imported here, since this app's tests
live beside it).
"""

import pytest
from playwright.sync_api import Page, expect

from tests.annual.fixture import Fixture, build
from tests.conftest import Personas
from tests.e2e.pages.base import BasePage
from tests.e2e.pages.sign_in import SignInPage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


class AnnualReportPage(BasePage):
    name = "annual-report"

    def open(self, year: int | str | None = None) -> "AnnualReportPage":
        self.page.goto("/annual-report/" + (f"?year={year}" if year is not None else ""))
        self.arrive()
        return self

    def show_year(self, year: int | str) -> "AnnualReportPage":
        self.page.get_by_label("Reporting year").fill(str(year))
        self.page.get_by_role("button", name="Show the figures").click()
        self.page.wait_for_load_state("domcontentloaded")
        self.arrive(f"annual-report-{year}")
        return self

    def table(self, caption_start: str):  # noqa: ANN201 - a Playwright locator
        return self.page.locator("table").filter(
            has=self.page.locator("caption", has_text=caption_start)
        )


@pytest.fixture
def fixture(migration_data: None, personas: Personas) -> Fixture:  # noqa: F811
    return build(personas)


def test_the_coordinator_reads_the_figures_and_explains_them(
    page: Page,  # noqa: F811
    personas: Personas,
    fixture: Fixture,
) -> None:
    SignInPage(page).open().sign_in_as(personas.coordinator)
    report = AnnualReportPage(page).open()
    report.show_year("twenty")
    report.expect_error("id_year", "Enter the year as a number, for example 2025")

    report.show_year(fixture.year)
    snapshot = report.table("1: Active cases")
    # Hand-counted in tests/annual/fixture.py: 3 + 2 + 1 = 6 people on 31 December.
    expect(snapshot.locator("tbody tr").last).to_contain_text("6")
    expect(report.table("4: Cases managed").locator("tbody tr").last).to_contain_text("7")

    page.get_by_label("Explanation of the figures").fill("")
    page.get_by_role("button", name="Save the explanation").click()
    report.arrive("annual-report-explanation-empty")
    report.expect_error("id_explanation", "Enter the explanation of the figures")
    page.get_by_label("Explanation of the figures").fill("Referrals rose by a third.")
    page.get_by_role("button", name="Save the explanation").click()
    report.arrive("annual-report-explanation-saved")
    expect(page.locator(".govuk-inset-text")).to_contain_text("Referrals rose by a third.")
    report.sign_out()

    SignInPage(page).open().sign_in_as(personas.smb_member)
    report = AnnualReportPage(page).open(fixture.year)
    expect(page.locator(".govuk-inset-text")).to_contain_text("Referrals rose by a third.")
    expect(page.get_by_role("button", name="Save the explanation")).to_have_count(0)
    expect(
        page.get_by_role("link", name=f"Download the {fixture.year} figures as PDF")
    ).to_be_visible()
