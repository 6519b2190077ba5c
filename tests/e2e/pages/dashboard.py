"""The performance dashboard, a KPI's drill-down and a population list (issue 6)."""

import datetime as dt
import re

from playwright.sync_api import Locator, Page, expect

from tests.e2e.pages.base import BasePage


class DashboardPage(BasePage):
    heading = "Performance dashboard"
    name = "dashboard"

    def open(self) -> "DashboardPage":
        self.page.goto("/dashboard/")
        return self.arrive()

    def choose_dates(self, start: dt.date, end: dt.date) -> "DashboardPage":
        """Open "Choose your own dates" (a native details element: no JavaScript needed),
        type the period and show the figures."""
        self.page.locator("summary", has_text="Choose your own dates").click()
        self.fill_date("from", start)
        self.fill_date("to", end)
        self.press("Show figures")
        return self.arrive("dashboard-period")

    def summary_row(self, kpi_name: str) -> Locator:
        table = self.page.locator("table", has=self.page.locator("caption", has_text="Summary"))
        return table.locator("tbody tr").filter(
            has=self.page.get_by_role("rowheader", name=kpi_name, exact=True)
        )

    def result_of(self, kpi_name: str) -> Locator:
        return self.summary_row(kpi_name).locator(".govuk-tag")

    def open_kpi(self, kpi_name: str) -> "KpiPage":
        """Follow the KPI's value in the summary table to its failing items."""
        self.summary_row(kpi_name).locator("td").first.get_by_role("link").click()
        return KpiPage(self.page, kpi_name).arrive()

    def show_trend_table(self, kpi_name: str) -> Locator:
        section = self.page.locator("section", has=self.page.locator("h3", has_text=kpi_name))
        section.locator("summary", has_text="The trend as a table").click()
        table = section.locator("table.app-trend-table")
        expect(table).to_be_visible()
        return table

    def open_population_cell(self, status: str, category: str, level: int) -> "PopulationPage":
        table = self.page.locator(f"table#population-{status}")
        row = table.locator("tbody tr").filter(
            has=self.page.get_by_role("rowheader", name=category, exact=True)
        )
        row.locator("td").nth(level - 1).get_by_role("link").click()
        return PopulationPage(self.page).arrive()

    def open_due(self, state: str, agency: str, kind_column: int) -> "DueListPage":
        """Follow a count in the due or overdue table (``kind_column`` counts from 1)."""
        row = self.page.locator(f"table#due-{state} tbody tr").filter(
            has=self.page.get_by_role("rowheader", name=agency, exact=True)
        )
        row.locator("td").nth(kind_column - 1).get_by_role("link").click()
        return DueListPage(self.page).arrive()

    def prepare_smb_pack(self) -> "SmbPackPage":
        self.follow("Prepare the quarterly SMB pack")
        return SmbPackPage(self.page).arrive()


class KpiPage(BasePage):
    name = "kpi"

    def __init__(self, page: Page, kpi_name: str) -> None:
        super().__init__(page)
        self.heading = kpi_name

    @property
    def failing(self) -> Locator:
        return self.page.locator("table#failing tbody tr")

    def failing_row(self, reference: str) -> Locator:
        return self.failing.filter(has_text=reference)

    def back_to_dashboard(self) -> DashboardPage:
        self.follow("Back to the dashboard")
        return DashboardPage(self.page).arrive("dashboard-again")


class PopulationPage(BasePage):
    heading = re.compile(r"^\s*(Active|Archived): ")
    name = "population"

    @property
    def rows(self) -> Locator:
        return self.page.locator("main table tbody tr")


class DueListPage(BasePage):
    heading = re.compile(r"^\s*(Overdue|Due soon|Due and overdue)")
    name = "due-items"

    @property
    def rows(self) -> Locator:
        return self.page.locator("main table tbody tr")


class SmbPackPage(BasePage):
    heading = "Quarterly SMB pack"
    name = "smb-pack"

    def download_without_choosing(self) -> "SmbPackPage":
        self.press("Download the pack")
        return self.arrive("smb-pack-errors")
