"""Reads of profiles and the area. Every clock asks ``current_profile()`` for its rules.

Nothing here caches between calls: a profile version published (or an area switched)
changes the next computed date without a restart or a code change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

from mappa.common.dates import today
from mappa.profiles.models import Area, ProfileVersion, version_in_force
from mappa.profiles.profile import Profile


def current_area() -> Area:
    """The one area this installation serves (a migration creates Jersey)."""
    area = Area.objects.filter(is_current=True).first()
    if area is None:
        raise ImproperlyConfigured("No current area: run the migrations of mappa.profiles")
    return area


def profile_for(key: str, on: dt.date | None = None) -> Profile:
    """Profile ``key`` as in force on ``on`` (today when not given)."""
    version = version_in_force(key, on or today())
    if version is None:
        raise ImproperlyConfigured(f"No jurisdiction profile {key!r}")
    return version.as_profile()


def current_profile(on: dt.date | None = None) -> Profile:
    """The current area's profile as in force on ``on`` (today when not given)."""
    return profile_for(current_area().profile_key, on)


def profile_keys() -> list[str]:
    return list(ProfileVersion.objects.order_by("key").values_list("key", flat=True).distinct())


@dataclass(frozen=True)
class ProfileListing:
    profile: Profile
    in_use: bool
    versions: list[ProfileVersion]


def profiles_for_display(on: dt.date | None = None) -> list[ProfileListing]:
    """Each profile as in force today, the one in use first, with its version history."""
    area = current_area()
    out = []
    for key in profile_keys():
        versions = list(ProfileVersion.objects.filter(key=key).order_by("-version"))
        out.append(
            ProfileListing(
                profile=profile_for(key, on), in_use=key == area.profile_key, versions=versions
            )
        )
    out.sort(key=lambda item: (not item.in_use, item.profile.key))
    return out
