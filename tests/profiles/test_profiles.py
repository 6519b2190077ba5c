"""Profiles are data: shipped by migration, validated on save, versioned, switched per area."""

import copy
import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from mappa.audit.models import AuditEvent
from mappa.profiles import clocks
from mappa.profiles.models import Area, ProfileVersion
from mappa.profiles.profile import Profile
from mappa.profiles.schema import LIMITS, validate_settings
from mappa.profiles.selectors import current_area, current_profile, profile_for
from mappa.profiles.services import area_update, profile_version_publish
from tests.conftest import Personas
from tests.profiles.helpers import sign_in

D = dt.date
URLS = "tests.profiles.urls"


def _jersey_settings() -> dict[str, Any]:
    return copy.deepcopy(dict(ProfileVersion.objects.get(key="jersey-2010", version=1).settings))


# Shipped data -----------------------------------------------------------------------


@pytest.mark.django_db
def test_migration_ships_both_profiles_and_the_jersey_area() -> None:
    area = current_area()
    assert (area.name, area.profile_key, area.is_current) == ("Jersey", "jersey-2010", True)
    assert Area.objects.filter(is_current=True).count() == 1
    assert set(ProfileVersion.objects.values_list("key", flat=True)) == {
        "jersey-2010",
        "england-wales-2012",
    }
    assert current_profile().key == "jersey-2010"


@pytest.mark.django_db
def test_jersey_profile_holds_the_guidance_figures() -> None:
    p = profile_for("jersey-2010")
    figures = {limit.name: (limit.amount, limit.unit) for limit in p.limits}
    assert figures == {
        "identification": (3, "calendar_days"),
        "referral_custody": (6, "months"),
        "referral_pdp": (0, "calendar_days"),
        "first_meeting_community": (15, "working_days"),
        "first_meeting_custody": (6, "months"),
        "minutes_level_2": (10, "working_days"),
        "minutes_level_3": (5, "working_days"),
        "review_level_1": (12, "weeks"),
        "review_level_2": (12, "weeks"),
        "review_level_3": (6, "weeks"),
        "level1_review": (3, "months"),
        "home_visit_very_high": (1, "months"),
        "home_visit_high": (3, "months"),
        "home_visit_medium": (6, "months"),
        "home_visit_low": (12, "months"),
        "deletion_review": (100, "years"),
    }
    assert not any(limit.to_confirm for limit in p.limits)
    assert {k.id: k.target for k in p.kpis} == {
        "level3_reviews_on_time": 0.90,
        "level2_reviews_on_time": 0.85,
        "disclosure_considered": 1.0,
        "smb_attendance": 0.90,
        "meeting_attendance": 0.90,
    }
    assert (p.calendar_country, p.calendar_subdivision) == ("JE", None)
    assert p.annual_snapshot(2026) == D(2026, 12, 31)
    assert p.form_set_name == "JMAPPA"
    assert p.protective_marking == "OFFICIAL-SENSITIVE"
    # J 3.9: category 3 only at levels 2 and 3; J 3.10: a PDP needs behaviour;
    # J 3.7: category 1 needs the end of notification.
    cat3, pdp, cat1 = p.category("3"), p.category("pdp"), p.category("1")
    assert cat3 is not None and cat3.levels == (2, 3)
    assert pdp is not None and pdp.requires_behaviour
    assert cat1 is not None and cat1.requires_notification_end


@pytest.mark.django_db
def test_england_wales_profile_marks_every_unstated_timescale_to_confirm() -> None:
    p = profile_for("england-wales-2012")
    assert all(limit.to_confirm for limit in p.limits)
    assert all(k.to_confirm for k in p.kpis)
    jersey = profile_for("jersey-2010")
    # Where the seeds are silent the Jersey figure is copied.
    assert [(x.amount, x.unit) for x in p.limits] == [(x.amount, x.unit) for x in jersey.limits]
    assert (p.calendar_country, p.calendar_subdivision) == ("GB", "ENG")
    assert p.annual_snapshot(2027) == D(2027, 3, 31)
    assert p.form_set_name == "MAPPA A/B"
    # The MAPPA A and B forms offer categories 1, 2 and 3.
    assert [c.code for c in p.categories] == ["1", "2", "3"]


