"""This app's rows of tests/api/test_access.py's table (allowed, refused, anonymous)."""

from mappa.common.dates import today
from tests.api.operation import Operation

OUTCOMES = "/api/v1/nominals/{id}/outcomes/"

OPERATIONS: list[Operation] = [
    Operation("GET", OUTCOMES, "owner", 200, "outsider"),
    Operation(
        "POST",
        OUTCOMES,
        "owner",
        201,
        "auditor",
        # The case opens today in the fixture: an event today is on it.
        lambda personas, ids: {
            "kind": "custody_breach_of_licence",
            "occurred_on": today().isoformat(),
        },
    ),
]
