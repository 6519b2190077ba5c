"""Browser harness: Playwright's sync API driving Debian's Chromium against pytest-django's
live server, with axe-core checking every page and a screenshot of each kept as an artefact.

Browsers cannot be downloaded here, so Playwright drives /usr/bin/chromium (the Debian
package that .ci/run installs). A missing browser fails the run: nothing is skipped.
"""

import importlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from pytest_django.live_server_helper import LiveServer

from tests.e2e.axe import AXE_SCRIPT

# Playwright's sync API keeps an event loop running in the test's thread, and Django then
# refuses synchronous database calls from that thread (SynchronousOnlyOperation). Tests do
# set up data there, never concurrently with the server thread's requests: this is Django's
# documented switch for exactly that, and it is set for the browser tests only.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("MAPPA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Long enough for a cold PostgreSQL test database, short enough that a missing element
# fails the test promptly rather than eating the run's time budget.
TIMEOUT_MS = 10_000


def _require(path: Path, what: str, remedy: str) -> None:
    if path.exists():
        return
    where = "CI needs it" if os.environ.get("CI") == "true" else "the browser tests need it"
    pytest.fail(f"{what} not found at {path}: {where}. {remedy}", pytrace=False)


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    _require(CHROMIUM, "Chromium", "Install the Debian package: apt-get install chromium.")
    _require(AXE_SCRIPT, "axe-core", "Install the front-end packages: npm ci.")
    chromium = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()


@pytest.fixture
def context(browser: Browser, live_server: LiveServer) -> Iterator[BrowserContext]:
    # bypass_csp: axe is injected as a script tag, which the service's Content-Security-Policy
    # rightly forbids to anyone else; the policy itself is tested with the HTTP client.
    browser_context = browser.new_context(
        base_url=live_server.url,
        bypass_csp=True,
        locale="en-GB",
        timezone_id="Europe/London",
        viewport={"width": 1280, "height": 900},
    )
    browser_context.set_default_timeout(TIMEOUT_MS)
    yield browser_context
    browser_context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A fresh tab; a JavaScript error on any page fails the test that caused it."""
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(f"{tab.url}: {error}"))
    yield tab
    assert not errors, "JavaScript errors in the page:\n" + "\n".join(errors)


# What the migrations load and the journeys need: the area with its jurisdiction profile
# (deadlines) and the sensitive-section rules (access). Browser tests commit their data,
# so the database is emptied after each, and that removes these rows too.
MIGRATION_DATA = [
    ("mappa.profiles.migrations.0002_shipped_profiles", "load"),
    ("mappa.access.migrations.0003_default_section_rules", "create_defaults"),
]


@pytest.fixture
def migration_data(transactional_db: None) -> None:
    """Put back the migrations' data by running their own (idempotent) loaders.

    Not serialized_rollback: that reloads content types by primary key and fails once a
    test without it has emptied the database and Django has re-created them.
    """
    for module, loader in MIGRATION_DATA:
        getattr(importlib.import_module(module), loader)(django_apps, None)
