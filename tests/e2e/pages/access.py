"""Refusal, emergency access (J 10.12) and the co-ordinator's review of it."""

import re

from playwright.sync_api import Locator, expect

from tests.e2e.pages.base import BasePage
from tests.e2e.pages.errors import ForbiddenPage
from tests.e2e.pages.register import NominalPage


class RefusedRecordPage(ForbiddenPage):
    """The 403 page for a record the user's agency has no part in."""

    heading = "You cannot open this page"
    name = "forbidden-record"

    def open(self, path: str) -> "RefusedRecordPage":
        super().open(path)
        return self

    def request_emergency_access(self) -> "EmergencyRequestPage":
        self.page.get_by_role("button", name="Request emergency access", exact=True).click()
        return EmergencyRequestPage(self.page).arrive()


class EmergencyRequestPage(BasePage):
    heading = "Request emergency access"
    name = "emergency-request"

    def submit(self) -> None:
        self.press("Open the record in an emergency")

    def submit_expecting_errors(self) -> "EmergencyRequestPage":
        self.submit()
        self.arrive("emergency-request-errors")
        expect(self.page).to_have_title(re.compile(r"^Error: "))
        return self

    def request(self, *, reason: str, explanation: str, record_heading: str) -> "RecordPage":
        self.choose("Why do you need this record now?", reason)
        self.fill("Describe the emergency", explanation)
        self.submit()
        record = RecordPage(self.page, record_heading)
        record.arrive("record-opened-in-emergency")
        return record


class RecordPage(NominalPage):
    """A person's record, with the flag that it was opened in an emergency."""

    @property
    def emergency_flag(self) -> Locator:
        return self.page.locator(".app-emergency-flag")


class EmergencyQueuePage(BasePage):
    heading = "Emergency access"
    name = "emergency-queue"

    def open_from_navigation(self) -> "EmergencyQueuePage":
        self.page.get_by_role("navigation", name="Menu").get_by_role(
            "link", name="Emergency access"
        ).click()
        return self.arrive()

    def table(self, caption: str) -> Locator:
        return self.page.locator("table.govuk-table").filter(
            has=self.page.locator("caption", has_text=re.compile(rf"^\s*{caption}\s*$"))
        )

    @property
    def to_review(self) -> Locator:
        return self.table("To review").locator("tbody tr")

    @property
    def reviewed(self) -> Locator:
        return self.table("Reviewed").locator("tbody tr")

    def review(self, row: Locator) -> "EmergencyReviewPage":
        row.get_by_role("link", name=re.compile(r"^Review")).click()
        return EmergencyReviewPage(self.page).arrive()


class EmergencyReviewPage(BasePage):
    heading = "Review emergency access"
    name = "emergency-review"

    def summary(self, key: str) -> Locator:
        row = self.page.locator(".govuk-summary-list__row").filter(
            has=self.page.locator("dt", has_text=re.compile(rf"^{re.escape(key)}$"))
        )
        return row.locator(".govuk-summary-list__value")

    def mark_reviewed(self, note: str) -> EmergencyQueuePage:
        self.fill("Review note", note)
        self.press("Mark as reviewed")
        queue = EmergencyQueuePage(self.page).arrive("emergency-queue-reviewed")
        queue.expect_success("The emergency access has been marked as reviewed")
        return queue
