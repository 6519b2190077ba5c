"""The referral lifecycle through the API (issue 4, points 4, 5 and 7): draft, sections,
invitees, submit, endorse, screen; who sees and acts on a referral."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mappa.audit.models import AuditEvent
from mappa.referrals import services
from mappa.referrals.models import Referral, ReferralInvitee, ReferralStatus
from mappa.register.models import Nominal
from tests.api.helpers import (
    COMPLETE_REFERRAL,
    delete,
    errors,
    patch,
    post,
    referral_at,
    refusals,
    sign_in,
    url,
)
from tests.conftest import Personas
from tests.factories import Role, make_nominal, make_user

pytestmark = pytest.mark.django_db


def _read(client: Any, referral: Any) -> dict[str, Any]:
    response = client.get(
        url("referral-detail", referral if isinstance(referral, str) else referral.pk)
    )
    assert response.status_code == 200, response.content
    return response.json()


# The journey ----------------------------------------------------------------------------


def test_referral_journey_from_draft_to_acceptance(
    client, personas: Personas, nominal: Nominal, line_manager
) -> None:
    # The owner starts a referral: a draft, prefilled, with the referrer as invitee 1.
    sign_in(client, personas.owner)
    response = post(client, url("referral-list"), {"nominal": str(nominal.pk)})
    assert response.status_code == 201, response.content
    draft = response.json()
    assert response["Location"] == url("referral-detail", draft["id"])
    assert draft["status"] == "draft"
    assert draft["category"] == "2"
    assert draft["nominal"]["id"] == str(nominal.pk)
    assert [(i["position"], i["agency"]["id"]) for i in draft["invitees"]] == [
        (1, personas.probation.pk)
    ]
    assert draft["actions"] == {"edit": True, "endorse": False, "screen": False}
    assert "reason_for_referral" in draft["problems"]
    referral_id = draft["id"]

    # Sections saved over several sittings; each save bumps the version.
    first = {k: COMPLETE_REFERRAL[k] for k in ("level_sought", "custody", "overall_risk")}
    response = patch(
        client, url("referral-detail", referral_id), {"version": draft["version"], **first}
    )
    assert response.status_code == 200, response.content
    sitting = response.json()
    assert sitting["version"] == draft["version"] + 1
    assert sitting["level_sought"] == 3 and sitting["overall_risk"] == "high"
    assert "level_sought" not in sitting["problems"]

    # Submitting too early lists every problem by field, as the check page does.
    problems = errors(post(client, url("referral-submit", referral_id), {}))
    assert problems == sitting["problems"]
    for field in ("risk_who", "plan_restrictive", "reason_for_referral", "line_manager"):
        assert field in problems, field
    assert Referral.objects.get(pk=referral_id).status == ReferralStatus.DRAFT

    rest = {k: v for k, v in COMPLETE_REFERRAL.items() if k not in first}
    response = patch(
        client,
        url("referral-detail", referral_id),
        {"version": sitting["version"], **rest, "line_manager": line_manager.pk},
    )
    assert response.status_code == 200, response.content
    ready = response.json()
    assert ready["problems"] == {}
    assert ready["line_manager"]["id"] == line_manager.pk
    assert ready["plan_restrictive_choices"] == ["licence_conditions"]

    # An invitee from housing, with contact details.
    response = post(
        client,
        url("referral-invitee-list", referral_id),
        {
            "agency": personas.housing.pk,
            "name": "Jo Le Sueur",
            "role": "Housing officer",
            "email": "jo@example.org",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["position"] == 2

    # Submitted: off to the line manager, and no longer editable by anyone.
    response = post(client, url("referral-submit", referral_id), {"version": ready["version"]})
    assert response.status_code == 200, response.content
    sent = response.json()
    assert sent["status"] == "awaiting_endorsement"
    assert sent["problems"] is None
    assert sent["actions"]["edit"] is False
    assert [s["number"] for s in sent["submissions"]] == [1]
    late = errors(patch(client, url("referral-detail", referral_id), {"version": sent["version"]}))
    assert "cannot be changed" in late["non_field_errors"][0]

    # The named line manager endorses it: into the screening queue with a deadline.
    sign_in(client, line_manager)
    assert _read(client, referral_id)["actions"]["endorse"] is True
    response = post(client, url("referral-endorse", referral_id), {"note": "Agreed"})
    assert response.status_code == 200, response.content
    endorsed = response.json()
    assert endorsed["status"] == "awaiting_screening"
    assert endorsed["endorsed_by"]["id"] == line_manager.pk
    assert endorsed["first_meeting_due"] is not None

    # The co-ordinator accepts at level 3: the case moves to level 3 at once.
    sign_in(client, personas.coordinator)
    assert _read(client, referral_id)["actions"]["screen"] is True
    response = post(
        client,
        url("referral-accept", referral_id),
        {"category": "2", "level": 3, "note": "Accepted for level 3"},
    )
    assert response.status_code == 200, response.content
    accepted = response.json()
    assert accepted["status"] == "accepted"
    assert (accepted["accepted_category"], accepted["accepted_level"]) == ("2", 3)
    assert accepted["decided_by"]["id"] == personas.coordinator.pk
    assert [e["status"] for e in accepted["events"]] == [
        "draft",
        "awaiting_endorsement",
        "awaiting_screening",
        "accepted",
    ]
    management = client.get(url("nominal-detail", nominal.pk)).json()["management"]
    assert (management["category"], management["level"]) == ("2", 3)

    # Each step is in the audit trail, by the person who took it.
    steps = {
        event.action: event.actor
        for event in AuditEvent.objects.filter(action__startswith="referral.")
        .exclude(action="referral.view")
        .select_related("actor")
    }
    assert steps["referral.create"] == personas.owner
    assert steps["referral.update"] == personas.owner
    assert steps["referral.invitee_save"] == personas.owner
    assert steps["referral.submit"] == personas.owner
    assert steps["referral.endorse"] == line_manager
    assert steps["referral.accept"] == personas.coordinator


def test_declined_referral_shows_the_referrer_why(
    client, personas: Personas, nominal: Nominal
) -> None:
    referral = referral_at("awaiting_screening", personas, nominal)
    sign_in(client, personas.coordinator)
    missing = errors(post(client, url("referral-decline", referral.pk), {}))
    assert missing == {
        "reason": ["Select the reason for declining the referral"],
        "note": ["Explain the decision: the referrer will see it"],
    }
    response = post(
        client,
        url("referral-decline", referral.pk),
        {"reason": "level_1", "note": "Probation can manage this alone with police support"},
    )
    assert response.status_code == 200, response.content

    sign_in(client, personas.owner)
    seen = _read(client, referral)
    assert seen["status"] == "declined"
    assert seen["decline_reason"] == "level_1"
    assert seen["decision_note"] == "Probation can manage this alone with police support"
    assert seen["events"][-1]["note"] == "Probation can manage this alone with police support"
    assert seen["events"][-1]["by"]["id"] == personas.coordinator.pk
    listed = client.get(url("referral-list", query="status=declined")).json()["results"]
    assert [r["id"] for r in listed] == [str(referral.pk)]


def test_sexual_offender_cannot_be_declined_as_level_1(
    client, personas: Personas, nominal: Nominal
) -> None:
    referral = referral_at("draft", personas, nominal)
    services.referral_update(
        actor=personas.owner, referral=referral, data={"sexual_offender": True}
    )
    referral = services.referral_submit(actor=personas.owner, referral=referral)
    referral = services.referral_endorse(actor=referral.line_manager, referral=referral)
    sign_in(client, personas.coordinator)
    problems = errors(
        post(client, url("referral-decline", referral.pk), {"reason": "level_1", "note": "x"})
    )
    assert "always discussed at a multi-agency meeting" in problems["reason"][0]


def test_accepting_at_level_1_is_refused_naming_the_level(
    client, personas: Personas, nominal: Nominal
) -> None:
    referral = referral_at("awaiting_screening", personas, nominal)
    sign_in(client, personas.coordinator)
    problems = errors(
        post(client, url("referral-accept", referral.pk), {"category": "3", "level": 1})
    )
    assert problems == {
        "level": ["Select level 2 or level 3: an accepted referral is managed at level 2 or 3"]
    }
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.AWAITING_SCREENING


def test_return_by_the_line_manager_and_by_the_coordinator(
    client, personas: Personas, nominal: Nominal, line_manager
) -> None:
    referral = referral_at("awaiting_endorsement", personas, nominal)
    sign_in(client, line_manager)
    assert errors(post(client, url("referral-return", referral.pk), {"note": " "})) == {
        "note": ["Say what more information is needed"]
    }
    response = post(client, url("referral-return", referral.pk), {"note": "Add the plan"})
    assert response.json()["status"] == "returned"

    # Returned: the referrer changes it and sends it again; a second version is kept.
    sign_in(client, personas.owner)
    current = _read(client, referral)
    assert current["actions"]["edit"] is True
    response = patch(
        client,
        url("referral-detail", referral.pk),
        {"version": current["version"], "plan_protective": "Stable accommodation"},
    )
    assert response.status_code == 200, response.content
    resent = post(client, url("referral-submit", referral.pk), {}).json()
    assert [s["number"] for s in resent["submissions"]] == [1, 2]

    sign_in(client, line_manager)
    post(client, url("referral-endorse", referral.pk), {})
    sign_in(client, personas.coordinator)
    response = post(client, url("referral-return", referral.pk), {"note": "Which victims?"})
    assert response.status_code == 200, response.content
    assert response.json()["decision_note"] == "Which victims?"

    # Nothing to return now: the co-ordinator hears why, the colleague is refused.
    problems = errors(post(client, url("referral-return", referral.pk), {"note": "Again"}))
    assert problems == {"non_field_errors": ["This referral cannot be returned now."]}
    sign_in(client, personas.colleague)
    response = post(client, url("referral-return", referral.pk), {"note": "Again"})
    assert response.status_code == 403
    assert refusals(personas.colleague).count() == 1


# Who sees and acts on a referral ----------------------------------------------------------


@pytest.mark.parametrize(
    "who", ["owner", "colleague", "line_manager", "coordinator", "administrator", "auditor"]
)
def test_referral_is_seen_by_the_referring_agency_line_manager_and_coordination(
    client, personas: Personas, nominal: Nominal, line_manager, who: str
) -> None:
    referral = referral_at("awaiting_endorsement", personas, nominal)
    user = line_manager if who == "line_manager" else getattr(personas, who)
    sign_in(client, user)
    assert _read(client, referral)["reference"] == referral.reference
    view = AuditEvent.objects.get(action="referral.view", actor=user)
    assert view.object_id == str(referral.pk)
    assert view.nominal_id == str(nominal.pk)
    assert view.detail == {"via": "api"}
    listed = client.get(url("referral-list")).json()
    assert [r["id"] for r in listed["results"]] == [str(referral.pk)]


@pytest.mark.parametrize("who", ["outsider", "partner"])
def test_other_agencies_are_refused_and_audited(
    client, personas: Personas, nominal: Nominal, who: str
) -> None:
    referral = referral_at("draft", personas, nominal)
    user = getattr(personas, who)
    sign_in(client, user)
    for response in (
        client.get(url("referral-detail", referral.pk)),
        patch(client, url("referral-detail", referral.pk), {"version": referral.version}),
        post(client, url("referral-submit", referral.pk), {}),
        post(
            client,
            url("referral-invitee-list", referral.pk),
            {"agency": personas.education.pk, "name": "Me", "email": "me@example.org"},
        ),
    ):
        assert response.status_code == 403, response.content
        assert response.json() == {"detail": "Your agency has no part in this referral."}
    assert refusals(user).count() == 4
    refusal = refusals(user).first()
    assert refusal.object_id == str(referral.pk)
    assert refusal.nominal_id == str(nominal.pk)
    assert not AuditEvent.objects.filter(action="referral.view").exists()
    assert client.get(url("referral-list")).json()["results"] == []
    assert Referral.objects.get(pk=referral.pk).version == referral.version


def test_smb_member_sees_no_referral(client, personas: Personas, nominal: Nominal) -> None:
    referral = referral_at("draft", personas, nominal)
    sign_in(client, personas.smb_member)
    assert client.get(url("referral-list")).status_code == 403
    assert client.get(url("referral-detail", referral.pk)).status_code == 403
    assert refusals(personas.smb_member).count() == 2


def test_list_holds_only_what_the_user_may_see(
    client, personas: Personas, nominal: Nominal
) -> None:
    ours = referral_at("draft", personas, nominal)
    theirs_person = make_nominal(
        personas.coordinator,
        family_name="Le Cornu",
        lead_agency=personas.education,
        manager=personas.outsider,
    )
    theirs = services.referral_start(actor=personas.outsider, nominal=theirs_person)
    for user, expected in (
        (personas.owner, {ours.pk}),
        (personas.outsider, {theirs.pk}),
        (personas.coordinator, {ours.pk, theirs.pk}),
    ):
        sign_in(client, user)
        listed = client.get(url("referral-list")).json()
        assert {r["id"] for r in listed["results"]} == {str(pk) for pk in expected}
    problems = errors(client.get(url("referral-list", query="status=lost")))
    assert "Select the status: one of draft" in problems["status"][0]


def test_only_the_named_line_manager_endorses(client, personas: Personas, nominal: Nominal) -> None:
    referral = referral_at("awaiting_endorsement", personas, nominal)
    other = make_user("lm2", Role.LINE_MANAGER, agency=personas.probation)
    sign_in(client, other)
    response = post(client, url("referral-endorse", referral.pk), {})
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the line manager named on the referral endorses it."}
    assert refusals(other).get().detail["attempted"] == "referral.endorse"
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.AWAITING_ENDORSEMENT


def test_only_the_coordinator_screens(client, personas: Personas, nominal: Nominal) -> None:
    referral = referral_at("awaiting_screening", personas, nominal)
    for who in ("administrator", "owner"):
        user = getattr(personas, who)
        sign_in(client, user)
        response = post(client, url("referral-accept", referral.pk), {"category": "2", "level": 3})
        assert response.status_code == 403
        assert response.json() == {"detail": "Only the co-ordinator screens referrals."}
        assert refusals(user).count() == 1
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.AWAITING_SCREENING


def test_screening_a_referral_not_awaiting_it_is_refused_with_the_reason(
    client, personas: Personas, nominal: Nominal
) -> None:
    referral = referral_at("awaiting_endorsement", personas, nominal)
    sign_in(client, personas.coordinator)
    problems = errors(
        post(client, url("referral-accept", referral.pk), {"category": "2", "level": 3})
    )
    assert problems == {"non_field_errors": ["This referral is not waiting for screening."]}


# Versions ----------------------------------------------------------------------------------


def test_stale_version_is_refused_with_409(client, personas: Personas, nominal: Nominal) -> None:
    referral = referral_at("draft", personas, nominal)
    sign_in(client, personas.owner)
    address = url("referral-detail", referral.pk)
    first = patch(client, address, {"version": referral.version, "diversity": "First"})
    assert first.status_code == 200
    second = patch(client, address, {"version": referral.version, "diversity": "Second"})
    assert second.status_code == 409
    assert list(second.json()) == ["errors"]
    assert "Someone else saved this referral" in second.json()["errors"]["version"][0]
    assert Referral.objects.get(pk=referral.pk).diversity == "First"

    # A submit based on an older read is refused too: what was checked is what is sent.
    response = post(client, url("referral-submit", referral.pk), {"version": referral.version})
    assert response.status_code == 409
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.DRAFT


def test_patch_needs_the_version(client, personas: Personas, nominal: Nominal) -> None:
    referral = referral_at("draft", personas, nominal)
    sign_in(client, personas.owner)
    problems = errors(patch(client, url("referral-detail", referral.pk), {"diversity": "X"}))
    assert problems == {
        "version": [
            "Enter the version of the referral you read, so that nobody's changes are overwritten"
        ]
    }


# Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        ({"category": "5"}, "category", "Select the category: one of 1, 2, 3, pdp"),
        ({"level_sought": 1}, "level_sought", "Select the level sought: one of 2, 3"),
        ({"custody": "prison"}, "custody", "Say whether the person is in custody"),
        ({"emergency_needed_by": "2020-01-01"}, "emergency_needed_by", "in the future"),
        ({"emergency_needed_by": "31/12/2030"}, "emergency_needed_by", "YYYY-MM-DD"),
        ({"plan_restrictive_choices": ["curfew"]}, "plan_restrictive_choices[0]", "one of"),
        ({"plan_restrictive_choices": "curfew"}, "plan_restrictive_choices", "must be a list"),
        ({"line_manager": 999999}, "line_manager", "there is none with the id 999999"),
        ({"sexual_offender": "perhaps"}, "sexual_offender", "must be true or false"),
        ({"risk_who": "x" * 20001}, "risk_who", "20000 characters or fewer"),
        ({"risk_whom": "Neighbours"}, "risk_whom", "is not a field of this request"),
    ],
)
def test_patch_refuses_bad_input_naming_the_field(
    client, personas: Personas, nominal: Nominal, body: dict, field: str, says: str
) -> None:
    referral = referral_at("draft", personas, nominal)
    sign_in(client, personas.owner)
    problems = errors(
        patch(client, url("referral-detail", referral.pk), {"version": referral.version, **body})
    )
    assert says in " ".join(problems[field]), problems
    assert Referral.objects.get(pk=referral.pk).version == referral.version


def test_line_manager_must_be_one_in_the_referring_agency(
    client, personas: Personas, nominal: Nominal
) -> None:
    referral = referral_at("draft", personas, nominal)
    sign_in(client, personas.owner)
    problems = errors(
        patch(
            client,
            url("referral-detail", referral.pk),
            {"version": referral.version, "line_manager": personas.colleague.pk},
        )
    )
    assert problems == {
        "line_manager": ["Choose a line manager in your agency who has the line manager role"]
    }


def test_start_refuses_an_unknown_person_and_a_second_open_referral(
    client, personas: Personas, nominal: Nominal
) -> None:
    sign_in(client, personas.owner)
    assert errors(post(client, url("referral-list"), {})) == {
        "nominal": ["Enter the id of the person to refer"]
    }
    assert (
        "must be given by their id"
        in errors(post(client, url("referral-list"), {"nominal": "smith"}))["nominal"][0]
    )
    unknown = "3f2b8c1e-0d4a-4c5e-9b7a-1a2b3c4d5e6f"
    assert errors(post(client, url("referral-list"), {"nominal": unknown})) == {
        "nominal": [f"There is no one on the register with the id {unknown}"]
    }
    assert post(client, url("referral-list"), {"nominal": str(nominal.pk)}).status_code == 201
    again = errors(post(client, url("referral-list"), {"nominal": str(nominal.pk)}))
    assert "is already open" in again["non_field_errors"][0]


def test_invitees_added_and_removed(client, personas: Personas, nominal: Nominal) -> None:
    referral = referral_at("draft", personas, nominal)
    sign_in(client, personas.owner)
    address = url("referral-invitee-list", referral.pk)
    assert errors(post(client, address, {"agency": personas.housing.pk, "name": ""})) == {
        "name": ["Enter the name of the person to invite"],
        "email": ["Enter an email address, a phone number or an address for the invitee"],
    }
    assert (
        "correct format"
        in errors(
            post(client, address, {"agency": personas.housing.pk, "name": "Jo", "email": "jo"})
        )["email"][0]
    )
    assert (
        "Select the agency"
        in errors(post(client, address, {"name": "Jo", "phone": "1"}))["agency"][0]
    )
    added = post(client, address, {"agency": personas.housing.pk, "name": "Jo", "phone": "01534"})
    assert added.status_code == 201, added.content
    invitees = _read(client, referral)["invitees"]
    first, second = invitees[0]["id"], invitees[1]["id"]

    refused = errors(delete(client, url("referral-invitee-detail", referral.pk, first)))
    assert "cannot be removed" in refused["non_field_errors"][0]
    other = referral_at(
        "draft", personas, make_nominal(personas.coordinator, lead_agency=personas.probation)
    )
    assert delete(client, url("referral-invitee-detail", other.pk, second)).status_code == 404
    assert delete(client, url("referral-invitee-detail", referral.pk, second)).status_code == 204
    assert [i["position"] for i in _read(client, referral)["invitees"]] == [1]


def test_unknown_referral_answers_404(client, personas: Personas) -> None:
    sign_in(client, personas.coordinator)
    response = client.get(url("referral-detail", "3f2b8c1e-0d4a-4c5e-9b7a-1a2b3c4d5e6f"))
    assert response.status_code == 404
    assert response.json() == {"detail": "No such referral"}


def test_accepting_into_a_category_the_register_cannot_hold_yet_says_why(
    client, personas: Personas, nominal: Nominal
) -> None:
    # A category 1 case needs its notification end date on the register; the screening
    # takes no such field, so the reason is given without one.
    referral = referral_at("awaiting_screening", personas, nominal)
    sign_in(client, personas.coordinator)
    problems = errors(
        post(client, url("referral-accept", referral.pk), {"category": "1", "level": 2})
    )
    assert list(problems) == ["category"]
    assert "notification end date" in problems["category"][0]
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.AWAITING_SCREENING


def test_list_and_read_take_a_fixed_number_of_queries(
    client, personas: Personas, nominal: Nominal
) -> None:
    first = referral_at("draft", personas, nominal)
    sign_in(client, personas.coordinator)

    def queries(address: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(address).status_code == 200
        return len(captured)

    listing, reading = queries(url("referral-list")), queries(url("referral-detail", first.pk))
    for number in range(3):
        person = make_nominal(
            personas.coordinator, family_name=f"Other{number}", lead_agency=personas.probation
        )
        referral_at("awaiting_endorsement", personas, person)
        services.referral_invitee_save(
            actor=personas.owner,
            referral=first,
            invitee=ReferralInvitee(
                referral=first, position=0, agency=personas.housing, name=f"I{number}", phone="1"
            ),
        )
        services.referral_update(
            actor=personas.owner, referral=first, data={"diversity": f"Note {number}"}
        )
    assert queries(url("referral-list")) == listing
    assert queries(url("referral-detail", first.pk)) == reading
