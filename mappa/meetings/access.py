"""Who may see and act on meetings; the access policy's meeting rules call these.

- The co-ordinator and administrators see and run every meeting; auditors read every
  meeting and change nothing; the chair of a meeting sees all of it and records its
  attendance (J 9.2, 10.10).
- Staff of an agency invited to a meeting see only the agenda items of cases their
  agency has a part in (J 4.2): the invitation gives the part (``case_part_grant_invited``),
  the policy's ``nominals_visible_to`` says which cases that is.
- The case manager (or their lead agency) records the person's written information for
  the meeting (J 3.6).

The policy's ``RULES`` for the meeting actions call these functions; pages ask through
``check`` (``mappa.access.gates.check``), so a refusal is explained and audited in one way.
"""

from enum import StrEnum
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from mappa.access import gates, policy
from mappa.access.models import Role
from mappa.access.policy import ALLOW, Decision

MANAGE_ROLES = (Role.COORDINATOR, Role.ADMINISTRATOR)
READ_ALL_ROLES = (Role.COORDINATOR, Role.ADMINISTRATOR, Role.AUDITOR)
CASE_ROLES = (Role.PRACTITIONER, Role.CHAIR, Role.LINE_MANAGER)


class MeetingAction(StrEnum):
    # obj: None (the list is filtered by meetings_visible_to).
    LIST = "meeting.list"
    # obj: a Meeting.
    VIEW = "meeting.view"
    # obj: a Meeting or None (schedule, standing members, emergency meetings).
    MANAGE = "meeting.manage"
    # obj: a Meeting.
    ATTENDANCE = "meeting.attendance"
    # obj: an AgendaItem.
    WRITTEN_INFORMATION = "meeting.written_information"


NOT_INVITED = Decision(
    False, "Your agency is not invited to discuss a case it has a part in at this meeting."
)


def _active_invitations(agency_id: Any) -> QuerySet[Any]:
    from mappa.meetings.models import Invitation, InvitationStatus

    return Invitation.objects.filter(
        agency_id=agency_id, status__in=(InvitationStatus.CONFIRMED, InvitationStatus.SENT)
    )


def items_visible_to(user: Any, meeting: Any = None) -> QuerySet[Any]:
    """The agenda items (case discussions) this user may see, as a query.

    The whole agenda for the co-ordinator, administrators, auditors and the meeting's
    chair; for agency staff, the items of cases their agency has a part in, where the
    agency is invited to that discussion (or to the whole meeting as a standing member)
    or leads the case.
    """
    from mappa.meetings.models import AgendaItem
    from mappa.register.models import CaseState

    items = AgendaItem.objects.all()
    if meeting is not None:
        items = items.filter(meeting=meeting)
    if not policy.decide(user, policy.Action.REGISTER_LIST):
        return items.none()
    if user.has_role(*READ_ALL_ROLES):
        return items
    chaired = Q(meeting__chair_id=user.pk)
    if not user.has_role(*CASE_ROLES) or user.agency_id is None:
        return items.filter(chaired) if user.has_role(Role.CHAIR) else items.none()
    invited = (
        _active_invitations(user.agency_id)
        .filter(meeting_id=OuterRef("meeting_id"))
        .filter(Q(agenda_item__isnull=True) | Q(agenda_item_id=OuterRef("pk")))
    )
    leads = CaseState.objects.filter(case_id=OuterRef("case_id"), effective_to__isnull=True).filter(
        Q(lead_agency_id=user.agency_id) | Q(manager_id=user.pk)
    )
    visible_cases = policy.nominals_visible_to(user).values("pk")
    return items.filter(
        chaired
        | (
            Q(case__nominal_id__in=visible_cases)
            & Q(withdrawn_at__isnull=True)
            & (Exists(invited) | Exists(leads))
        )
    )


def meetings_visible_to(user: Any) -> QuerySet[Any]:
    from mappa.meetings.models import Meeting

    meetings = Meeting.objects.all()
    if not policy.decide(user, policy.Action.REGISTER_LIST):
        return meetings.none()
    if user.has_role(*READ_ALL_ROLES):
        return meetings
    return meetings.filter(
        Q(chair_id=user.pk) | Q(pk__in=items_visible_to(user).values("meeting_id"))
    )


def sees_whole_meeting(user: Any, meeting: Any) -> bool:
    return bool(user.has_role(*READ_ALL_ROLES) or (meeting and meeting.chair_id == user.pk))


def can_list(user: Any, _obj: Any = None) -> Decision:
    if user.has_role(*READ_ALL_ROLES, *CASE_ROLES):
        return ALLOW
    return Decision(False, "Your role does not give access to meetings.")


def can_view(user: Any, meeting: Any) -> Decision:
    if meeting is None:
        return Decision(False, "No meeting was given.")
    if sees_whole_meeting(user, meeting):
        return ALLOW
    if not user.has_role(*CASE_ROLES):
        return Decision(False, "Your role does not give access to meetings.")
    if items_visible_to(user, meeting).exists():
        return ALLOW
    return NOT_INVITED


def can_manage(user: Any, _meeting: Any = None) -> Decision:
    # J 2.2, 10.4: the co-ordinator arranges the meetings; the administrators run them.
    if user.has_role(*MANAGE_ROLES):
        return ALLOW
    return Decision(False, "Only the co-ordinator and administrators arrange meetings.")


def can_record_attendance(user: Any, meeting: Any) -> Decision:
    if meeting is None:
        return Decision(False, "No meeting was given.")
    if user.has_role(*MANAGE_ROLES) or meeting.chair_id == user.pk:
        return ALLOW
    return Decision(
        False,
        "Only the chair of this meeting, the co-ordinator and administrators record attendance.",
    )


def can_add_written_information(user: Any, item: Any) -> Decision:
    """J 3.6: through the person's case manager (or their lead agency)."""
    from mappa.register.models import CaseState

    if item is None:
        return Decision(False, "No case discussion was given.")
    if user.has_role(*MANAGE_ROLES):
        return ALLOW
    if not user.has_role(Role.PRACTITIONER, Role.LINE_MANAGER) or user.agency_id is None:
        return Decision(False, "Only the person's case manager records their written information.")
    state = CaseState.objects.filter(case_id=item.case_id, effective_to__isnull=True).first()
    if state is not None and (
        state.manager_id == user.pk or state.lead_agency_id == user.agency_id
    ):
        return ALLOW
    return Decision(False, "Only the person's case manager records their written information.")


def decide(user: Any, action: MeetingAction, obj: Any = None) -> Decision:
    """The policy's decision (its RULES call the functions above)."""
    return policy.decide(user, policy.Action(str(action)), obj)


def _nominal_id(obj: Any) -> Any:
    case = getattr(obj, "case", None)
    return getattr(case, "nominal_id", "") if case is not None else ""


def check(request: Any, action: MeetingAction, obj: Any = None) -> None:
    """Raise PermissionDenied, audited as ``access.refused``, unless the policy allows."""
    gates.check(request, policy.Action(str(action)), obj, nominal_id=_nominal_id(obj))
