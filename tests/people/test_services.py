"""Services and selectors for the people around a case."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from mappa.access.models import Role, SectionRule
from mappa.audit.models import AuditEvent
from mappa.common.dates import today
from mappa.people import services
from mappa.people.models import CasePerson
from mappa.people.selectors import people_for_case, people_for_user, person_of_nominal
from mappa.register import services as register_services
from mappa.register.models import Case, Nominal
from tests.conftest import Personas
from tests.factories import make_nominal, make_user

pytestmark = pytest.mark.django_db


def _case(nominal: Nominal) -> Case:
    return nominal.cases.get(closed_on__isnull=True)


def _victim(personas: Personas, nominal: Nominal, **extra: object) -> CasePerson:
    fields: dict[str, object] = {
        "given_names": "Mary",
        "family_name": "Smith",
        "date_of_birth": dt.date(1984, 2, 3),
        "relation_to_nominal": "Former partner",
        "address_line_1": "1 Rue de la Mare",
        "town": "St Helier",
        "postcode": "je2 3ab",
        "knows_of_management": "yes",
        "victim_liaison": "yes",
        "vlo_contact": "VLO on 01534 000000",
    }
    fields.update(extra)
    return services.case_person_add(
        actor=personas.owner,
        case=_case(nominal),
        kind="victim",
        aliases=["Mary Jones", "Polly", "mary jones"],
        **fields,
    )


def test_adding_a_victim_records_every_field_in_the_audit(
    personas: Personas, nominal: Nominal
) -> None:
    victim = _victim(personas, nominal)
    assert victim.postcode == "JE2 3AB"
    assert [a.name for a in victim.aliases.all()] == ["Mary Jones", "Polly"]
    event = AuditEvent.objects.get(action="case_person.create")
    assert event.changes is not None
    assert event.nominal_id == str(nominal.pk)
    assert event.detail["section"] == "victims"
    assert event.changes["family_name"] == [None, "Smith"]
    assert event.changes["aliases"] == [None, ["Mary Jones", "Polly"]]


def test_a_change_is_audited_field_by_field(personas: Personas, nominal: Nominal) -> None:
    victim = _victim(personas, nominal)
    services.case_person_update(
        actor=personas.owner, person=victim, town="St Brelade", aliases=["Polly"]
    )
    event = AuditEvent.objects.get(action="case_person.update")
    assert event.changes == {
        "town": ["St Helier", "St Brelade"],
        "aliases": [["Mary Jones", "Polly"], ["Polly"]],
    }
    # Saving the same values again writes nothing.
    services.case_person_update(actor=personas.owner, person=victim, town="St Brelade")
    assert AuditEvent.objects.filter(action="case_person.update").count() == 1


def test_removal_keeps_what_was_removed_in_the_audit(personas: Personas, nominal: Nominal) -> None:
    victim = _victim(personas, nominal)
    services.case_person_remove(actor=personas.owner, person=victim)
    assert not CasePerson.objects.exists()
    event = AuditEvent.objects.get(action="case_person.delete")
    assert event.changes is not None
    assert event.changes["given_names"] == ["Mary", None]
    assert event.object_id == str(victim.pk)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"given_names": "", "family_name": ""}, "given_names"),
        ({"relation_to_nominal": " "}, "relation_to_nominal"),
        ({"date_of_birth": dt.date.today() + dt.timedelta(days=2)}, "date_of_birth"),
        ({"vlo_contact": ""}, "vlo_contact"),
    ],
)
def test_invalid_people_are_refused_naming_the_field(
    personas: Personas, nominal: Nominal, extra: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        _victim(personas, nominal, **extra)
    assert field in caught.value.message_dict
    assert not CasePerson.objects.exists()


def test_child_questions_are_kept_only_for_children(personas: Personas, nominal: Nominal) -> None:
    child = services.case_person_add(
        actor=personas.owner,
        case=_case(nominal),
        kind="child",
        given_names="Tom",
        family_name="Smith",
        relation_to_nominal="Son",
        school_age="yes",
        child_protection_plan="yes",
        social_worker="A. Worker, Children's Service",
    )
    assert child.child_protection_plan == "yes"
    partner = services.case_person_add(
        actor=personas.owner,
        case=_case(nominal),
        kind="partner",
        given_names="Ann",
        relation_to_nominal="Partner",
        school_age="yes",
        vlo_contact="Nobody",
    )
    assert partner.school_age == ""
    assert partner.vlo_contact == ""


def test_people_on_an_archived_record_cannot_be_changed(
    personas: Personas, nominal: Nominal
) -> None:
    victim = _victim(personas, nominal)
    case = _case(nominal)
    register_services.nominal_archive(actor=personas.coordinator, nominal=nominal, reason="Gone")
    with pytest.raises(ValidationError, match="archived"):
        services.case_person_update(actor=personas.coordinator, person=victim, town="Trinity")
    with pytest.raises(ValidationError, match="archived"):
        services.case_person_remove(actor=personas.coordinator, person=victim)
    with pytest.raises(ValidationError, match="archived"):
        services.case_person_add(
            actor=personas.coordinator,
            case=case,
            kind="child",
            given_names="Tom",
            relation_to_nominal="Son",
        )


def test_people_of_an_earlier_case_stay_as_they_were(personas: Personas, nominal: Nominal) -> None:
    victim = _victim(personas, nominal)
    register_services.nominal_archive(actor=personas.coordinator, nominal=nominal, reason="Gone")
    register_services.nominal_reactivate(
        actor=personas.coordinator, nominal=nominal, reason="Re-offended"
    )
    with pytest.raises(ValidationError, match="earlier case"):
        services.case_person_update(actor=personas.coordinator, person=victim, town="Trinity")


def test_lists_are_filtered_by_record_and_section_in_the_query(
    personas: Personas, nominal: Nominal, django_assert_max_num_queries: object
) -> None:
    _victim(personas, nominal)
    services.case_person_add(
        actor=personas.owner,
        case=_case(nominal),
        kind="child",
        given_names="Tom",
        relation_to_nominal="Son",
    )
    other = make_nominal(personas.coordinator, family_name="Other", lead_agency=personas.police)
    services.case_person_add(
        actor=personas.coordinator,
        case=_case(other),
        kind="victim",
        given_names="Zed",
        relation_to_nominal="Neighbour",
    )
    health_worker = make_user("nurse", Role.PRACTITIONER, agency=personas.housing)
    register_services.case_partner_add(
        actor=personas.coordinator, case=_case(nominal), agency=personas.housing
    )
    assert {p.given_names for p in people_for_user(personas.owner)} == {"Mary", "Tom"}
    assert {p.given_names for p in people_for_user(personas.coordinator)} == {"Mary", "Tom", "Zed"}
    # Housing is a partner to the case but not entitled to these sections.
    assert list(people_for_user(health_worker)) == []
    assert list(people_for_user(personas.outsider)) == []
    assert list(people_for_user(personas.smb_member)) == []
    # The section rule changes: housing sees children only.
    rule = SectionRule.objects.get(section="children")
    rule.agency_kinds = [*rule.agency_kinds, "housing"]
    rule.save()
    assert [p.given_names for p in people_for_user(health_worker, nominal)] == ["Tom"]


def test_people_for_case_gives_every_name_for_redaction(
    personas: Personas, nominal: Nominal
) -> None:
    _victim(personas, nominal)
    people = list(people_for_case(_case(nominal)))
    assert [(p.given_names, [a.name for a in p.aliases.all()]) for p in people] == [
        ("Mary", ["Mary Jones", "Polly"])
    ]
    assert people[0].address == "1 Rue de la Mare, St Helier, JE2 3AB"
    assert people[0].age_on(today()) is not None


def test_a_person_is_found_only_under_their_own_record(
    personas: Personas, nominal: Nominal
) -> None:
    victim = _victim(personas, nominal)
    other = make_nominal(personas.coordinator, family_name="Other", lead_agency=personas.probation)
    assert person_of_nominal(nominal, victim.pk) == victim
    with pytest.raises(Http404):
        person_of_nominal(other, victim.pk)


def test_searching_for_a_victims_name_finds_no_record(personas: Personas, nominal: Nominal) -> None:
    from mappa.search.selectors import search_register

    _victim(personas, nominal, family_name="Quennevais")
    outcome = search_register(user=personas.coordinator, query="Mary Quennevais")
    assert outcome.results == []
    assert not outcome.hidden_matches
