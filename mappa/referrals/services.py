"""Writes for identification, referral and screening. Each is one transaction and audited."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from mappa.access.models import Agency, Role, User
from mappa.audit.services import audit_record, diff_fields
from mappa.common.dates import today
from mappa.referrals import access
from mappa.referrals.deadlines import first_meeting_deadline
from mappa.referrals.models import (
    Custody,
    DeclineReason,
    EligibilityEvent,
    EligibilityEventKind,
    Referral,
    ReferralEvent,
    ReferralInvitee,
    ReferralStatus,
    ReferralSubmission,
)
from mappa.register import services as register_services
from mappa.register.models import Category, Nominal

FINAL_STATUSES = (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN)

# Fields a referrer edits, section by section (MAPPA A sections 1, 5-8).
SECTION_FIELDS: dict[str, tuple[str, ...]] = {
    "assessments": ("assessments",),
    "category": (
        "category",
        "sexual_offender",
        "level_sought",
        "custody",
        "emergency_meeting",
        "emergency_needed_by",
        "emergency_reason",
    ),
    "risk": (
        "overall_risk",
        "risk_who",
        "risk_nature",
        "risk_when",
        "risk_increase",
        "risk_reduce",
    ),
    "plan": (
        "plan_restrictive_choices",
        "plan_restrictive",
        "plan_rehabilitative_choices",
        "plan_rehabilitative",
        "plan_protective_choices",
        "plan_protective",
    ),
    "relevant": (
        "reason_choices",
        "reason_for_referral",
        "interagency_work",
        "added_value",
        "diversity",
    ),
    "victims": ("victim_concerns",),
    "safeguarding": (
        "child_protection_concerns",
        "child_protection_details",
        "social_worker",
        "child_protection_plan",
        "vulnerable_adult_concerns",
    ),
    "endorsement": ("line_manager",),
}
ALL_FIELDS = tuple(f for fields in SECTION_FIELDS.values() for f in fields)


class StaleReferralError(ValidationError):
    pass


def _values(referral: Referral, fields: tuple[str, ...]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in fields:
        if name == "assessments":
            values[name] = sorted(
                str(pk) for pk in referral.assessments.values_list("pk", flat=True)
            )
            continue
        field = referral._meta.get_field(name)
        values[name] = getattr(referral, getattr(field, "attname", name))
    return values


def _link(name: str, *args: Any) -> str:
    base = getattr(settings, "MAPPA_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    return base + reverse(name, args=args)


def _notify(user: User | None, subject: str, body: str) -> None:
    """Email notices carry a reference and a link, never a name, address or date of birth."""
    if user is None or not user.email:
        return
    send_mail(subject, body, None, [user.email], fail_silently=True)


def _event(referral: Referral, actor: Any, note: str = "") -> None:
    ReferralEvent.objects.create(referral=referral, by=actor, status=referral.status, note=note)


# Identification -------------------------------------------------------------------


@transaction.atomic
def eligibility_record(
    *,
    actor: Any,
    nominal: Nominal,
    kind: str,
    event_date: dt.date,
    identified_on: dt.date,
    custody: str,
    planned_release_date: dt.date | None = None,
    notes: str = "",
    request: Any = None,
) -> EligibilityEvent:
    """Record that a person became MAPPA-eligible (J 3.3)."""
    errors: dict[str, list[str]] = {}
    day = today()
    if kind not in EligibilityEventKind.values:
        errors["kind"] = ["Select what made the person eligible"]
    if custody not in Custody.values:
        errors["custody"] = ["Select where the person is now"]
    if event_date > day:
        errors["event_date"] = ["The date of the event must be today or in the past"]
    if identified_on > day:
        errors["identified_on"] = ["The date identified must be today or in the past"]
    elif identified_on < event_date:
        errors["identified_on"] = ["The date identified cannot be before the date of the event"]
    if custody == Custody.CUSTODY and planned_release_date and planned_release_date < event_date:
        errors["planned_release_date"] = [
            "The planned release date cannot be before the date of the event"
        ]
    if nominal.is_archived:
        errors["__all__"] = ["The record is archived. Re-activate it before recording eligibility."]
    if errors:
        raise ValidationError(errors)
    event = EligibilityEvent.objects.create(
        nominal=nominal,
        kind=kind,
        event_date=event_date,
        identified_on=identified_on,
        custody=custody,
        planned_release_date=planned_release_date if custody == Custody.CUSTODY else None,
        notes=notes.strip(),
        recorded_by=actor,
        recorded_by_agency=getattr(actor, "agency", None),
    )
    audit_record(
        actor=actor,
        action="eligibility.create",
        obj=event,
        nominal_id=nominal.pk,
        changes={
            k: [None, v]
            for k, v in {
                "kind": kind,
                "event_date": event_date,
                "identified_on": identified_on,
                "custody": custody,
                "planned_release_date": planned_release_date,
            }.items()
        },
        request=request,
    )
    return event


# Referral ---------------------------------------------------------------------------


def _next_reference(nominal: Nominal) -> str:
    count = Referral.objects.filter(nominal=nominal).count()
    return f"{nominal.reference}/R{count + 1}"


@transaction.atomic
def referral_start(*, actor: Any, nominal: Nominal, request: Any = None) -> Referral:
    """Open a draft referral, prefilled from the register, with the referrer as invitee 1."""
    nominal = Nominal.objects.select_for_update().get(pk=nominal.pk)
    case = register_services.current_case(nominal)
    if nominal.is_archived or case is None:
        raise ValidationError(
            "The record is archived. Ask the co-ordinator to re-activate it first."
        )
    if actor.agency_id is None:
        raise ValidationError("Your account has no agency. Ask an administrator to set it.")
    open_referral = Referral.objects.filter(case=case).exclude(status__in=FINAL_STATUSES).first()
    if open_referral is not None:
        raise ValidationError(
            f"Referral {open_referral.reference} for this case is already open "
            f"({open_referral.get_status_display().lower()})."
        )
    state = register_services.current_state(case)
    latest_event = nominal.eligibility_events.order_by("-event_date").first()
    referral = Referral.objects.create(
        nominal=nominal,
        case=case,
        reference=_next_reference(nominal),
        category=state.category if state else "",
        custody=latest_event.custody if latest_event else "",
        referrer=actor,
        referring_agency=actor.agency,
    )
    ReferralInvitee.objects.create(
        referral=referral,
        position=1,
        agency=actor.agency,
        name=actor.display_name,
        role=actor.job_title or "Referrer",
        email=actor.email,
        phone=actor.phone,
    )
    _event(referral, actor, "Draft started")
    audit_record(
        actor=actor,
        action="referral.create",
        obj=referral,
        nominal_id=nominal.pk,
        changes={"status": [None, referral.status], "category": [None, referral.category]},
        request=request,
    )
    return referral


def _require_editable(referral: Referral) -> None:
    if not referral.is_editable:
        raise ValidationError(
            f"This referral is {referral.get_status_display().lower()} and cannot be changed."
        )


@transaction.atomic
def referral_update(
    *,
    actor: Any,
    referral: Referral,
    data: dict[str, Any],
    expected_version: int | None = None,
    request: Any = None,
) -> Referral:
    """Save part of a draft. Drafts keep whatever was typed; completeness is checked on submit."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _require_editable(referral)
    if expected_version is not None and expected_version != referral.version:
        raise StaleReferralError(
            "Someone else saved this referral after you opened it. Your changes were not saved: "
            "check the referral and make them again."
        )
    unknown = set(data) - set(ALL_FIELDS)
    if unknown:
        raise ValueError(f"not referral fields: {sorted(unknown)}")
    before = _values(referral, tuple(data))
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        choices = getattr(referral._meta.get_field(name), "choices", None)
        if choices and value not in ("", None) and value not in {c[0] for c in choices}:
            errors[name] = ["Select one of the options"]
            continue
        if name == "assessments":
            own = {a.pk for a in value if a.nominal_id == referral.nominal_id}
            if len(own) != len(list(value)):
                errors["assessments"] = ["Choose only this person's risk assessments"]
                continue
            referral.assessments.set(list(value))
            continue
        if name == "line_manager":
            if value is not None and not _is_line_manager_of(value, referral.referring_agency):
                errors["line_manager"] = [
                    "Choose a line manager in your agency who has the line manager role"
                ]
                continue
            referral.line_manager = value
        else:
            setattr(referral, name, value.strip() if isinstance(value, str) else value)
    if (
        "emergency_needed_by" in data
        and referral.emergency_needed_by
        and referral.emergency_needed_by < today()
    ):
        errors["emergency_needed_by"] = [
            "The date the emergency meeting is needed by must be in the future"
        ]
    if errors:
        raise ValidationError(errors)
    changes = diff_fields(before, _values(referral, tuple(data)))
    if changes:
        referral.version += 1
        referral.save()
        audit_record(
            actor=actor,
            action="referral.update",
            obj=referral,
            nominal_id=referral.nominal_id,
            changes=changes,
            request=request,
        )
    return referral


