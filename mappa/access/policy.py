"""The one access policy: who may see or do what, and why not.

Every page, API operation, search, list, export and document asks this module.
Lists are filtered in the query (``nominals_visible_to``), never row by row after
the fact. An action missing from ``RULES`` is refused, never allowed by default.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from mappa.access.models import Role
from mappa.common.dates import today as local_today

AREA_WIDE_ROLES = (Role.COORDINATOR, Role.ADMINISTRATOR)
READ_ALL_ROLES = (Role.COORDINATOR, Role.ADMINISTRATOR, Role.AUDITOR)
CASE_ROLES = (Role.PRACTITIONER, Role.CHAIR, Role.LINE_MANAGER)


class Action(StrEnum):
    REGISTER_LIST = "register.list"
    REGISTER_SEARCH = "register.search"
    NOMINAL_VIEW = "nominal.view"
    NOMINAL_CREATE = "nominal.create"
    NOMINAL_EDIT = "nominal.edit"
    NOMINAL_ARCHIVE = "nominal.archive"
    NOMINAL_REACTIVATE = "nominal.reactivate"
    CASE_MANAGE = "case.manage"
    DIRECTORY_VIEW = "directory.view"
    AUDIT_VIEW = "audit.view"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True, "allowed")


def _signed_in(user: Any) -> Decision | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return Decision(False, "not signed in")
    if not user.is_active:
        return Decision(False, "account disabled")
    return None


def _vetted(user: Any, today: dt.date | None = None) -> Decision | None:
    expires = getattr(user, "vetting_expires", None)
    if expires is not None and expires < (today or local_today()):
        return Decision(False, "vetting expired")
    return None


def _can_read_register(user: Any) -> Decision:
    if user.has_role(*READ_ALL_ROLES, *CASE_ROLES):
        return ALLOW
    return Decision(False, "role does not give access to case records")


def _can_view_nominal(user: Any, nominal: Any) -> Decision:
    if user.has_role(*READ_ALL_ROLES):
        return ALLOW
    if not user.has_role(*CASE_ROLES):
        return Decision(False, "role does not give access to case records")
    if nominal is None:
        return Decision(False, "no record given")
    if nominals_visible_to(user).filter(pk=nominal.pk).exists():
        return ALLOW
    return Decision(False, "agency has no part in this case")


def _can_create(user: Any, _obj: Any) -> Decision:
    # J 13.1: records are created and managed by the police and the co-ordinator.
    if user.has_role(*AREA_WIDE_ROLES):
        return ALLOW
    return Decision(False, "only the co-ordinator and administrators add people to the register")


def _can_edit_nominal(user: Any, nominal: Any) -> Decision:
    if user.has_role(Role.AUDITOR) and not user.has_role(*AREA_WIDE_ROLES):
        return Decision(False, "auditors read and change nothing")
    if user.has_role(*AREA_WIDE_ROLES):
        return ALLOW
    # J 13.2: the record's manager and partners may input information.
    return _can_view_nominal(user, nominal)


def _area_wide_only(user: Any, _obj: Any) -> Decision:
    if user.has_role(*AREA_WIDE_ROLES):
        return ALLOW
    return Decision(False, "only the co-ordinator and administrators may do this")


def _directory(user: Any, _obj: Any) -> Decision:
    return ALLOW if user.role_set else Decision(False, "no role")


def _audit(user: Any, _obj: Any) -> Decision:
    if user.has_role(Role.AUDITOR, Role.COORDINATOR):
        return ALLOW
    return Decision(False, "only auditors and the co-ordinator read the audit trail")


RULES: dict[Action, Callable[[Any, Any], Decision]] = {
    Action.REGISTER_LIST: lambda user, _obj: _can_read_register(user),
    Action.REGISTER_SEARCH: lambda user, _obj: _can_read_register(user),
    Action.NOMINAL_VIEW: _can_view_nominal,
    Action.NOMINAL_CREATE: _can_create,
    Action.NOMINAL_EDIT: _can_edit_nominal,
    Action.NOMINAL_ARCHIVE: _area_wide_only,
    Action.NOMINAL_REACTIVATE: _area_wide_only,
    Action.CASE_MANAGE: _area_wide_only,
    Action.DIRECTORY_VIEW: _directory,
    Action.AUDIT_VIEW: _audit,
}


def decide(user: Any, action: Action | str, obj: Any = None) -> Decision:
    """Allow or refuse ``action`` on ``obj`` for ``user``, with the reason."""
    refusal = _signed_in(user) or _vetted(user)
    if refusal:
        return refusal
    try:
        rule = RULES[Action(action)]
    except (KeyError, ValueError):
        return Decision(False, f"no rule for {action}")
    return rule(user, obj)


def require(user: Any, action: Action | str, obj: Any = None) -> Decision:
    decision = decide(user, action, obj)
    if not decision:
        raise PermissionDenied(decision.reason)
    return decision


def nominals_visible_to(user: Any, today: dt.date | None = None) -> QuerySet[Any]:
    """The register as this user may see it, as a query (J 4.2, 13.2).

    Area-wide roles and auditors see every record. Agency staff see a record while
    their agency leads the open case, employs its manager, or is a current partner.
    """
    from mappa.register.models import Nominal

    everyone = Nominal.objects.all()
    if _signed_in(user) or _vetted(user, today):
        return everyone.none()
    if user.has_role(*READ_ALL_ROLES):
        return everyone
    if not user.has_role(*CASE_ROLES) or user.agency_id is None:
        return everyone.none()
    agency = user.agency_id
    open_case = Q(cases__closed_on__isnull=True)
    current = Q(cases__states__effective_to__isnull=True)
    part = (
        Q(cases__states__lead_agency_id=agency) | Q(cases__states__manager__agency_id=agency)
    ) & current
    partner = Q(cases__partners__agency_id=agency, cases__partners__to_date__isnull=True)
    ids = Nominal.objects.filter(open_case & (part | partner)).values("pk")
    return everyone.filter(pk__in=ids)
