"""Writes to the register. Views and the API call these; each is one transaction
and writes its audit event inside it."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Max

from mappa.access.models import Agency
from mappa.access.services import case_parts_end_for_case
from mappa.audit.services import audit_record, diff_fields
from mappa.common.dates import today
from mappa.register.models import (
    Case,
    CasePartner,
    CaseState,
    Identifier,
    Nominal,
    NominalStatus,
    StatusChange,
)
from mappa.register.rules import check_case_rules, check_date_of_birth, deletion_review_date
from mappa.search.services import index_nominal

# Any fixed number: the PostgreSQL advisory lock that serialises new references.
_REFERENCE_LOCK_KEY = 0x4E4F4D494E  # "NOMIN"

NOMINAL_FIELDS = ("family_name", "given_names", "date_of_birth", "gender", "ethnicity")
CASE_FIELDS = ("pdp_behaviour", "notification_end_date", "notification_indefinite")
STATE_FIELDS = ("category", "level", "lead_agency", "manager")


class ConcurrentEditError(ValidationError):
    """The record changed since the user opened it: their save would overwrite it."""


def _snapshot(obj: models.Model, fields: tuple[str, ...] | list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if isinstance(field, models.ForeignKey):
            values[name] = getattr(obj, field.attname)
        elif isinstance(field, models.FileField):
            values[name] = getattr(obj, name).name or ""
        else:
            values[name] = getattr(obj, name)
    return values


def _editable_fields(obj: models.Model) -> list[str]:
    skip = {"id", "created_at", "updated_at", "nominal"}
    return [f.name for f in obj._meta.concrete_fields if f.name not in skip and not f.primary_key]


def _next_reference() -> str:
    """Call inside the creating transaction: concurrent creators wait for each other."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_REFERENCE_LOCK_KEY])
    last = Nominal.objects.aggregate(m=Max("reference"))["m"]
    number = int(last.split("-")[1]) + 1 if last else 1
    return f"MN-{number:06d}"


def _has_index_conviction(nominal: Nominal) -> bool:
    return nominal.pk is not None and nominal.convictions.filter(is_index_offence=True).exists()


def _require_active(nominal: Nominal) -> None:
    if nominal.is_archived:
        raise ValidationError(
            "This record is archived and cannot be changed. Re-activate it first."
        )


