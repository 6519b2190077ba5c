"""Who may read the case quality audit; mappa.access.policy delegates here.

Placeholder until the quality app lands: refuses everyone (fails closed).
"""

from typing import Any

from mappa.access.policy import Decision


def can_view_quality(user: Any, target: Any) -> Decision:
    return Decision(False, "Not available yet.")
