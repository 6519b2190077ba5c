"""Writes to the people around a case. Each is one transaction with its audit event,
which carries every changed field's before and after value."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from mappa.audit.services import audit_record, diff_fields
from mappa.people.models import CasePerson, CasePersonAlias, PersonKind

PERSON_FIELDS = (
    "kind",
    "given_names",
    "family_name",
    "date_of_birth",
    "gender",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "relation_to_nominal",
    "knows_of_management",
    "concerns",
    "school_age",
    "child_protection_plan",
    "social_worker",
    "victim_liaison",
    "vlo_contact",
)


def _snapshot(person: CasePerson, aliases: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(person, name) for name in PERSON_FIELDS}
    values["aliases"] = aliases
    return values


def _clean_aliases(aliases: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for alias in aliases:
        name = " ".join(str(alias).split())[:250]
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return sorted(seen.values(), key=str.casefold)


def _require_open(case: Any) -> None:
    if case.nominal.is_archived:
        raise ValidationError(
            "This record is archived and cannot be changed. Re-activate it first."
        )
    if case.closed_on is not None:
        raise ValidationError("This person belongs to an earlier case, which is closed.")


def _lock_case(case: Any) -> Any:
    from mappa.register.models import Case

    return Case.objects.select_for_update().select_related("nominal").get(pk=case.pk)


@transaction.atomic
def case_person_add(
    *,
    actor: Any,
    case: Any,
    kind: str,
    aliases: list[str] | None = None,
    request: Any = None,
    **fields: Any,
) -> CasePerson:
    """Record a victim, child, vulnerable adult, partner or other third party on ``case``."""
    case = _lock_case(case)
    _require_open(case)
    if kind not in PersonKind.values:
        raise ValidationError({"kind": ["Select who the person is"]})
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"not a field of a person around a case: {sorted(unknown)}")
    person = CasePerson(case=case, kind=kind, created_by=actor, updated_by=actor, **fields)
    person.full_clean(exclude=["case", "created_by", "updated_by"])
    person.save()
    names = _clean_aliases(aliases or [])
    CasePersonAlias.objects.bulk_create(CasePersonAlias(person=person, name=n) for n in names)
    audit_record(
        actor=actor,
        action="case_person.create",
        obj=person,
        nominal_id=case.nominal_id,
        changes={k: [None, v] for k, v in _snapshot(person, names).items()},
        detail={"case": case.reference, "section": person.section},
        request=request,
    )
    return person


@transaction.atomic
def case_person_update(
    *,
    actor: Any,
    person: CasePerson,
    aliases: list[str] | None = None,
    request: Any = None,
    **fields: Any,
) -> CasePerson:
    """Correct a person's details. ``aliases``, when given, replaces their other names."""
    stored = CasePerson.objects.select_for_update().get(pk=person.pk)
    case = _lock_case(stored.case)
    _require_open(case)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"not a field of a person around a case: {sorted(unknown)}")
    old_names = sorted(stored.aliases.values_list("name", flat=True), key=str.casefold)
    before = _snapshot(stored, old_names)
    for name, value in fields.items():
        setattr(stored, name, value)
    stored.full_clean(exclude=["case", "created_by", "updated_by"])
    names = _clean_aliases(aliases) if aliases is not None else old_names
    changes = diff_fields(before, _snapshot(stored, names))
    if not changes:
        return stored
    stored.updated_by = actor
    stored.save()
    if names != old_names:
        stored.aliases.all().delete()
        CasePersonAlias.objects.bulk_create(CasePersonAlias(person=stored, name=n) for n in names)
    audit_record(
        actor=actor,
        action="case_person.update",
        obj=stored,
        nominal_id=case.nominal_id,
        changes=changes,
        detail={"case": case.reference, "section": stored.section},
        request=request,
    )
    return stored


@transaction.atomic
def case_person_remove(*, actor: Any, person: CasePerson, request: Any = None) -> None:
    """Remove a person entered in error; the audit event keeps what was removed."""
    stored = CasePerson.objects.select_for_update().get(pk=person.pk)
    case = _lock_case(stored.case)
    _require_open(case)
    names = sorted(stored.aliases.values_list("name", flat=True), key=str.casefold)
    before = _snapshot(stored, names)
    object_id = str(stored.pk)
    section = stored.section
    stored.delete()
    audit_record(
        actor=actor,
        action="case_person.delete",
        object_type="people.caseperson",
        object_id=object_id,
        nominal_id=case.nominal_id,
        changes={k: [v, None] for k, v in before.items()},
        detail={"case": case.reference, "section": section},
        request=request,
    )
