import time
from collections.abc import Callable
from typing import Any

from django.apps import apps
from playwright.sync_api import Locator, expect

from tests.e2e.pages.base import BasePage
from tests.factories import PASSWORD

# The second step asks for the code from the user's authenticator app in a box named
# like one of these.
CODE_INPUT = ", ".join(
    f'input[name="{name}"]' for name in ("otp_token", "code", "token", "otp", "totp")
)


def authenticator_for(user: Any) -> Callable[[], str] | None:
    """When the service asks for a second factor (django-otp installed), make sure ``user``
    has a confirmed authenticator and return how to read the code it shows now.

    Test set-up only: the device is created the way mappa.accounts.testing does for the
    HTTP client, so the journey starts at sign-in rather than at setting up an app.
    """
    if not apps.is_installed("django_otp.plugins.otp_totp"):
        return None
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from mappa.accounts import mfa
    from mappa.accounts.testing import TEST_DEVICE_NAME

    device = mfa.confirmed_device(user) or TOTPDevice.objects.create(
        user=user, name=TEST_DEVICE_NAME, confirmed=True
    )

    def code_now() -> str:
        # django-otp refuses a code from a time step already used (replay protection), so
        # a user signing in twice within one step waits for the next code, as a person would.
        device.refresh_from_db()
        step_now = int((time.time() - device.t0) // device.step)
        if device.last_t >= step_now:
            time.sleep(mfa.seconds_left(device) + 0.2)
        return mfa.current_code(device)

    return code_now


class SignInPage(BasePage):
    heading = "Sign in"
    name = "sign-in"

    def open(self) -> "SignInPage":
        self.page.goto("/sign-in/")
        self.arrive()
        return self

    def sign_in_as(self, user: Any, password: str = PASSWORD) -> bool:
        """Sign in with the password and, if the service then asks for one, the current
        code of the user's authenticator (computed when asked, so it is fresh).

        Returns whether the service asked for the code."""
        code = authenticator_for(user)
        self.fill("Username", user.username)
        self.fill("Password", password)
        self._submit_form_with(self.page.get_by_label("Password", exact=True))
        self.page.wait_for_load_state("domcontentloaded")
        code_box = self.page.locator(CODE_INPUT)
        if code_box.count() == 0:
            return False
        assert code is not None, (
            f"The service asked {user.username} for a code, but django-otp's TOTP devices "
            "are not installed, so the test cannot compute one"
        )
        BasePage(self.page).arrive("sign-in-code")
        code_box.first.fill(code())
        self._submit_form_with(code_box.first)
        self.page.wait_for_load_state("domcontentloaded")
        expect(self.page.locator(CODE_INPUT)).to_have_count(0)
        return True

    def _submit_form_with(self, field: Locator) -> None:
        # The button's words ("Sign in", "Continue") are the sign-in pages' own business.
        form = self.page.locator("main form").filter(has=field)
        form.locator('button[type="submit"], input[type="submit"]').first.click()
