"""The one access policy: who may see or do what, and why not.

Every page, API operation, search, list, export and document asks this module.
Lists are filtered in the query (``nominals_visible_to``), never row by row after
the fact. An action missing from ``RULES`` is refused, never allowed by default.

Who sees a case (J 4.2, 13.2; issue 3 "Who sees what"):

- the co-ordinator and administrators see every case; auditors read every case and
  change nothing; SMB members see aggregate figures and attendance, no case record;
- practitioners, chairs and line managers see a case only while their agency has a
  part in it: the lead agency of the open case, the agency of its record manager, a
  current partner agency, or an agency invited to a meeting about it (``CasePart``,
  until the part ends plus a grace period); and a user with an unexpired emergency
  grant (J 10.12) sees that one record, for that user alone;
- sensitive sections (victims, children, health, intelligence) are shown only to the
  roles and agency kinds the area's ``SectionRule`` names.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from mappa.access.models import Role, SectionRule, SensitiveSection
from mappa.common.dates import today as local_today

AREA_WIDE_ROLES = (Role.COORDINATOR, Role.ADMINISTRATOR)
READ_ALL_ROLES = (Role.COORDINATOR, Role.ADMINISTRATOR, Role.AUDITOR)
CASE_ROLES = (Role.PRACTITIONER, Role.CHAIR, Role.LINE_MANAGER)
FIGURES_ROLES = (Role.SMB_MEMBER, Role.COORDINATOR, Role.ADMINISTRATOR, Role.AUDITOR)


class Action(StrEnum):
    REGISTER_LIST = "register.list"
    REGISTER_SEARCH = "register.search"
    NOMINAL_VIEW = "nominal.view"
    # obj is (nominal, section key): the content of one sensitive section.
    SECTION_VIEW = "section.view"
    NOMINAL_CREATE = "nominal.create"
    NOMINAL_EDIT = "nominal.edit"
    # obj is (nominal, section key): add, change or remove entries of a sensitive section.
    SECTION_EDIT = "section.edit"
    NOMINAL_ARCHIVE = "nominal.archive"
    NOMINAL_REACTIVATE = "nominal.reactivate"
    CASE_MANAGE = "case.manage"
    DIRECTORY_VIEW = "directory.view"
    AUDIT_VIEW = "audit.view"
    FIGURES_VIEW = "figures.view"
    ATTENDANCE_VIEW = "attendance.view"
    SECTION_RULES_VIEW = "section_rules.view"
    SECTION_CONFIGURE = "section_rules.change"
    EMERGENCY_REQUEST = "emergency.request"
    EMERGENCY_QUEUE = "emergency.queue"
    EMERGENCY_REVIEW = "emergency.review"
    USER_MANAGE = "user.manage"
    # obj is a referral (mappa.referrals): the rules live beside the referral model.
    REFERRAL_LIST = "referral.list"
    REFERRAL_VIEW = "referral.view"
    REFERRAL_EDIT = "referral.edit"
    REFERRAL_ENDORSE = "referral.endorse"
    REFERRAL_SCREEN = "referral.screen"
    # obj is a meeting (an agenda item for written information): mappa.meetings.access.
    MEETING_LIST = "meeting.list"
    MEETING_VIEW = "meeting.view"
    MEETING_MANAGE = "meeting.manage"
    MEETING_ATTENDANCE = "meeting.attendance"
    MEETING_WRITTEN_INFORMATION = "meeting.written_information"
    # obj is minutes, an agenda item (start), an action, or (case, lead agency id) for a
    # level 1 review: mappa.minutes.access.
    MINUTES_VIEW = "minutes.view"
    MINUTES_START = "minutes.start"
    MINUTES_WRITE = "minutes.write"
    ACTION_LIST = "actions.list"
    ACTION_VIEW = "action.view"
    ACTION_UPDATE = "action.update"
    LEVEL1_REVIEW = "level1.review"
    # Oversight (issue 6). Figures are aggregates: no case record is opened by them.
    FIGURES_EXPORT = "figures.export"
    ANNUAL_REPORT_WRITE = "annual_report.write"
    SMB_VIEW = "smb.view"
    SMB_MANAGE = "smb.manage"
    # obj is a case, a meeting, or None for the area list: mappa.quality.access.
    QUALITY_VIEW = "quality.view"
    # obj is the record a document is made from (referral, minutes, level 1 review,
    # executive summary version): mappa.documents.access.
    DOCUMENT_DOWNLOAD = "document.download"
    # Requests for minutes and executive summaries (J 5.5, 5.6): mappa.disclosure.access.
    # obj is None for the list and for recording a new request, else the request.
    MINUTES_REQUEST_LIST = "minutes_request.list"
    MINUTES_REQUEST_RECORD = "minutes_request.record"
    MINUTES_REQUEST_VIEW = "minutes_request.view"
    MINUTES_REQUEST_MANAGE = "minutes_request.manage"
    # obj is an executive summary.
    SUMMARY_VIEW = "summary.view"
    SUMMARY_WRITE = "summary.write"


# Every action is one or the other (a test checks): auditors are refused every write.
WRITE_ACTIONS = frozenset(
    {
        Action.NOMINAL_CREATE,
        Action.NOMINAL_EDIT,
        Action.SECTION_EDIT,
        Action.NOMINAL_ARCHIVE,
        Action.NOMINAL_REACTIVATE,
        Action.CASE_MANAGE,
        Action.SECTION_CONFIGURE,
        Action.EMERGENCY_REQUEST,
        Action.EMERGENCY_REVIEW,
        Action.USER_MANAGE,
        Action.REFERRAL_EDIT,
        Action.REFERRAL_ENDORSE,
        Action.REFERRAL_SCREEN,
        Action.MEETING_MANAGE,
        Action.MEETING_ATTENDANCE,
        Action.MEETING_WRITTEN_INFORMATION,
        Action.MINUTES_START,
        Action.MINUTES_WRITE,
        Action.ACTION_UPDATE,
        Action.LEVEL1_REVIEW,
        Action.ANNUAL_REPORT_WRITE,
        Action.SMB_MANAGE,
        Action.MINUTES_REQUEST_RECORD,
        Action.MINUTES_REQUEST_MANAGE,
        Action.SUMMARY_WRITE,
    }
)
READ_ACTIONS = frozenset(set(Action) - WRITE_ACTIONS)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True, "allowed")
NO_CASE_ROLE = Decision(False, "Your role does not give access to case records.")
NO_PART = Decision(False, "Your agency has no part in this case.")


def grace_days() -> int:
    """Days an ended part still counts (settings ``MAPPA_INVITED_GRACE_DAYS``)."""
    return int(getattr(settings, "MAPPA_INVITED_GRACE_DAYS", 28))


def emergency_minutes() -> int:
    """How long emergency access lasts (settings ``MAPPA_EMERGENCY_ACCESS_MINUTES``)."""
    return int(getattr(settings, "MAPPA_EMERGENCY_ACCESS_MINUTES", 60))


# These three reasons are short fixed strings: the sign-in pages and the 403 page
# recognise them and explain them in full.
NOT_SIGNED_IN = Decision(False, "not signed in")
DISABLED = Decision(False, "account disabled")
VETTING_EXPIRED = Decision(False, "vetting expired")


def _refusal(user: Any, today: dt.date | None = None) -> Decision | None:
    """The refusal that applies to every action, or None.

    Compared with ``is not None``: a refusing Decision is falsy, so ``a or b`` would
    let it through.
    """
    found = _signed_in(user)
    if found is None:
        found = _vetted(user, today)
    return found


def _signed_in(user: Any) -> Decision | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return NOT_SIGNED_IN
    if not user.is_active:
        return DISABLED
    return None


def _vetted(user: Any, today: dt.date | None = None) -> Decision | None:
    expires = getattr(user, "vetting_expires", None)
    if expires is not None and expires < (today or local_today()):
        return VETTING_EXPIRED
    return None


def _can_read_register(user: Any) -> Decision:
    if user.has_role(*READ_ALL_ROLES, *CASE_ROLES):
        return ALLOW
    return NO_CASE_ROLE


def _nominal_of(obj: Any) -> Any:
    return obj[0] if isinstance(obj, tuple) else obj


def _can_view_nominal(user: Any, obj: Any) -> Decision:
    if user.has_role(*READ_ALL_ROLES):
        return ALLOW
    if not user.has_role(*CASE_ROLES):
        return NO_CASE_ROLE
    nominal = _nominal_of(obj)
    if nominal is None:
        return Decision(False, "No record was given.")
    if nominals_visible_to(user, only=nominal.pk).exists():
        return ALLOW
    return NO_PART


def _can_create(user: Any, _obj: Any) -> Decision:
    # J 13.1: records are created and managed by the police and the co-ordinator.
    if user.has_role(*AREA_WIDE_ROLES):
        return ALLOW
    return Decision(False, "Only the co-ordinator and administrators add people to the register.")


def _can_edit_nominal(user: Any, obj: Any) -> Decision:
    if user.has_role(*AREA_WIDE_ROLES):
        return ALLOW
    if not user.has_role(*CASE_ROLES):
        return NO_CASE_ROLE
    nominal = _nominal_of(obj)
    if nominal is None:
        return Decision(False, "No record was given.")
    # J 13.2: the record's manager and partners may input information. An invited
    # agency and an emergency grant read the record; they do not change it.
    if nominals_visible_to(user, standing_only=True, only=nominal.pk).exists():
        return ALLOW
    if nominals_visible_to(user, only=nominal.pk).exists():
        return Decision(False, "Your part in this case lets you read the record, not change it.")
    return NO_PART


def _area_wide_only(user: Any, _obj: Any) -> Decision:
    if user.has_role(*AREA_WIDE_ROLES):
        return ALLOW
    return Decision(False, "Only the co-ordinator and administrators can do this.")


def _read_all_only(user: Any, _obj: Any) -> Decision:
    if user.has_role(*READ_ALL_ROLES):
        return ALLOW
    return Decision(False, "Only the co-ordinator, administrators and auditors can see this.")


def _directory(user: Any, _obj: Any) -> Decision:
    return ALLOW if user.role_set else Decision(False, "You have no role in this service.")


def _audit(user: Any, _obj: Any) -> Decision:
    if user.has_role(Role.AUDITOR, Role.COORDINATOR):
        return ALLOW
    return Decision(False, "Only auditors and the co-ordinator read the audit trail.")


def _figures(user: Any, _obj: Any) -> Decision:
    # J 15: the board oversees performance from aggregate figures, not case records.
    if user.has_role(*FIGURES_ROLES):
        return ALLOW
    return Decision(False, "Only the board, the co-ordinator and auditors see these figures.")


def _section_key(obj: Any) -> str | None:
    if not isinstance(obj, tuple) or len(obj) != 2:
        return None
    key = str(obj[1])
    return key if key in SensitiveSection.values else None


def _section_rules(keys: Iterable[str] | None = None) -> dict[str, SectionRule]:
    rules = SectionRule.objects.all()
    if keys is not None:
        rules = rules.filter(section__in=list(keys))
    return {rule.section: rule for rule in rules}


def section_label(section: str) -> str:
    try:
        return str(SensitiveSection(section).label)
    except ValueError:
        return section


def section_contact(section: str) -> str:
    """Whom a user refused this section should ask, in words for the page."""
    rule = _section_rules([section]).get(section)
    return rule.contact if rule and rule.contact else "the MAPPA co-ordinator"


def _rule_allows(user: Any, rule: SectionRule | None) -> bool:
    if rule is None:
        return False
    if user.has_role(*rule.roles):
        return True
    agency = getattr(user, "agency", None)
    return agency is not None and agency.kind in rule.agency_kinds


def _restricted(section: str, rule: SectionRule | None) -> Decision:
    contact = rule.contact if rule and rule.contact else "the MAPPA co-ordinator"
    return Decision(
        False,
        f"The {section_label(section).lower()} section is restricted. "
        f"Ask {contact} if you need it.",
    )


def _section_rule(
    base: Callable[[Any, Any], Decision],
) -> Callable[[Any, Any], Decision]:
    def rule(user: Any, obj: Any) -> Decision:
        section = _section_key(obj)
        if section is None:
            return Decision(False, "There is no such section.")
        decision = base(user, obj)
        if not decision:
            return decision
        found = _section_rules([section]).get(section)
        return ALLOW if _rule_allows(user, found) else _restricted(section, found)

    return rule


def _can_request_emergency(user: Any, nominal: Any) -> Decision:
    # J 10.12: "other agency personnel" in an emergency; the board sees no case records.
    if user.has_role(*READ_ALL_ROLES):
        return Decision(False, "You can already open every record.")
    if not user.has_role(*CASE_ROLES) or getattr(user, "agency_id", None) is None:
        return Decision(False, "Your role cannot be given emergency access to case records.")
    if nominal is None:
        return Decision(False, "No record was given.")
    if nominals_visible_to(user, only=nominal.pk).exists():
        return Decision(False, "You can already open this record.")
    return ALLOW


def _emergency_queue(user: Any, _obj: Any) -> Decision:
    if user.has_role(Role.COORDINATOR, Role.AUDITOR):
        return ALLOW
    return Decision(False, "Only the co-ordinator and auditors see emergency access.")


def _emergency_review(user: Any, _obj: Any) -> Decision:
    if user.has_role(Role.COORDINATOR):
        return ALLOW
    return Decision(False, "Only the co-ordinator reviews emergency access.")


def _referral_rule(check_name: str, refusal: str) -> Callable[[Any, Any], Decision]:
    """A referral rule kept in ``mappa.referrals.access`` (who referred, who endorses,
    J 10.4), asked through this policy like every other."""

    def rule(user: Any, referral: Any) -> Decision:
        from mappa.referrals import access as referral_access

        if check_name == "can_screen":
            allowed = referral_access.can_screen(user)
        elif referral is None:
            return Decision(False, "No referral was given.")
        else:
            allowed = getattr(referral_access, check_name)(user, referral)
        return ALLOW if allowed else Decision(False, refusal)

    return rule


def _delegated(
    module: str, function: str, *, obj: str = "required"
) -> Callable[[Any, Any], Decision]:
    """A rule kept beside the workflow's models (meetings, minutes), asked through this
    policy like every other: one decision, one refusal page, one audit of refusals.

    ``obj`` says what the rule takes: "required" (refused without one), "optional"
    (may be None) or "none" (the user alone). A tuple is passed as several arguments.
    """

    def rule(user: Any, target: Any) -> Decision:
        from importlib import import_module

        check_it = getattr(import_module(module), function)
        if obj == "none":
            return check_it(user)
        if target is None and obj == "required":
            return Decision(False, "Nothing was given to decide on.")
        if isinstance(target, tuple):
            return check_it(user, *target)
        return check_it(user, target)

    return rule


MEETINGS = "mappa.meetings.access"
MINUTES = "mappa.minutes.access"
QUALITY = "mappa.quality.access"
DOCUMENTS = "mappa.documents.access"
DISCLOSURE = "mappa.disclosure.access"

RULES: dict[Action, Callable[[Any, Any], Decision]] = {
    Action.REGISTER_LIST: lambda user, _obj: _can_read_register(user),
    Action.REGISTER_SEARCH: lambda user, _obj: _can_read_register(user),
    Action.NOMINAL_VIEW: _can_view_nominal,
    Action.SECTION_VIEW: _section_rule(_can_view_nominal),
    Action.NOMINAL_CREATE: _can_create,
    Action.NOMINAL_EDIT: _can_edit_nominal,
    Action.SECTION_EDIT: _section_rule(_can_edit_nominal),
    Action.NOMINAL_ARCHIVE: _area_wide_only,
    Action.NOMINAL_REACTIVATE: _area_wide_only,
    Action.CASE_MANAGE: _area_wide_only,
    Action.DIRECTORY_VIEW: _directory,
    Action.AUDIT_VIEW: _audit,
    Action.FIGURES_VIEW: _figures,
    Action.ATTENDANCE_VIEW: _figures,
    Action.SECTION_RULES_VIEW: _read_all_only,
    Action.SECTION_CONFIGURE: _area_wide_only,
    Action.EMERGENCY_REQUEST: _can_request_emergency,
    Action.EMERGENCY_QUEUE: _emergency_queue,
    Action.EMERGENCY_REVIEW: _emergency_review,
    # Issue 3, point 3: administrators (and the co-ordinator) create and manage accounts.
    Action.USER_MANAGE: _area_wide_only,
    # The list itself is filtered by referrals_visible_to, in the query.
    Action.REFERRAL_LIST: lambda user, _obj: _can_read_register(user),
    Action.REFERRAL_VIEW: _referral_rule("can_view", "Your agency has no part in this referral."),
    Action.REFERRAL_EDIT: _referral_rule(
        "can_edit", "Only the referring agency changes a referral, while it is a draft."
    ),
    Action.REFERRAL_ENDORSE: _referral_rule(
        "can_endorse", "Only the line manager named on the referral endorses it."
    ),
    Action.REFERRAL_SCREEN: _referral_rule(
        "can_screen", "Only the co-ordinator screens referrals."
    ),
    Action.MEETING_LIST: _delegated(MEETINGS, "can_list", obj="none"),
    Action.MEETING_VIEW: _delegated(MEETINGS, "can_view"),
    # The schedule and standing members have no meeting: can_manage takes None.
    Action.MEETING_MANAGE: _delegated(MEETINGS, "can_manage", obj="optional"),
    Action.MEETING_ATTENDANCE: _delegated(MEETINGS, "can_record_attendance"),
    Action.MEETING_WRITTEN_INFORMATION: _delegated(MEETINGS, "can_add_written_information"),
    Action.MINUTES_VIEW: _delegated(MINUTES, "can_view_minutes"),
    Action.MINUTES_START: _delegated(MINUTES, "can_start_minutes"),
    Action.MINUTES_WRITE: _delegated(MINUTES, "can_write_minutes"),
    Action.ACTION_LIST: _delegated(MINUTES, "can_list_actions", obj="none"),
    Action.ACTION_VIEW: _delegated(MINUTES, "can_view_action"),
    Action.ACTION_UPDATE: _delegated(MINUTES, "can_update_action"),
    # obj is (case, lead agency id).
    Action.LEVEL1_REVIEW: _delegated(MINUTES, "can_record_level1_review"),
    Action.FIGURES_EXPORT: _figures,
    # The co-ordinator writes the annual report's explanation (J 15.5).
    Action.ANNUAL_REPORT_WRITE: _area_wide_only,
    Action.SMB_VIEW: _figures,
    Action.SMB_MANAGE: _area_wide_only,
    Action.QUALITY_VIEW: _delegated(QUALITY, "can_view_quality", obj="optional"),
    Action.DOCUMENT_DOWNLOAD: _delegated(DOCUMENTS, "can_download"),
    Action.MINUTES_REQUEST_LIST: _delegated(DISCLOSURE, "can_list_requests", obj="none"),
    Action.MINUTES_REQUEST_RECORD: _delegated(DISCLOSURE, "can_record_request", obj="optional"),
    Action.MINUTES_REQUEST_VIEW: _delegated(DISCLOSURE, "can_view_request"),
    Action.MINUTES_REQUEST_MANAGE: _delegated(DISCLOSURE, "can_manage_request"),
    Action.SUMMARY_VIEW: _delegated(DISCLOSURE, "can_view_summary"),
    Action.SUMMARY_WRITE: _delegated(DISCLOSURE, "can_write_summary"),
}


def decide(user: Any, action: Action | str, obj: Any = None) -> Decision:
    """Allow or refuse ``action`` on ``obj`` for ``user``, with the reason.

    ``obj`` is a nominal for record actions and ``(nominal, section key)`` for the
    section actions.
    """
    refusal = _refusal(user)
    if refusal is not None:
        return refusal
    try:
        known = Action(action)
        rule = RULES[known]
    except (KeyError, ValueError):
        return Decision(False, f"There is no rule for {action}, so it is refused.")
    if known in WRITE_ACTIONS and user.has_role(Role.AUDITOR):
        # Separation of duties: whoever audits the record never changes it.
        return Decision(False, "Auditors read records and change nothing.")
    return rule(user, obj)


def require(user: Any, action: Action | str, obj: Any = None) -> Decision:
    decision = decide(user, action, obj)
    if not decision:
        raise PermissionDenied(decision.reason)
    return decision


# Entries of the register that are health detail (a sensitive section): the hospital
# detention attachment (MAPPA B s.4, completed by Mental Health) and mental-health
# warning markers.
HEALTH_WARNING_KINDS = frozenset({"mental_health"})


def section_of_entry(entry: Any) -> str | None:
    """The sensitive section a register entry belongs to, or None if it is ordinary.

    Views and the API ask ``SECTION_EDIT`` for it before changing the entry, and show
    it only where ``SECTION_VIEW`` allows.
    """
    label = entry._meta.label_lower
    if label == "register.hospitaldetention":
        return str(SensitiveSection.HEALTH)
    if label == "register.warningmarker" and entry.kind in HEALTH_WARNING_KINDS:
        return str(SensitiveSection.HEALTH)
    return None


@dataclass(frozen=True)
class SectionAccess:
    key: str
    label: str
    allowed: bool
    contact: str
    reason: str


def sections_for(user: Any, nominal: Any) -> dict[str, SectionAccess]:
    """Every sensitive section of ``nominal`` as ``user`` may see it, in two queries.

    For pages that show several sections at once; each ``allowed`` equals
    ``decide(user, Action.SECTION_VIEW, (nominal, key))``.
    """
    may_view = _refusal(user) is None and bool(_can_view_nominal(user, nominal))
    rules = _section_rules()
    out: dict[str, SectionAccess] = {}
    for key, label in SensitiveSection.choices:
        rule = rules.get(key)
        allowed = may_view and _rule_allows(user, rule)
        out[key] = SectionAccess(
            key=key,
            label=str(label),
            allowed=allowed,
            contact=rule.contact if rule and rule.contact else "the MAPPA co-ordinator",
            reason="allowed" if allowed else _restricted(key, rule).reason,
        )
    return out


def section_visible(user: Any, nominal: Any, section: str) -> Decision:
    return decide(user, Action.SECTION_VIEW, (nominal, section))


def sections_visible_to(user: Any) -> set[str]:
    """The section keys whose content this user's role or agency may see on records
    they can open. Combine with ``nominals_visible_to`` to filter in the query."""
    if _refusal(user) is not None:
        return set()
    return {key for key, rule in _section_rules().items() if _rule_allows(user, rule)}


def nominals_visible_to(
    user: Any,
    today: dt.date | None = None,
    *,
    standing_only: bool = False,
    only: Any = None,
) -> QuerySet[Any]:
    """The register as this user may see it, as a query (J 4.2, 13.2).

    Area-wide roles and auditors see every record. Agency staff see a record while
    their agency leads the open case, employs its manager, is a current partner, or
    holds a part the workflow granted (an invitation) that has not ended or is within
    its grace period; and a user sees a record they hold unexpired emergency access to.
    ``standing_only`` keeps only the parts that may change the record (lead, manager,
    partner). ``only`` (a nominal's id) narrows every part to that record, so that
    asking about one record reads only its rows.
    """
    from mappa.access.models import CasePart, EmergencyAccess
    from mappa.register.models import Case, CasePartner, CaseState, Nominal

    everyone = Nominal.objects.all() if only is None else Nominal.objects.filter(pk=only)
    if _refusal(user, today) is not None:
        return everyone.none()
    if user.has_role(*READ_ALL_ROLES):
        return everyone
    if not user.has_role(*CASE_ROLES) or user.agency_id is None:
        return everyone.none()
    day = today or local_today()
    agency = user.agency_id
    # Asking about one record narrows every part to its rows.
    on_record = {} if only is None else {"case__nominal_id": only}
    # Each part is an uncorrelated subquery of case ids, evaluated once per query: the
    # database never walks an agency's parts once per record.
    leads_or_manages = CaseState.objects.filter(
        Q(lead_agency_id=agency) | Q(manager__agency_id=agency),
        effective_to__isnull=True,
        **on_record,
    ).values("case_id")
    partner = CasePartner.objects.filter(
        agency_id=agency, to_date__isnull=True, **on_record
    ).values("case_id")
    standing = Case.objects.filter(
        Q(pk__in=leads_or_manages) | Q(pk__in=partner), closed_on__isnull=True
    ).values("nominal_id")
    if standing_only:
        return everyone.filter(pk__in=standing)

    grace = dt.timedelta(days=grace_days())
    # A part nobody ended still ends when its case closes or leaves level 2/3 after
    # the invitation: access fails closed even if a workflow forgot to end it.
    left_multi_agency = CaseState.objects.filter(
        case=OuterRef("case"),
        level=1,
        effective_from__gte=OuterRef("starts_on"),
        effective_from__lt=day - grace,
    )
    part = CasePart.objects.filter(
        Q(ended_on__isnull=False, grace_until__gte=day)
        | (
            Q(ended_on__isnull=True)
            & (Q(case__closed_on__isnull=True) | Q(case__closed_on__gte=day - grace))
            & ~Exists(left_multi_agency)
        ),
        agency_id=agency,
        starts_on__lte=day,
        **on_record,
    ).values("case__nominal_id")
    emergency = EmergencyAccess.objects.filter(
        user_id=user.pk,
        expires_at__gt=timezone.now(),
        **({} if only is None else {"nominal_id": only}),
    ).values("nominal_id")
    return everyone.filter(Q(pk__in=standing) | Q(pk__in=part) | Q(pk__in=emergency))
