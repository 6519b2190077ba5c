"""A case with a referral, two distributed sets of minutes and the people around it,
built through the services, whose narratives name the victim and a child in several
fields and spellings (issue 7, "Tests that must exist")."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from mappa.access.models import Role, User
from mappa.disclosure import services
from mappa.disclosure.models import MinutesRequest
from mappa.meetings.models import DiscussionKind
from mappa.minutes import services as minutes_services
from mappa.minutes.models import Minutes
from mappa.people import services as people_services
from mappa.referrals import services as referral_services
from mappa.register.models import Case, Nominal
from tests.api.helpers import COMPLETE_REFERRAL, line_manager_of
from tests.conftest import Personas
from tests.factories import make_nominal, make_user
from tests.minutes.conftest import complete, make_item, make_meeting, save

FIRST = dt.date(2026, 1, 13)
SECOND = dt.date(2026, 4, 7)
RECEIVED = dt.date(2026, 5, 4)

# Everything that must not survive into the summary, as typed in the records.
VICTIM: dict[str, Any] = {
    "given_names": "Mary",
    "family_name": "Smith",
    "date_of_birth": dt.date(1990, 4, 3),
}
CHILD: dict[str, Any] = {
    "given_names": "Poppy",
    "family_name": "Smith",
    "date_of_birth": dt.date(2015, 4, 3),
}
ADDRESS: dict[str, Any] = {
    "address_line_1": "12 Rue de la Mare",
    "town": "St Helier",
    "postcode": "JE2 3AB",
}
FORBIDDEN = [
    "mary",
    "smith",
    "molly",
    "poppy",
    "rue de la mare",
    "je2 3ab",
    "je23ab",
    "3 april 1990",
    "03/04/2015",
    "3.4.15",
]

REFERRAL_REASON = "Threats to MARY SMITH and her daughter Poppy after the separation."
VICTIM_CONCERNS = (
    "Mary Smith's new address, 12 Rue de la Mare, St Helier, JE2 3AB, may be known to him. "
    "Mary (known as Molly) was born on 3 April 1990."
)
RISK_WHO = "Mary\nSmith and the child Poppy Smith (born 03/04/2015)."
RISK_NATURE = "Smith's fear of contact; Molly reported messages sent on 3.4.15 and since."
PLAN = "Exclusion zone around 12 Rue De La Mare; no contact with POPPY."
ACTION = "Police to visit Mary Smith at je23ab and review her safety plan"


@dataclass
class Scene:
    personas: Personas
    chair: User
    nominal: Nominal
    case: Case
    minutes: list[Minutes]


def _referral(personas: Personas, nominal: Nominal) -> Any:
    manager = line_manager_of(personas)
    referral = referral_services.referral_start(actor=personas.owner, nominal=nominal)
    referral = referral_services.referral_update(
        actor=personas.owner,
        referral=referral,
        data={
            **COMPLETE_REFERRAL,
            "level_sought": 2,
            "reason_for_referral": REFERRAL_REASON,
            "diversity": "Needs an interpreter for Portuguese.",
            "line_manager": manager,
        },
    )
    referral = referral_services.referral_submit(actor=personas.owner, referral=referral)
    referral = referral_services.referral_endorse(actor=manager, referral=referral)
    return referral_services.referral_accept(
        actor=personas.coordinator, referral=referral, category="2", level=2, note="Agreed"
    )


def _minutes(
    personas: Personas, chair: User, nominal: Nominal, day: dt.date, **extra: Any
) -> Minutes:
    meeting = make_meeting(day, 2, chair=chair)
    item = make_item(meeting, nominal, **extra)
    minutes = minutes_services.minutes_start(actor=personas.administrator, agenda_item=item)
    return complete(personas.administrator, minutes, personas)


def _distribute(personas: Personas, chair: User, minutes: Minutes) -> Minutes:
    minutes = minutes_services.minutes_finalise(actor=chair, minutes=minutes)
    return minutes_services.minutes_distribute(
        actor=personas.administrator, minutes=minutes, send_notices=False
    )


def build_scene(personas: Personas) -> Scene:
    chair = make_user(
        "chair",
        Role.CHAIR,
        agency=personas.police,
        first_name="Rosalind",
        last_name="Fenwick",
        job_title="Detective Inspector",
        email="r.fenwick@police.example",
    )
    nominal = make_nominal(
        personas.coordinator,
        given_names="Daniel",
        family_name="Renouf",
        lead_agency=personas.probation,
        manager=personas.owner,
        opened_on=dt.date(2025, 1, 6),
    )
    case = nominal.cases.get(closed_on__isnull=True)
    referral = _referral(personas, nominal)
    people_services.case_person_add(
        actor=personas.coordinator,
        case=case,
        kind="victim",
        aliases=["Molly"],
        relation_to_nominal="Former partner",
        **VICTIM,
        **ADDRESS,
    )
    people_services.case_person_add(
        actor=personas.coordinator,
        case=case,
        kind="child",
        relation_to_nominal="Daughter of the victim",
        **CHILD,
    )
    first = _minutes(personas, chair, nominal, FIRST, kind=DiscussionKind.FIRST, referral=referral)
    save(personas.administrator, first, "victims", {"victim_concerns": VICTIM_CONCERNS})
    save(personas.administrator, first, "risk", {"risk_who": RISK_WHO})
    minutes_services.action_save(
        actor=personas.administrator,
        minutes=first,
        data={
            "description": ACTION,
            "agency": personas.police,
            "owner_name": "Callum Destry",
            "due_date": FIRST + dt.timedelta(days=10),
            "protects_victims": True,
        },
    )
    first = _distribute(personas, chair, first)
    second = _minutes(personas, chair, nominal, SECOND)
    # Section 8: the first meeting's actions, reviewed (the first done, the rest not).
    answers: dict[str, Any] = {}
    for index, review in enumerate(second.reviews.order_by("position")):
        done = index == 0
        answers[f"review.{review.pk}.completed"] = "yes" if done else "no"
        answers[f"review.{review.pk}.done_on"] = FIRST + dt.timedelta(days=5) if done else None
        answers[f"review.{review.pk}.reason"] = "" if done else "The panel has not met yet"
    save(personas.administrator, second, "review", answers)
    save(personas.administrator, second, "risk", {"risk_nature": RISK_NATURE})
    save(personas.administrator, second, "plan", {"plan_restrictive": PLAN})
    second = _distribute(personas, chair, second)
    return Scene(personas, chair, nominal, case, [first, second])


@pytest.fixture
def scene(personas: Personas) -> Scene:
    return build_scene(personas)


def record(scene: Scene, actor: Any = None, **extra: Any) -> MinutesRequest:
    return services.minutes_request_record(
        actor=actor or scene.personas.owner,
        case=scene.case,
        requester_name=extra.pop("requester_name", "Royal Court of Jersey"),
        requester_type=extra.pop("requester_type", "court"),
        asked=extra.pop("asked", "Copies of all MAPPA minutes about Daniel Renouf"),
        received_on=extra.pop("received_on", RECEIVED),
        **extra,
    )


def clarify(scene: Scene, found: MinutesRequest, *, minutes_sought: bool = True) -> Any:
    return services.minutes_request_clarify(
        actor=scene.personas.coordinator,
        minutes_request=found,
        sought="The meeting's view of risk and the plan; probation's own risk assessment",
        minutes_sought=minutes_sought,
        channel="email",
        clarified_on=RECEIVED + dt.timedelta(days=1),
        expected_version=None,
    )