def _is_line_manager_of(user: User, agency: Agency) -> bool:
    return bool(user.is_active and user.agency_id == agency.pk and user.has_role(Role.LINE_MANAGER))


@transaction.atomic
def referral_invitee_save(
    *, actor: Any, referral: Referral, invitee: ReferralInvitee, request: Any = None
) -> ReferralInvitee:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _require_editable(referral)
    errors: dict[str, list[str]] = {}
    if not invitee.name.strip():
        errors["name"] = ["Enter the name of the person to invite"]
    if not invitee.email.strip() and not invitee.phone.strip() and not invitee.address.strip():
        # J appendix B (e): exact contact details, not vague references to whole agencies.
        errors["email"] = ["Enter an email address, a phone number or an address for the invitee"]
    if errors:
        raise ValidationError(errors)
    is_new = invitee.pk is None
    if is_new:
        last = referral.invitees.aggregate(m=Max("position"))["m"] or 0
        invitee.position = last + 1
    invitee.referral = referral
    invitee.save()
    audit_record(
        actor=actor,
        action="referral.invitee_save",
        obj=referral,
        nominal_id=referral.nominal_id,
        changes={"invitee": [None, f"{invitee.name} ({invitee.agency})"]},
        request=request,
    )
    return invitee


@transaction.atomic
def referral_invitee_remove(
    *, actor: Any, referral: Referral, invitee: ReferralInvitee, request: Any = None
) -> None:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _require_editable(referral)
    if invitee.referral_id != referral.pk:
        raise ValidationError("This invitee belongs to another referral.")
    if invitee.position == 1:
        raise ValidationError("The first invitee is the referring agency and cannot be removed.")
    label = f"{invitee.name} ({invitee.agency})"
    invitee.delete()
    audit_record(
        actor=actor,
        action="referral.invitee_remove",
        obj=referral,
        nominal_id=referral.nominal_id,
        changes={"invitee": [label, None]},
        request=request,
    )


