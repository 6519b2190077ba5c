"""Writes to profiles and the area, each one transaction with its audit event inside."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from mappa.audit.services import audit_record, diff_fields
from mappa.profiles.models import Area, ProfileVersion
from mappa.profiles.schema import validate_settings


@transaction.atomic
def profile_version_publish(
    *,
    actor: Any,
    key: str,
    name: str,
    effective_from: dt.date,
    settings: dict[str, Any],
    notes: str = "",
    request: Any = None,
) -> ProfileVersion:
    """Publish the next version of profile ``key``, in force from ``effective_from``.

    This is how a time limit changes: as data, dated, audited, with no code change.
    """
    validate_settings(settings)
    if not name.strip():
        raise ValidationError({"name": ["Enter the profile's name"]})
    last = ProfileVersion.objects.filter(key=key).aggregate(m=Max("version"))["m"] or 0
    version = ProfileVersion.objects.create(
        key=key,
        version=last + 1,
        name=name.strip(),
        effective_from=effective_from,
        settings=settings,
        notes=notes.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action="profile.publish",
        obj=version,
        changes={
            "version": [last or None, version.version],
            "effective_from": [None, effective_from],
            "settings": [None, settings],
        },
        detail={"key": key, "notes": version.notes},
        request=request,
    )
    return version


@transaction.atomic
def area_update(
    *,
    actor: Any,
    area: Area,
    profile_key: str,
    population: int | None,
    population_source: str = "",
    reason: str,
    request: Any = None,
) -> Area:
    """Switch the area's jurisdiction profile (and keep its population), audited.

    Every clock reads the area's profile, so the switch changes every due date
    computed from now on; dates already met keep what they were met against.
    """
    errors: dict[str, list[str]] = {}
    if not ProfileVersion.objects.filter(key=profile_key).exists():
        errors["profile_key"] = ["Select a jurisdiction profile that exists"]
    if not reason.strip():
        errors["reason"] = ["Enter the reason for the change"]
    if population is not None and population < 1:
        errors["population"] = ["Population must be 1 or more"]
    if errors:
        raise ValidationError(errors)
    area = Area.objects.select_for_update().get(pk=area.pk)
    before = {
        "profile_key": area.profile_key,
        "population": area.population,
        "population_source": area.population_source,
    }
    area.profile_key = profile_key
    area.population = population
    area.population_source = population_source.strip()
    after = {
        "profile_key": area.profile_key,
        "population": area.population,
        "population_source": area.population_source,
    }
    changes = diff_fields(before, after)
    if not changes:
        return area
    area.save()
    audit_record(
        actor=actor,
        action="area.profile_switch" if "profile_key" in changes else "area.update",
        obj=area,
        changes=changes,
        detail={"reason": reason.strip()},
        request=request,
    )
    return area
