"""Identification, the referral journey and screening (issue 4 points 3-5)."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from mappa.access.models import Role
from mappa.audit.models import AuditEvent
from mappa.referrals import services
from mappa.referrals.models import ReferralStatus, ReferralSubmission
from mappa.register import services as register_services
from mappa.register.models import CaseState, Nominal
from tests.conftest import Personas
from tests.factories import make_nominal, make_user

pytestmark = pytest.mark.django_db

COMPLETE = {
    "category": "2",
    "level_sought": 3,
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


@pytest.fixture
def line_manager(personas: Personas):
    return make_user(
        "manager", Role.LINE_MANAGER, agency=personas.probation, email="manager@example.org"
    )


@pytest.fixture
def draft(personas: Personas, nominal: Nominal, line_manager):
    personas.owner.email = "owner@example.org"
    personas.owner.save()
    referral = services.referral_start(actor=personas.owner, nominal=nominal)
    return services.referral_update(
        actor=personas.owner, referral=referral, data={**COMPLETE, "line_manager": line_manager}
    )


def _freeze(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    monkeypatch.setattr("mappa.referrals.services.today", lambda: day)


def test_start_prefills_and_invites_the_referrer_first(
    personas: Personas, nominal: Nominal
) -> None:
    referral = services.referral_start(actor=personas.owner, nominal=nominal)
    assert referral.status == ReferralStatus.DRAFT
    assert referral.category == "2"
    invitee = referral.invitees.get()
    assert invitee.position == 1 and invitee.agency == personas.probation


def test_only_one_open_referral_per_case(personas: Personas, draft) -> None:
    with pytest.raises(ValidationError, match="already open"):
        services.referral_start(actor=personas.owner, nominal=draft.nominal)


def test_draft_keeps_partial_answers(personas: Personas, nominal: Nominal) -> None:
    referral = services.referral_start(actor=personas.owner, nominal=nominal)
    services.referral_update(
        actor=personas.owner, referral=referral, data={"risk_who": "Neighbours"}
    )
    referral.refresh_from_db()
    assert referral.risk_who == "Neighbours"
    problems = services.referral_problems(referral)
    assert "risk_nature" in problems and "risk_who" not in problems


def test_stale_draft_save_is_refused(personas: Personas, draft) -> None:
    version = draft.version
    services.referral_update(
        actor=personas.owner, referral=draft, data={"diversity": "A"}, expected_version=version
    )
    with pytest.raises(services.StaleReferralError):
        services.referral_update(
            actor=personas.owner, referral=draft, data={"diversity": "B"}, expected_version=version
        )


def test_missing_endorsement_is_refused_naming_the_field(
    personas: Personas, nominal: Nominal
) -> None:
    referral = services.referral_start(actor=personas.owner, nominal=nominal)
    services.referral_update(actor=personas.owner, referral=referral, data=COMPLETE)
    with pytest.raises(ValidationError) as exc:
        services.referral_submit(actor=personas.owner, referral=referral)
    assert "line manager" in exc.value.message_dict["line_manager"][0]


def test_pdp_without_behaviour_is_refused(personas: Personas, line_manager) -> None:
    nominal = make_nominal(personas.coordinator, category="pdp", lead_agency=personas.probation)
    case = register_services.current_case(nominal)
    assert case is not None
    case.pdp_behaviour = ""  # as if recorded without it before the rule existed
    case.save()
    referral = services.referral_start(actor=personas.owner, nominal=nominal)
    services.referral_update(
        actor=personas.owner,
        referral=referral,
        data={**COMPLETE, "category": "pdp", "line_manager": line_manager},
    )
    with pytest.raises(ValidationError) as exc:
        services.referral_submit(actor=personas.owner, referral=referral)
    assert "behaviour" in exc.value.message_dict["category"][0]


def test_emergency_needs_a_specified_date(personas: Personas, draft) -> None:
    services.referral_update(actor=personas.owner, referral=draft, data={"emergency_meeting": True})
    draft.refresh_from_db()
    problems = services.referral_problems(draft)
    assert problems["emergency_needed_by"] == ["Enter the date the emergency meeting is needed by"]


def test_journey_submit_endorse_accept(personas: Personas, line_manager, monkeypatch) -> None:
    nominal = make_nominal(
        personas.coordinator, lead_agency=personas.probation, opened_on=dt.date(2026, 3, 2)
    )
    personas.owner.email = "owner@example.org"
    personas.owner.save()
    draft = services.referral_start(actor=personas.owner, nominal=nominal)
    services.referral_update(
        actor=personas.owner, referral=draft, data={**COMPLETE, "line_manager": line_manager}
    )
    # Thursday 2 April 2026, the day before Good Friday: 15 working days under jersey-2010
    # skip Good Friday (3rd) and Easter Monday (6th) and end on Monday 27 April 2026.
    _freeze(monkeypatch, dt.date(2026, 4, 2))
    referral = services.referral_submit(actor=personas.owner, referral=draft)
    assert referral.status == ReferralStatus.AWAITING_ENDORSEMENT
    assert ReferralSubmission.objects.filter(referral=referral, number=1).exists()
    assert mail.outbox[-1].to == ["manager@example.org"]
    assert "Smith" not in mail.outbox[-1].body and "SMITH" not in mail.outbox[-1].body
    with pytest.raises(ValidationError):
        services.referral_endorse(actor=personas.colleague, referral=referral)
    referral = services.referral_endorse(actor=line_manager, referral=referral, note="Agreed")
    assert referral.status == ReferralStatus.AWAITING_SCREENING
    assert referral.received_on == dt.date(2026, 4, 2)
    assert referral.first_meeting_due == dt.date(2026, 4, 27)
    referral = services.referral_accept(
        actor=personas.coordinator, referral=referral, category="2", level=3
    )
    assert referral.status == ReferralStatus.ACCEPTED
    state = CaseState.objects.get(case=referral.case, effective_to__isnull=True)
    assert state.level == 3
    assert "accepted" in mail.outbox[-1].subject


def test_accepting_at_level_1_is_refused(personas: Personas, draft, line_manager) -> None:
    referral = services.referral_submit(actor=personas.owner, referral=draft)
    referral = services.referral_endorse(actor=line_manager, referral=referral)
    with pytest.raises(ValidationError) as exc:
        services.referral_accept(
            actor=personas.coordinator, referral=referral, category="3", level=1
        )
    assert "level 2 or level 3" in exc.value.message_dict["level"][0]


def test_decline_needs_a_reason_that_the_referrer_sees(
    client, personas: Personas, draft, line_manager
) -> None:
    referral = services.referral_submit(actor=personas.owner, referral=draft)
    referral = services.referral_endorse(actor=line_manager, referral=referral)
    with pytest.raises(ValidationError) as exc:
        services.referral_decline(
            actor=personas.coordinator, referral=referral, reason="not_eligible", note=""
        )
    assert "note" in exc.value.message_dict
    services.referral_decline(
        actor=personas.coordinator,
        referral=referral,
        reason="level_1",
        note="Normal liaison between probation and housing is enough",
    )
    assert "declined" in mail.outbox[-1].subject
    client.force_login(personas.owner)
    html = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Normal liaison between probation and housing is enough" in html
    html = client.get(reverse("referrals:declined")).content.decode()
    assert referral.reference in html


def test_sex_offender_cannot_be_declined_as_level_1(
    personas: Personas, draft, line_manager
) -> None:
    services.referral_update(actor=personas.owner, referral=draft, data={"sexual_offender": True})
    referral = services.referral_submit(actor=personas.owner, referral=draft)
    referral = services.referral_endorse(actor=line_manager, referral=referral)
    with pytest.raises(ValidationError) as exc:
        services.referral_decline(
            actor=personas.coordinator, referral=referral, reason="level_1", note="Low risk"
        )
    assert "always discussed at a multi-agency meeting" in exc.value.message_dict["reason"][0]
    services.referral_decline(
        actor=personas.coordinator, referral=referral, reason="not_eligible", note="Not eligible"
    )


def test_return_for_information_then_resubmit_keeps_both_versions(
    personas: Personas, draft, line_manager
) -> None:
    referral = services.referral_submit(actor=personas.owner, referral=draft)
    referral = services.referral_endorse(actor=line_manager, referral=referral)
    referral = services.referral_return(
        actor=personas.coordinator,
        referral=referral,
        note="Add the victim's current address area",
        by_coordinator=True,
    )
    assert referral.status == ReferralStatus.RETURNED
    services.referral_update(
        actor=personas.owner, referral=referral, data={"victim_concerns": "Updated"}
    )
    services.referral_submit(actor=personas.owner, referral=referral)
    assert list(
        ReferralSubmission.objects.filter(referral=referral).values_list("number", flat=True)
    ) == [1, 2]


def test_line_manager_referral_needs_no_separate_endorsement(
    personas: Personas, nominal: Nominal, line_manager
) -> None:
    referral = services.referral_start(actor=line_manager, nominal=nominal)
    services.referral_update(actor=line_manager, referral=referral, data=COMPLETE)
    referral = services.referral_submit(actor=line_manager, referral=referral)
    assert referral.status == ReferralStatus.AWAITING_SCREENING


def test_custody_case_counts_back_from_rotl_or_flags_it_missing(
    personas: Personas, draft, line_manager, monkeypatch
) -> None:
    from mappa.register.models import Sentence

    _freeze(monkeypatch, dt.date(2026, 1, 15))
    register_services.attachment_save(
        actor=personas.coordinator,
        nominal=draft.nominal,
        instance=Sentence(sentence_date=dt.date(2024, 1, 10), release_date=dt.date(2027, 8, 31)),
    )
    services.referral_update(actor=personas.owner, referral=draft, data={"custody": "custody"})
    referral = services.referral_submit(actor=personas.owner, referral=draft)
    referral = services.referral_endorse(actor=line_manager, referral=referral)
    # No ROTL date: 6 calendar months before the earliest release (31 Aug 2027) is 28 Feb 2027.
    assert referral.first_meeting_due == dt.date(2027, 2, 28)
    assert referral.rotl_date_missing is True


def test_eligibility_dates_contradicting_each_other_are_refused(
    personas: Personas, nominal: Nominal
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.eligibility_record(
            actor=personas.owner,
            nominal=nominal,
            kind="sentence",
            event_date=dt.date(2026, 3, 10),
            identified_on=dt.date(2026, 3, 9),
            custody="custody",
            planned_release_date=dt.date(2026, 3, 1),
        )
    assert set(exc.value.message_dict) == {"identified_on", "planned_release_date"}


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("owner", True),
        ("colleague", True),
        ("manager", True),
        ("coordinator", True),
        ("administrator", True),
        ("auditor", True),
        ("partner", False),
        ("outsider", False),
        ("smb_member", False),
    ],
)
def test_who_sees_a_referral(
    client, personas: Personas, draft, line_manager, who: str, allowed: bool
) -> None:
    user = line_manager if who == "manager" else getattr(personas, who)
    client.force_login(user)
    response = client.get(reverse("referrals:detail", args=[draft.pk]))
    assert response.status_code == (200 if allowed else 403)
    if not allowed:
        assert AuditEvent.objects.filter(action="access.refused", actor=user).exists()


def test_only_the_coordinator_screens(client, personas: Personas, draft, line_manager) -> None:
    referral = services.referral_submit(actor=personas.owner, referral=draft)
    services.referral_endorse(actor=line_manager, referral=referral)
    client.force_login(personas.owner)
    assert client.get(reverse("referrals:screen", args=[referral.pk])).status_code == 403
    assert client.get(reverse("referrals:screening")).status_code == 403
    client.force_login(personas.coordinator)
    html = client.get(reverse("referrals:screening")).content.decode()
    assert referral.reference in html


def test_a_child_assessed_only_with_an_adult_tool_is_refused(
    personas: Personas, line_manager
) -> None:
    from mappa.assessments import services as assessment_services

    today = dt.date.today()
    child = make_nominal(
        personas.coordinator,
        family_name="Young",
        lead_agency=personas.probation,
        date_of_birth=today.replace(year=today.year - 16) - dt.timedelta(days=10),
    )
    referral = services.referral_start(actor=personas.owner, nominal=child)
    services.referral_update(
        actor=personas.owner, referral=referral, data={**COMPLETE, "line_manager": line_manager}
    )
    with pytest.raises(ValidationError) as exc:
        services.referral_submit(actor=personas.owner, referral=referral)
    assert "ASSET" in exc.value.message_dict["assessments"][0]
    # An adult tool recorded anyway (say before the rule) is not enough on its own.
    from mappa.assessments.models import Assessment

    adult_tool = Assessment.objects.create(
        nominal=child,
        tool="lsi_r",
        completed_on=today - dt.timedelta(days=5),
        author=personas.owner,
        agency=personas.probation,
    )
    services.referral_update(
        actor=personas.owner, referral=referral, data={"assessments": [adult_tool]}
    )
    with pytest.raises(ValidationError) as exc:
        services.referral_submit(actor=personas.owner, referral=referral)
    assert "only adult tools" in exc.value.message_dict["assessments"][0]
    asset = assessment_services.assessment_record(
        actor=personas.owner,
        nominal=child,
        tool="asset",
        completed_on=today - dt.timedelta(days=3),
        author=personas.owner,
        agency=personas.probation,
        values={
            "risk_of_serious_harm": "high",
            "reconviction_score": 20,
            "reconviction_likelihood": "medium",
        },
    )
    services.referral_update(
        actor=personas.owner,
        referral=referral,
        data={"assessments": [adult_tool, Assessment.objects.get(pk=asset.pk)]},
    )
    assert (
        services.referral_submit(actor=personas.owner, referral=referral).status
        == "awaiting_endorsement"
    )


def test_another_persons_assessment_cannot_be_attached(
    personas: Personas, draft, nominal: Nominal
) -> None:
    from mappa.assessments.models import Assessment

    other = make_nominal(personas.coordinator, family_name="Other", lead_agency=personas.probation)
    theirs = Assessment.objects.create(
        nominal=other,
        tool="lsi_r",
        completed_on=dt.date.today(),
        author=personas.owner,
        agency=personas.probation,
    )
    with pytest.raises(ValidationError) as exc:
        services.referral_update(
            actor=personas.owner, referral=draft, data={"assessments": [theirs]}
        )
    assert "this person's" in exc.value.message_dict["assessments"][0]
