"""This app's rows of the access coverage tables (tests/access/test_coverage.py).

ROUTES: URL name -> the policy actions its view asks (or PUBLIC / SIGNED_IN).
API_OPERATIONS: (method, path as the schema writes it) -> the action it asks.
"""

from typing import Any

from mappa.access.policy import Action

ROUTES: dict[str, Any] = {
    # The KPI figures for a period: the board's aggregates (J 15, 16.2).
    "api:kpis": (Action.FIGURES_VIEW,),
}
API_OPERATIONS: dict[tuple[str, str], Any] = {
    ("GET", "/api/v1/kpis/"): Action.FIGURES_VIEW,
}
