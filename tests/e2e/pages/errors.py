from playwright.sync_api import Response, expect

from tests.e2e.pages.base import BasePage


class ForbiddenPage(BasePage):
    """What a signed-in user sees when the access policy refuses them a page."""

    name = "forbidden"

    def open(self, path: str) -> "ForbiddenPage":
        response: Response | None = self.page.goto(path)
        assert response is not None
        assert response.status == 403, f"{path} answered {response.status}, not 403"
        self.arrive()
        expect(self.page.locator("main h1")).to_be_visible()
        return self
