"""The people pages: sections shown or restricted, every view of a section audited,
the outsider refused and audited, ids from another record refused."""

import pytest
from django.test import Client
from django.urls import reverse

from mappa.audit.models import AuditEvent
from mappa.people import services
from mappa.people.models import CasePerson
from mappa.register import services as register_services
from mappa.register.models import Case, Nominal
from tests.access.helpers import sign_in
from tests.conftest import Personas
from tests.factories import make_nominal

pytestmark = pytest.mark.django_db


def _case(nominal: Nominal) -> Case:
    return nominal.cases.get(closed_on__isnull=True)


@pytest.fixture
def victim(personas: Personas, nominal: Nominal) -> CasePerson:
    return services.case_person_add(
        actor=personas.owner,
        case=_case(nominal),
        kind="victim",
        given_names="Mary",
        family_name="Quennevais",
        relation_to_nominal="Former partner",
        aliases=["Polly Vardon"],
    )


def test_the_owner_sees_each_section_and_each_view_is_audited(
    client: Client, personas: Personas, nominal: Nominal, victim: CasePerson
) -> None:
    sign_in(client, personas.owner)
    response = client.get(reverse("people:list", args=[nominal.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Quennevais" in page
    assert "Polly Vardon" in page
    assert "This section is restricted" not in page
    assert reverse("people:add", args=[nominal.pk, "child"]) in page
    sections = set(
        AuditEvent.objects.filter(action="section.view", nominal_id=str(nominal.pk)).values_list(
            "detail__section", flat=True
        )
    )
    assert sections == {"victims", "children", "third_parties"}


def test_a_partner_not_entitled_sees_that_sections_exist_and_whom_to_ask(
    client: Client, personas: Personas, nominal: Nominal, victim: CasePerson
) -> None:
    register_services.case_partner_add(
        actor=personas.coordinator, case=_case(nominal), agency=personas.housing
    )
    sign_in(client, personas.partner)
    response = client.get(reverse("people:list", args=[nominal.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Quennevais" not in page
    assert "Polly" not in page
    assert page.count("This section is restricted. Ask the MAPPA co-ordinator if you need it.") == 3
    assert not AuditEvent.objects.filter(action="section.view").exists()
    # Nor can they reach the content by its address.
    assert client.get(reverse("people:edit", args=[nominal.pk, victim.pk])).status_code == 403
    refused = AuditEvent.objects.filter(action="access.refused", outcome="refused").last()
    assert refused is not None
    assert refused.detail["section"] == "victims"


def test_the_outsider_is_refused_audited_and_offered_emergency_access(
    client: Client, personas: Personas, nominal: Nominal, victim: CasePerson
) -> None:
    sign_in(client, personas.outsider)
    response = client.get(reverse("people:list", args=[nominal.pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Quennevais" not in page
    assert "Your agency has no part in this case." in page
    assert reverse("access:emergency_request", args=[nominal.pk]) in page
    event = AuditEvent.objects.get(action="access.refused")
    assert event.nominal_id == str(nominal.pk)
    assert event.detail["attempted"] == "nominal.view"


def test_adding_a_child_through_the_form(
    client: Client, personas: Personas, nominal: Nominal
) -> None:
    sign_in(client, personas.owner)
    url = reverse("people:add", args=[nominal.pk, "child"])
    form = client.get(url)
    assert form.status_code == 200
    assert "Are they subject to a child protection plan?" in form.content.decode()
    assert "Victim Liaison Service" not in form.content.decode()
    response = client.post(
        url,
        {
            "given_names": "Tom",
            "family_name": "Smith",
            "aliases": "Tommy\nThomas Smith\n",
            "date_of_birth-day": "4",
            "date_of_birth-month": "5",
            "date_of_birth-year": "2015",
            "relation_to_nominal": "Son",
            "knows_of_management": "no",
            "school_age": "yes",
            "child_protection_plan": "yes",
            "social_worker": "A. Worker",
        },
    )
    assert response.status_code == 302
    child = CasePerson.objects.get()
    assert child.kind == "child"
    assert child.child_protection_plan == "yes"
    assert sorted(a.name for a in child.aliases.all()) == ["Thomas Smith", "Tommy"]


def test_errors_are_shown_against_their_fields(
    client: Client, personas: Personas, nominal: Nominal
) -> None:
    sign_in(client, personas.owner)
    response = client.post(
        reverse("people:add", args=[nominal.pk, "victim"]),
        {
            "given_names": "",
            "family_name": "",
            "relation_to_nominal": "",
            "knows_of_management": "",
            "victim_liaison": "yes",
            "date_of_birth-day": "31",
            "date_of_birth-month": "2",
            "date_of_birth-year": "2000",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter their relationship to the person managed" in page
    assert "Select whether they know the person is managed under MAPPA" in page
    assert "Date of birth (optional) must be a real date" in page
    assert not CasePerson.objects.exists()


def test_the_service_errors_reach_the_form(
    client: Client, personas: Personas, nominal: Nominal
) -> None:
    sign_in(client, personas.owner)
    response = client.post(
        reverse("people:add", args=[nominal.pk, "victim"]),
        {
            "family_name": "Le Brun",
            "relation_to_nominal": "Neighbour",
            "knows_of_management": "no",
            "victim_liaison": "yes",
            "vlo_contact": "",
        },
    )
    assert response.status_code == 200
    assert "Enter the contact details of the victim liaison officer" in response.content.decode()


def test_change_and_remove(
    client: Client, personas: Personas, nominal: Nominal, victim: CasePerson
) -> None:
    sign_in(client, personas.owner)
    url = reverse("people:edit", args=[nominal.pk, victim.pk])
    page = client.get(url).content.decode()
    assert "Polly Vardon" in page
    response = client.post(
        url,
        {
            "given_names": "Mary",
            "family_name": "Quennevais",
            "aliases": "",
            "relation_to_nominal": "Former partner",
            "knows_of_management": "yes",
            "town": "Gorey",
        },
    )
    assert response.status_code == 302
    victim.refresh_from_db()
    assert victim.town == "Gorey"
    assert not victim.aliases.exists()
    remove = reverse("people:remove", args=[nominal.pk, victim.pk])
    assert client.get(remove).status_code == 200
    assert client.post(remove).status_code == 302
    assert not CasePerson.objects.exists()


def test_another_records_person_is_not_found_under_this_record(
    client: Client, personas: Personas, nominal: Nominal, victim: CasePerson
) -> None:
    mine = make_nominal(personas.coordinator, family_name="Mine", lead_agency=personas.probation)
    sign_in(client, personas.owner)
    for name in ("people:edit", "people:remove"):
        assert client.get(reverse(name, args=[mine.pk, victim.pk])).status_code == 404
    assert client.post(reverse("people:remove", args=[mine.pk, victim.pk])).status_code == 404
    assert CasePerson.objects.filter(pk=victim.pk).exists()


def test_an_invited_agency_reads_but_cannot_add(
    client: Client, personas: Personas, nominal: Nominal
) -> None:
    from mappa.access.services import case_part_grant_invited
    from mappa.common.dates import today

    case_part_grant_invited(
        case=_case(nominal), agency=personas.police, on=today(), source="Level 2 meeting"
    )
    from tests.factories import make_user

    officer = make_user("officer", "practitioner", agency=personas.police)
    sign_in(client, officer)
    assert client.get(reverse("people:list", args=[nominal.pk])).status_code == 200
    assert client.get(reverse("people:add", args=[nominal.pk, "victim"])).status_code == 403


def test_an_archived_record_cannot_be_added_to(
    client: Client, personas: Personas, nominal: Nominal
) -> None:
    register_services.nominal_archive(actor=personas.coordinator, nominal=nominal, reason="Gone")
    sign_in(client, personas.coordinator)
    response = client.get(reverse("people:add", args=[nominal.pk, "victim"]), follow=True)
    assert "This record is archived" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("people:list", args=[nominal.pk])


def test_an_unknown_kind_is_not_found(client: Client, personas: Personas, nominal: Nominal) -> None:
    sign_in(client, personas.owner)
    assert client.get(reverse("people:add", args=[nominal.pk, "pet"])).status_code == 404


def test_the_list_page_makes_a_fixed_number_of_queries(
    client: Client,
    personas: Personas,
    nominal: Nominal,
    django_assert_max_num_queries: object,
) -> None:
    sign_in(client, personas.owner)
    for n in range(6):
        services.case_person_add(
            actor=personas.owner,
            case=_case(nominal),
            kind="victim" if n % 2 else "child",
            given_names=f"Person{n}",
            relation_to_nominal="Neighbour",
            aliases=[f"Alias{n}"],
        )
    client.get(reverse("people:list", args=[nominal.pk]))
    with django_assert_max_num_queries(40):  # type: ignore[operator]
        response = client.get(reverse("people:list", args=[nominal.pk]))
    assert response.status_code == 200
