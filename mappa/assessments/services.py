"""Writes of risk assessments and home visits; each one transaction, audited inside."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator
from django.db import models, transaction

from mappa.access.models import Agency
from mappa.assessments.models import (
    ADULT_AGE,
    ADULT_ONLY_TOOLS,
    TOOL_MODELS,
    TOOL_SHORT_NAMES,
    YOUTH_ONLY_TOOLS,
    AssessmentDetail,
    HomeVisit,
    Tool,
    lower_first,
)
from mappa.audit.services import audit_record
from mappa.common.dates import today
from mappa.register.models import CaseState, Category, Nominal

BASE_FIELDS = ("tool", "completed_on", "author", "agency", "notes")


def _require_active(nominal: Nominal) -> None:
    if nominal.is_archived:
        raise ValidationError(
            "This record is archived and cannot be changed. Re-activate it first."
        )


def _values(obj: models.Model, names: tuple[str, ...] | list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in names:
        field = obj._meta.get_field(name)
        if isinstance(field, models.ForeignKey):
            out[name] = str(getattr(obj, field.attname) or "") or None
        else:
            out[name] = getattr(obj, name)
    return out


def _label(model: type[models.Model], name: str) -> str:
    try:
        return str(getattr(model._meta.get_field(name), "verbose_name", name))
    except FieldDoesNotExist:
        return name


def friendly_errors(model: type[models.Model], exc: ValidationError) -> dict[str, list[str]]:
    """Model validation in the Design System's words, each message naming its field."""
    out: dict[str, list[str]] = {}
    for name, errors in exc.error_dict.items():
        label = _label(model, name)
        field = model._meta.get_field(name) if name != "__all__" else None
        has_choices = bool(getattr(field, "choices", None))
        for error in errors:
            code = getattr(error, "code", None)
            if code in ("blank", "null", "required"):
                message = f"{'Select' if has_choices else 'Enter'} the {lower_first(label)}"
            elif code == "invalid_choice":
                message = f"Select one of the options for the {lower_first(label)}"
            elif code in ("max_value", "min_value"):
                high = min(
                    (
                        v.limit_value
                        for v in getattr(field, "validators", [])
                        if isinstance(v, MaxValueValidator)
                    ),
                    default=None,
                )
                message = f"{label} must be a whole number from 0 to {high}"
            else:
                message = " ".join(error.messages)
            out.setdefault(name, [])
            if message not in out[name]:
                out[name].append(message)
    return out


def check_tool_for_age(*, tool: Tool, nominal: Nominal, completed_on: dt.date) -> None:
    """J 11: children are not "mini-adults"; adult tools are refused for under 18s,
    and ASSET (the youth justice tool) is refused from the 18th birthday."""
    age = nominal.age_on(completed_on)
    name = TOOL_SHORT_NAMES[tool]
    when = f"{completed_on:%-d %B %Y}"
    if tool in ADULT_ONLY_TOOLS and age < ADULT_AGE:
        raise ValidationError(
            {
                "tool": [
                    f"{name} is a tool for adults. {nominal.full_name} was {age} on {when}, "
                    "the date completed: record an ASSET assessment instead, because children "
                    "are not assessed as mini-adults (J 11)"
                ]
            }
        )
    if tool in YOUTH_ONLY_TOOLS and age >= ADULT_AGE:
        raise ValidationError(
            {
                "tool": [
                    f"{name} is a tool for young people under 18. {nominal.full_name} was "
                    f"{age} on {when}, the date completed: record an adult tool such as OASys"
                ]
            }
        )


