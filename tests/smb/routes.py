"""This app's rows of the access coverage tables (tests/access/test_coverage.py).

ROUTES: URL name -> the policy actions its view asks (or PUBLIC / SIGNED_IN).
API_OPERATIONS: (method, path as the schema writes it) -> the action it asks.
"""

from typing import Any

from mappa.access.policy import Action

ROUTES: dict[str, Any] = {
    "smb:board": (Action.SMB_VIEW, Action.SMB_MANAGE),
    "smb:seat_add": (Action.SMB_MANAGE,),
    "smb:seat_edit": (Action.SMB_MANAGE,),
    "smb:seat_end": (Action.SMB_MANAGE,),
    "smb:holder_change": (Action.SMB_MANAGE,),
    "smb:holder_edit": (Action.SMB_MANAGE,),
    "smb:meetings": (Action.SMB_VIEW, Action.SMB_MANAGE),
    "smb:meeting_add": (Action.SMB_MANAGE,),
    "smb:meeting_detail": (Action.SMB_VIEW, Action.SMB_MANAGE),
    "smb:meeting_edit": (Action.SMB_MANAGE,),
    "smb:meeting_record": (Action.SMB_MANAGE,),
    "smb:meeting_cancel": (Action.SMB_MANAGE,),
    "smb:attendance": (Action.SMB_VIEW,),
    "api:smb-meeting-list": (Action.SMB_VIEW,),
    "api:smb-attendance": (Action.SMB_VIEW,),
}
API_OPERATIONS: dict[tuple[str, str], Any] = {
    ("GET", "/api/v1/smb/meetings/"): Action.SMB_VIEW,
    ("GET", "/api/v1/smb/attendance/"): Action.SMB_VIEW,
}
