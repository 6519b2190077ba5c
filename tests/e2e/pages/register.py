import datetime as dt
import re
from dataclasses import dataclass

from playwright.sync_api import Locator, Page, expect

from tests.e2e.pages.base import BasePage


class RegisterListPage(BasePage):
    heading = "Register of people managed"
    name = "register-list"

    def open(self) -> "RegisterListPage":
        self.page.goto("/register/")
        self.arrive()
        return self

    def filter(
        self,
        *,
        category: str | None = None,
        level: str | None = None,
        lead_agency: str | None = None,
        status: str | None = None,
    ) -> "RegisterListPage":
        for label, option in (
            ("Category", category),
            ("Level", level),
            ("Lead agency", lead_agency),
            ("Status", status),
        ):
            if option is not None:
                self.select(label, option)
        self.press("Apply filters")
        self.arrive("register-list-filtered")
        return self

    @property
    def names(self) -> Locator:
        return self.page.locator("table.govuk-table tbody tr td:first-child")

    def add_person(self) -> "CreateNominalPage":
        self.follow("Add a person")
        return CreateNominalPage(self.page).arrive()


class SearchPage(BasePage):
    heading = "Find a person"
    name = "search"

    def open_from_navigation(self) -> "SearchPage":
        self.page.get_by_role("navigation", name="Menu").get_by_role(
            "link", name="Find a person"
        ).click()
        self.arrive()
        return self

    def search(self, text: str) -> "SearchPage":
        self.fill("Name or identifier", text)
        self.press("Search")
        self.arrive("search-results")
        return self

    @property
    def results(self) -> Locator:
        return self.page.locator("table.govuk-table tbody tr")

    def open_result(self, record_heading: str) -> "NominalPage":
        self.results.get_by_role("link", name=record_heading, exact=True).click()
        return NominalPage(self.page, record_heading).arrive()


class NominalPage(BasePage):
    """A person's record: the summary and its sections under the sub-navigation."""

    name = "record"

    def __init__(self, page: Page, record_heading: str) -> None:
        super().__init__(page)
        self.heading = record_heading

    def section(self, label: str) -> "NominalPage":
        nav = self.page.get_by_role("navigation", name="Sections of the record")
        nav.get_by_role("link", name=label, exact=True).click()
        expect(nav.get_by_role("link", name=label, exact=True)).to_have_attribute(
            "aria-current", "page"
        )
        self.arrive(f"record-{label}")
        return self

    @property
    def status_tag(self) -> Locator:
        return self.page.locator("strong.govuk-tag").filter(has_text=re.compile("Active|Archived"))

    def summary_value(self, key: str) -> Locator:
        row = self.page.locator(".govuk-summary-list__row").filter(
            has=self.page.locator("dt", has_text=re.compile(rf"^{re.escape(key)}$"))
        )
        return row.locator(".govuk-summary-list__value").first

    def add_alias(self) -> "AliasFormPage":
        self.follow("Add an alias or nickname")
        return AliasFormPage(self.page).arrive()

    def archive(self) -> "StatusPage":
        self.follow("Archive the record")
        return StatusPage(self.page, "Archive the record").arrive()

    def reactivate(self) -> "StatusPage":
        self.follow("Re-activate the record")
        return StatusPage(self.page, "Re-activate the record").arrive()


@dataclass
class NewPerson:
    given_names: str
    family_name: str
    date_of_birth: dt.date
    gender: str
    category: str
    level: str
    lead_agency: str
    pnc_id: str = ""

    @property
    def record_heading(self) -> str:
        return f"{self.family_name.upper()}, {self.given_names}"


class CreateNominalPage(BasePage):
    heading = "Add a person to the register"
    name = "add-person"

    def fill_in(self, person: NewPerson) -> "CreateNominalPage":
        self.fill("Given names", person.given_names)
        self.fill("Family name", person.family_name)
        self.fill_date("date_of_birth", person.date_of_birth)
        self.choose("Gender", person.gender)
        self.choose("Category", person.category)
        self.choose("Level of management", person.level)
        self.select("Lead agency", person.lead_agency)
        self.fill("PNC ID", person.pnc_id)
        return self

    def correct_pnc_id(self, value: str) -> None:
        self.fill("PNC ID", value)

    def save(self) -> None:
        self.press("Save and add to the register")

    def save_expecting_errors(self) -> "CreateNominalPage":
        self.save()
        self.arrive("add-person-errors")
        expect(self.page).to_have_title(re.compile(r"^Error: "))
        return self

    def save_expecting_record(self, person: NewPerson) -> NominalPage:
        self.save()
        record = NominalPage(self.page, person.record_heading)
        record.arrive("new-record")
        record.expect_success(
            re.compile(
                rf"{person.given_names} {person.family_name} has been added to the register",
                re.IGNORECASE,
            )
        )
        return record


class AliasFormPage(BasePage):
    heading = "Add an alias or nickname"
    name = "add-alias"

    def add(self, *, kind: str, given_names: str = "", family_name: str = "") -> None:
        self.choose("Kind of name", kind)
        self.fill("Given names or nickname", given_names)
        self.fill("Family name", family_name)
        self.press("Save")


class StatusPage(BasePage):
    """Archive or re-activate: both ask for a reason (J 13.3)."""

    name = "status"

    def __init__(self, page: Page, heading: str) -> None:
        super().__init__(page)
        self.heading = heading
        self.name = heading.lower().replace(" ", "-")

    def confirm(self, reason: str) -> None:
        self.fill("Reason", reason)
        self.press(str(self.heading))
