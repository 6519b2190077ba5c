"""A meeting: its agenda, invitations and the attendance for each case (J 10.6-10.8)."""

import re

from playwright.sync_api import Locator, Page, expect

from tests.e2e.pages.base import BasePage


class MeetingPage(BasePage):
    """The meeting's page: the h1 is its date, followed by its status tag."""

    name = "meeting"

    def __init__(self, page: Page, date_heading: str) -> None:
        super().__init__(page)
        self.heading = re.compile(rf"^\s*{re.escape(date_heading)}\b")

    def open(self, path: str) -> "MeetingPage":
        self.page.goto(path)
        return self.arrive()

    def agenda_row(self, reference: str) -> Locator:
        return self.page.locator("table.govuk-table tbody tr").filter(
            has=self.page.get_by_role("link", name=reference, exact=True)
        )

    def add_case(self, reference: str) -> "MeetingPage":
        self.fill("Add a case by its reference", reference)
        self.press("Add the case")
        self.arrive("meeting-case-added")
        self.expect_success(f"Case {reference} has been added to the agenda")
        return self

    def propose_invitations(self) -> "MeetingPage":
        self.press("Propose invitations")
        return self.arrive("meeting-invitations-proposed")

    def confirm_all_invitations(self) -> "MeetingPage":
        self.page.get_by_role("button", name=re.compile(r"^Confirm all \d+ proposed$")).click()
        self.arrive("meeting-invitations-confirmed")
        self.expect_success(re.compile(r"\d+ invitations confirmed"))
        return self

    def send_invitations(self) -> "MeetingPage":
        self.page.get_by_role("button", name=re.compile(r"^Send \d+ emails?$")).click()
        self.arrive("meeting-invitations-sent")
        self.expect_success(re.compile(r"\d+ invitations are being sent"))
        return self

    @property
    def invitations(self) -> Locator:
        return self.page.locator("table.govuk-table").filter(
            has=self.page.locator("caption", has_text="People invited")
        )

    def record_attendance(self, reference: str) -> "AttendancePage":
        self.page.get_by_role("link", name=f"Record attendance for case {reference}").click()
        return AttendancePage(self.page, reference).arrive()

    def open_minutes(self, reference: str) -> None:
        self.page.get_by_role("link", name=f"Minutes for case {reference}").click()


class AttendancePage(BasePage):
    name = "attendance"

    def __init__(self, page: Page, reference: str) -> None:
        super().__init__(page)
        self.heading = f"Attendance for case {reference}"

    def save(
        self,
        *,
        reference: str,
        date_heading: str,
        agency: str,
        agency_pk: int,
        how: str,
        representative: str,
        grade: str = "",
    ) -> MeetingPage:
        """The agency's fields share their labels with every other agency's, so the name
        and grade boxes are found by their field names."""
        self.choose("Was the case discussed at the meeting?", "Yes")
        self.choose(f"How did {agency} take part?", how)
        self.page.locator(f'input[name="agency_{agency_pk}_representative"]').fill(representative)
        self.page.locator(f'input[name="agency_{agency_pk}_grade"]').fill(grade)
        self.press("Save attendance")
        meeting = MeetingPage(self.page, date_heading).arrive("meeting-attendance-saved")
        meeting.expect_success(f"Attendance for case {reference} has been saved")
        expect(meeting.agenda_row(reference)).to_contain_text("Discussed")
        return meeting
