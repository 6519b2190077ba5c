"""Identification, the referral (MAPPA A) as a GOV.UK task list, endorsement and screening."""

import datetime as dt
import re

from playwright.sync_api import Locator, Page, expect

from tests.e2e.pages.base import BasePage
from tests.e2e.pages.register import NominalPage

REFERRAL_HEADING = re.compile(r"^\s*Referral \S+/R\d+\s*$")


def long_date(day: dt.date) -> str:
    """How the service writes a date in a sentence: 27 April 2026."""
    return f"{day.day} {day:%B %Y}"


def short_date(day: dt.date) -> str:
    """How the service writes a date in a table: 27 Apr 2026."""
    return f"{day.day} {day:%b %Y}"


class PersonRecordPage(NominalPage):
    """A person's record, with what starts identification and referral."""

    def record_eligibility(self) -> "EligibilityPage":
        self.follow("Record MAPPA eligibility")
        return EligibilityPage(self.page).arrive()

    def start_referral(self) -> "ReferralPage":
        self.press("Start a referral")
        return ReferralPage(self.page).arrive("referral-started")

    @property
    def eligible_tag(self) -> Locator:
        return self.page.locator("strong.govuk-tag", has_text="MAPPA-eligible")


class EligibilityPage(BasePage):
    heading = "Record that the person is MAPPA-eligible"
    name = "eligibility"

    def record(
        self,
        *,
        kind: str,
        event_date: dt.date,
        identified_on: dt.date,
        where: str,
        record_heading: str,
    ) -> PersonRecordPage:
        self.choose("What made the person eligible?", kind)
        self.fill_date("event_date", event_date)
        self.fill_date("identified_on", identified_on)
        self.choose("Where is the person now?", where)
        self.press("Save")
        record = PersonRecordPage(self.page, record_heading)
        record.arrive("record-eligible")
        record.expect_success("The person has been recorded as MAPPA-eligible")
        return record


class ReferralPage(BasePage):
    """The referral: its status, a task list of sections while it is a draft, the answers."""

    heading = REFERRAL_HEADING
    name = "referral"

    @property
    def reference(self) -> str:
        return self.page.locator("h1").inner_text().strip().removeprefix("Referral ").strip()

    @property
    def status_tag(self) -> Locator:
        return self.page.locator("main h1 + p strong.govuk-tag")

    @property
    def task_list(self) -> Locator:
        return self.page.locator("ul.govuk-task-list")

    def task_status(self, section: str) -> Locator:
        item = self.task_list.locator("li.govuk-task-list__item").filter(
            has=self.page.get_by_role("link", name=section, exact=True)
        )
        return item.locator(".govuk-task-list__status")

    def section(self, label: str) -> "ReferralSectionPage":
        self.task_list.get_by_role("link", name=label, exact=True).click()
        return ReferralSectionPage(self.page, label).arrive()

    def check_answers(self) -> "CheckAnswersPage":
        self.follow("Check answers and send")
        return CheckAnswersPage(self.page).arrive()

    def answer(self, key: str) -> Locator:
        row = self.page.locator(".govuk-summary-list__row").filter(
            has=self.page.locator("dt", has_text=re.compile(rf"^{re.escape(key)}$"))
        )
        return row.locator(".govuk-summary-list__value").first

    @property
    def decision_banner(self) -> Locator:
        return self.page.locator(".govuk-notification-banner").filter(
            has=self.page.locator("h2", has_text="Declined")
        )


class ReferralSectionPage(BasePage):
    """One section of the draft: saving it returns to the task list."""

    def __init__(self, page: Page, label: str) -> None:
        super().__init__(page)
        self.heading = label
        self.name = "referral-" + re.sub(r"\W+", "-", label.lower()).strip("-")

    def save(self) -> ReferralPage:
        self.press("Save and return to the referral")
        referral = ReferralPage(self.page).arrive(f"{self.name}-saved")
        referral.expect_success(f"{self.heading}: saved as a draft")
        return referral