# Validation -------------------------------------------------------------------------


def _errors(settings: Any) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        validate_settings(settings)
    return caught.value.message_dict["settings"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda s: s["time_limits"].pop("review_level_3"),
            "time_limits.review_level_3: is missing",
        ),
        (
            lambda s: s["time_limits"]["minutes_level_2"].update(unit="fortnights"),
            "time_limits.minutes_level_2.unit: must be one of",
        ),
        (
            lambda s: s["time_limits"]["review_level_3"].update(amount=0),
            "time_limits.review_level_3.amount: must be 1 or more",
        ),
        (
            lambda s: s["time_limits"]["review_level_3"].update(amount="6"),
            "time_limits.review_level_3.amount: must be a whole number",
        ),
        (
            lambda s: s["time_limits"]["deletion_review"].update(amount=90),
            "time_limits.deletion_review.amount: must be 100",
        ),
        (
            lambda s: s["time_limits"]["deletion_review"].update(unit="months"),
            "time_limits.deletion_review.unit: must be one of years",
        ),
        (lambda s: s["kpis"][0].update(target=90), "kpis.0.target: must be a fraction"),
        (lambda s: s["calendar"].update(country="FR"), "calendar.country: must be one of"),
        (lambda s: s["calendar"].update(subdivision="ENG"), "calendar.subdivision: for JE"),
        (lambda s: s["categories"][2].update(levels=[1, 4]), "categories.2.levels"),
        (lambda s: s["annual_report"].update(snapshot_day=31, snapshot_month=2), "snapshot_day"),
        (lambda s: s["levels"].pop(), "levels: must give levels 1, 2 and 3"),
        (lambda s: s.update(schema=2), "schema: must be 1"),
    ],
)
def test_a_bad_profile_is_refused_naming_the_setting(change: Any, expected: str) -> None:
    settings = _jersey_settings()
    change(settings)
    assert any(expected in message for message in _errors(settings)), _errors(settings)


@pytest.mark.django_db
def test_saving_a_bad_profile_is_refused() -> None:
    settings = _jersey_settings()
    settings["time_limits"]["review_level_3"]["amount"] = -1
    with pytest.raises(ValidationError):
        ProfileVersion.objects.create(
            key="broken", version=1, name="Broken", effective_from=D(2026, 1, 1), settings=settings
        )
    assert not ProfileVersion.objects.filter(key="broken").exists()


# A profile value changes every computed date, with no code change -------------------


@pytest.mark.django_db
def test_changing_a_profile_value_changes_the_computed_dates(personas: Personas) -> None:
    meeting = D(2026, 1, 1)
    # Before: level 3 reviews every 6 weeks -> Thu 12 Feb 2026.
    assert clocks.review_due(meeting, 3, current_profile()) == D(2026, 2, 12)

    settings = _jersey_settings()
    settings["time_limits"]["review_level_3"]["amount"] = 4
    settings["time_limits"]["minutes_level_3"] = {
        **settings["time_limits"]["minutes_level_3"],
        "amount": 3,
    }
    version = profile_version_publish(
        actor=personas.coordinator,
        key="jersey-2010",
        name="Jersey: JMAPPA Guidance 2010 (local change)",
        effective_from=D(2025, 1, 1),
        settings=settings,
        notes="Level 3 reviews every 4 weeks, minutes in 3 working days",
    )
    assert version.version == 2
    # After: the same call, the same code, reads version 2 -> Thu 29 Jan 2026 (28 days).
    assert clocks.review_due(meeting, 3, current_profile()) == D(2026, 1, 29)
    # Minutes of a level 3 meeting on Thu 2 Apr 2026, 3 working days, over Easter:
    # Tue 7 (1), Wed 8 (2), Thu 9 April (3).
    assert clocks.minutes_due(D(2026, 4, 2), 3, current_profile()) == D(2026, 4, 9)
    # The rules in force before version 2 still explain older dates.
    assert clocks.review_due(meeting, 3, current_profile(D(2024, 6, 1))) == D(2026, 2, 12)
    event = AuditEvent.objects.get(action="profile.publish")
    assert event.changes is not None and event.changes["version"] == [1, 2]