@transaction.atomic
def nominal_create(
    *,
    actor: Any,
    family_name: str,
    given_names: str,
    date_of_birth: dt.date,
    gender: str,
    ethnicity: str = "",
    category: str,
    level: int,
    lead_agency: Agency,
    manager: Any = None,
    opened_on: dt.date | None = None,
    pdp_behaviour: str = "",
    notification_end_date: dt.date | None = None,
    notification_indefinite: bool = False,
    identifiers: list[tuple[str, str, str]] | None = None,
    request: Any = None,
) -> Nominal:
    """Add a person to the register with their first case and identifiers.

    ``identifiers`` are ``(kind, value, issuer)``; each is validated and must be new
    to the register. Nothing is saved unless everything is valid.
    """
    day = today()
    errors: dict[str, list[str]] = {}
    try:
        check_date_of_birth(date_of_birth, day)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        check_case_rules(
            category=category,
            level=int(level),
            pdp_behaviour=pdp_behaviour,
            notification_end_date=notification_end_date,
            notification_indefinite=notification_indefinite,
            has_index_conviction=False,
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    nominal = Nominal(
        reference=_next_reference(),
        family_name=" ".join(family_name.split()),
        given_names=" ".join(given_names.split()),
        date_of_birth=date_of_birth,
        gender=gender,
        ethnicity=ethnicity.strip(),
        deletion_review_on=deletion_review_date(date_of_birth),
        created_by=actor,
        updated_by=actor,
    )
    for name, message in (
        ("family_name", "Enter the family name"),
        ("given_names", "Enter the given names"),
    ):
        if not getattr(nominal, name):
            errors.setdefault(name, []).append(message)
    if opened_on is not None and opened_on > day:
        errors.setdefault("opened_on", []).append(
            "The date the case opened must be today or in the past"
        )
    try:
        nominal.full_clean(exclude=["reference", "deletion_review_on", "photo", *errors])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(
                m for m in messages if m not in errors.get(field, [])
            )
    pending: list[Identifier] = []
    seen: set[tuple[str, str, str]] = set()
    for kind, value, issuer in identifiers or []:
        if not (value or "").strip():
            continue
        identifier = Identifier(kind=kind, value=value, issuer=issuer or "")
        try:
            identifier.full_clean(exclude=["nominal"])
        except ValidationError as exc:
            errors.setdefault(f"identifier_{kind}", []).extend(exc.messages)
            continue
        key = (identifier.kind, identifier.issuer, identifier.value)
        if key in seen:
            errors.setdefault(f"identifier_{kind}", []).append(
                f"{identifier.get_kind_display()} {identifier.value} is given twice"
            )
            continue
        seen.add(key)
        pending.append(identifier)
    if errors:
        raise ValidationError(errors)

    nominal.save()
    case = Case.objects.create(
        nominal=nominal,
        reference=f"{nominal.reference}/1",
        opened_on=opened_on or day,
        pdp_behaviour=pdp_behaviour.strip(),
        notification_end_date=notification_end_date,
        notification_indefinite=notification_indefinite,
    )
    state = CaseState.objects.create(
        case=case,
        category=category,
        level=int(level),
        lead_agency=lead_agency,
        manager=manager,
        effective_from=case.opened_on,
        reason="Added to the register",
        recorded_by=actor,
    )
    for identifier in pending:
        identifier.nominal = nominal
        identifier.save()
    index_nominal(nominal)
    audit_record(
        actor=actor,
        action="nominal.create",
        obj=nominal,
        nominal_id=nominal.pk,
        changes={
            **{k: [None, v] for k, v in _snapshot(nominal, NOMINAL_FIELDS).items()},
            **{k: [None, v] for k, v in _snapshot(case, CASE_FIELDS).items()},
            **{k: [None, v] for k, v in _snapshot(state, STATE_FIELDS).items()},
            "identifiers": [None, [f"{i.kind}:{i.value}" for i in pending]],
        },
        request=request,
    )
    return nominal


def current_case(nominal: Nominal) -> Case | None:
    return nominal.cases.filter(closed_on__isnull=True).first()


def current_state(case: Case | None) -> CaseState | None:
    if case is None:
        return None
    return case.states.filter(effective_to__isnull=True).first()


@transaction.atomic
def nominal_update(
    *,
    actor: Any,
    nominal: Nominal,
    expected_version: int | None = None,
    request: Any = None,
    **fields: Any,
) -> Nominal:
    """Correct the person's details. Refused on an archived record, or when someone
    else saved the record after ``expected_version`` was read."""
    nominal = Nominal.objects.select_for_update().get(pk=nominal.pk)
    _require_active(nominal)
    if expected_version is not None and nominal.version != expected_version:
        raise ConcurrentEditError(
            "Someone else changed this record while you were editing it. "
            "Check their changes below and make yours again."
        )
    unknown = set(fields) - set(NOMINAL_FIELDS)
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    before = _snapshot(nominal, NOMINAL_FIELDS)
    for name, value in fields.items():
        setattr(nominal, name, " ".join(value.split()) if isinstance(value, str) else value)
    errors: dict[str, list[str]] = {}
    if "date_of_birth" in fields:
        try:
            check_date_of_birth(nominal.date_of_birth, today())
        except ValidationError as exc:
            errors.update(exc.message_dict)
    for name, message in (
        ("family_name", "Enter the family name"),
        ("given_names", "Enter the given names"),
    ):
        if not getattr(nominal, name):
            errors.setdefault(name, []).append(message)
    if errors:
        raise ValidationError(errors)
    changes = diff_fields(before, _snapshot(nominal, NOMINAL_FIELDS))
    if not changes:
        return nominal
    nominal.deletion_review_on = deletion_review_date(nominal.date_of_birth)
    nominal.updated_by = actor
    nominal.version += 1
    nominal.save()
    index_nominal(nominal)
    audit_record(
        actor=actor,
        action="nominal.update",
        obj=nominal,
        nominal_id=nominal.pk,
        changes=changes,
        request=request,
    )
    return nominal


@transaction.atomic
def case_update_management(
    *,
    actor: Any,
    case: Case,
    category: str,
    level: int,
    lead_agency: Agency,
    manager: Any,
    effective_from: dt.date,
    reason: str,
    pdp_behaviour: str = "",
    notification_end_date: dt.date | None = None,
    notification_indefinite: bool = False,
    request: Any = None,
) -> CaseState:
    """Change category, level, lead agency or manager from a date, keeping the history."""
    case = Case.objects.select_for_update().select_related("nominal").get(pk=case.pk)
    _require_active(case.nominal)
    if case.closed_on is not None:
        raise ValidationError("This case is closed.")
    previous = current_state(case)
    errors: dict[str, list[str]] = {}
    if not reason.strip():
        errors["reason"] = ["Enter the reason for the change"]
    if effective_from > today():
        errors["effective_from"] = ["The date the change takes effect must be today or in the past"]
    elif previous and effective_from < previous.effective_from:
        errors["effective_from"] = [
            f"The change cannot take effect before the current arrangement began "
            f"({previous.effective_from:%-d %B %Y})"
        ]
    try:
        check_case_rules(
            category=category,
            level=int(level),
            pdp_behaviour=pdp_behaviour,
            notification_end_date=notification_end_date,
            notification_indefinite=notification_indefinite,
            has_index_conviction=_has_index_conviction(case.nominal),
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    before: dict[str, Any] = {
        **_snapshot(case, CASE_FIELDS),
        **(_snapshot(previous, STATE_FIELDS) if previous else {}),
    }
    case.pdp_behaviour = pdp_behaviour.strip()
    case.notification_end_date = notification_end_date
    case.notification_indefinite = notification_indefinite
    case.save()
    state_values = {
        "category": category,
        "level": int(level),
        "lead_agency_id": lead_agency.pk,
        "manager_id": getattr(manager, "pk", None),
    }
    if previous and all(getattr(previous, k) == v for k, v in state_values.items()):
        state = previous
    else:
        if previous:
            if previous.effective_from == effective_from:
                # A same-day correction replaces the day's state rather than adding a zero-length one.
                previous.delete()
            else:
                previous.effective_to = effective_from
                previous.save(update_fields=["effective_to"])
        state = CaseState.objects.create(
            case=case,
            effective_from=effective_from,
            reason=reason.strip(),
            recorded_by=actor,
            **state_values,
        )
    if previous is not None and previous.level in (2, 3) and int(level) == 1:
        # The case leaves multi-agency management: invited agencies' parts end (J 4.3).
        case_parts_end_for_case(
            case=case,
            on=effective_from,
            reason="The case moved to level 1 management",
            actor=actor,
            request=request,
        )
    after = {**_snapshot(case, CASE_FIELDS), **_snapshot(state, STATE_FIELDS)}
    changes = diff_fields(before, after)
    if changes:
        audit_record(
            actor=actor,
            action="case.management_change",
            obj=case,
            nominal_id=case.nominal_id,
            changes=changes,
            detail={"reason": reason.strip(), "effective_from": effective_from},
            request=request,
        )
    return state


@transaction.atomic
def nominal_archive(
    *,
    actor: Any,
    nominal: Nominal,
    reason: str,
    effective_on: dt.date | None = None,
    request: Any = None,
) -> Nominal:
    """Archive a record that is no longer MAPPA-eligible (J 3.4), closing its case."""
    nominal = Nominal.objects.select_for_update().get(pk=nominal.pk)
    day = effective_on or today()
    if nominal.is_archived:
        raise ValidationError("This record is already archived.")
    if not reason.strip():
        raise ValidationError({"reason": ["Enter the reason for archiving the record"]})
    if day > today():
        raise ValidationError({"effective_on": ["The archive date must be today or in the past"]})
    case = current_case(nominal)
    if case is not None:
        if day < case.opened_on:
            raise ValidationError(
                {"effective_on": ["The archive date cannot be before the case was opened"]}
            )
        case.closed_on = day
        case.close_reason = reason.strip()
        case.save(update_fields=["closed_on", "close_reason", "updated_at"])
        state = current_state(case)
        if state is not None:
            state.effective_to = day
            state.save(update_fields=["effective_to"])
        CasePartner.objects.filter(case=case, to_date__isnull=True).update(to_date=day)
        # Invited agencies keep the case for the grace period after it closes (J 4.3).
        case_parts_end_for_case(
            case=case, on=day, reason="The record was archived", actor=actor, request=request
        )
    nominal.status = NominalStatus.ARCHIVED
    nominal.updated_by = actor
    nominal.version += 1
    nominal.save(update_fields=["status", "updated_by", "version", "updated_at"])
    StatusChange.objects.create(
        nominal=nominal,
        status=NominalStatus.ARCHIVED,
        reason=reason.strip(),
        effective_on=day,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="nominal.archive",
        obj=nominal,
        nominal_id=nominal.pk,
        changes={"status": [NominalStatus.ACTIVE, NominalStatus.ARCHIVED]},
        detail={"reason": reason.strip(), "effective_on": day},
        request=request,
    )
    return nominal


@transaction.atomic
def nominal_reactivate(
    *,
    actor: Any,
    nominal: Nominal,
    reason: str,
    effective_on: dt.date | None = None,
    request: Any = None,
) -> Nominal:
    """Re-activate an archived record (J 13.3): a new case opens with the last case's
    category, level, lead agency and manager, which the user can then change."""
    nominal = Nominal.objects.select_for_update().get(pk=nominal.pk)
    day = effective_on or today()
    if not nominal.is_archived:
        raise ValidationError("This record is already active.")
    if not reason.strip():
        raise ValidationError({"reason": ["Enter the reason for re-activating the record"]})
    if day > today():
        raise ValidationError({"effective_on": ["The date must be today or in the past"]})
    last_case = nominal.cases.order_by("-opened_on", "-created_at").first()
    if last_case and last_case.closed_on and day < last_case.closed_on:
        raise ValidationError(
            {"effective_on": ["The record cannot be re-activated before it was archived"]}
        )
    last_state = last_case.states.order_by("-effective_from").first() if last_case else None
    if last_state is None:
        raise ValidationError("The record has no previous case to re-activate.")
    count = nominal.cases.count()
    case = Case.objects.create(
        nominal=nominal,
        reference=f"{nominal.reference}/{count + 1}",
        opened_on=day,
        pdp_behaviour=last_case.pdp_behaviour if last_case else "",
        notification_end_date=last_case.notification_end_date if last_case else None,
        notification_indefinite=last_case.notification_indefinite if last_case else False,
    )
    CaseState.objects.create(
        case=case,
        category=last_state.category,
        level=last_state.level,
        lead_agency=last_state.lead_agency,
        manager=last_state.manager,
        effective_from=day,
        reason=f"Re-activated: {reason.strip()}"[:300],
        recorded_by=actor,
    )
    nominal.status = NominalStatus.ACTIVE
    nominal.updated_by = actor
    nominal.version += 1
    nominal.save(update_fields=["status", "updated_by", "version", "updated_at"])
    StatusChange.objects.create(
        nominal=nominal,
        status=NominalStatus.ACTIVE,
        reason=reason.strip(),
        effective_on=day,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="nominal.reactivate",
        obj=nominal,
        nominal_id=nominal.pk,
        changes={"status": [NominalStatus.ARCHIVED, NominalStatus.ACTIVE]},
        detail={"reason": reason.strip(), "effective_on": day, "case": case.reference},
        request=request,
    )
    return nominal


@transaction.atomic
def attachment_save(
    *, actor: Any, nominal: Nominal, instance: models.Model, request: Any = None
) -> models.Model:
    """Add or correct one attachment (alias, identifier, address, conviction, ...).

    The model's ``clean`` holds its rules; the change is audited field by field.
    """
    nominal = Nominal.objects.select_for_update().get(pk=nominal.pk)
    _require_active(nominal)
    instance.nominal = nominal  # type: ignore[attr-defined]
    fields = _editable_fields(instance)
    is_new = instance._state.adding
    before: dict[str, Any] = {}
    if not is_new:
        stored = type(instance)._default_manager.get(pk=instance.pk)
        if stored.nominal_id != nominal.pk:  # type: ignore[attr-defined]
            raise ValidationError("This entry belongs to another record.")
        before = _snapshot(stored, fields)
    instance.full_clean(exclude=["nominal"])
    changes = diff_fields(before, _snapshot(instance, fields))
    if not is_new and not changes:
        return instance
    instance.save()
    nominal.updated_by = actor
    nominal.version += 1
    nominal.save(update_fields=["updated_by", "version", "updated_at"])
    if instance._meta.model_name == "alias":
        index_nominal(nominal)
    audit_record(
        actor=actor,
        action=f"{instance._meta.model_name}.{'create' if is_new else 'update'}",
        obj=instance,
        nominal_id=nominal.pk,
        changes=changes,
        request=request,
    )
    return instance


@transaction.atomic
def attachment_delete(
    *, actor: Any, nominal: Nominal, instance: models.Model, request: Any = None
) -> None:
    nominal = Nominal.objects.select_for_update().get(pk=nominal.pk)
    _require_active(nominal)
    if instance.nominal_id != nominal.pk:  # type: ignore[attr-defined]
        raise ValidationError("This entry belongs to another record.")
    fields = _editable_fields(instance)
    before = _snapshot(instance, fields)
    model_name = instance._meta.model_name
    object_id = str(instance.pk)
    instance.delete()
    nominal.updated_by = actor
    nominal.version += 1
    nominal.save(update_fields=["updated_by", "version", "updated_at"])
    if model_name == "alias":
        index_nominal(nominal)
    audit_record(
        actor=actor,
        action=f"{model_name}.delete",
        object_type=f"register.{model_name}",
        object_id=object_id,
        nominal_id=nominal.pk,
        changes={k: [v, None] for k, v in before.items()},
        request=request,
    )


@transaction.atomic
def case_partner_add(
    *, actor: Any, case: Case, agency: Agency, from_date: dt.date | None = None, request: Any = None
) -> CasePartner:
    _require_active(case.nominal)
    if case.partners.filter(agency=agency, to_date__isnull=True).exists():
        raise ValidationError({"agency": [f"{agency} is already a partner to this record"]})
    partner = CasePartner.objects.create(case=case, agency=agency, from_date=from_date or today())
    audit_record(
        actor=actor,
        action="case.partner_add",
        obj=case,
        nominal_id=case.nominal_id,
        changes={"partner": [None, agency.name]},
        request=request,
    )
    return partner


@transaction.atomic
def case_partner_end(
    *, actor: Any, partner: CasePartner, to_date: dt.date | None = None, request: Any = None
) -> CasePartner:
    _require_active(partner.case.nominal)
    partner.to_date = to_date or today()
    partner.save(update_fields=["to_date"])
    audit_record(
        actor=actor,
        action="case.partner_end",
        obj=partner.case,
        nominal_id=partner.case.nominal_id,
        changes={"partner": [partner.agency.name, None]},
        request=request,
    )
    return partner
