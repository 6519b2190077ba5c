"""Requests for minutes (J 5.5) and the executive summary (J 5.6)."""

import datetime as dt
import re
from typing import Any

from django.urls import reverse
from playwright.sync_api import Download, Locator, expect
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.pages.base import BasePage
from tests.e2e.pages.sign_in import CODE_INPUT, authenticator_for
from tests.factories import PASSWORD

DOWNLOAD_TIMEOUT_MS = 60_000


class ConfirmIdentity(BasePage):
    """ "Confirm it's you" (re-authentication before a disclosure or a download), when the
    service asks for it: the password and the current code of the authenticator."""

    heading = "Confirm it's you"
    name = "confirm-identity"

    @classmethod
    def if_asked(cls, page: Any, user: Any) -> None:
        page.wait_for_load_state("domcontentloaded")
        if page.locator("h1").inner_text().strip() != cls.heading:
            return
        confirm = cls(page).arrive()
        code = authenticator_for(user)
        assert code is not None
        confirm.fill("Password", PASSWORD)
        page.locator(CODE_INPUT).first.fill(code())
        confirm.press("Continue")


class RequestListPage(BasePage):
    heading = "Requests for minutes"
    name = "requests"

    def open(self) -> "RequestListPage":
        self.page.goto("/requests/")
        return self.arrive()

    def record(self) -> "RecordRequestPage":
        self.follow("Record a request")
        return RecordRequestPage(self.page).arrive()

    def row(self, reference: str) -> Locator:
        return self.page.locator("tbody tr").filter(has_text=reference)

    def open_request(self, reference: str) -> "RequestPage":
        self.page.get_by_role("link", name=reference, exact=True).click()
        return RequestPage(self.page, reference).arrive()


class RecordRequestPage(BasePage):
    heading = "Record a request for minutes"
    name = "request-record"

    def submit(self) -> None:
        self.press("Record the request")

    def record(
        self, *, case: str, requester: str, kind: str, asked: str, received: dt.date
    ) -> "RequestPage":
        self.fill("Case or record reference", case)
        self.fill("Who made the request", requester)
        self.choose("Type of requester", kind)
        self.fill("What was asked for", asked)
        self.fill_date("received_on", received)
        self.submit()
        heading = self.page.locator("h1")
        expect(heading).to_have_text(re.compile(r"^Request RQ-\d{6}$"))
        reference = heading.inner_text().removeprefix("Request ").strip()
        return RequestPage(self.page, reference).arrive("request-recorded")


class RequestPage(BasePage):
    name = "request"

    def __init__(self, page: Any, reference: str) -> None:
        super().__init__(page)
        self.reference = reference
        self.heading = f"Request {reference}"

    def status(self) -> Locator:
        return self.page.locator("main .govuk-tag").first

    def clarify(self) -> "StepPage":
        self.follow("Record the clarification")
        return StepPage(self.page, self, "Record the clarification").arrive("request-clarify")

    def route(self) -> "StepPage":
        self.follow("Route information to an agency")
        return StepPage(self.page, self, "Route information to an agency").arrive("request-route")

    def draft_summary(self) -> "SummaryPage":
        self.press("Draft the executive summary")
        return SummaryPage(self.page).arrive("summary-drafted")


class StepPage(BasePage):
    def __init__(self, page: Any, request: RequestPage, heading: str) -> None:
        super().__init__(page)
        self.request = request
        self.heading = heading
        self.name = "request-step"

    def save(self, button: str, message: str) -> RequestPage:
        self.press(button)
        self.request.arrive("request-after-step")
        self.expect_success(message)
        return self.request


class SummaryPage(BasePage):
    heading = "Executive summary"
    name = "summary"

    def redactions(self) -> Locator:
        return self.page.locator("table").filter(
            has=self.page.locator("caption", has_text=re.compile(r"\d+ redactions?"))
        )

    def redact_by_hand(self, phrase: str, replacement: str) -> "SummaryPage":
        self.fill("Words to remove", phrase)
        self.fill("Replace them with", replacement)
        self.press("Redact these words")
        return self

    def finalise(self, user: Any) -> "FinalisePage":
        self.page.get_by_role("link", name="Finalise the summary", exact=True).click()
        ConfirmIdentity.if_asked(self.page, user)
        return FinalisePage(self.page).arrive()


class FinalisePage(BasePage):
    heading = "Finalise the executive summary"
    name = "summary-finalise"

    def confirm(self, number: int) -> "VersionPage":
        self.press(f"Finalise version {number}")
        version = VersionPage(self.page, number).arrive()
        version.expect_success(f"Version {number} has been finalised")
        return version


class VersionPage(BasePage):
    name = "summary-version"

    def __init__(self, page: Any, number: int) -> None:
        super().__init__(page)
        self.heading = f"Executive summary, version {number}"

    def download(self, label: str, user: Any) -> Download:
        """Follow a download link; the service may first ask the user to confirm who
        they are (a page, driven here), and then sends the file. Drawing a PDF can take
        a while on a busy machine, so the wait for the file is longer than for a page."""
        link = self.page.get_by_role("link", name=label, exact=True)
        confirm = reverse("accounts:confirm")
        with self.page.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as info:
            link.click(no_wait_after=True)
            try:
                self.page.wait_for_url(f"**{confirm}**", timeout=2_000)
            except PlaywrightError:
                # Not asked: the file is on its way (a timeout, or the navigation aborted
                # because the response is a download).
                pass
            else:
                ConfirmIdentity.if_asked(self.page, user)
        return info.value