def referral_problems(referral: Referral) -> dict[str, list[str]]:
    """What stops the referral being submitted, by field (shown on the check page)."""
    problems: dict[str, list[str]] = {}

    def need(field: str, message: str) -> None:
        value = getattr(referral, field)
        if value in (None, "", []):
            problems.setdefault(field, []).append(message)

    need("category", "Select the category")
    need("level_sought", "Select the level of management sought")
    need("custody", "Say whether the person is in custody or in the community")
    if referral.category == Category.PDP:
        case = referral.case
        if not case.pdp_behaviour.strip():
            problems.setdefault("category", []).append(
                "A potentially dangerous person needs the behaviour that gives grounds recorded "
                "on the register: ask the co-ordinator to record it"
            )
    if referral.emergency_meeting:
        need("emergency_reason", "Say why the case cannot wait for the next meeting")
        need("emergency_needed_by", "Enter the date the emergency meeting is needed by")
    need("overall_risk", "Select the current risk of serious harm")
    for field, label in (
        ("risk_who", "who is at risk"),
        ("risk_nature", "the nature of the risk"),
        ("risk_when", "when the risk is likely to be greatest"),
        ("risk_increase", "what is likely to increase risk"),
        ("risk_reduce", "what is likely to reduce risk"),
    ):
        need(field, f"Enter {label}")
    if not any(
        getattr(referral, f)
        for f in (
            "plan_restrictive_choices",
            "plan_restrictive",
            "plan_rehabilitative_choices",
            "plan_rehabilitative",
            "plan_protective_choices",
            "plan_protective",
        )
    ):
        problems["plan_restrictive"] = ["Describe the lead agency's risk management plan"]
    problems.update(_assessment_problems(referral))
    need("reason_for_referral", "Enter the reason for referral")
    need("added_value", "Say how active level 2 or 3 management will add value")
    need("victim_concerns", "Enter the victim concerns, or say that none are known")
    need("child_protection_concerns", "Say whether there are child protection concerns")
    if referral.child_protection_concerns == "yes":
        need("child_protection_details", "Say what the child protection concerns are")
        need("child_protection_plan", "Say whether any child is subject to a child protection plan")
    if not _self_endorsing(referral):
        need("line_manager", "Choose the line manager who will endorse the referral")
    if not referral.invitees.exists():
        problems["invitees"] = ["Add the referrer as the first invitee"]
    return problems


