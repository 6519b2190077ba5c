"""Who may read and write minutes, actions and level 1 reviews.

The access policy (``mappa.access.policy``) delegates here for the minutes actions,
as it does to ``mappa.referrals.access`` for referrals. Each function answers a
``Decision`` with the reason a refused user reads.

- Minutes are case data: whoever may open the person's record reads them
  (``NOMINAL_VIEW``: the lead agency, the manager's agency, partners, agencies invited
  to a meeting about the case, area-wide roles, auditors). Also the chair of the
  meeting, and the single point of contact each distributed copy was sent to
  (J 10.12), that person only: a SPOC's copy does not open the case to their agency
  (J 4.2).
- Writing the minutes: the co-ordinator, administrators and the meeting's chair.
- An action is updated by its agency (practitioners, chairs and line managers in it),
  its named owner, and the co-ordinator and administrators.
- A level 1 review is recorded by the lead agency (J 9.2) or the co-ordinator.
Auditors read and change nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from mappa.access.models import Role
from mappa.access.policy import (
    ALLOW,
    AREA_WIDE_ROLES,
    CASE_ROLES,
    READ_ALL_ROLES,
    Action,
    Decision,
    _refusal,
    decide,
    nominals_visible_to,
)

NOT_WRITER = Decision(
    False, "Only the co-ordinator, administrators and the meeting's chair write the minutes."
)
AUDITOR_READS = Decision(False, "Auditors read records and change nothing.")


def _signed_in_refusal(user: Any) -> Decision | None:
    return _refusal(user)


def is_chair_of(user: Any, minutes: Any) -> bool:
    meeting = minutes.agenda_item.meeting
    return bool(meeting.chair_id is not None and meeting.chair_id == getattr(user, "pk", None))


def _is_recipient(user: Any, minutes: Any) -> bool:
    from mappa.minutes.models import Distribution, MinutesStatus

    if minutes.status != MinutesStatus.DISTRIBUTED:
        return False
    return Distribution.objects.filter(minutes=minutes, user_id=user.pk).exists()


def can_view_minutes(user: Any, minutes: Any) -> Decision:
    refusal = _signed_in_refusal(user)
    if refusal is not None:
        return refusal
    decision = decide(user, Action.NOMINAL_VIEW, minutes.case.nominal)
    if decision:
        return decision
    if is_chair_of(user, minutes) or _is_recipient(user, minutes):
        return ALLOW
    return decision


def can_write_minutes(user: Any, minutes: Any) -> Decision:
    """Write a draft, check, distribute or amend (the status rules are the service's)."""
    refusal = _signed_in_refusal(user)
    if refusal is not None:
        return refusal
    if user.has_role(Role.AUDITOR):
        return AUDITOR_READS
    if user.has_role(*AREA_WIDE_ROLES) or is_chair_of(user, minutes):
        return ALLOW
    return NOT_WRITER


def can_start_minutes(user: Any, agenda_item: Any) -> Decision:
    refusal = _signed_in_refusal(user)
    if refusal is not None:
        return refusal
    if user.has_role(Role.AUDITOR):
        return AUDITOR_READS
    chair_id = agenda_item.meeting.chair_id
    if user.has_role(*AREA_WIDE_ROLES) or (chair_id is not None and chair_id == user.pk):
        return ALLOW
    return NOT_WRITER


def can_update_action(user: Any, action: Any) -> Decision:
    """Progress notes, completion, "not completed" and reassignment within the agency."""
    refusal = _signed_in_refusal(user)
    if refusal is not None:
        return refusal
    if user.has_role(Role.AUDITOR):
        return AUDITOR_READS
    if user.has_role(*AREA_WIDE_ROLES):
        return ALLOW
    if action.owner_user_id is not None and action.owner_user_id == user.pk:
        return ALLOW
    if (
        user.has_role(*CASE_ROLES)
        and user.agency_id is not None
        and user.agency_id == action.agency_id
    ):
        return ALLOW
    return Decision(False, "Only the action's agency, its owner and the co-ordinator update it.")


def can_view_action(user: Any, action: Any) -> Decision:
    refusal = _signed_in_refusal(user)
    if refusal is not None:
        return refusal
    decision = decide(user, Action.NOMINAL_VIEW, action.case.nominal)
    if decision:
        return decision
    # The owner's agency always sees what it has to do, even after the case has left
    # level 2 or 3 and the agency's invited part has ended.
    if can_update_action(user, action):
        return ALLOW
    return decision


def can_record_level1_review(user: Any, case: Any, lead_agency_id: int | None) -> Decision:
    refusal = _signed_in_refusal(user)
    if refusal is not None:
        return refusal
    if user.has_role(Role.AUDITOR):
        return AUDITOR_READS
    if user.has_role(Role.COORDINATOR):
        return ALLOW
    if (
        user.has_role(Role.PRACTITIONER, Role.LINE_MANAGER, Role.CHAIR)
        and lead_agency_id is not None
        and user.agency_id == lead_agency_id
    ):
        return ALLOW
    return Decision(False, "Only the lead agency records level 1 reviews (J 9.2).")


def can_list_actions(user: Any) -> Decision:
    refusal = _signed_in_refusal(user)
    if refusal is not None:
        return refusal
    if user.has_role(*READ_ALL_ROLES, *CASE_ROLES):
        return ALLOW
    return Decision(False, "Your role does not give access to case records.")


def actions_visible_to(user: Any) -> QuerySet[Any]:
    """Actions of minutes past draft, on records the user may open or owned by their
    agency or them, filtered in the query."""
    from mappa.minutes.models import Action as MinutesAction
    from mappa.minutes.models import MinutesStatus

    live = MinutesAction.objects.exclude(minutes__status=MinutesStatus.DRAFT)
    if not can_list_actions(user):
        return live.none()
    if user.has_role(*READ_ALL_ROLES):
        return live
    visible = nominals_visible_to(user).filter(pk=OuterRef("case__nominal_id"))
    own = Q(owner_user_id=user.pk)
    if user.agency_id is not None:
        own |= Q(agency_id=user.agency_id)
    return live.filter(Q(Exists(visible)) | own)


def minutes_visible_to(user: Any) -> QuerySet[Any]:
    from mappa.minutes.models import Distribution, Minutes, MinutesStatus

    everyone = Minutes.objects.all()
    if _signed_in_refusal(user) is not None:
        return everyone.none()
    if user.has_role(*READ_ALL_ROLES):
        return everyone
    visible = nominals_visible_to(user).filter(pk=OuterRef("case__nominal_id"))
    sent = Distribution.objects.filter(minutes=OuterRef("pk"), user_id=user.pk)
    return everyone.filter(
        Q(Exists(visible))
        | Q(agenda_item__meeting__chair_id=user.pk)
        | (Q(status=MinutesStatus.DISTRIBUTED) & Q(Exists(sent)))
    )
