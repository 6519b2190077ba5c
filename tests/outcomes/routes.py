"""This app's rows of the access coverage tables (tests/access/test_coverage.py).

ROUTES: URL name -> the policy actions its view asks (or PUBLIC / SIGNED_IN).
API_OPERATIONS: (method, path as the schema writes it) -> the action it asks.
"""

from typing import Any

from mappa.access.policy import Action

ROUTES: dict[str, Any] = {
    "outcomes:list": (Action.NOMINAL_VIEW, Action.NOMINAL_EDIT),
    "outcomes:add": (Action.NOMINAL_EDIT,),
    "outcomes:edit": (Action.NOMINAL_EDIT,),
    "outcomes:remove": (Action.NOMINAL_EDIT,),
    "api:outcome-list": (Action.NOMINAL_VIEW, Action.NOMINAL_EDIT),
}
API_OPERATIONS: dict[tuple[str, str], Any] = {
    ("GET", "/api/v1/nominals/{id}/outcomes/"): Action.NOMINAL_VIEW,
    ("POST", "/api/v1/nominals/{id}/outcomes/"): Action.NOMINAL_EDIT,
}
