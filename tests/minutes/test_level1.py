"""Level 1 reviews by the lead agency (J 9.2)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from mappa.audit.models import AuditEvent
from mappa.compliance.items import Kind
from mappa.minutes import selectors, services
from mappa.minutes.models import Level1Review
from mappa.referrals.models import Referral, ReferralStatus
from mappa.register import services as register_services
from tests.factories import make_nominal
from tests.minutes.conftest import OPENED

pytestmark = pytest.mark.django_db

MOVED = dt.date(2026, 2, 2)


@pytest.fixture
def level1(personas):
    nominal = make_nominal(
        personas.coordinator,
        family_name="Brown",
        lead_agency=personas.probation,
        manager=personas.owner,
        opened_on=OPENED,
    )
    case = nominal.cases.get()
    register_services.case_update_management(
        actor=personas.coordinator,
        case=case,
        category="2",
        level=1,
        lead_agency=personas.probation,
        manager=personas.owner,
        effective_from=MOVED,
        reason="Agreed at the level 2 meeting",
    )
    return case


def test_review_yes_starts_a_referral_prefilled_from_the_record(personas, level1) -> None:
    client = Client()
    client.force_login(personas.owner)
    response = client.post(
        f"/minutes/case/{level1.pk}/level-1-reviews/",
        {
            "review_date-day": "4",
            "review_date-month": "5",
            "review_date-year": "2026",
            "new_information": "Police intelligence: contact with the former partner again",
            "plan_revised": "yes",
            "plan_changes": "Weekly reporting",
            "refer": "yes",
            "refer_reasons": "Renewed contact with the victim; needs multi-agency management",
        },
    )
    review = Level1Review.objects.get(case=level1)
    assert review.referral is not None
    assert (
        response.status_code == 302 and response["Location"] == f"/referrals/{review.referral.pk}/"
    )
    referral = Referral.objects.get(pk=review.referral.pk)
    assert referral.status == ReferralStatus.DRAFT
    assert referral.referrer == personas.owner
    assert "Renewed contact with the victim" in referral.reason_for_referral
    assert "Police intelligence" in referral.reason_for_referral
    assert "Weekly reporting" in referral.reason_for_referral
    assert AuditEvent.objects.filter(
        action="level1_review.create", object_id=str(review.pk)
    ).exists()


def test_review_no_starts_nothing_and_resets_the_clock(personas, level1) -> None:
    services.level1_review_record(
        actor=personas.owner,
        case=level1,
        review_date=dt.date(2026, 4, 20),
        new_information="None",
        plan_revised="no",
        plan_changes="",
        refer="no",
        refer_reasons="",
    )
    assert not Referral.objects.filter(case=level1).exists()
    items = [i for i in selectors.due_items(dt.date(2026, 5, 1)) if i.kind == Kind.LEVEL1_REVIEW]
    assert [(i.basis_event, i.basis_date, i.due, i.agency_id) for i in items] == [
        ("last level 1 review", dt.date(2026, 4, 20), dt.date(2026, 7, 20), personas.probation.pk)
    ]


def test_level1_clock_runs_from_the_move(personas, level1) -> None:
    items = [i for i in selectors.due_items(dt.date(2026, 3, 1)) if i.kind == Kind.LEVEL1_REVIEW]
    assert [(i.basis_event, i.basis_date, i.due) for i in items] == [
        ("moved to level 1", MOVED, dt.date(2026, 5, 2))
    ]


def test_only_the_lead_agency_records_a_review(personas, level1) -> None:
    with pytest.raises(Exception) as refused:
        services.level1_review_record(
            actor=personas.partner,
            case=level1,
            review_date=dt.date(2026, 4, 20),
            new_information="None",
            plan_revised="no",
            plan_changes="",
            refer="no",
            refer_reasons="",
        )
    assert "lead agency" in str(refused.value)
    client = Client()
    client.force_login(personas.outsider)
    response = client.post(f"/minutes/case/{level1.pk}/level-1-reviews/", {"refer": "no"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="access.refused", actor=personas.outsider).exists()


def test_review_answers_are_checked(personas, level1) -> None:
    with pytest.raises(ValidationError) as refused:
        services.level1_review_record(
            actor=personas.owner,
            case=level1,
            review_date=None,
            new_information="",
            plan_revised="yes",
            plan_changes="",
            refer="yes",
            refer_reasons="",
        )
    assert set(refused.value.message_dict) == {
        "review_date",
        "new_information",
        "plan_changes",
        "refer_reasons",
    }
