"""Adding, correcting, archiving and re-activating records through the API."""

import datetime as dt
import uuid

import pytest

from mappa.access.policy import Action, decide
from mappa.audit.models import AuditEvent
from mappa.common.dates import today
from mappa.register.models import Identifier, Nominal, NominalStatus
from tests.api.helpers import errors, patch, person_body, post, refusals, sign_in, url
from tests.conftest import Personas
from tests.factories import make_nominal

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script> O\'Brien & "Sons"'


# Create -------------------------------------------------------------------------


def test_create_adds_a_person_with_identifiers(client, personas: Personas) -> None:
    sign_in(client, personas.coordinator)
    body = person_body(
        personas.probation,
        manager=personas.owner.pk,
        identifiers=[
            {"kind": "pnc", "value": "12/1h"},
            {"kind": "nino", "value": "ab 12 34 56 c"},
            {"kind": "agency", "value": "pr-991", "issuer": "Probation case system"},
        ],
    )
    response = post(client, url("nominal-list"), body)
    assert response.status_code == 201, response.content
    record = response.json()
    assert response["Location"] == url("nominal-detail", record["id"])
    assert record["family_name"] == "Turnbull"
    assert record["management"]["manager"]["id"] == personas.owner.pk
    assert sorted((i["kind"], i["value"]) for i in record["identifiers"]) == [
        ("agency", "PR-991"),
        ("nino", "AB123456C"),
        ("pnc", "2012/0000001H"),
    ]
    created = AuditEvent.objects.get(action="nominal.create")
    assert created.nominal_id == record["id"]
    assert created.actor == personas.coordinator


def test_create_answers_every_missing_field_by_name(client, personas: Personas) -> None:
    sign_in(client, personas.coordinator)
    problems = errors(post(client, url("nominal-list"), {}))
    assert problems == {
        "given_names": ["Enter the given names"],
        "family_name": ["Enter the family name"],
        "date_of_birth": ["Enter the date of birth"],
        "gender": ["Select the gender"],
        "category": ["Select the category"],
        "level": ["Select the level of management"],
        "lead_agency": ["Select the lead agency"],
    }


