import datetime as dt
import re
from typing import Self

from playwright.sync_api import Locator, Page, expect

from tests.e2e.axe import assert_accessible, screenshot


def _whole(text: str) -> re.Pattern[str]:
    """Match an element's whole text, so "Male" does not also pick "Female"."""
    return re.compile(rf"^\s*{re.escape(text)}\s*$")


class BasePage:
    """What every page of the service has: a heading, the GOV.UK error summary, forms."""

    #: The page's h1, checked on arrival so a journey cannot drift onto the wrong page.
    heading: str | re.Pattern[str] = ""
    #: The name the screenshot and axe report use.
    name = "page"

    def __init__(self, page: Page) -> None:
        self.page = page

    def arrive(self, name: str | None = None) -> Self:
        """Screenshot the page (first, so a failure still leaves one), check it is the page
        expected and carries the protective marking, then run axe on it."""
        name = name or self.name
        screenshot(self.page, name)
        if self.heading:
            expect(self.page.locator("h1")).to_have_text(self.heading)
        # Issue 2, point 6: the protective marking is on every page, error pages included.
        expect(self.page.locator(".app-marking")).to_contain_text("OFFICIAL-SENSITIVE")
        assert_accessible(self.page, name, take_screenshot=False)
        return self

    # Messages ------------------------------------------------------------

    @property
    def error_summary(self) -> Locator:
        return self.page.locator(".govuk-error-summary")

    def expect_error(
        self, field_id: str, message: str | re.Pattern[str], *, first: bool = True
    ) -> None:
        """The GOV.UK pattern: a summary titled "There is a problem" links to the field, and
        the field shows the same message; following the link puts the user on the field.

        ``first=False`` for a later error on the same page: following the first error's link
        has already moved the focus away from the summary."""
        # GOV.UK Frontend moves focus to the summary so screen readers announce it.
        if first:
            expect(self.error_summary).to_be_focused()
        expect(self.error_summary.locator(".govuk-error-summary__title")).to_have_text(
            "There is a problem"
        )
        link = self.error_summary.locator(f'a[href="#{field_id}"]')
        expect(link).to_have_text(message)
        field = self.page.locator(f"#{field_id}")
        group = self.page.locator(".govuk-form-group--error").filter(has=field)
        expect(group.locator(".govuk-error-message")).to_contain_text(link.inner_text().strip())
        expect(field).to_have_attribute("aria-describedby", re.compile(r"-error\b"))
        link.click()
        expect(field).to_be_focused()

    def expect_choice_error(
        self, name: str, message: str | re.Pattern[str], *, first: bool = True
    ) -> None:
        """The same for radios and checkboxes: the summary links to the first option, and
        the fieldset (not each option) is described by the message."""
        if first:
            expect(self.error_summary).to_be_focused()
        link = self.error_summary.locator(f'a[href="#{name}"]')
        expect(link).to_have_text(message)
        first_option = self.page.locator(f"#{name}")
        fieldset = self.page.locator("fieldset").filter(has=first_option)
        expect(fieldset).to_have_attribute("aria-describedby", re.compile(r"-error\b"))
        expect(fieldset.locator(".govuk-error-message")).to_contain_text(link.inner_text().strip())
        link.click()
        expect(first_option).to_be_focused()

    def expect_success(self, message: str | re.Pattern[str]) -> None:
        banner = self.page.locator(".govuk-notification-banner--success")
        expect(banner).to_contain_text(message)

    # Filling in ------------------------------------------------------------

    def fill(self, label: str, value: str) -> None:
        self.page.get_by_label(label, exact=True).fill(value)

    def choose(self, legend: str, option: str) -> None:
        """Pick a GOV.UK radio by clicking its label, as a user does."""
        fieldset = self.page.locator("fieldset").filter(
            has=self.page.locator("legend", has_text=_whole(legend))
        )
        fieldset.locator("label.govuk-radios__label", has_text=_whole(option)).click()

    def tick(self, legend: str, *options: str) -> None:
        """Tick GOV.UK checkboxes in the group with this legend by clicking their labels."""
        fieldset = self.page.locator("fieldset").filter(
            has=self.page.locator("legend", has_text=_whole(legend))
        )
        for option in options:
            fieldset.locator("label.govuk-checkboxes__label", has_text=_whole(option)).click()

    def fill_date(self, field: str, date: dt.date) -> None:
        self.page.locator(f'input[name="{field}-day"]').fill(str(date.day))
        self.page.locator(f'input[name="{field}-month"]').fill(str(date.month))
        self.page.locator(f'input[name="{field}-year"]').fill(str(date.year))

    def select(self, label: str, option: str) -> None:
        self.page.get_by_label(label, exact=True).select_option(label=option)

    def press(self, button: str) -> None:
        self.page.get_by_role("button", name=button, exact=True).click()

    def follow(self, link: str) -> None:
        self.page.get_by_role("link", name=link, exact=True).click()

    def sign_out(self) -> None:
        """The "Sign out" button beside the user's name, on every page once signed in."""
        self.page.locator(".app-account").get_by_role("button", name="Sign out").click()
        expect(self.page.locator("h1")).to_have_text("Sign in")