@transaction.atomic
def assessment_record(
    *,
    actor: Any,
    nominal: Nominal,
    tool: str,
    completed_on: dt.date,
    author: Any,
    agency: Agency,
    values: dict[str, Any],
    notes: str = "",
    request: Any = None,
) -> AssessmentDetail:
    """Record one completed risk assessment on the person, with the tool's own fields.

    Refused on an archived record, for a date in the future or before birth, for
    an adult tool on a child (and ASSET on an adult), and for any field out of range.
    History is kept: this never replaces an earlier assessment.
    """
    _require_active(nominal)
    try:
        kind = Tool(tool)
    except ValueError as exc:
        raise ValidationError({"tool": ["Select the assessment tool"]}) from exc
    model = TOOL_MODELS[kind]
    unknown = set(values) - set(model.FIELDS)
    if unknown:
        raise ValidationError(f"{', '.join(sorted(unknown))} are not fields of {kind.label}")

    errors: dict[str, list[str]] = {}
    if completed_on > today():
        errors["completed_on"] = ["Date completed must be today or in the past"]
    elif completed_on < nominal.date_of_birth:
        errors["completed_on"] = ["Date completed must be after the person's date of birth"]
    else:
        try:
            check_tool_for_age(tool=kind, nominal=nominal, completed_on=completed_on)
        except ValidationError as exc:
            errors.update(exc.message_dict)

    instance = model(
        nominal=nominal,
        completed_on=completed_on,
        author=author,
        agency=agency,
        notes=(notes or "").strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        **{name: values.get(name) for name in model.FIELDS},
    )
    instance.tool = kind
    for name in model.FIELDS:
        field = model._meta.get_field(name)
        # Text and choice columns store "" for "not given", numbers store NULL.
        if (
            isinstance(field, models.CharField | models.TextField)
            and getattr(instance, name) is None
        ):
            setattr(instance, name, "")
    try:
        instance.full_clean(exclude=["id"])
    except ValidationError as exc:
        for field_name, messages in friendly_errors(model, exc).items():
            errors.setdefault(field_name, []).extend(
                m for m in messages if m not in errors.get(field_name, [])
            )
    if errors:
        raise ValidationError(errors)

    instance.save()
    after = _values(instance, [*BASE_FIELDS, *model.FIELDS])
    audit_record(
        actor=actor,
        action="assessment.add",
        obj=instance,
        nominal_id=nominal.pk,
        changes={name: [None, value] for name, value in after.items()},
        detail={"tool": kind.value},
        request=request,
    )
    return instance


def current_category(nominal: Nominal) -> str | None:
    """The category of the person's open case, if any."""
    state = (
        CaseState.objects.filter(
            case__nominal=nominal, case__closed_on__isnull=True, effective_to__isnull=True
        )
        .only("category")
        .first()
    )
    return state.category if state else None


HOME_VISIT_FIELDS = (
    "visited_on",
    "officers",
    "announced",
    "joint_with_probation",
    "outcome",
    "outcome_details",
    "concerns",
)


@transaction.atomic
def home_visit_record(
    *,
    actor: Any,
    nominal: Nominal,
    visited_on: dt.date,
    officers: str,
    announced: bool,
    outcome: str,
    joint_with_probation: bool = False,
    outcome_details: str = "",
    concerns: str = "",
    request: Any = None,
) -> HomeVisit:
    """Record a home visit to a registered sexual offender (J 14.9)."""
    _require_active(nominal)
    errors: dict[str, list[str]] = {}
    category = current_category(nominal)
    if category != Category.CATEGORY_1:
        errors["__all__"] = [
            "Home visits are recorded for registered sexual offenders (category 1). "
            + (
                f"This person is {Category(category).label.lower()}."
                if category
                else "This person has no open case."
            )
        ]
    if visited_on > today():
        errors["visited_on"] = ["Date of the visit must be today or in the past"]
    visit = HomeVisit(
        nominal=nominal,
        visited_on=visited_on,
        officers=" ".join((officers or "").split()),
        announced=announced,
        joint_with_probation=joint_with_probation,
        outcome=outcome,
        outcome_details=(outcome_details or "").strip(),
        concerns=(concerns or "").strip(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        visit.full_clean(exclude=["id"])
    except ValidationError as exc:
        for field_name, messages in friendly_errors(HomeVisit, exc).items():
            errors.setdefault(field_name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    visit.save()
    audit_record(
        actor=actor,
        action="home_visit.add",
        obj=visit,
        nominal_id=nominal.pk,
        changes={name: [None, value] for name, value in _values(visit, HOME_VISIT_FIELDS).items()},
        request=request,
    )
    return visit
