"""Fixtures for the minutes tests: meetings and case discussions made straight in the
database (the meetings app owns their services), minutes written through ours."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from mappa.access.models import AgencyKind, Contact, Role, User
from mappa.meetings.models import AgendaItem, DiscussionKind, Meeting, MeetingStatus
from mappa.minutes import services
from mappa.minutes.models import Minutes
from mappa.register.models import Nominal
from tests.conftest import Personas
from tests.factories import make_agency, make_nominal, make_user

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
OPENED = dt.date(2025, 1, 6)


@pytest.fixture(autouse=True)
def _minutes_settings(settings: Any) -> None:
    settings.TASKS = IMMEDIATE
    settings.MAPPA_BASE_URL = "https://mappa.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@dataclass
class Cast:
    personas: Personas
    chair: User
    coordination_agency: Any
    police_spoc: Contact
    probation_spoc: Contact
    police_spoc_user: User


@pytest.fixture
def cast(personas: Personas) -> Cast:
    chair = make_user(
        "chair", Role.CHAIR, agency=personas.police, first_name="Rosalind", last_name="Fenwick"
    )
    spoc_user = make_user(
        "spoc",
        Role.PRACTITIONER,
        agency=personas.police,
        email="spoc@police.example",
        first_name="Gideon",
        last_name="Rafferty",
    )
    police_spoc = Contact.objects.create(
        agency=personas.police,
        name="Gideon Rafferty",
        email="spoc@police.example",
        is_spoc=True,
        user=spoc_user,
    )
    probation_spoc = Contact.objects.create(
        agency=personas.probation,
        name="Harriet Quist",
        email="h.quist@probation.example",
        is_spoc=True,
    )
    return Cast(
        personas=personas,
        chair=chair,
        coordination_agency=make_agency("MAPPA Co-ordination Unit", AgencyKind.COORDINATION),
        police_spoc=police_spoc,
        probation_spoc=probation_spoc,
        police_spoc_user=spoc_user,
    )


@pytest.fixture
def case_nominal(personas: Personas) -> Nominal:
    """Category 2, level 2, led by probation and managed by the owner, open since 2025."""
    return make_nominal(
        personas.coordinator,
        lead_agency=personas.probation,
        manager=personas.owner,
        opened_on=OPENED,
    )


def make_meeting(day: dt.date, level: int = 2, chair: Any = None, **extra: Any) -> Meeting:
    return Meeting.objects.create(
        level=level,
        date=day,
        start_time=dt.time(10, 0),
        venue="Police headquarters, Rouge Bouillon",
        chair=chair,
        status=extra.pop("status", MeetingStatus.HELD),
        **extra,
    )


def make_item(
    meeting: Meeting, nominal: Nominal, kind: str = DiscussionKind.REVIEW, **extra: Any
) -> AgendaItem:
    case = nominal.cases.get(closed_on__isnull=True)
    return AgendaItem.objects.create(
        meeting=meeting, case=case, kind=kind, discussed=True, position=1, **extra
    )


COMPLETE_SECTIONS: dict[str, dict[str, Any]] = {
    "victims": {
        "victim_concerns": "The former partner lives two streets away.",
        "vls_taken_up": "yes",
        "vlo_contact": "Victim Liaison Officer, Probation, 01534 000000",
        "domestic_abuse": "no",
    },
    "risk": {
        "risk_who": "Former partner and her children",
        "risk_nature": "Physical violence and threats",
        "risk_when": "On contact after drinking",
        "risk_increase": "Alcohol, loss of accommodation",
        "risk_reduce": "Stable housing, engagement with supervision",
        "rosh": "high",
    },
    "plan": {
        "plan_restrictive": "Exclusion zone around the former partner's home",
        "plan_rehabilitative": "Alcohol treatment programme",
        "plan_protective": "Supported accommodation",
        "contingency_plan": "",
        "differences_of_opinion": "",
    },
    "disclosure": {
        "disclosure": "no",
        "disclosure_reasons": "The former partner already knows the risk; no third party needs telling.",
        "withhold_from_offender": "tell",
    },
    "media": {"media_consider": "no"},
    "conclusion": {
        "conclusion": "level_2",
        "conclusion_reasons": "Risk remains high while housing is unsettled.",
        "ongoing_at_level": "yes",
        "ongoing_achieve": "Settled housing and completion of the alcohol programme.",
        "discharge_considered": True,
        "discharge_notes": "Not yet: risk is still high.",
    },
    "hra": {"hra_confirmed": True, "hra_grounds": ["public_safety", "rights_freedoms"]},
}


def save(actor: Any, minutes: Minutes, section: str, data: dict[str, Any]) -> Minutes:
    minutes.refresh_from_db()
    services.minutes_save_section(
        actor=actor, minutes=minutes, section=section, data=data, expected_version=minutes.version
    )
    minutes.refresh_from_db()
    return minutes


def complete(actor: Any, minutes: Minutes, personas: Personas, *, actions: bool = True) -> Minutes:
    """Fill every section as a complete, finalisable record."""
    for section, data in COMPLETE_SECTIONS.items():
        save(actor, minutes, section, dict(data))
    meeting = minutes.agenda_item.meeting
    if actions:
        services.action_save(
            actor=actor,
            minutes=minutes,
            data={
                "description": "Police to visit the former partner and review her safety plan",
                "agency": personas.police,
                "owner_name": "Callum Destry",
                "due_date": meeting.date + dt.timedelta(days=14),
                "protects_victims": True,
            },
        )
        services.action_save(
            actor=actor,
            minutes=minutes,
            data={
                "description": "If accommodation fails, Housing to offer an emergency placement",
                "agency": personas.housing,
                "owner_name": "Saskia Penhallow",
                "due_date": meeting.date + dt.timedelta(days=28),
                "contingency": True,
            },
        )
    minutes.refresh_from_db()
    return minutes


@pytest.fixture
def started(cast: Cast, case_nominal: Nominal) -> Callable[..., Minutes]:
    """Start minutes of a discussion of the case at a meeting on ``day``."""

    def start(day: dt.date, level: int = 2, actor: Any = None, **extra: Any) -> Minutes:
        meeting = make_meeting(day, level, chair=cast.chair)
        item = make_item(meeting, case_nominal, **extra)
        return services.minutes_start(actor=actor or cast.personas.administrator, agenda_item=item)

    return start
