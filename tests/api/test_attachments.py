"""Aliases, identifiers, addresses, convictions, sentences and the rest, through the API."""

import datetime as dt
import uuid

import pytest

from mappa.audit.models import AuditEvent
from mappa.register import services
from mappa.register.models import Alias, Identifier, Nominal
from tests.api.helpers import JSON, errors, patch, post, refusals, sign_in, url
from tests.conftest import Personas
from tests.factories import make_nominal

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script> "quoted" & \'single\''


@pytest.fixture
def other(personas: Personas) -> Nominal:
    """Another person on the register, whose entries must never be reachable via ``nominal``."""
    return make_nominal(
        personas.coordinator, family_name="Other", given_names="Olive", lead_agency=personas.police
    )


VALID = {
    "aliases": {"kind": "nickname", "given_names": "Tiny"},
    "identifiers": {"kind": "visor", "value": "vis-0001"},
    "addresses": {
        "kind": "current",
        "line_1": "1 Rue de Haut",
        "town": "St Helier",
        "postcode": "je2 3ab",
        "from_date": "2020-01-01",
    },
    "convictions": {
        "offence": "Assault",
        "conviction_date": "2019-03-01",
        "is_index_offence": True,
    },
    "sentences": {"sentence_date": "2019-03-01", "release_date": "2022-03-01", "is_ipp": True},
    "hospital-detentions": {
        "hospital": "Orchard House",
        "responsible_clinician": "Dr Vale",
        "basis": "hospital_order",
    },
    "warning-markers": {"kind": "weapons", "recorded_on": "2021-06-01", "source": "Police"},
}