class CheckAnswersPage(BasePage):
    heading = "Check your answers before sending the referral"
    name = "referral-check"

    @property
    def problems(self) -> Locator:
        return self.error_summary.locator(".govuk-error-summary__list li")

    def send_expecting_problems(self) -> "CheckAnswersPage":
        self.press("Send the referral")
        self.arrive("referral-check-errors")
        expect(self.page).to_have_title(re.compile(r"^Error: "))
        expect(self.error_summary).to_be_focused()
        expect(self.error_summary.locator(".govuk-error-summary__title")).to_have_text(
            "There is a problem"
        )
        return self

    def put_right(self, problem: str, section: str) -> ReferralSectionPage:
        """Each problem links to the section where it is put right."""
        self.error_summary.get_by_role("link", name=problem, exact=True).click()
        return ReferralSectionPage(self.page, section).arrive()

    def send(self, message: str) -> ReferralPage:
        self.press("Send the referral")
        referral = ReferralPage(self.page).arrive("referral-sent")
        referral.expect_success(message)
        return referral


class ReferralListPage(BasePage):
    heading = "Referrals"
    name = "referrals"

    def open_from_navigation(self) -> "ReferralListPage":
        self.page.get_by_role("navigation", name="Menu").get_by_role(
            "link", name="Referrals"
        ).click()
        return self.arrive()

    @property
    def waiting_for_endorsement(self) -> Locator:
        return self.page.locator(".govuk-inset-text").filter(
            has=self.page.get_by_role("heading", name="Waiting for your endorsement")
        )

    def row(self, reference: str) -> Locator:
        return self.page.locator("table.govuk-table tbody tr").filter(
            has=self.page.get_by_role("link", name=reference, exact=True)
        )

    def open_referral(self, reference: str) -> ReferralPage:
        self.row(reference).get_by_role("link", name=reference, exact=True).click()
        return ReferralPage(self.page).arrive()

    def endorse(self, reference: str) -> "EndorsePage":
        self.waiting_for_endorsement.get_by_role("link").filter(has_text=f"{reference}: ").click()
        return EndorsePage(self.page).arrive()

    def screening_queue(self) -> "ScreeningQueuePage":
        self.follow("Screening queue")
        return ScreeningQueuePage(self.page).arrive()


class EndorsePage(BasePage):
    heading = "Endorse the referral"
    name = "referral-endorse"

    def endorse(self, note: str) -> ReferralPage:
        self.fill("Note", note)
        self.press("Endorse and send to the co-ordinator")
        referral = ReferralPage(self.page).arrive("referral-endorsed")
        referral.expect_success("Referral endorsed and sent to the co-ordinator")
        return referral


class ScreeningQueuePage(BasePage):
    heading = "Screening queue"
    name = "screening-queue"

    def row(self, reference: str) -> Locator:
        return self.page.locator("table.govuk-table tbody tr").filter(
            has=self.page.get_by_role("link", name=reference, exact=True)
        )

    def first_meeting_by(self, reference: str) -> Locator:
        return self.row(reference).locator("td").nth(4)

    def screen(self, reference: str) -> "ScreenPage":
        self.row(reference).get_by_role("link", name=reference, exact=True).click()
        return ScreenPage(self.page).arrive()


class ScreenPage(BasePage):
    heading = "Screen the referral"
    name = "referral-screen"

    def summary(self, key: str) -> Locator:
        row = self.page.locator(".govuk-summary-list__row").filter(
            has=self.page.locator("dt", has_text=re.compile(rf"^{re.escape(key)}$"))
        )
        return row.locator(".govuk-summary-list__value")

    def accept(self, *, category: str, level: str, note: str = "") -> ReferralPage:
        self.choose("Decision", "Accept")
        self.choose("Category (if accepted)", category)
        self.choose("Level of management (if accepted)", level)
        if note:
            self.fill("Reasons for the decision", note)
        self.press("Record the decision")
        referral = ReferralPage(self.page).arrive("referral-accepted")
        referral.expect_success("Referral accepted")
        return referral

    def decline(self, *, reason: str, note: str) -> ReferralPage:
        self.choose("Decision", "Decline")
        self.choose("Reason (if declined)", reason)
        self.fill("Reasons for the decision", note)
        self.press("Record the decision")
        referral = ReferralPage(self.page).arrive("referral-declined")
        referral.expect_success("Referral declined. The referrer has been told why.")
        return referral
