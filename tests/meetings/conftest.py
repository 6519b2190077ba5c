"""Fixtures for the meetings tests: a chair, standing members, and a way to make
meetings on any day (past ones straight in the database, as history)."""

import datetime as dt
from typing import Any

import pytest

from mappa.access.models import AgencyKind, Contact, Role
from mappa.common.dates import today
from mappa.meetings import services
from mappa.meetings.models import AgendaItem, DiscussionKind, Meeting, MeetingStatus
from mappa.referrals import services as referral_services
from mappa.register.models import Case
from tests.conftest import Personas
from tests.factories import make_agency, make_user

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _meetings_settings(settings: Any) -> None:
    settings.ROOT_URLCONF = "tests.meetings.urls"
    settings.TASKS = IMMEDIATE
    settings.MAPPA_COORDINATION_EMAIL = "jmappa@coordination.example"
    settings.MAPPA_BASE_URL = "https://mappa.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def chair(personas: Personas) -> Any:
    return make_user(
        "chair",
        Role.CHAIR,
        agency=personas.police,
        email="chair@police.example",
        job_title="Detective Chief Inspector",
    )


@pytest.fixture
def childrens(db: None) -> Any:
    agency = make_agency("Children's Services", AgencyKind.CHILDRENS_SERVICES, is_core=True)
    Contact.objects.create(
        agency=agency,
        name="Petronella Dunmore",
        role="Head of Children's Social Work",
        email="p.dunmore@childrens.example",
        is_spoc=True,
    )
    return agency


@pytest.fixture
def education_contact(personas: Personas) -> Contact:
    return Contact.objects.create(
        agency=personas.education,
        name="Clemency Ashdown",
        role="Designated Safeguarding Officer",
        email="c.ashdown@education.example",
        is_spoc=True,
    )


@pytest.fixture
def standing(personas: Personas) -> list[Any]:
    """Level 2 standing members: a police inspector and a probation team leader (J 10.7)."""
    police = Contact.objects.create(
        agency=personas.police,
        name="Gideon Rafferty",
        role="MAPPA single point of contact",
        grade="Inspector",
        email="g.rafferty@police.example",
        is_spoc=True,
    )
    probation = Contact.objects.create(
        agency=personas.probation,
        name="Harriet Quist",
        role="Team Leader",
        grade="Team Leader",
        email="h.quist@probation.example",
    )
    return [
        services.standing_member_save(
            actor=personas.administrator, level=2, contact=police, minimum_grade="Inspector"
        ),
        services.standing_member_save(
            actor=personas.administrator, level=2, contact=probation, minimum_grade="Team Leader"
        ),
    ]


def make_meeting(
    *,
    level: int = 2,
    days: int = 7,
    chair: Any = None,
    start: dt.time = dt.time(10, 0),
    status: str = MeetingStatus.PLANNED,
    kind: str = "scheduled",
    venue: str = "Police HQ, Rouge Bouillon",
) -> Meeting:
    """A meeting ``days`` from today (negative for the past)."""
    return Meeting.objects.create(
        level=level,
        kind=kind,
        date=today() + dt.timedelta(days=days),
        start_time=start,
        end_time=dt.time(start.hour + 2, start.minute),
        venue=venue,
        chair=chair,
        status=status,
    )


def discussed(case: Case, *, days_ago: int, level: int = 2) -> AgendaItem:
    """A past discussion of ``case`` (history, as the minutes would leave it)."""
    meeting = make_meeting(level=level, days=-days_ago, status=MeetingStatus.HELD)
    return AgendaItem.objects.create(
        meeting=meeting, case=case, kind=DiscussionKind.REVIEW, position=1, discussed=True
    )


COMPLETE = {
    "category": "2",
    "level_sought": 2,
    "custody": "community",
    "overall_risk": "high",
    "risk_who": "Former partner",
    "risk_nature": "Violence",
    "risk_when": "On contact with the former partner",
    "risk_increase": "Alcohol misuse",
    "risk_reduce": "Stable accommodation",
    "plan_restrictive_choices": ["licence_conditions"],
    "reason_for_referral": "Escalating threats",
    "added_value": "Housing and police co-ordination",
    "victim_concerns": "Former partner lives nearby",
    "child_protection_concerns": "no",
}


def accepted_referral(personas: Personas, nominal: Any, **answers: Any) -> Any:
    """A referral taken through endorsement and accepted at level 2 by the co-ordinator."""
    manager = make_user(
        f"lm-{nominal.reference}",
        Role.LINE_MANAGER,
        agency=personas.probation,
        email="lm@probation.example",
    )
    if not personas.owner.email:
        personas.owner.email = "owner@probation.example"
        personas.owner.job_title = "Probation Officer"
        personas.owner.save()
    referral = referral_services.referral_start(actor=personas.owner, nominal=nominal)
    data = {**COMPLETE, "line_manager": manager, **answers}
    if data.get("child_protection_concerns") == "yes":
        data.setdefault("child_protection_details", "Contact with a child of a new partner")
        data.setdefault("child_protection_plan", "no")
    referral = referral_services.referral_update(actor=personas.owner, referral=referral, data=data)
    referral = referral_services.referral_submit(actor=personas.owner, referral=referral)
    referral = referral_services.referral_endorse(actor=manager, referral=referral)
    return referral_services.referral_accept(
        actor=personas.coordinator, referral=referral, category="2", level=2
    )
