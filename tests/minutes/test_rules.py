"""Each rule of the minutes with a failing and a passing case (MAPPA B; J 5.2, 7.2, 8.3, 10.2)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from mappa.audit.models import AuditEvent
from mappa.minutes import rules, services
from mappa.minutes.forms import ActionForm, AgencyUpdateForm
from mappa.minutes.models import Minutes, MinutesStatus
from tests.minutes.conftest import complete, save

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 5)


@pytest.mark.parametrize("name", ["J.S.", "JS", "J S", "j.s", "J. S.", "A.B.C."])
def test_initials_are_refused(name: str) -> None:
    assert (
        rules.person_name_problem(name) == "Enter the full name of the person, not their initials"
    )


@pytest.mark.parametrize("name", ["Jane Smith", "Al Li", "Mary-Jane O'Neill", "Jo Bloggs"])
def test_full_names_are_accepted(name: str) -> None:
    assert rules.person_name_problem(name) is None


def test_an_initial_for_the_first_name_or_a_single_name_is_refused() -> None:
    assert (
        rules.person_name_problem("J. Smith")
        == "Enter the first name of the person in full, not an initial"
    )
    assert rules.person_name_problem("Smith") == "Enter the first name and last name of the person"


def test_section_9_refuses_initials_and_accepts_a_full_name(cast, started) -> None:
    personas = cast.personas
    minutes = started(DAY)
    with pytest.raises(ValidationError) as refused:
        services.agency_update_save(
            actor=personas.administrator,
            minutes=minutes,
            data={"person_name": "J.S.", "agency": personas.police, "update": "Visited on Monday"},
        )
    assert refused.value.message_dict["person_name"] == [
        "Enter the full name of the person giving the update, not their initials"
    ]
    assert not minutes.agency_updates.exists()
    form = AgencyUpdateForm(
        {"person_name": "JS", "agency": personas.police.pk, "update": "Visited"}
    )
    assert not form.is_valid() and "not their initials" in form.errors["person_name"][0]
    update = services.agency_update_save(
        actor=personas.administrator,
        minutes=minutes,
        data={
            "person_name": "Jane Smith",
            "agency": personas.police,
            "update": "Visited on Monday",
        },
    )
    assert update.person_name == "Jane Smith"


def _action_form(**date: str) -> ActionForm:
    return ActionForm(
        {
            "description": "Visit the former partner",
            "agency": "",
            "owner_name": "",
            "owner_user": "",
            **{f"due_date-{k}": v for k, v in date.items()},
        }
    )


@pytest.mark.parametrize(
    "typed",
    [{"day": "ASAP"}, {"day": "as soon as possible"}, {"day": "tbc", "month": "4", "year": "2026"}],
)
def test_asap_deadline_is_refused(personas, typed) -> None:
    form = _action_form(**typed)
    assert not form.is_valid()
    assert form.errors["due_date"] == [rules.DEADLINE_NOT_A_DATE]


def test_a_specified_deadline_date_is_accepted(personas) -> None:
    form = _action_form(day="19", month="3", year="2026")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due_date"] == dt.date(2026, 3, 19)


def test_vague_deadline_words() -> None:
    assert rules.vague_deadline("ASAP")
    assert rules.vague_deadline("As soon as possible")
    assert not rules.vague_deadline("19 March 2026")


def _problems(minutes: Minutes) -> dict[str, list[str]]:
    return services.minutes_problems(Minutes.objects.get(pk=minutes.pk))


def test_complete_minutes_have_no_problems(cast, started) -> None:
    minutes = complete(cast.personas.administrator, started(DAY), cast.personas)
    assert _problems(minutes) == {}


def test_missing_deadline_date_refuses_finalisation(cast, started) -> None:
    personas = cast.personas
    minutes = complete(personas.administrator, started(DAY), personas)
    action = minutes.actions.get(number=1)
    services.action_save(
        actor=personas.administrator,
        minutes=minutes,
        action=action,
        expected_version=action.version,
        data={
            "description": action.description,
            "agency": personas.police,
            "owner_name": "Callum Destry",
            "due_date": None,
            "protects_victims": True,
        },
    )
    assert _problems(minutes)["actions"] == [
        "Action 1: enter a deadline date (not “as soon as possible”)"
    ]
    action.refresh_from_db()
    services.action_save(
        actor=personas.administrator,
        minutes=minutes,
        action=action,
        expected_version=action.version,
        data={
            "description": action.description,
            "agency": personas.police,
            "owner_name": "Callum Destry",
            "due_date": DAY + dt.timedelta(days=7),
            "protects_victims": True,
        },
    )
    assert _problems(minutes) == {}


def test_an_action_the_agencies_cannot_deliver_needs_no_deadline(cast, started) -> None:
    personas = cast.personas
    minutes = complete(personas.administrator, started(DAY), personas)
    services.action_save(
        actor=personas.administrator,
        minutes=minutes,
        data={
            "description": "A specialist assessment nobody present can fund",
            "refer_to_next_meeting": True,
        },
    )
    assert _problems(minutes) == {}


def test_action_without_an_agency_is_refused(cast, started) -> None:
    personas = cast.personas
    minutes = complete(personas.administrator, started(DAY), personas)
    services.action_save(
        actor=personas.administrator,
        minutes=minutes,
        data={"description": "Check the address", "due_date": DAY + dt.timedelta(days=3)},
    )
    assert _problems(minutes)["actions"] == ["Action 3: select the agency that owns it"]


def test_missing_disclosure_decision_refuses_finalisation(cast, started) -> None:
    personas = cast.personas
    minutes = complete(personas.administrator, started(DAY), personas)
    save(
        personas.administrator, minutes, "disclosure", {"disclosure": "", "disclosure_reasons": ""}
    )
    assert _problems(minutes)["disclosure"] == [
        "Record the decision on disclosure: it must be considered at every meeting"
    ]
    save(
        personas.administrator,
        minutes,
        "disclosure",
        {"disclosure": "yes", "disclosure_reasons": "Risk to the new partner's children"},
    )
    assert _problems(minutes)["disclosure"] == [
        "Enter what will be disclosed",
        "Enter the date by which disclosure will be made",
        "Enter who will make the disclosure",
        "Enter who will receive the disclosure",
    ]
    save(
        personas.administrator,
        minutes,
        "disclosure",
        {
            "disclosure_what": "The index offence and the risk to children",
            "disclosure_by_date": DAY + dt.timedelta(days=7),
            "disclosure_by_whom": "Public protection unit, police",
            "disclosure_to_whom": "The new partner",
        },
    )
    assert "disclosure" not in _problems(minutes)


def test_withholding_management_from_the_person_needs_reasons(cast, started) -> None:
    personas = cast.personas
    minutes = complete(personas.administrator, started(DAY), personas)
    save(personas.administrator, minutes, "disclosure", {"withhold_from_offender": "withhold"})
    assert "Enter the reasons for withholding" in _problems(minutes)["disclosure"][0]
    save(
        personas.administrator,
        minutes,
        "disclosure",
        {"withhold_reasons": "Telling him would raise the risk to the victim"},
    )
    assert _problems(minutes) == {}


def test_missing_conclusion_answer_refuses_finalisation(cast, started) -> None:
    personas = cast.personas
    minutes = complete(personas.administrator, started(DAY), personas)
    save(personas.administrator, minutes, "conclusion", {"ongoing_at_level": ""})
    assert _problems(minutes)["conclusion"] == [
        "Answer the question “Does this case require ongoing management at this level?”"
    ]
    save(personas.administrator, minutes, "conclusion", {"ongoing_at_level": "no"})
    assert "recommend another level or leaving MAPPA" in _problems(minutes)["conclusion"][0]
    save(personas.administrator, minutes, "conclusion", {"ongoing_at_level": "yes"})
    assert _problems(minutes) == {}


def test_discharge_must_be_considered(cast, started) -> None:
    personas = cast.personas
    minutes = complete(personas.administrator, started(DAY), personas)
    save(personas.administrator, minutes, "conclusion", {"discharge_considered": False})
    assert _problems(minutes)["conclusion"] == [
        "Confirm that the meeting considered discharge from MAPPA (J 13.3)"
    ]


def test_plan_without_an_action_protecting_victims_is_refused(cast, started) -> None:
    personas = cast.personas
    minutes = complete(personas.administrator, started(DAY), personas)
    action = minutes.actions.get(number=1)
    services.action_save(
        actor=personas.administrator,
        minutes=minutes,
        action=action,
        expected_version=action.version,
        data={
            "description": action.description,
            "agency": personas.police,
            "owner_name": "Callum Destry",
            "due_date": action.due_date,
            "protects_victims": False,
        },
    )
    assert _problems(minutes)["actions"] == [
        "The plan must contain at least one action to protect victims (J 7.2): mark the action that does"
    ]


def test_plan_without_a_contingency_is_refused_until_one_is_written_or_marked(
    cast, started
) -> None:
    personas = cast.personas
    minutes = complete(personas.administrator, started(DAY), personas)
    action = minutes.actions.get(number=2)
    services.action_save(
        actor=personas.administrator,
        minutes=minutes,
        action=action,
        expected_version=action.version,
        data={
            "description": action.description,
            "agency": personas.housing,
            "owner_name": "Saskia Penhallow",
            "due_date": action.due_date,
            "contingency": False,
        },
    )
    assert _problems(minutes)["plan"] == [
        "The plan must contain a contingency plan in case it breaks down (J 7.2): describe it, or mark a contingency action"
    ]
    save(
        personas.administrator,
        minutes,
        "plan",
        {"contingency_plan": "Recall to custody if he goes near the victim's home"},
    )
    assert _problems(minutes) == {}


def test_category_3_cannot_move_to_level_1(cast, personas) -> None:
    from tests.factories import make_nominal
    from tests.minutes.conftest import OPENED, make_item, make_meeting

    nominal = make_nominal(
        personas.coordinator,
        family_name="Jones",
        category="3",
        lead_agency=personas.probation,
        opened_on=OPENED,
    )
    item = make_item(make_meeting(DAY, chair=cast.chair), nominal)
    minutes = complete(
        personas.administrator,
        services.minutes_start(actor=personas.administrator, agenda_item=item),
        personas,
    )
    save(
        personas.administrator,
        minutes,
        "conclusion",
        {"conclusion": "level_1", "ongoing_at_level": "no"},
    )
    assert _problems(minutes)["conclusion"] == [
        "A category 3 case cannot be managed at level 1: choose “Leave MAPPA” instead"
    ]


def test_a_refused_finalisation_keeps_every_word_and_is_audited(cast, started, client) -> None:
    personas = cast.personas
    minutes = complete(personas.administrator, started(DAY), personas, actions=False)
    before = services.minutes_values(Minutes.objects.get(pk=minutes.pk))
    client.force_login(personas.administrator)
    response = client.post(f"/minutes/{minutes.pk}/check/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "The minutes cannot be finalised yet" in page
    assert "at least one action to protect victims" in page
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.DRAFT
    assert services.minutes_values(minutes) == before
    assert AuditEvent.objects.filter(
        action="minutes.finalise", outcome="refused", object_id=str(minutes.pk)
    ).exists()
