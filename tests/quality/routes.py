"""This app's rows of the access coverage tables (tests/access/test_coverage.py).

ROUTES: URL name -> the policy actions its view asks (or PUBLIC / SIGNED_IN).
API_OPERATIONS: (method, path as the schema writes it) -> the action it asks.
"""

from typing import Any

from mappa.access.policy import Action

ROUTES: dict[str, Any] = {
    "quality:area": (Action.QUALITY_VIEW,),
    "quality:case": (Action.QUALITY_VIEW,),
    "quality:meeting": (Action.QUALITY_VIEW,),
    "api:quality-case": (Action.QUALITY_VIEW,),
    "api:quality-meeting": (Action.QUALITY_VIEW,),
}
API_OPERATIONS: dict[tuple[str, str], Any] = {
    ("GET", "/api/v1/quality/cases/{id}/"): Action.QUALITY_VIEW,
    ("GET", "/api/v1/quality/meetings/{id}/"): Action.QUALITY_VIEW,
}
