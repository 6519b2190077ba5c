"""The assessment and home-visit pages: allowed users add, outsiders are refused and the
refusal is audited, every view of a list is audited."""

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from mappa.assessments.models import Assessment, HomeVisit, Tool
from mappa.audit.models import AuditEvent
from mappa.register.services import nominal_archive
from tests.assessments.conftest import record
from tests.conftest import Personas
from tests.profiles.helpers import sign_in

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.profiles.urls")]
D = dt.date


def _date(name: str, day: dt.date) -> dict[str, str]:
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


def _rm2000_post(personas: Personas, **extra: str) -> dict[str, Any]:
    return {
        "sexual": "high",
        "violent": "medium",
        "combined": "high",
        **_date("completed_on", D(2026, 3, 2)),
        "author": str(personas.owner.pk),
        "agency": str(personas.probation.pk),
        "notes": "",
        **extra,
    }


def test_owner_lists_and_adds_an_assessment(client: Any, personas: Personas, nominal: Any) -> None:
    sign_in(client, personas.owner)
    page = client.get(reverse("assessments:list", args=[nominal.pk]))
    assert page.status_code == 200
    assert "No risk assessments recorded" in page.content.decode()
    assert AuditEvent.objects.filter(
        action="assessments.view", nominal_id=str(nominal.pk), actor=personas.owner
    ).exists()

    choose = client.get(reverse("assessments:choose", args=[nominal.pk]), {"tool": "rm2000"})
    assert choose.status_code == 302
    assert choose["Location"] == reverse("assessments:add", args=[nominal.pk, "rm2000"])
    form = client.get(choose["Location"])
    assert form.status_code == 200
    assert "Risk Matrix 2000" in form.content.decode()

    response = client.post(choose["Location"], _rm2000_post(personas))
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = Assessment.objects.get(nominal=nominal)
    assert (saved.tool, saved.completed_on, saved.author_id) == (
        Tool.RM2000,
        D(2026, 3, 2),
        personas.owner.pk,
    )
    listing = client.get(response["Location"]).content.decode()
    assert "RM2000 sexual: High" in listing
    assert AuditEvent.objects.filter(action="assessment.add", nominal_id=str(nominal.pk)).exists()