@pytest.mark.parametrize(
    ("overrides", "field", "says"),
    [
        ({"date_of_birth": "17/05/1980"}, "date_of_birth", "YYYY-MM-DD"),
        ({"date_of_birth": "1980-02-30"}, "date_of_birth", "real date"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth", "in the past"),
        ({"family_name": "   "}, "family_name", "Enter the family name"),
        ({"family_name": "x" * 101}, "family_name", "100 characters or fewer"),
        ({"gender": "m"}, "gender", "Select the gender: one of"),
        ({"category": "4"}, "category", "Select the category: one of"),
        ({"category": "3", "level": 1}, "level", "level 2 or 3"),
        ({"category": "pdp", "level": 2}, "pdp_behaviour", "behaviour"),
        ({"category": "1"}, "notification_end_date", "notification end date"),
        ({"level": "high"}, "level", "Select the level of management: one of 1, 2, 3"),
        ({"lead_agency": 999999}, "lead_agency", "there is none with the id 999999"),
        ({"manager": "owner"}, "manager", "must be given by its id"),
        ({"notification_indefinite": "maybe"}, "notification_indefinite", "true or false"),
        (
            {"identifiers": [{"kind": "pnc", "value": "2012/0000001A"}]},
            "identifiers",
            "check letter",
        ),
        ({"identifiers": [{"kind": "cro", "value": "12345"}]}, "identifiers", "CRO number"),
        ({"identifiers": [{"kind": "agency", "value": "A1"}]}, "identifiers", "issued"),
        (
            {
                "identifiers": [
                    {"kind": "pnc", "value": "2012/0000001H"},
                    {"kind": "pnc", "value": "12/1H"},
                ]
            },
            "identifiers",
            "listed more than once",
        ),
        ({"identifiers": {"kind": "pnc"}}, "identifiers", "must be a list"),
    ],
)
def test_create_refuses_wrong_input_naming_the_field(
    client, personas: Personas, overrides, field, says
) -> None:
    sign_in(client, personas.coordinator)
    problems = errors(
        post(client, url("nominal-list"), person_body(personas.probation, **overrides))
    )
    assert field in problems, problems
    assert says.lower() in " ".join(str(m) for m in problems[field]).lower(), problems
    assert Nominal.objects.count() == 0, "nothing half-saved"
    assert not Identifier.objects.exists()


def test_create_refuses_an_identifier_already_on_the_register(
    client, personas: Personas, nominal
) -> None:
    Identifier.objects.create(nominal=nominal, kind="pnc", value="2012/0000001H")
    sign_in(client, personas.coordinator)
    problems = errors(post(client, url("nominal-list"), person_body(personas.probation)))
    assert problems == {"identifiers": ["PNC ID: PNC ID 2012/0000001H is already on the register"]}
    assert Nominal.objects.count() == 1


def test_create_nested_identifier_errors_name_the_item_field(client, personas: Personas) -> None:
    sign_in(client, personas.coordinator)
    body = person_body(personas.probation, identifiers=[{"kind": "passport", "value": ""}])
    problems = errors(post(client, url("nominal-list"), body))
    assert problems == {
        "identifiers[0].kind": [
            "Select the kind of identifier: one of pnc, cro, visor, prison, nino, agency"
        ],
        "identifiers[0].value": ["Enter the number or reference"],
    }


def test_create_stores_markup_as_text(client, personas: Personas) -> None:
    sign_in(client, personas.coordinator)
    body = person_body(personas.probation, family_name=SCRIPT, ethnicity=SCRIPT, identifiers=[])
    response = post(client, url("nominal-list"), body)
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    assert response.json()["ethnicity"] == SCRIPT
    assert Nominal.objects.get().ethnicity == SCRIPT


def test_create_refuses_malformed_json(client, personas: Personas) -> None:
    sign_in(client, personas.coordinator)
    response = client.post(url("nominal-list"), "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "errors" in response.json()
    response = post(client, url("nominal-list"), ["a", "list"])
    assert errors(response) == {
        "non_field_errors": ["Invalid data. Expected a dictionary, but got list."]
    }


@pytest.mark.parametrize("persona", ["owner", "auditor", "outsider", "smb_member"])
def test_create_refused_to_all_but_the_co_ordinator_and_administrators(
    client, personas: Personas, persona
) -> None:
    user = getattr(personas, persona)
    sign_in(client, user)
    response = post(client, url("nominal-list"), person_body(personas.probation))
    assert response.status_code == 403
    assert response.json()["detail"] == decide(user, Action.NOMINAL_CREATE).reason
    assert refusals(user).count() == 1
    assert not Nominal.objects.exists()


def test_session_calls_need_the_csrf_token(personas: Personas) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    sign_in(client, personas.coordinator)
    response = post(client, url("nominal-list"), person_body(personas.probation))
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Nominal.objects.exists()


# Correct ------------------------------------------------------------------------


def test_patch_corrects_details_and_moves_the_version_on(
    client, personas: Personas, nominal
) -> None:
    sign_in(client, personas.owner)
    response = patch(
        client,
        url("nominal-detail", nominal.pk),
        {"version": nominal.version, "given_names": "Jon", "date_of_birth": "1980-05-18"},
    )
    assert response.status_code == 200, response.content
    record = response.json()
    assert record["given_names"] == "Jon"
    assert record["date_of_birth"] == "1980-05-18"
    assert record["family_name"] == "Smith"
    assert record["version"] == nominal.version + 1
    update = AuditEvent.objects.get(action="nominal.update")
    assert update.changes == {
        "given_names": ["John", "Jon"],
        "date_of_birth": ["1980-05-17", "1980-05-18"],
    }


def test_patch_with_a_stale_version_answers_409_and_changes_nothing(
    client, personas: Personas, nominal
) -> None:
    sign_in(client, personas.coordinator)
    stale = nominal.version
    first = patch(client, url("nominal-detail", nominal.pk), {"version": stale, "ethnicity": "A"})
    assert first.status_code == 200
    second = patch(
        client, url("nominal-detail", nominal.pk), {"version": stale, "given_names": "Jack"}
    )
    assert second.status_code == 409
    assert second["Cache-Control"] == "no-store"
    message = second.json()["errors"]["version"][0]
    assert "Someone else changed this record" in message
    nominal.refresh_from_db()
    assert nominal.given_names == "John"
    assert nominal.ethnicity == "A"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"given_names": "Jon"}, "version", "Enter the version of the record you read"),
        ({"version": "latest"}, "version", "Version must be a whole number"),
        ({"version": 1, "family_name": ""}, "family_name", "Enter the family name"),
        (
            {"version": 1, "date_of_birth": "2999-12-31"},
            "date_of_birth",
            "Date of birth must be in the past",
        ),
        (
            {"version": 1, "date_of_birth": "31-12-1980"},
            "date_of_birth",
            "Date of birth must be a real date",
        ),
        ({"version": 1, "gender": "x"}, "gender", "Select the gender"),
    ],
)
def test_patch_refuses_wrong_input_naming_the_field(
    client, personas: Personas, nominal, data, field, message
) -> None:
    sign_in(client, personas.coordinator)
    problems = errors(patch(client, url("nominal-detail", nominal.pk), data))
    assert list(problems) == [field]
    assert problems[field][0].startswith(message), problems
    nominal.refresh_from_db()
    assert (nominal.family_name, nominal.date_of_birth) == ("Smith", dt.date(1980, 5, 17))


def test_patch_of_an_unknown_record_answers_404(client, personas: Personas) -> None:
    sign_in(client, personas.coordinator)
    response = patch(client, url("nominal-detail", uuid.uuid4()), {"version": 1})
    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["outsider", "auditor", "smb_member"])
