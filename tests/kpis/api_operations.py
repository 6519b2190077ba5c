"""This app's rows of tests/api/test_access.py's table (allowed, refused, anonymous)."""

from tests.api.operation import Operation

OPERATIONS: list[Operation] = [
    # The board's figures: an SMB member may read them; a practitioner may not.
    Operation(
        "GET",
        "/api/v1/kpis/",
        "smb_member",
        200,
        "owner",
        query="?from=2025-01-01&to=2025-03-31",
    ),
]
