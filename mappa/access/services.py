"""Writes to the access model: parts in a case, emergency access, section rules.

Each is one transaction and writes its audit event inside it. Parts take effect at
once: the policy reads them in its queries, nothing is cached.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from mappa.access.models import (
    Agency,
    AgencyKind,
    CasePart,
    CasePartKind,
    EmergencyAccess,
    EmergencyReason,
    Role,
    SectionRule,
)
from mappa.access.policy import Action, decide, emergency_minutes, grace_days
from mappa.audit.services import audit_record, diff_fields

# Who granted or ended a part when no person did (a meeting's invitation list, an archive).
WORKFLOW_ACTOR = "workflow"


@transaction.atomic
def case_part_grant_invited(
    *,
    case: Any,
    agency: Agency,
    on: dt.date,
    source: str,
    actor: Any = None,
    request: Any = None,
) -> CasePart:
    """Give ``agency`` a part in ``case`` because it was invited to a meeting (J 4.3).

    The part counts from ``on`` until ``case_parts_end_for_case`` ends it (the case
    leaves level 2/3 management or is archived) plus the grace period. Inviting an
    agency that already holds an unended invitation keeps the existing part.
    """
    from mappa.register.models import Case

    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.closed_on is not None:
        raise ValidationError("This case is closed: no agency can be invited to it.")
    if not source.strip():
        raise ValidationError({"source": ["Enter what the agency was invited to"]})
    existing = CasePart.objects.filter(
        case=case, agency=agency, kind=CasePartKind.INVITED, ended_on__isnull=True
    ).first()
    if existing is not None:
        return existing
    part = CasePart.objects.create(
        case=case,
        agency=agency,
        kind=CasePartKind.INVITED,
        starts_on=on,
        source=source.strip()[:300],
    )
    audit_record(
        actor=actor or WORKFLOW_ACTOR,
        action="access.part_grant",
        obj=part,
        nominal_id=case.nominal_id,
        changes={"part": [None, f"{agency.name}: {part.get_kind_display()}"]},
        detail={"case": case.reference, "starts_on": on, "source": part.source},
        request=request,
    )
    return part


@transaction.atomic
def case_parts_end_for_case(
    *,
    case: Any,
    on: dt.date,
    reason: str,
    actor: Any = None,
    request: Any = None,
) -> int:
    """End every unended part in ``case`` on ``on``; each still counts until
    ``on`` + ``MAPPA_INVITED_GRACE_DAYS``. Returns how many parts ended.

    The register calls this when the case is archived or moves to level 1; the
    meetings workflow may call it when it withdraws an invitation.
    """
    parts = list(CasePart.objects.select_for_update().filter(case=case, ended_on__isnull=True))
    grace_until = on + dt.timedelta(days=grace_days())
    for part in parts:
        # A part granted after the end date (a back-dated change) ends the day it began.
        part.ended_on = max(on, part.starts_on)
        part.grace_until = max(grace_until, part.ended_on)
        part.end_reason = reason.strip()[:300]
        part.save(update_fields=["ended_on", "grace_until", "end_reason"])
        audit_record(
            actor=actor or WORKFLOW_ACTOR,
            action="access.part_end",
            obj=part,
            nominal_id=case.nominal_id,
            changes={
                "ended_on": [None, part.ended_on],
                "grace_until": [None, part.grace_until],
            },
            detail={"case": case.reference, "agency": part.agency.name, "reason": reason},
            request=request,
        )
    return len(parts)


@transaction.atomic
def emergency_access_grant(
    *,
    user: Any,
    nominal: Any,
    reason: str,
    explanation: str,
    request: Any = None,
) -> EmergencyAccess:
    """Open ``nominal`` to ``user`` alone for a short time, in an emergency (J 10.12).

    Refused unless the policy lets this user ask (a practitioner, chair or line
    manager refused the record; never an SMB member or auditor).
    """
    from mappa.register.models import Case

    decision = decide(user, Action.EMERGENCY_REQUEST, nominal)
    if not decision:
        raise PermissionDenied(decision.reason)
    errors: dict[str, list[str]] = {}
    if reason not in EmergencyReason.values:
        errors["reason"] = ["Select the reason for emergency access"]
    if not explanation.strip():
        errors["explanation"] = ["Enter what the emergency is and why you need the record"]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    grant = EmergencyAccess.objects.create(
        user=user,
        nominal=nominal,
        case=Case.objects.filter(nominal=nominal, closed_on__isnull=True).first(),
        reason=reason,
        explanation=explanation.strip(),
        granted_at=now,
        expires_at=now + dt.timedelta(minutes=emergency_minutes()),
    )
    audit_record(
        actor=user,
        action="access.emergency",
        obj=grant,
        nominal_id=nominal.pk,
        # The free text may name people: kept beside the chain, erasable under retention.
        changes={"explanation": [None, grant.explanation]},
        detail={
            "reason": grant.reason,
            "reason_text": grant.get_reason_display(),
            "expires_at": grant.expires_at,
        },
        request=request,
    )
    return grant


@transaction.atomic
def emergency_access_review(
    *, actor: Any, grant: EmergencyAccess, note: str, request: Any = None
) -> EmergencyAccess:
    """The co-ordinator records that an emergency access was looked at, and why it was
    justified or what follows."""
    grant = EmergencyAccess.objects.select_for_update().get(pk=grant.pk)
    if grant.reviewed_at is not None:
        raise ValidationError("This emergency access has already been reviewed.")
    if not note.strip():
        raise ValidationError({"note": ["Enter a note about your review"]})
    grant.reviewed_at = timezone.now()
    grant.reviewed_by = actor
    grant.review_note = note.strip()
    grant.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
    audit_record(
        actor=actor,
        action="access.emergency_review",
        obj=grant,
        nominal_id=grant.nominal_id,
        changes={"review_note": [None, grant.review_note]},
        detail={"user": grant.user.get_username()},
        request=request,
    )
    return grant


@transaction.atomic
def section_rule_update(
    *,
    actor: Any,
    rule: SectionRule,
    roles: list[str],
    agency_kinds: list[str],
    contact: str,
    request: Any = None,
) -> SectionRule:
    """Change who may see one sensitive section in this area."""
    rule = SectionRule.objects.select_for_update().get(pk=rule.pk)
    errors: dict[str, list[str]] = {}
    unknown_roles = set(roles) - set(Role.values)
    unknown_kinds = set(agency_kinds) - set(AgencyKind.values)
    if unknown_roles:
        errors["roles"] = ["Select roles from the list"]
    if unknown_kinds:
        errors["agency_kinds"] = ["Select kinds of agency from the list"]
    if not contact.strip():
        errors["contact"] = ["Enter whom people should ask for this section"]
    if errors:
        raise ValidationError(errors)
    before = {"roles": rule.roles, "agency_kinds": rule.agency_kinds, "contact": rule.contact}
    rule.roles = sorted(set(roles))
    rule.agency_kinds = sorted(set(agency_kinds))
    rule.contact = " ".join(contact.split())
    after = {"roles": rule.roles, "agency_kinds": rule.agency_kinds, "contact": rule.contact}
    changes = diff_fields(before, after)
    if not changes:
        return rule
    rule.updated_by = actor
    rule.save()
    audit_record(
        actor=actor,
        action="section_rule.update",
        obj=rule,
        changes=changes,
        detail={"section": rule.section},
        request=request,
    )
    return rule
