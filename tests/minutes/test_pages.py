"""The minutes written through the pages, as the chair and the administrator use them."""

import datetime as dt

import pytest
from django.test import Client

from mappa.minutes.models import Minutes, MinutesStatus
from tests.minutes.conftest import make_item, make_meeting

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 5)


def _date(name: str, day: dt.date) -> dict[str, str]:
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


def test_journey_through_the_pages(cast, case_nominal) -> None:
    personas = cast.personas
    item = make_item(make_meeting(DAY, chair=cast.chair), case_nominal)
    chair = Client()
    chair.force_login(cast.chair)
    page = chair.get(f"/minutes/discussion/{item.pk}/")
    assert page.status_code == 200 and "Start the minutes" in page.content.decode()
    response = chair.post(f"/minutes/discussion/{item.pk}/start/")
    minutes = Minutes.objects.get(agenda_item=item)
    assert response["Location"] == f"/minutes/{minutes.pk}/"
    assert chair.get(f"/minutes/discussion/{item.pk}/")["Location"] == f"/minutes/{minutes.pk}/"

    def post(section: str, data: dict) -> None:
        minutes.refresh_from_db()
        response = chair.post(
            f"/minutes/{minutes.pk}/section/{section}/", {**data, "version": minutes.version}
        )
        assert response.status_code == 302, response.content.decode()[:3000]

    post(
        "victims",
        {
            "victim_concerns": "Former partner nearby",
            "vls_taken_up": "no",
            "domestic_abuse": "yes",
            "domestic_abuse_details": "Controlling behaviour",
            "marac_referred": "yes",
            "marac_meeting": "yes",
            **_date("marac_date", DAY + dt.timedelta(days=10)),
            "marac_actions": "Target hardening",
        },
    )
    post(
        "risk",
        {
            "risk_who": "Former partner",
            "risk_nature": "Violence",
            "risk_when": "At night",
            "risk_increase": "Alcohol",
            "risk_reduce": "Work",
            "rosh": "high",
        },
    )
    post(
        "plan",
        {
            "plan_restrictive": "Curfew",
            "plan_rehabilitative": "Programme",
            "plan_protective": "Family support",
            "contingency_plan": "Recall if curfew breached",
        },
    )
    post("disclosure", {"disclosure": "no", "disclosure_reasons": "No third party at risk"})
    post("media", {"media_consider": "no"})
    post(
        "conclusion",
        {
            "conclusion": "level_2",
            "conclusion_reasons": "Still high",
            "ongoing_at_level": "yes",
            "ongoing_achieve": "Stable housing",
            "discharge_considered": "on",
        },
    )
    post("hra", {"hra_confirmed": "on", "hra_grounds": ["public_safety"]})
    post("review", {})

    # Section 9: initials refused on the page, with the words kept.
    refused = chair.post(
        f"/minutes/{minutes.pk}/updates/add/",
        {"person_name": "J.S.", "agency": personas.police.pk, "update": "Visited him on Monday"},
    )
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "not their initials" in body and "Visited him on Monday" in body
    assert (
        chair.post(
            f"/minutes/{minutes.pk}/updates/add/",
            {
                "person_name": "Jane Smith",
                "agency": personas.police.pk,
                "update": "Visited him on Monday",
            },
        ).status_code
        == 302
    )

    # Section 15: "ASAP" refused, then a date.
    action = {
        "description": "Visit the former partner",
        "agency": personas.police.pk,
        "owner_name": "Callum Destry",
        "owner_user": "",
        "protects_victims": "on",
    }
    refused = chair.post(
        f"/minutes/{minutes.pk}/actions/add/",
        {**action, "due_date-day": "ASAP", "due_date-month": "", "due_date-year": ""},
    )
    assert refused.status_code == 200 and "is not a deadline" in refused.content.decode()
    assert (
        chair.post(
            f"/minutes/{minutes.pk}/actions/add/",
            {**action, **_date("due_date", DAY + dt.timedelta(days=7))},
        ).status_code
        == 302
    )

    # Every page of a draft answers.
    for path in (
        "",
        "check/",
        "print/",
        "updates/add/",
        "actions/add/",
        f"actions/{minutes.actions.get().pk}/",
        f"actions/{minutes.actions.get().pk}/remove/",
        f"updates/{minutes.agency_updates.get().pk}/",
        f"updates/{minutes.agency_updates.get().pk}/remove/",
        *[
            f"section/{s}/"
            for s in (
                "review",
                "victims",
                "risk",
                "plan",
                "disclosure",
                "media",
                "conclusion",
                "hra",
                "administration",
            )
        ],
    ):
        assert chair.get(f"/minutes/{minutes.pk}/{path}").status_code == 200, path

    assert chair.post(f"/minutes/{minutes.pk}/check/").status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.CHECKED
    assert chair.get(f"/minutes/{minutes.pk}/reopen/").status_code == 200
    assert chair.get(f"/minutes/{minutes.pk}/distribute/").status_code == 200
    assert chair.post(f"/minutes/{minutes.pk}/distribute/").status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.DISTRIBUTED
    for path in ("", "amend/"):
        assert chair.get(f"/minutes/{minutes.pk}/{path}").status_code == 200, path
    coordinator = Client()
    coordinator.force_login(personas.coordinator)
    for path in (
        f"case/{minutes.case_id}/",
        "actions/",
        "notices/",
        f"actions/{minutes.actions.get().pk}/",
        f"case/{minutes.case_id}/level-1-reviews/",
    ):
        assert coordinator.get(f"/minutes/{path}").status_code == 200, path
    response = chair.post(
        f"/minutes/{minutes.pk}/amend/",
        {"field": "rosh", "value": "Very high", "reason": "Misrecorded"},
    )
    assert response.status_code == 302
    assert minutes.amendments.get().after == "very_high"
