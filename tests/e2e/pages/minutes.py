"""MAPPA B minutes: sections 8-18, actions, finalising and distributing; the actions list."""

import datetime as dt
import re

from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.e2e.pages.base import BasePage


def _wait_for_autosave(page: Page, quiet_ms: int = 800) -> None:
    """Wait until no autosave response has come back for ``quiet_ms``."""
    while True:
        try:
            with page.expect_response(lambda r: "/autosave/" in r.url, timeout=quiet_ms):
                pass
        except PlaywrightTimeoutError:
            return


class MinutesStartPage(BasePage):
    name = "minutes-start"

    def __init__(self, page: Page, level: int, date_text: str) -> None:
        super().__init__(page)
        self.heading = f"Minutes of the level {level} meeting on {date_text}"
        self.level = level
        self.date_text = date_text

    def start(self) -> "MinutesPage":
        self.press("Start the minutes")
        minutes = MinutesPage(self.page, self.level, self.date_text).arrive("minutes-started")
        minutes.expect_success("The minutes have been started")
        return minutes


class MinutesPage(BasePage):
    name = "minutes"

    def __init__(self, page: Page, level: int, date_text: str) -> None:
        super().__init__(page)
        self.heading = f"Minutes of the level {level} meeting on {date_text}"
        self.level = level
        self.date_text = date_text

    def section_block(self, key: str) -> Locator:
        return self.page.locator(f"#section-{key}")

    def change_section(self, number: str, title: str) -> "MinutesSectionPage":
        self.page.get_by_role(
            "link", name=re.compile(rf"^Change section {re.escape(number)}\b")
        ).click()
        return MinutesSectionPage(self.page, self, f"{number}. {title}").arrive()

    def add_agency_update(self) -> "RowFormPage":
        self.page.get_by_role("link", name=re.compile(r"^Add an update from an agency")).click()
        return RowFormPage(self.page, self, "Add an update from an agency").arrive()

    def add_action(self) -> "RowFormPage":
        self.page.get_by_role("link", name=re.compile(r"^Add an action")).click()
        return RowFormPage(self.page, self, "Add an action").arrive()

    def check_and_finalise(self) -> "CheckPage":
        self.follow("Check and finalise")
        return CheckPage(self.page, self).arrive()

    def distribute(self) -> "DistributePage":
        self.follow("Distribute")
        return DistributePage(self.page, self).arrive()

    def back(self, name: str) -> "MinutesPage":
        return MinutesPage(self.page, self.level, self.date_text).arrive(name)


class MinutesSectionPage(BasePage):
    """One of sections 8-18: saving returns to the minutes."""

    def __init__(self, page: Page, minutes: MinutesPage, heading: str) -> None:
        super().__init__(page)
        self.minutes = minutes
        self.heading = heading
        self.name = "minutes-section-" + re.sub(r"\W+", "-", heading.lower()).strip("-")

    def check(self, label: str) -> None:
        self.page.get_by_label(label, exact=True).check()

    def save(self, number: str) -> MinutesPage:
        # autosave.js posts the section when a field loses focus. Pressing "Save" while
        # that post is on its way sends the older version, and the service refuses the
        # user's own words as someone else's change (reported as a bug). Let the autosave
        # land first, as a person pausing before "Save" would.
        self.page.evaluate("() => document.activeElement && document.activeElement.blur()")
        _wait_for_autosave(self.page)
        self.press("Save and return to the minutes")
        minutes = self.minutes.back(f"{self.name}-saved")
        minutes.expect_success(f"Section {number} has been saved")
        return minutes


class RowFormPage(BasePage):
    """An agency's update (section 9) or an action (section 15)."""

    def __init__(self, page: Page, minutes: MinutesPage, heading: str) -> None:
        super().__init__(page)
        self.minutes = minutes
        self.heading = heading
        self.name = "minutes-" + re.sub(r"\W+", "-", heading.lower()).strip("-")

    def check(self, label: str) -> None:
        self.page.get_by_label(label, exact=True).check()

    def fill_action(
        self,
        *,
        description: str,
        agency: str,
        owner_name: str,
        owner_account: str,
        due: dt.date,
        protects_victims: bool = False,
        contingency: bool = False,
    ) -> None:
        self.fill("Action", description)
        self.select("Agency that owns the action", agency)
        self.fill("Named owner", owner_name)
        self.select("Owner's account (optional)", owner_account)
        self.fill_date("due_date", due)
        if protects_victims:
            self.check("This action protects victims")
        if contingency:
            self.check("This action is part of the contingency plan")

    def save(self, message: str) -> MinutesPage:
        self.press("Save and return to the minutes")
        minutes = self.minutes.back(f"{self.name}-saved")
        minutes.expect_success(message)
        return minutes


class CheckPage(BasePage):
    heading = "Check and finalise the minutes"
    name = "minutes-check"

    def __init__(self, page: Page, minutes: MinutesPage) -> None:
        super().__init__(page)
        self.minutes = minutes

    @property
    def problems(self) -> Locator:
        return self.error_summary.locator(".govuk-error-summary__list li")

    def finalise_expecting_refusal(self) -> "CheckPage":
        self.press("Finalise the minutes")
        self.arrive("minutes-check-refused")
        expect(self.page).to_have_title(re.compile(r"^Error: "))
        expect(self.error_summary).to_be_focused()
        expect(self.error_summary.locator(".govuk-error-summary__title")).to_have_text(
            "The minutes cannot be finalised yet"
        )
        return self

    def finalise(self) -> MinutesPage:
        self.press("Finalise the minutes")
        minutes = self.minutes.back("minutes-checked")
        minutes.expect_success("The minutes have been checked. They can now be distributed.")
        return minutes


class DistributePage(BasePage):
    heading = "Distribute the minutes"
    name = "minutes-distribute"

    def __init__(self, page: Page, minutes: MinutesPage) -> None:
        super().__init__(page)
        self.minutes = minutes

    def distribute(self) -> MinutesPage:
        self.press("Distribute the minutes")
        minutes = self.minutes.back("minutes-distributed")
        minutes.expect_success("The minutes have been distributed")
        return minutes


class ActionListPage(BasePage):
    heading = "Actions from MAPPA meetings"
    name = "actions"

    def open(self) -> "ActionListPage":
        self.page.goto("/minutes/actions/")
        return self.arrive()

    def open_action(self, reference: str, number: int) -> "ActionPage":
        self.follow(f"Case {reference}, action {number}")
        return ActionPage(self.page, number).arrive()


class ActionPage(BasePage):
    name = "action"

    def __init__(self, page: Page, number: int) -> None:
        super().__init__(page)
        self.number = number
        self.heading = f"Action {number}"

    def complete(self, *, on: dt.date, note: str) -> "ActionPage":
        self.fill_date("complete-completed_on", on)
        self.page.get_by_label("What was done", exact=False).fill(note)
        self.press("Record as completed")
        self.arrive("action-completed")
        self.expect_success(f"Action {self.number} has been recorded as completed")
        return self
