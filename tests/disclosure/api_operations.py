"""This app's rows of tests/api/test_access.py's table (allowed, refused, anonymous)."""

from tests.api.operation import Operation

OPERATIONS: list[Operation] = []
