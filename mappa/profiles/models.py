"""Jurisdiction profiles (versioned data) and the area this installation serves.

A profile version is never edited in place once in use: a change is published as a
new version with the date it takes effect (``services.profile_version_publish``),
so a due date computed last year can still be explained by last year's rules.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from mappa.profiles.profile import Profile
from mappa.profiles.schema import validate_settings


class ProfileVersion(models.Model):
    key = models.SlugField("Profile", max_length=50)
    version = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    effective_from = models.DateField()
    settings = models.JSONField()
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="profile_key_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The schema is checked on every save, whoever saves (admin, shell, migration).
        validate_settings(self.settings)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        validate_settings(self.settings)

    def as_profile(self) -> Profile:
        return Profile.from_settings(
            key=self.key,
            version=self.version,
            name=self.name,
            effective_from=self.effective_from,
            settings=self.settings,
        )


class Area(models.Model):
    """The MAPPA area this installation serves: exactly one is current."""

    name = models.CharField(max_length=200, unique=True)
    population = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="For figures per 100,000 of the population",
    )
    population_source = models.CharField(max_length=200, blank=True)
    profile_key = models.SlugField("Jurisdiction profile", max_length=50)
    protective_marking = models.CharField(max_length=100, default="OFFICIAL-SENSITIVE")
    is_current = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="one_current_area"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not ProfileVersion.objects.filter(key=self.profile_key).exists():
            raise ValidationError({"profile_key": ["Select a jurisdiction profile that exists"]})


def version_in_force(key: str, on: dt.date) -> ProfileVersion | None:
    """The version of profile ``key`` in force on ``on``.

    That is the latest version effective on or before the day; for a day before
    the first version took effect, the first version (the rules had to be some rules).
    """
    versions = ProfileVersion.objects.filter(key=key)
    found = versions.filter(effective_from__lte=on).order_by("-effective_from", "-version").first()
    return found or versions.order_by("effective_from", "version").first()