@pytest.mark.parametrize("kind", list(VALID))
def test_each_kind_is_added_corrected_and_removed(
    client, personas: Personas, nominal, kind
) -> None:
    # Hospital detention is health detail: the default rules name the co-ordinator, not
    # probation, for it (mappa.access SectionRule "health").
    sign_in(client, personas.coordinator if kind == "hospital-detentions" else personas.owner)
    created = post(client, url(f"{kind}-list", nominal.pk), VALID[kind])
    assert created.status_code == 201, created.content
    entry = created.json()
    item = entry["id"]
    assert (
        AuditEvent.objects.filter(action__endswith=".create", nominal_id=str(nominal.pk))
        .exclude(action="nominal.create")
        .count()
        == 1
    )

    record = client.get(url("nominal-detail", nominal.pk)).json()
    section = kind.replace("-", "_")
    assert [e["id"] for e in record[section]] == [item]

    changed_field = {
        "aliases": ("family_name", "Smith"),
        "identifiers": ("value", "VIS-0002"),
        "addresses": ("line_2", "Flat 2"),
        "convictions": ("court", "Royal Court"),
        "sentences": ("description", "Four years"),
        "hospital-detentions": ("forensic_social_worker", "A. Carer, 01534 000000"),
        "warning-markers": ("detail", "Carries a knife"),
    }[kind]
    corrected = patch(client, url(f"{kind}-detail", nominal.pk, item), dict([changed_field]))
    assert corrected.status_code == 200, corrected.content
    name, value = changed_field
    assert corrected.json()[name] == value
    assert AuditEvent.objects.filter(action__endswith=".update", object_id=item).count() == 1

    removed = client.delete(url(f"{kind}-detail", nominal.pk, item))
    assert removed.status_code == 204
    assert removed["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(action__endswith=".delete", object_id=item).count() == 1
    assert client.get(url("nominal-detail", nominal.pk)).json()[section] == []


def test_an_identifier_is_stored_in_canonical_form(client, personas: Personas, nominal) -> None:
    sign_in(client, personas.coordinator)
    response = post(client, url("identifiers-list", nominal.pk), {"kind": "pnc", "value": "12/1h"})
    assert response.json()["value"] == "2012/0000001H"
    assert Identifier.objects.get().value == "2012/0000001H"


@pytest.mark.parametrize(
    ("kind", "data", "field", "says"),
    [
        (
            "aliases",
            {"given_names": " ", "family_name": ""},
            "given_names",
            "Enter the alias or nickname",
        ),
        (
            "aliases",
            {"kind": "moniker", "given_names": "Tiny"},
            "kind",
            "Select the kind of name: one of",
        ),
        ("aliases", {"given_names": "x" * 151}, "given_names", "150 characters or fewer"),
        ("identifiers", {"kind": "pnc", "value": "2012/0000001A"}, "value", "check letter"),
        ("identifiers", {"kind": "nino", "value": "QQ123456C"}, "value", "not a prefix"),
        ("identifiers", {"kind": "agency", "value": "X1"}, "issuer", "Enter the agency or system"),
        ("identifiers", {"kind": "pnc"}, "value", "Enter the number or reference"),
        ("identifiers", {"value": "2012/0000001H"}, "kind", "Select the kind of identifier"),
        ("addresses", {"kind": "nfa"}, "reporting_arrangement", "where the person reports"),
        ("addresses", {"kind": "current"}, "line_1", "Enter address line 1"),
        (
            "addresses",
            {
                "kind": "current",
                "line_1": "1 Street",
                "from_date": "2020-01-02",
                "to_date": "2020-01-01",
            },
            "to_date",
            "same as or after",
        ),
        (
            "addresses",
            {"kind": "current", "line_1": "1 Street", "from_date": "1 Jan 2020"},
            "from_date",
            "From must be a real date in the format YYYY-MM-DD",
        ),
        ("convictions", {"conviction_date": "2019-01-01"}, "offence", "Enter the offence"),
        (
            "convictions",
            {"offence": "Theft", "conviction_date": "2999-01-01"},
            "conviction_date",
            "today or in the past",
        ),
        (
            "convictions",
            {"offence": "Theft", "conviction_date": "2019-01-01", "offence_date": "2019-02-01"},
            "conviction_date",
            "same as or after the date of the offence",
        ),
        (
            "convictions",
            {"offence": "Theft"},
            "conviction_date",
            "Enter the date of conviction or caution",
        ),
        (
            "convictions",
            {"offence": "Theft", "conviction_date": "2019-01-01", "is_caution": "perhaps"},
            "is_caution",
            "must be true or false",
        ),
        (
            "sentences",
            {"sentence_date": "2019-03-01", "release_date": "2019-02-01"},
            "release_date",
            "cannot be before the date of sentence",
        ),
        (
            "sentences",
            {"sentence_date": "2019-13-01"},
            "sentence_date",
            "Date of sentence must be a real date",
        ),
        (
            "hospital-detentions",
            {"hospital": "H", "responsible_clinician": "C", "basis": "whim"},
            "basis",
            "Select the basis for detention",
        ),
        (
            "hospital-detentions",
            {
                "hospital": "H",
                "responsible_clinician": "C",
                "basis": "transfer",
                "admitted_on": "2020-05-01",
                "earliest_discharge_date": "2020-04-01",
            },
            "earliest_discharge_date",
            "before the date of admission",
        ),
        (
            "warning-markers",
            {"kind": "violence", "source": "Police", "recorded_on": "2999-01-01"},
            "recorded_on",
            "today or in the past",
        ),
    ],
)
def test_wrong_input_answers_400_naming_the_field(
    client, personas: Personas, nominal, kind, data, field, says
) -> None:
    sign_in(client, personas.coordinator)
    version = Nominal.objects.get(pk=nominal.pk).version
    problems = errors(post(client, url(f"{kind}-list", nominal.pk), data))
    assert field in problems, problems
    assert says in " ".join(problems[field]), problems
    assert Nominal.objects.get(pk=nominal.pk).version == version, "nothing half-saved"


def test_an_identifier_already_on_the_register_is_refused(
    client, personas: Personas, nominal, other
) -> None:
    Identifier.objects.create(nominal=other, kind="pnc", value="2012/0000001H")
    sign_in(client, personas.coordinator)
    problems = errors(
        post(client, url("identifiers-list", nominal.pk), {"kind": "pnc", "value": "12/1H"})
    )
    assert problems == {"value": ["PNC ID 2012/0000001H is already on the register"]}


def test_an_index_offence_is_refused_for_a_pdp(client, personas: Personas) -> None:
    pdp = make_nominal(personas.coordinator, category="pdp", lead_agency=personas.police)
    sign_in(client, personas.coordinator)
    body = {"offence": "Affray", "conviction_date": "2018-01-01", "is_index_offence": True}
    problems = errors(post(client, url("convictions-list", pdp.pk), body))
    assert list(problems) == ["is_index_offence"]


def test_patch_of_an_entry_changes_only_what_is_sent(client, personas: Personas, nominal) -> None:
    sign_in(client, personas.coordinator)
    created = post(client, url("addresses-list", nominal.pk), VALID["addresses"]).json()
    assert created["postcode"] == "JE2 3AB"
    response = patch(
        client, url("addresses-detail", nominal.pk, created["id"]), {"to_date": "2021-01-01"}
    )
    assert response.status_code == 200
    assert response.json()["line_1"] == "1 Rue de Haut"
    assert response.json()["to_date"] == "2021-01-01"
    refused = patch(
        client, url("addresses-detail", nominal.pk, created["id"]), {"to_date": "2019-01-01"}
    )
    assert list(errors(refused)) == ["to_date"]
    record = client.get(url("nominal-detail", nominal.pk)).json()
    assert record["addresses"][0]["to_date"] == "2021-01-01"


def test_text_with_markup_is_stored_and_returned_as_given(
    client, personas: Personas, nominal
) -> None:
    sign_in(client, personas.coordinator)
    body = {
        "offence": SCRIPT,
        "conviction_date": "2019-01-01",
        "details": SCRIPT,
        "court": "'; DROP TABLE register_nominal; --",
    }
    response = post(client, url("convictions-list", nominal.pk), body)
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    assert response.json()["offence"] == SCRIPT
    record = client.get(url("nominal-detail", nominal.pk)).json()
    assert record["convictions"][0]["details"] == SCRIPT
    assert record["convictions"][0]["court"] == "'; DROP TABLE register_nominal; --"


# IDOR: another record's entries are out of reach ------------------------------------


def test_another_records_alias_answers_404_through_this_record(
    client, personas: Personas, nominal, other
) -> None:
    theirs = Alias(given_names="Secret", family_name="Name")
    services.attachment_save(actor=personas.coordinator, nominal=other, instance=theirs)
    sign_in(client, personas.owner)  # may edit ``nominal``, has no part in ``other``
    address = url("aliases-detail", nominal.pk, theirs.pk)
    changed = patch(client, address, {"given_names": "Hijacked"})
    assert changed.status_code == 404
    assert "Secret" not in changed.content.decode()
    removed = client.delete(address)
    assert removed.status_code == 404
    theirs.refresh_from_db()
    assert theirs.given_names == "Secret"
    assert Alias.objects.filter(pk=theirs.pk).exists()


def test_an_entry_of_one_kind_is_not_reachable_as_another(
    client, personas: Personas, nominal
) -> None:
    sign_in(client, personas.coordinator)
    alias = post(client, url("aliases-list", nominal.pk), {"given_names": "Tiny"}).json()
    assert (
        patch(client, url("addresses-detail", nominal.pk, alias["id"]), {"line_1": "X"}).status_code
        == 404
    )
    assert client.delete(url("identifiers-detail", nominal.pk, alias["id"])).status_code == 404


def test_unknown_entry_or_record_answers_404(client, personas: Personas, nominal) -> None:
    sign_in(client, personas.coordinator)
    assert (
        patch(
            client, url("aliases-detail", nominal.pk, uuid.uuid4()), {"given_names": "X"}
        ).status_code
        == 404
    )
    assert post(client, url("aliases-list", uuid.uuid4()), {"given_names": "X"}).status_code == 404
    assert client.delete(f"/api/v1/nominals/{nominal.pk}/aliases/42/").status_code == 404


def test_entries_of_a_record_with_no_part_are_refused_and_audited(
    client, personas: Personas, nominal
) -> None:
    alias = Alias(given_names="Tiny")
    services.attachment_save(actor=personas.coordinator, nominal=nominal, instance=alias)
    sign_in(client, personas.outsider)
    calls = [
        post(client, url("aliases-list", nominal.pk), {"given_names": "X"}),
        patch(client, url("aliases-detail", nominal.pk, alias.pk), {"given_names": "X"}),
        client.delete(url("aliases-detail", nominal.pk, alias.pk), content_type=JSON),
    ]
    assert [call.status_code for call in calls] == [403, 403, 403]
    assert refusals(personas.outsider).count() == 3
    alias.refresh_from_db()
    assert alias.given_names == "Tiny"


def test_an_auditor_reads_but_changes_no_entry(client, personas: Personas, nominal) -> None:
    sign_in(client, personas.auditor)
    assert client.get(url("nominal-detail", nominal.pk)).status_code == 200
    response = post(client, url("aliases-list", nominal.pk), {"given_names": "X"})
    assert response.status_code == 403
    assert refusals(personas.auditor).count() == 1
    assert not Alias.objects.exists()


def test_dates_are_iso_in_answers(client, personas: Personas, nominal) -> None:
    sign_in(client, personas.coordinator)
    body = post(client, url("sentences-list", nominal.pk), VALID["sentences"]).json()
    assert body["sentence_date"] == "2019-03-01"
    assert dt.date.fromisoformat(body["release_date"]) == dt.date(2022, 3, 1)
    assert body["licence_expiry_date"] is None