def test_patch_refused_by_policy_is_audited(client, personas: Personas, nominal, persona) -> None:
    user = getattr(personas, persona)
    sign_in(client, user)
    response = patch(
        client, url("nominal-detail", nominal.pk), {"version": 1, "family_name": "Changed"}
    )
    assert response.status_code == 403
    assert response.json()["detail"] == decide(user, Action.NOMINAL_EDIT, nominal).reason
    assert refusals(user).get().detail["attempted"] == "nominal.edit"
    nominal.refresh_from_db()
    assert nominal.family_name == "Smith"


# Archive and re-activate ------------------------------------------------------------


def test_archive_makes_the_record_read_only_until_reactivated(
    client, personas: Personas, nominal
) -> None:
    sign_in(client, personas.coordinator)
    archived = post(client, url("nominal-archive", nominal.pk), {"reason": "No longer eligible"})
    assert archived.status_code == 200, archived.content
    record = archived.json()
    assert record["status"] == "archived"
    assert record["current_case"] is None
    assert record["management"]["effective_to"] == today().isoformat()
    assert record["status_changes"][0]["reason"] == "No longer eligible"

    refused = patch(
        client,
        url("nominal-detail", nominal.pk),
        {"version": record["version"], "family_name": "Changed"},
    )
    assert errors(refused) == {
        "non_field_errors": ["This record is archived and cannot be changed. Re-activate it first."]
    }
    alias = post(client, url("aliases-list", nominal.pk), {"given_names": "Jack"})
    assert "archived" in errors(alias)["non_field_errors"][0]

    again = post(client, url("nominal-archive", nominal.pk), {"reason": "Twice"})
    assert errors(again) == {"non_field_errors": ["This record is already archived."]}

    back = post(client, url("nominal-reactivate", nominal.pk), {"reason": "Back in custody"})
    assert back.status_code == 200
    assert back.json()["status"] == "active"
    assert back.json()["current_case"]["reference"] == f"{nominal.reference}/2"
    fixed = patch(
        client,
        url("nominal-detail", nominal.pk),
        {"version": back.json()["version"], "family_name": "Smithson"},
    )
    assert fixed.status_code == 200
    nominal.refresh_from_db()
    assert nominal.status == NominalStatus.ACTIVE
    assert nominal.family_name == "Smithson"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "reason", "Enter the reason"),
        ({"reason": "  "}, "reason", "Enter the reason for archiving the record"),
        (
            {"reason": "Moved", "effective_on": "2999-01-01"},
            "effective_on",
            "must be today or in the past",
        ),
        (
            {"reason": "Moved", "effective_on": "tomorrow"},
            "effective_on",
            "Date must be a real date",
        ),
        (
            {"reason": "Moved", "effective_on": "1990-01-01"},
            "effective_on",
            "before the case was opened",
        ),
    ],
)
def test_archive_refuses_wrong_input_naming_the_field(
    client, personas: Personas, nominal, data, field, message
) -> None:
    sign_in(client, personas.coordinator)
    problems = errors(post(client, url("nominal-archive", nominal.pk), data))
    assert list(problems) == [field]
    assert message in problems[field][0]
    nominal.refresh_from_db()
    assert nominal.status == NominalStatus.ACTIVE


def test_reactivating_an_active_record_is_refused(client, personas: Personas, nominal) -> None:
    sign_in(client, personas.coordinator)
    response = post(client, url("nominal-reactivate", nominal.pk), {"reason": "Why"})
    assert errors(response) == {"non_field_errors": ["This record is already active."]}


@pytest.mark.parametrize("name", ["nominal-archive", "nominal-reactivate"])
def test_status_changes_refused_to_the_records_own_manager(
    client, personas: Personas, nominal, name
) -> None:
    sign_in(client, personas.owner)
    response = post(client, url(name, nominal.pk), {"reason": "Not mine to decide"})
    assert response.status_code == 403
    assert refusals(personas.owner).count() == 1


def test_status_change_of_an_unknown_record_answers_404(client, personas: Personas) -> None:
    sign_in(client, personas.coordinator)
    response = post(client, url("nominal-archive", uuid.uuid4()), {"reason": "Gone"})
    assert response.status_code == 404


def test_anonymous_writes_answer_401(client, personas: Personas, nominal) -> None:
    calls = [
        post(client, url("nominal-list"), person_body(personas.probation)),
        patch(client, url("nominal-detail", nominal.pk), {"version": 1, "family_name": "X"}),
        post(client, url("nominal-archive", nominal.pk), {"reason": "X"}),
        post(client, url("aliases-list", nominal.pk), {"given_names": "X"}),
    ]
    assert [call.status_code for call in calls] == [401, 401, 401, 401]
    nominal.refresh_from_db()
    assert nominal.family_name == "Smith" and nominal.status == NominalStatus.ACTIVE
    assert Nominal.objects.count() == 1


def test_a_second_person_with_the_same_details_gets_a_new_reference(
    client, personas: Personas
) -> None:
    first = make_nominal(personas.coordinator, lead_agency=personas.probation)
    sign_in(client, personas.coordinator)
    response = post(client, url("nominal-list"), person_body(personas.probation, identifiers=[]))
    assert response.status_code == 201
    assert response.json()["reference"] != first.reference