@pytest.mark.django_db
def test_switching_the_area_profile_changes_the_calendar(personas: Personas) -> None:
    received = D(2028, 5, 8)
    # Jersey: Liberation Day (Tue 9 May 2028) skipped -> Wed 31 May 2028.
    assert clocks.first_meeting_due_community(received, current_profile()) == D(2028, 5, 31)
    area_update(
        actor=personas.coordinator,
        area=current_area(),
        profile_key="england-wales-2012",
        population=103267,
        population_source="Jersey 2021 Census, all ages",
        reason="Trial of the MAPPA A/B form set",
    )
    # England: 9 May is a working day -> Tue 30 May 2028.
    assert clocks.first_meeting_due_community(received, current_profile()) == D(2028, 5, 30)
    event = AuditEvent.objects.get(action="area.profile_switch")
    assert event.changes == {"profile_key": ["jersey-2010", "england-wales-2012"]}
    assert event.detail["reason"] == "Trial of the MAPPA A/B form set"


@pytest.mark.django_db
def test_only_one_area_is_current() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Area.objects.create(name="Guernsey", profile_key="jersey-2010", is_current=True)
    assert current_area().name == "Jersey"


@pytest.mark.django_db
def test_area_update_refuses_unknown_profile_and_missing_reason(personas: Personas) -> None:
    with pytest.raises(ValidationError) as caught:
        area_update(
            actor=personas.coordinator,
            area=current_area(),
            profile_key="atlantis-2030",
            population=None,
            reason=" ",
        )
    assert set(caught.value.message_dict) == {"profile_key", "reason"}
    assert current_area().profile_key == "jersey-2010"


def test_profile_limits_cover_every_clock(jersey: Profile) -> None:
    assert [limit.name for limit in jersey.limits] == list(LIMITS)
    assert jersey.limit("first_meeting_community").plain_words == (
        "15 working days after the day the co-ordinator received the referral"
    )
    assert jersey.limit("referral_pdp").plain_words == (
        "the same day as the day the person is identified"
    )


# Pages ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_profiles_page_lists_values_in_plain_words(client: Any, personas: Personas) -> None:
    sign_in(client, personas.administrator)
    page = client.get(reverse("profiles:list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "15 working days after the day the co-ordinator received the referral" in text
    assert "6 weeks after the previous level 3 meeting" in text
    assert "1 calendar month after the last home visit" in text
    assert "England and Wales" in text and "To confirm" in text
    assert "90%" in text and "85%" in text and "100%" in text


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_coordinator_switches_the_area_profile(client: Any, personas: Personas) -> None:
    sign_in(client, personas.coordinator)
    assert client.get(reverse("profiles:area")).status_code == 200
    response = client.post(
        reverse("profiles:area"),
        {
            "profile_key": "england-wales-2012",
            "population": "103267",
            "population_source": "Census",
            "reason": "Testing the MAPPA A/B forms",
        },
    )
    assert response.status_code == 302
    assert current_area().profile_key == "england-wales-2012"
    assert AuditEvent.objects.filter(action="area.profile_switch").count() == 1


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_area_form_errors_are_shown(client: Any, personas: Personas) -> None:
    sign_in(client, personas.coordinator)
    response = client.post(
        reverse("profiles:area"),
        {"profile_key": "england-wales-2012", "population": "lots", "reason": ""},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert "Enter the reason for the change" in text
    assert "Population must be a whole number" in text
    assert current_area().profile_key == "jersey-2010"


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_outsider_cannot_switch_the_profile_and_the_refusal_is_audited(
    client: Any, personas: Personas
) -> None:
    sign_in(client, personas.outsider)
    for method in (client.get, client.post):
        response = method(reverse("profiles:area"))
        assert response.status_code == 403
    refusals = AuditEvent.objects.filter(action="access.refused", actor=personas.outsider)
    assert refusals.count() == 2
    assert current_area().profile_key == "jersey-2010"