def _assessment_problems(referral: Referral) -> dict[str, list[str]]:
    """MAPPA B s.5 and J 11: children are not assessed as mini-adults, so a referral for a
    person under 18 carries an ASSET assessment, never adult tools alone."""
    from mappa.assessments.models import ADULT_AGE, Tool

    if referral.nominal.age_on(today()) >= ADULT_AGE:
        return {}
    tools = set(referral.assessments.values_list("tool", flat=True))
    if str(Tool.ASSET) in tools:
        return {}
    if tools:
        message = (
            "The person is under 18 and the referral has only adult tools: add an ASSET "
            "assessment, because children are not assessed as mini-adults (J 11)"
        )
    else:
        message = "The person is under 18: choose their ASSET assessment (J 11)"
    return {"assessments": [message]}


def _self_endorsing(referral: Referral) -> bool:
    # MAPPA A notes s.9: a line manager's own referral needs no endorsement where the
    # agency's protocol agrees; the setting says whether it does.
    allowed = getattr(settings, "MAPPA_LINE_MANAGER_SELF_ENDORSE", True)
    return bool(allowed and referral.referrer.has_role(Role.LINE_MANAGER))


def _snapshot(referral: Referral) -> dict[str, Any]:
    content: dict[str, Any] = {k: v for k, v in _values(referral, ALL_FIELDS).items()}
    content["reference"] = referral.reference
    content["nominal"] = str(referral.nominal_id)
    content["invitees"] = [
        {
            "position": i.position,
            "agency": i.agency.name,
            "name": i.name,
            "role": i.role,
            "email": i.email,
            "phone": i.phone,
            "address": i.address,
        }
        for i in referral.invitees.select_related("agency")
    ]
    return content


