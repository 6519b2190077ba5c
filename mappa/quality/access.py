"""Who may read the case quality audit; ``mappa.access.policy`` delegates here
(``Action.QUALITY_VIEW``; obj is a Case, a Meeting, or None for the area list).

- The co-ordinator, administrators and auditors see the audit of every case and
  meeting, with names and links.
- SMB members oversee performance (J 15): they see every case's and meeting's audit
  *by reference only*. The pages and the API show a name or a link into a record only
  where the policy lets the viewer open that record, and it never lets the board open
  case records, so they see references, dates, agencies and days late.
- Practitioners, chairs and line managers see the audit of a case whose record they
  may open (``NOMINAL_VIEW``), of a meeting they may see (``MEETING_VIEW``: the cases
  on it they may open are shown), and the area list narrowed to their cases.
- Everyone else is refused.
"""

from __future__ import annotations

from typing import Any

from mappa.access.models import Role
from mappa.access.policy import (
    ALLOW,
    CASE_ROLES,
    READ_ALL_ROLES,
    Action,
    Decision,
    _refusal,
    decide,
)

REFUSED = Decision(
    False,
    "Only the co-ordinator, administrators, auditors, the board and those working on "
    "a case see its quality audit.",
)


def _label(target: Any) -> str:
    meta = getattr(target, "_meta", None)
    return meta.label_lower if meta is not None else ""


def sees_everything(user: Any) -> bool:
    """Co-ordinator, administrators, auditors and board members: every case's audit."""
    return bool(user.has_role(*READ_ALL_ROLES, Role.SMB_MEMBER))


def can_view_quality(user: Any, target: Any = None) -> Decision:
    refusal = _refusal(user)
    if refusal is not None:
        return refusal
    if sees_everything(user):
        return ALLOW
    if not user.has_role(*CASE_ROLES):
        return REFUSED
    label = _label(target)
    if target is None:
        # The area list, narrowed in the query to the cases the user may open.
        return ALLOW
    if label == "register.case":
        return decide(user, Action.NOMINAL_VIEW, target.nominal)
    if label == "meetings.meeting":
        return decide(user, Action.MEETING_VIEW, target)
    return Decision(False, "There is no quality audit of that.")