def test_form_errors_are_shown_against_their_fields(
    client: Any, personas: Personas, nominal: Any
) -> None:
    sign_in(client, personas.owner)
    url = reverse("assessments:add", args=[nominal.pk, "oasys_reconviction"])
    response = client.post(
        url,
        {
            "ogp_1y_pct": "150",
            "ogp_2y_pct": "20",
            "ogp_band": "low",
            **_date("completed_on", D(2099, 1, 1)),
            "author": str(personas.owner.pk),
            "agency": str(personas.probation.pk),
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert "OGP 1-year percentage must be a whole number from 0 to 100" in text
    assert "Date completed must be in the past" in text
    assert 'href="#completed_on-day"' in text
    assert not Assessment.objects.exists()


def test_adult_tool_for_a_child_is_refused_on_the_page(
    client: Any, personas: Personas, child: Any
) -> None:
    sign_in(client, personas.owner)
    choose = client.get(reverse("assessments:choose", args=[child.pk]))
    assert "Children are not assessed as mini-adults" in choose.content.decode()
    response = client.post(
        reverse("assessments:add", args=[child.pk, "rm2000"]), _rm2000_post(personas)
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "RM2000 is a tool for adults" in text
    assert "record an ASSET assessment instead" in text
    assert not Assessment.objects.exists()


def test_unknown_tool_is_not_found(client: Any, personas: Personas, nominal: Any) -> None:
    sign_in(client, personas.owner)
    assert client.get(reverse("assessments:add", args=[nominal.pk, "tarot"])).status_code == 404


def test_auditor_reads_but_cannot_add(client: Any, personas: Personas, nominal: Any) -> None:
    sign_in(client, personas.auditor)
    assert client.get(reverse("assessments:list", args=[nominal.pk])).status_code == 200
    response = client.post(
        reverse("assessments:add", args=[nominal.pk, "rm2000"]), _rm2000_post(personas)
    )
    assert response.status_code == 403
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("name", "args", "method"),
    [
        ("assessments:list", [], "get"),
        ("assessments:choose", [], "get"),
        ("assessments:add", ["rm2000"], "get"),
        ("assessments:add", ["rm2000"], "post"),
        ("assessments:home_visits", [], "get"),
        ("assessments:home_visit_add", [], "get"),
        ("assessments:home_visit_add", [], "post"),
    ],
)
def test_outsider_is_refused_and_the_refusal_audited(
    client: Any, personas: Personas, rso: Any, name: str, args: list[str], method: str
) -> None:
    sign_in(client, personas.outsider)
    url = reverse(name, args=[rso.pk, *args])
    response = getattr(client, method)(url, _rm2000_post(personas) if method == "post" else {})
    assert response.status_code == 403
    refusal = AuditEvent.objects.get(action="access.refused", actor=personas.outsider)
    assert refusal.nominal_id == str(rso.pk)
    assert refusal.outcome == "refused"
    assert not AuditEvent.objects.filter(
        action__in=["assessments.view", "home_visits.view"], actor=personas.outsider
    ).exists()
    assert not Assessment.objects.exists() and not HomeVisit.objects.exists()


def test_archived_record_cannot_be_added_to(client: Any, personas: Personas, nominal: Any) -> None:
    nominal_archive(actor=personas.coordinator, nominal=nominal, reason="No longer eligible")
    sign_in(client, personas.coordinator)
    url = reverse("assessments:add", args=[nominal.pk, "rm2000"])
    response = client.post(url, _rm2000_post(personas))
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:list", args=[nominal.pk])
    assert not Assessment.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "archived" in page
    assert "Add an assessment" not in page


def test_home_visits_listed_and_recorded(client: Any, personas: Personas, rso: Any) -> None:
    record(personas, rso, Tool.OVERALL_ROSH, D(2026, 1, 5), level="very_high")
    sign_in(client, personas.owner)
    page = client.get(reverse("assessments:home_visits", args=[rso.pk]))
    assert page.status_code == 200
    assert "Next home visit" in page.content.decode()
    assert AuditEvent.objects.filter(action="home_visits.view", nominal_id=str(rso.pk)).exists()
    response = client.post(
        reverse("assessments:home_visit_add", args=[rso.pk]),
        {
            **_date("visited_on", D(2026, 1, 31)),
            "officers": "PC Jane Le Brocq, PO Mark Renouf",
            "announced": "no",
            "joint_with_probation": "on",
            "outcome": "seen",
            "concerns": "New computer in the bedroom",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = HomeVisit.objects.get(nominal=rso)
    assert (saved.announced, saved.joint_with_probation, saved.outcome) == (False, True, "seen")
    listing = client.get(response["Location"]).content.decode()
    assert "Unannounced" in listing and "New computer in the bedroom" in listing


def test_home_visit_form_errors(client: Any, personas: Personas, rso: Any) -> None:
    sign_in(client, personas.owner)
    response = client.post(
        reverse("assessments:home_visit_add", args=[rso.pk]), {"outcome": "other"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    for message in (
        "Enter the date of the visit",
        "Enter the officers who visited",
        "Select whether the visit was announced",
    ):
        assert message in text
    assert not HomeVisit.objects.exists()


def test_home_visit_refused_for_category_2_on_the_page(
    client: Any, personas: Personas, nominal: Any
) -> None:
    sign_in(client, personas.owner)
    response = client.post(
        reverse("assessments:home_visit_add", args=[nominal.pk]),
        {
            **_date("visited_on", D(2026, 1, 31)),
            "officers": "PC Jane Le Brocq",
            "announced": "yes",
            "outcome": "seen",
        },
    )
    assert response.status_code == 200
    assert "registered sexual offenders (category 1)" in response.content.decode()
    assert not HomeVisit.objects.exists()


def test_person_panel_snippet_renders(personas: Personas, rso: Any) -> None:
    from django.template.loader import render_to_string

    from mappa.assessments.selectors import risk_panel_for

    record(personas, rso, Tool.RM2000, D(2026, 1, 5))
    record(personas, rso, Tool.OVERALL_ROSH, D(2026, 1, 5), level="high")
    html = render_to_string(
        "assessments/_person_panel.html", {"risk_panel": risk_panel_for(rso, D(2026, 2, 1))}
    )
    assert "Overall risk of serious harm: <strong>High</strong>" in html
    assert "Risk Matrix 2000 (RM2000)" in html and "27 days" in html
    assert "Next home visit" in html and "1 April 2025" in html
    assert reverse("assessments:home_visits", args=[rso.pk]) in html
