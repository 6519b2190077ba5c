"""Who may download a document; mappa.access.policy delegates here.

Placeholder until the documents app lands: refuses everyone (fails closed).
"""

from typing import Any

from mappa.access.policy import Decision


def can_download(user: Any, target: Any) -> Decision:
    return Decision(False, "Not available yet.")
