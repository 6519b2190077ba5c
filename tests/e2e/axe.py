"""Accessibility and screenshots for every page a journey visits.

axe-core comes from the project's npm lock file (node_modules), never from the network,
so the rules checked change only when the lock file does.
"""

import os
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"

# WCAG 2.1 A and AA, the level public services must meet, plus axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# A serious or critical violation stops a user of assistive technology; those fail the test.
BLOCKING_IMPACTS = {"serious", "critical"}


def _current_test() -> str:
    # pytest names the running test in this variable: "tests/e2e/test_x.py::test_y (call)".
    raw = os.environ.get("PYTEST_CURRENT_TEST", "browser").split(" ")[0]
    return raw.rsplit("::", 1)[-1]


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")


# Pages visited so far by each test, so a page seen twice keeps both screenshots in order.
_visits: dict[str, int] = {}


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as test-artifacts/screenshots/<test>-<NN>-<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    test = _slug(_current_test())
    _visits[test] = _visits.get(test, 0) + 1
    path = SCREENSHOTS / f"{test}-{_visits[test]:02d}-{_slug(name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def run_axe(page: Page) -> list[dict[str, Any]]:
    """Every violation axe finds on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    result: dict[str, Any] = page.evaluate(
        """async (tags) => await axe.run(document, {
            runOnly: {type: 'tag', values: tags},
            resultTypes: ['violations'],
        })""",
        AXE_TAGS,
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"  {violation['helpUrl']}\n"
        )
        for node in violation["nodes"]:
            target = " ".join(map(str, node["target"]))
            summary = " ".join(str(node.get("failureSummary", "")).split())
            lines.append(f"  at {target}: {node.get('html', '')[:200]}\n    {summary}\n")
    return "".join(lines)


def assert_accessible(page: Page, name: str, *, take_screenshot: bool = True) -> None:
    """Screenshot the page, then fail on any serious or critical axe violation.

    Minor and moderate findings are printed (pytest shows them with -rA or on failure)
    so they are visible without stopping the journey.
    """
    if take_screenshot:
        screenshot(page, name)
    violations = run_axe(page)
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    others = [v for v in violations if v.get("impact") not in BLOCKING_IMPACTS]
    if others:
        print(f"axe on {name} ({page.url}), not blocking:\n{describe(others)}")
    assert not blocking, (
        f"axe found serious or critical violations on {name} ({page.url}):\n{describe(blocking)}"
    )
