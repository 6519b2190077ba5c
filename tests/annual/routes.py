"""This app's rows of the access coverage tables (tests/access/test_coverage.py).

ROUTES: URL name -> the policy actions its view asks (or PUBLIC / SIGNED_IN).
API_OPERATIONS: (method, path as the schema writes it) -> the action it asks.
"""

from typing import Any

from mappa.access.policy import Action

ROUTES: dict[str, Any] = {
    # The page also asks ANNUAL_REPORT_WRITE and FIGURES_EXPORT to decide what it
    # offers; it refuses only on FIGURES_VIEW.
    "annual:report": (Action.FIGURES_VIEW,),
    "annual:note": (Action.FIGURES_VIEW, Action.ANNUAL_REPORT_WRITE),
    "annual:export": (Action.FIGURES_EXPORT,),
    "api:annual-report": (Action.FIGURES_VIEW,),
}
API_OPERATIONS: dict[tuple[str, str], Any] = {
    ("GET", "/api/v1/annual-report/{year}/"): Action.FIGURES_VIEW,
}