def _json_ready(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _receive(referral: Referral) -> None:
    """The co-ordinator has it from today: the first meeting's deadline runs from here."""
    referral.status = ReferralStatus.AWAITING_SCREENING
    referral.received_on = today()
    due, rotl_missing = first_meeting_deadline(referral)
    referral.first_meeting_due = due
    referral.rotl_date_missing = rotl_missing


@transaction.atomic
def referral_submit(
    *, actor: Any, referral: Referral, expected_version: int | None = None, request: Any = None
) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    _require_editable(referral)
    if expected_version is not None and expected_version != referral.version:
        raise StaleReferralError(
            "Someone else changed this referral after you checked it. Check it again before sending."
        )
    problems = referral_problems(referral)
    if problems:
        raise ValidationError(problems)
    number = referral.submissions.count() + 1
    ReferralSubmission.objects.create(
        referral=referral,
        number=number,
        submitted_by=actor,
        content=_json_ready(_snapshot(referral)),
    )
    before = referral.status
    referral.submitted_at = timezone.now()
    if _self_endorsing(referral):
        referral.endorsed_by = referral.referrer
        referral.endorsed_at = referral.submitted_at
        referral.endorsement_note = "Referred by a line manager: no separate endorsement needed"
        _receive(referral)
    else:
        referral.status = ReferralStatus.AWAITING_ENDORSEMENT
    referral.version += 1
    referral.save()
    _event(referral, actor, f"Submitted (version {number})")
    audit_record(
        actor=actor,
        action="referral.submit",
        obj=referral,
        nominal_id=referral.nominal_id,
        changes={"status": [before, referral.status]},
        detail={"submission": number},
        request=request,
    )
    if referral.status == ReferralStatus.AWAITING_ENDORSEMENT:
        _notify(
            referral.line_manager,
            f"MAPPA referral {referral.reference} needs your endorsement",
            f"A referral from your agency needs your endorsement: {_link('referrals:detail', referral.pk)}",
        )
    return referral


@transaction.atomic
def referral_endorse(
    *, actor: Any, referral: Referral, note: str = "", request: Any = None
) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != ReferralStatus.AWAITING_ENDORSEMENT:
        raise ValidationError("This referral is not waiting for endorsement.")
    if referral.line_manager_id != actor.pk:
        raise ValidationError("Only the line manager named on the referral can endorse it.")
    referral.endorsed_by = actor
    referral.endorsed_at = timezone.now()
    referral.endorsement_note = note.strip()
    _receive(referral)
    referral.version += 1
    referral.save()
    _event(referral, actor, note.strip() or "Endorsed")
    audit_record(
        actor=actor,
        action="referral.endorse",
        obj=referral,
        nominal_id=referral.nominal_id,
        changes={"status": [ReferralStatus.AWAITING_ENDORSEMENT, referral.status]},
        request=request,
    )
    for coordinator in User.objects.filter(is_active=True, roles__role=Role.COORDINATOR):
        _notify(
            coordinator,
            f"MAPPA referral {referral.reference} is waiting for screening",
            f"A referral is in the screening queue: {_link('referrals:screen', referral.pk)}",
        )
    return referral


@transaction.atomic
def referral_return(
    *, actor: Any, referral: Referral, note: str, by_coordinator: bool, request: Any = None
) -> Referral:
    """Send the referral back to the referrer: by the line manager, or by the co-ordinator
    asking for more information."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if by_coordinator and not access.can_screen(actor):
        raise ValidationError("Only the co-ordinator screens referrals.")
    expected = (
        ReferralStatus.AWAITING_SCREENING if by_coordinator else ReferralStatus.AWAITING_ENDORSEMENT
    )
    if referral.status != expected:
        raise ValidationError("This referral cannot be returned now.")
    if not by_coordinator and referral.line_manager_id != actor.pk:
        raise ValidationError("Only the line manager named on the referral can return it.")
    if not note.strip():
        raise ValidationError({"note": ["Say what more information is needed"]})
    before = referral.status
    referral.status = ReferralStatus.RETURNED
    referral.decision_note = note.strip() if by_coordinator else referral.decision_note
    referral.endorsed_by = None
    referral.endorsed_at = None
    referral.received_on = None
    referral.first_meeting_due = None
    referral.version += 1
    referral.save()
    _event(referral, actor, note.strip())
    audit_record(
        actor=actor,
        action="referral.return",
        obj=referral,
        nominal_id=referral.nominal_id,
        changes={"status": [before, referral.status]},
        detail={"note": note.strip()},
        request=request,
    )
    _notify(
        referral.referrer,
        f"MAPPA referral {referral.reference} has been returned to you",
        f"More information is needed: {_link('referrals:detail', referral.pk)}",
    )
    return referral


def _move_case(
    actor: Any, referral: Referral, state: Any, category: str, level: int, request: Any
) -> None:
    register_services.case_update_management(
        actor=actor,
        case=referral.case,
        category=category,
        level=level,
        lead_agency=state.lead_agency if state else referral.referring_agency,
        manager=state.manager if state else None,
        effective_from=today(),
        reason=f"Referral {referral.reference} accepted at level {level}",
        pdp_behaviour=referral.case.pdp_behaviour,
        notification_end_date=referral.case.notification_end_date,
        notification_indefinite=referral.case.notification_indefinite,
        request=request,
    )


@transaction.atomic
def referral_accept(
    *,
    actor: Any,
    referral: Referral,
    category: str,
    level: int,
    note: str = "",
    request: Any = None,
) -> Referral:
    """Accept at level 2 or 3 (J 10.4): the case moves to that level at once and the
    first meeting's deadline is set."""
    referral = Referral.objects.select_for_update().select_related("case").get(pk=referral.pk)
    if not access.can_screen(actor):
        raise ValidationError("Only the co-ordinator screens referrals.")
    if referral.status != ReferralStatus.AWAITING_SCREENING:
        raise ValidationError("This referral is not waiting for screening.")
    errors: dict[str, list[str]] = {}
    if category not in Category.values:
        errors["category"] = ["Select the category"]
    if level not in (2, 3):
        errors["level"] = [
            "Select level 2 or level 3: an accepted referral is managed at level 2 or 3"
        ]
    if errors:
        raise ValidationError(errors)
    state = register_services.current_state(referral.case)
    try:
        _move_case(actor, referral, state, category, level, request)
    except ValidationError as exc:
        missing = {
            k: v
            for k, v in getattr(exc, "message_dict", {}).items()
            if k in ("notification_end_date", "pdp_behaviour")
        }
        if missing:
            raise ValidationError(
                {
                    "category": [
                        "Record this on the register before accepting the referral in this "
                        "category: " + " ".join(m for ms in missing.values() for m in ms)
                    ]
                }
            ) from exc
        raise
    referral.status = ReferralStatus.ACCEPTED
    referral.accepted_category = category
    referral.accepted_level = level
    referral.decided_by = actor
    referral.decided_at = timezone.now()
    referral.decision_note = note.strip()
    due, rotl_missing = first_meeting_deadline(referral)
    referral.first_meeting_due = due
    referral.rotl_date_missing = rotl_missing
    referral.version += 1
    referral.save()
    _event(referral, actor, note.strip() or f"Accepted at level {level}")
    audit_record(
        actor=actor,
        action="referral.accept",
        obj=referral,
        nominal_id=referral.nominal_id,
        changes={
            "status": [ReferralStatus.AWAITING_SCREENING, ReferralStatus.ACCEPTED],
            "accepted_category": [None, category],
            "accepted_level": [None, level],
            "first_meeting_due": [None, due],
        },
        request=request,
    )
    _notify(
        referral.referrer,
        f"MAPPA referral {referral.reference} has been accepted",
        f"The referral has been accepted at level {level}: {_link('referrals:detail', referral.pk)}",
    )
    return referral


@transaction.atomic
def referral_decline(
    *, actor: Any, referral: Referral, reason: str, note: str, request: Any = None
) -> Referral:
    """Decline with the reason recorded and sent to the referrer (J 3.5)."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if not access.can_screen(actor):
        raise ValidationError("Only the co-ordinator screens referrals.")
    if referral.status != ReferralStatus.AWAITING_SCREENING:
        raise ValidationError("This referral is not waiting for screening.")
    errors: dict[str, list[str]] = {}
    if reason not in DeclineReason.values:
        errors["reason"] = ["Select the reason for declining the referral"]
    if not note.strip():
        errors["note"] = ["Explain the decision: the referrer will see it"]
    sexual = referral.sexual_offender or referral.category == Category.CATEGORY_1
    if reason == DeclineReason.LEVEL_1 and sexual:
        # J 9.2, 10.3: sex offenders must always be discussed at a multi-agency meeting.
        errors["reason"] = [
            "A sexual offender cannot be declined as manageable at level 1 without a meeting: "
            "sexual offenders are always discussed at a multi-agency meeting"
        ]
    if errors:
        raise ValidationError(errors)
    referral.status = ReferralStatus.DECLINED
    referral.decline_reason = reason
    referral.decided_by = actor
    referral.decided_at = timezone.now()
    referral.decision_note = note.strip()
    referral.first_meeting_due = None
    referral.version += 1
    referral.save()
    _event(referral, actor, note.strip())
    audit_record(
        actor=actor,
        action="referral.decline",
        obj=referral,
        nominal_id=referral.nominal_id,
        changes={"status": [ReferralStatus.AWAITING_SCREENING, ReferralStatus.DECLINED]},
        detail={"reason": reason, "note": note.strip()},
        request=request,
    )
    _notify(
        referral.referrer,
        f"MAPPA referral {referral.reference} has been declined",
        f"The referral has been declined. The reason is in the application: "
        f"{_link('referrals:detail', referral.pk)}",
    )
    return referral
