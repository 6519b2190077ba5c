"""This app's rows of the access coverage tables (tests/access/test_coverage.py).

ROUTES: URL name -> the policy actions its view asks (or PUBLIC / SIGNED_IN).
API_OPERATIONS: (method, path as the schema writes it) -> the action it asks.
"""

from typing import Any

from mappa.access.policy import Action

ROUTES: dict[str, Any] = {
    "disclosure:list": (Action.MINUTES_REQUEST_LIST,),
    "disclosure:record": (Action.MINUTES_REQUEST_RECORD,),
    "disclosure:detail": (Action.MINUTES_REQUEST_VIEW,),
    "disclosure:clarify": (Action.MINUTES_REQUEST_VIEW, Action.MINUTES_REQUEST_MANAGE),
    "disclosure:route": (Action.MINUTES_REQUEST_VIEW, Action.MINUTES_REQUEST_MANAGE),
    "disclosure:decide": (Action.MINUTES_REQUEST_VIEW, Action.MINUTES_REQUEST_MANAGE),
    "disclosure:release": (Action.MINUTES_REQUEST_VIEW, Action.MINUTES_REQUEST_MANAGE),
    "disclosure:summary_start": (
        Action.MINUTES_REQUEST_VIEW,
        Action.MINUTES_REQUEST_MANAGE,
        Action.SUMMARY_WRITE,
    ),
    "disclosure:summary": (Action.SUMMARY_VIEW,),
    "disclosure:summary_redact": (Action.SUMMARY_VIEW, Action.SUMMARY_WRITE),
    "disclosure:summary_unredact": (Action.SUMMARY_VIEW, Action.SUMMARY_WRITE),
    "disclosure:summary_redraft": (Action.SUMMARY_VIEW, Action.SUMMARY_WRITE),
    "disclosure:summary_finalise": (Action.SUMMARY_VIEW, Action.SUMMARY_WRITE),
    "disclosure:summary_versions": (Action.SUMMARY_VIEW,),
    "disclosure:version": (Action.SUMMARY_VIEW,),
    "api:minutes-request-list": (Action.MINUTES_REQUEST_LIST, Action.MINUTES_REQUEST_RECORD),
    "api:minutes-request-detail": (Action.MINUTES_REQUEST_VIEW,),
    "api:executive-summary-detail": (Action.SUMMARY_VIEW,),
}
API_OPERATIONS: dict[tuple[str, str], Any] = {
    ("GET", "/api/v1/minutes-requests/"): Action.MINUTES_REQUEST_LIST,
    ("POST", "/api/v1/minutes-requests/"): Action.MINUTES_REQUEST_RECORD,
    ("GET", "/api/v1/minutes-requests/{id}/"): Action.MINUTES_REQUEST_VIEW,
    ("GET", "/api/v1/executive-summaries/{id}/"): Action.SUMMARY_VIEW,
}
