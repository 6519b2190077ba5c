"""One row of the API access table (tests/api/test_access.py); see that module's notes."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mappa.register.models import Nominal
from tests.conftest import Personas

Ids = dict[str, Any]


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # as the schema writes it
    allowed: str  # persona, or "line_manager"
    ok: int
    refused: str  # persona, or "line_manager"
    body: Callable[[Personas, Ids], Any] = lambda personas, ids: None
    # Builds the state the call needs; returns the path's ids (see test_access's notes).
    setup: Callable[[Any, Personas, Nominal], Any] | None = None
    # Added to the path as it is called, for example "?from=2026-01-01&to=2026-03-31".
    query: str = ""
