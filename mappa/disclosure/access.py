"""Who may see and handle requests for minutes and executive summaries (J 5.5, 5.6).

``mappa.access.policy`` delegates here (``Action.MINUTES_REQUEST_*``, ``SUMMARY_*``).

- Recording a request: J 5.5 says whoever receives one, in any agency, must refer it
  to the chair and inform the co-ordinator. So any practitioner, chair or line manager,
  the co-ordinator and administrators may record one about any case they can *name*
  by its case or record reference, whether or not they can open the case: recording
  shows them nothing of the case, and the request lands with the co-ordinator and the
  chair of the case's last meeting.
- The co-ordinator and administrators see and manage every request (the co-ordinator
  keeps the register, J 5.5); auditors read them and change nothing.
- The chair of the case's last meeting sees and manages that case's requests, and
  writes its executive summary (J 5.5: "the Chair of the last JMAPP meeting will ...
  prepare" it).
- The agency whose member recorded a request sees it with its status, dates, decision
  and what was released (``sees_full_request`` is false for them): not the
  clarification, the routing details, the reasons or the summary, which can hold
  case data their part in the case may not give them.
- Everyone else, SMB members included, is refused (and the refusal audited by the gate).
"""

from __future__ import annotations

from typing import Any

from mappa.access.models import Role
from mappa.access.policy import (
    ALLOW,
    AREA_WIDE_ROLES,
    CASE_ROLES,
    READ_ALL_ROLES,
    Decision,
    _refusal,
)

NO_ROLE = Decision(False, "Your role does not handle requests for minutes.")
NOT_YOURS = Decision(
    False,
    "Only the co-ordinator, administrators, the chair of the case's last meeting and the "
    "agency that recorded the request can see it.",
)
NOT_MANAGER = Decision(
    False,
    "Only the co-ordinator, administrators and the chair of the case's last meeting "
    "handle this request.",
)
NOT_SUMMARY = Decision(
    False,
    "Only the co-ordinator, administrators, auditors and the chair of the case's last "
    "meeting can see the executive summary.",
)
NOT_SUMMARY_WRITER = Decision(
    False,
    "Only the co-ordinator, administrators and the chair of the case's last meeting "
    "write the executive summary.",
)


def _case_of(target: Any) -> Any:
    """The case of a request, a summary, a summary version or a case."""
    label = getattr(getattr(target, "_meta", None), "label_lower", "")
    if label == "disclosure.executivesummaryversion":
        return target.summary.case
    if label in ("disclosure.minutesrequest", "disclosure.executivesummary"):
        return target.case
    return target


def is_last_chair(user: Any, target: Any) -> bool:
    from mappa.disclosure.selectors import last_chair_id

    case = _case_of(target)
    if case is None or getattr(user, "pk", None) is None:
        return False
    chair = last_chair_id(case)
    return chair is not None and chair == user.pk


def _recording_agency(user: Any, request: Any) -> bool:
    agency = getattr(user, "agency_id", None)
    return (
        agency is not None
        and request.received_by_agency_id == agency
        and user.has_role(*CASE_ROLES)
    )


def can_list_requests(user: Any) -> Decision:
    refusal = _refusal(user)
    if refusal is not None:
        return refusal
    if user.has_role(*READ_ALL_ROLES, *CASE_ROLES):
        return ALLOW
    return NO_ROLE


def can_record_request(user: Any, target: Any) -> Decision:
    """``target`` is None (the form) or the case named."""
    refusal = _refusal(user)
    if refusal is not None:
        return refusal
    if user.has_role(Role.AUDITOR) and not user.has_role(*AREA_WIDE_ROLES, *CASE_ROLES):
        return Decision(False, "Auditors read records and change nothing.")
    if user.has_role(*AREA_WIDE_ROLES, *CASE_ROLES):
        return ALLOW
    return NO_ROLE


def sees_full_request(user: Any, request: Any) -> bool:
    """Whether the user sees the whole request, or (the recording agency) its status."""
    if _refusal(user) is not None:
        return False
    return user.has_role(*READ_ALL_ROLES) or is_last_chair(user, request)


def can_view_request(user: Any, request: Any) -> Decision:
    refusal = _refusal(user)
    if refusal is not None:
        return refusal
    if sees_full_request(user, request) or _recording_agency(user, request):
        return ALLOW
    if not user.has_role(*READ_ALL_ROLES, *CASE_ROLES):
        return NO_ROLE
    return NOT_YOURS


def can_manage_request(user: Any, request: Any) -> Decision:
    refusal = _refusal(user)
    if refusal is not None:
        return refusal
    if user.has_role(*AREA_WIDE_ROLES) or is_last_chair(user, request):
        return ALLOW
    return NOT_MANAGER


def can_view_summary(user: Any, target: Any) -> Decision:
    """``target`` is an executive summary, one of its versions, or a case."""
    refusal = _refusal(user)
    if refusal is not None:
        return refusal
    if user.has_role(*READ_ALL_ROLES) or is_last_chair(user, target):
        return ALLOW
    return NOT_SUMMARY


def can_write_summary(user: Any, target: Any) -> Decision:
    """``target`` is an executive summary or the case it is (to be) about."""
    refusal = _refusal(user)
    if refusal is not None:
        return refusal
    if user.has_role(*AREA_WIDE_ROLES) or is_last_chair(user, target):
        return ALLOW
    return NOT_SUMMARY_WRITER
