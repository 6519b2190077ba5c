"""A case with every document: an accepted referral (MAPPA A), two sets of minutes
(MAPPA B; the second reviews the first's actions), and a level 1 review, all built
through the services. The person's names are in Cyrillic, Arabic and Chinese script,
so that every document has to carry characters outside Latin-1."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from mappa.access.models import Role, User
from mappa.common.dates import today
from mappa.minutes import services as minutes_services
from mappa.minutes.models import Level1Review, Minutes
from mappa.referrals import services as referral_services
from mappa.referrals.models import Referral
from mappa.register import services as register_services
from mappa.register.models import Address, Alias, Conviction, Identifier, Nominal
from tests.api.helpers import referral_at
from tests.conftest import Personas
from tests.factories import make_nominal, make_user
from tests.minutes.conftest import complete, make_item, make_meeting, save

# One name in each of three scripts outside Latin-1.
CYRILLIC = "Иванов"
ARABIC = "محمد"
CHINESE = "王小明"
# The level 1 case's person: family name in Cyrillic, given names in Arabic and Chinese.
LEVEL1_NAMES = ("Петров", "علي", "李娜")

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _document_settings(settings: Any) -> None:
    settings.TASKS = IMMEDIATE
    settings.MAPPA_BASE_URL = "https://mappa.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MAPPA_PROTECTIVE_MARKING = "OFFICIAL-SENSITIVE"


@dataclass
class Scene:
    personas: Personas
    chair: User
    nominal: Nominal
    referral: Referral
    first: Minutes
    second: Minutes
    level1_nominal: Nominal
    review: Level1Review


def _furnish(personas: Personas, nominal: Nominal) -> None:
    actor = personas.coordinator
    for instance in (
        Alias(given_names=CHINESE, family_name=""),
        Identifier(kind="pnc", value="2012/0000001H"),
        Address(kind="current", line_1="1 Rue de la Mare", town="St Helier", postcode="JE2 3AB"),
        Conviction(
            offence="Assault occasioning actual bodily harm",
            conviction_date=dt.date(2024, 2, 1),
            sentence="18 months' probation",
            is_index_offence=True,
            details="Assault on a former partner at her home.",
        ),
        Conviction(
            offence="Criminal damage",
            conviction_date=dt.date(2021, 6, 3),
            sentence="Fine",
        ),
    ):
        register_services.attachment_save(actor=actor, nominal=nominal, instance=instance)


def build_scene(personas: Personas) -> Scene:
    chair = make_user(
        "chair", Role.CHAIR, agency=personas.police, first_name="Rosalind", last_name="Fenwick"
    )
    nominal = make_nominal(
        personas.coordinator,
        family_name=CYRILLIC,
        given_names=ARABIC,
        lead_agency=personas.probation,
        manager=personas.owner,
        opened_on=dt.date(2025, 1, 6),
    )
    _furnish(personas, nominal)
    referral = referral_at("awaiting_screening", personas, nominal)
    referral = referral_services.referral_accept(
        actor=personas.coordinator, referral=referral, category="2", level=2, note="Agreed"
    )
    day = today()
    first_meeting = make_meeting(day - dt.timedelta(days=70), 2, chair=chair)
    item = make_item(first_meeting, nominal, kind="first", referral=referral)
    first = minutes_services.minutes_start(actor=personas.administrator, agenda_item=item)
    first = complete(personas.administrator, first, personas)
    minutes_services.agency_update_save(
        actor=personas.administrator,
        minutes=first,
        data={
            "person_name": "Jane Le Brocq",
            "agency": personas.police,
            "update": f"Seen at home with {CHINESE}; no concerns.",
        },
    )
    first.refresh_from_db()
    minutes_services.minutes_finalise(actor=personas.administrator, minutes=first)
    first.refresh_from_db()
    minutes_services.minutes_distribute(actor=personas.administrator, minutes=first)
    first.refresh_from_db()
    second_meeting = make_meeting(day - dt.timedelta(days=7), 2, chair=chair)
    second_item = make_item(second_meeting, nominal)
    second = minutes_services.minutes_start(actor=personas.administrator, agenda_item=second_item)

    level1_nominal = make_nominal(
        personas.coordinator,
        family_name=LEVEL1_NAMES[0],
        given_names=f"{LEVEL1_NAMES[1]} {LEVEL1_NAMES[2]}",
        level=1,
        lead_agency=personas.probation,
        manager=personas.owner,
        opened_on=dt.date(2025, 1, 6),
    )
    review = minutes_services.level1_review_record(
        actor=personas.owner,
        case=level1_nominal.cases.get(),
        review_date=day,
        new_information="Moved to supported housing; no new risk information.",
        plan_revised="no",
        plan_changes="",
        refer="no",
        refer_reasons="",
    )
    return Scene(
        personas=personas,
        chair=chair,
        nominal=nominal,
        referral=referral,
        first=first,
        second=second,
        level1_nominal=level1_nominal,
        review=review,
    )


@pytest.fixture
def scene(personas: Personas) -> Scene:
    return build_scene(personas)


__all__ = ["ARABIC", "CHINESE", "CYRILLIC", "LEVEL1_NAMES", "Scene", "build_scene", "save"]
