"""The register's pages: wrong input answered field by field, refusals audited,
text rendered inertly, and a page's query count independent of the record's size."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mappa.audit.models import AuditEvent
from mappa.register import services
from mappa.register.models import Address, Alias, Conviction, Nominal, NominalStatus
from tests.conftest import Personas
from tests.factories import make_nominal

pytestmark = pytest.mark.django_db

VALID_PERSON = {
    "given_names": "Alan",
    "family_name": "Turnbull",
    "date_of_birth-day": "3",
    "date_of_birth-month": "4",
    "date_of_birth-year": "1975",
    "gender": "male",
    "category": "2",
    "level": "2",
}


def _post_person(client, personas: Personas, **changes: str):
    data = {**VALID_PERSON, "lead_agency": str(personas.probation.pk), **changes}
    return client.post(reverse("register:create"), data)


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"family_name": ""}, "id_family_name", "Enter the family name"),
        (
            {"date_of_birth-day": "", "date_of_birth-month": "", "date_of_birth-year": ""},
            "date_of_birth-day",
            "Enter the date of birth",
        ),
        ({"date_of_birth-month": "13"}, "date_of_birth-day", "Date of birth must be a real date"),
        ({"date_of_birth-year": "75"}, "date_of_birth-day", "Year must include 4 numbers"),
        ({"date_of_birth-year": "2099"}, "date_of_birth-day", "Date of birth must be in the past"),
        ({"category": ""}, "category", "Select the category"),
        ({"category": "3", "level": "1"}, "level", "must be managed at level 2 or 3"),
        ({"category": "pdp"}, "id_pdp_behaviour", "Describe the behaviour"),
        ({"category": "1"}, "notification_end_date-day", "Enter the notification end date"),
        ({"identifier_pnc": "2012/0000001A"}, "id_identifier_pnc", "the number is mistyped"),
        ({"identifier_cro": "12345"}, "id_identifier_cro", "Enter a CRO number in the format"),
        ({"identifier_nino": "GB123456A"}, "id_identifier_nino", "not a prefix that is issued"),
    ],
)
def test_create_form_names_the_field_in_error(
    client, personas: Personas, changes, field_id, message
) -> None:
    client.force_login(personas.coordinator)
    response = _post_person(client, personas, **changes)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'href="#{field_id}"' in html
    assert message in html
    assert not Nominal.objects.exists()


def test_create_keeps_what_was_typed_after_an_error(client, personas: Personas) -> None:
    client.force_login(personas.coordinator)
    response = _post_person(
        client, personas, identifier_pnc="2012/0000001A", ethnicity="White British"
    )
    html = response.content.decode()
    assert (
        'value="Turnbull"' in html
        and 'value="White British"' in html
        and 'value="2012/0000001A"' in html
    )


def test_create_then_correct_then_save(client, personas: Personas) -> None:
    client.force_login(personas.coordinator)
    _post_person(client, personas, identifier_pnc="2012/0000001A")
    response = _post_person(client, personas, identifier_pnc="2012/0000001H")
    nominal = Nominal.objects.get()
    assert response["Location"] == reverse("register:detail", args=[nominal.pk])
    assert nominal.identifiers.get().value == "2012/0000001H"


def test_practitioner_cannot_add_people(client, personas: Personas) -> None:
    client.force_login(personas.owner)
    response = _post_person(client, personas)
    assert response.status_code == 403
    assert not Nominal.objects.exists()
    assert AuditEvent.objects.filter(outcome="refused", action="access.refused").exists()


def test_outsider_is_refused_and_the_refusal_audited(
    client, personas: Personas, nominal: Nominal
) -> None:
    client.force_login(personas.outsider)
    response = client.get(reverse("register:detail", args=[nominal.pk]))
    assert response.status_code == 403
    refusal = AuditEvent.objects.get(action="access.refused")
    assert refusal.actor == personas.outsider and refusal.nominal_id == str(nominal.pk)


def test_owner_sees_the_record_and_the_view_is_audited(
    client, personas: Personas, nominal: Nominal
) -> None:
    client.force_login(personas.owner)
    response = client.get(reverse("register:detail", args=[nominal.pk]))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="nominal.view", actor=personas.owner).count() == 1
    assert response["Cache-Control"] == "no-store"


def test_list_only_shows_what_the_user_may_see(
    client, personas: Personas, nominal: Nominal
) -> None:
    make_nominal(personas.coordinator, family_name="Hidden", lead_agency=personas.police)
    client.force_login(personas.owner)
    html = client.get(reverse("register:list")).content.decode()
    assert "SMITH" in html and "HIDDEN" not in html
    client.force_login(personas.coordinator)
    html = client.get(reverse("register:list")).content.decode()
    assert "SMITH" in html and "HIDDEN" in html


def test_list_filters(client, personas: Personas, nominal: Nominal) -> None:
    make_nominal(
        personas.coordinator, family_name="Levelthree", level=3, lead_agency=personas.police
    )
    client.force_login(personas.coordinator)
    html = client.get(reverse("register:list"), {"level": "3"}).content.decode()
    assert "LEVELTHREE" in html and "SMITH" not in html
    html = client.get(
        reverse("register:list"), {"lead_agency": personas.probation.pk}
    ).content.decode()
    assert "SMITH" in html and "LEVELTHREE" not in html


def test_script_in_text_renders_inertly(client, personas: Personas) -> None:
    nominal = make_nominal(
        personas.coordinator,
        given_names="<script>alert(1)</script>",
        lead_agency=personas.probation,
    )
    client.force_login(personas.coordinator)
    html = client.get(reverse("register:detail", args=[nominal.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_archive_and_reactivate_through_the_pages(
    client, personas: Personas, nominal: Nominal
) -> None:
    client.force_login(personas.coordinator)
    url = reverse("register:status", args=[nominal.pk, "archive"])
    response = client.post(url, {"reason": ""})
    assert "Enter the reason" in response.content.decode()
    client.post(url, {"reason": "No longer eligible: notification period ended"})
    nominal.refresh_from_db()
    assert nominal.status == NominalStatus.ARCHIVED
    response = client.get(reverse("register:attachment_add", args=[nominal.pk, "aliases"]))
    assert response.status_code == 302  # archived: sent back to the record
    client.post(
        reverse("register:status", args=[nominal.pk, "reactivate"]), {"reason": "New conviction"}
    )
    nominal.refresh_from_db()
    assert nominal.status == NominalStatus.ACTIVE


def test_another_records_entry_is_not_found_under_this_record(
    client, personas: Personas, nominal: Nominal
) -> None:
    other = make_nominal(personas.coordinator, family_name="Other", lead_agency=personas.probation)
    alias = services.attachment_save(
        actor=personas.coordinator, nominal=other, instance=Alias(given_names="Tiny")
    )
    client.force_login(personas.owner)
    response = client.get(
        reverse("register:attachment_edit", args=[nominal.pk, "aliases", alias.pk])
    )
    assert response.status_code == 404


def test_attachment_form_shows_model_rule_against_its_field(
    client, personas: Personas, nominal: Nominal
) -> None:
    client.force_login(personas.coordinator)
    response = client.post(
        reverse("register:attachment_add", args=[nominal.pk, "sentences"]),
        {
            "sentence_date-day": "1",
            "sentence_date-month": "6",
            "sentence_date-year": "2024",
            "release_date-day": "1",
            "release_date-month": "5",
            "release_date-year": "2024",
        },
    )
    html = response.content.decode()
    assert 'href="#release_date-day"' in html
    assert "cannot be before the date of sentence" in html


def _grow(actor, nominal: Nominal, n: int) -> None:
    for i in range(n):
        services.attachment_save(
            actor=actor, nominal=nominal, instance=Alias(given_names=f"Alias{i}")
        )
        services.attachment_save(
            actor=actor,
            nominal=nominal,
            instance=Address(kind="previous", line_1=f"{i} Rue de Test"),
        )
        services.attachment_save(
            actor=actor,
            nominal=nominal,
            instance=Conviction(
                offence=f"Offence {i}", conviction_date=dt.date(2010, 1, 1) + dt.timedelta(days=i)
            ),
        )


@pytest.mark.parametrize(
    "section", ["summary", "identity", "addresses", "convictions", "management"]
)
def test_person_page_queries_do_not_grow_with_history(
    client, personas: Personas, section: str
) -> None:
    small = make_nominal(personas.coordinator, family_name="Small", lead_agency=personas.probation)
    large = make_nominal(personas.coordinator, family_name="Large", lead_agency=personas.probation)
    _grow(personas.coordinator, small, 1)
    _grow(personas.coordinator, large, 12)
    client.force_login(personas.coordinator)
    counts = []
    for nominal in (small, large):
        url = reverse("register:section", args=[nominal.pk, section])
        client.get(url)  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
