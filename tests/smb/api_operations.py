"""This app's rows of tests/api/test_access.py's table (allowed, refused, anonymous)."""

from tests.api.operation import Operation

OPERATIONS: list[Operation] = [
    # The board reads its own meetings and attendance; a practitioner is refused.
    Operation("GET", "/api/v1/smb/meetings/", "smb_member", 200, "owner"),
    Operation(
        "GET",
        "/api/v1/smb/attendance/",
        "auditor",
        200,
        "partner",
        query="?from=2026-01-01&to=2026-03-31",
    ),
]
