"""Emergency access over HTTP (J 10.12): the 403 page offers it, the request grants it
for a short time, the co-ordinator reviews it, and the record shows the flag."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mappa.access.models import EmergencyAccess
from mappa.access.selectors import emergency_flags_for
from mappa.access.services import emergency_access_grant
from mappa.audit.models import AuditEvent
from mappa.register.models import Nominal
from tests.access.helpers import sign_in
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_the_refusal_page_offers_emergency_access_to_a_practitioner(
    client: Client, personas: Personas, nominal: Nominal
) -> None:
    sign_in(client, personas.outsider)
    response = client.get(reverse("register:detail", args=[nominal.pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your agency has no part in this case." in page
    assert "Request emergency access" in page
    assert reverse("access:emergency_request", args=[nominal.pk]) in page
    assert "SMITH" not in page


@pytest.mark.parametrize("who", ["smb_member", "auditor"])
def test_the_refusal_page_offers_nothing_to_the_board_or_auditors(
    client: Client, personas: Personas, nominal: Nominal, who: str
) -> None:
    sign_in(client, getattr(personas, who))
    url = (
        reverse("register:detail", args=[nominal.pk])
        if who == "smb_member"
        else reverse("register:edit", args=[nominal.pk])
    )
    response = client.get(url)
    assert response.status_code == 403
    assert "Request emergency access" not in response.content.decode()


def test_the_request_page_names_no_one_and_grants_access(
    client: Client, personas: Personas, nominal: Nominal
) -> None:
    sign_in(client, personas.outsider)
    url = reverse("access:emergency_request", args=[nominal.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert "Smith" not in form.content.decode()
    assert "Police incident in progress" in form.content.decode()
    missing = client.post(url, {"reason": "immediate_risk", "explanation": ""})
    assert missing.status_code == 200
    assert "Enter what the emergency is and why you need the record" in missing.content.decode()
    response = client.post(
        url, {"reason": "immediate_risk", "explanation": "Neighbour reports a fight at the flat"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("register:detail", args=[nominal.pk])
    grant = EmergencyAccess.objects.get()
    assert grant.user == personas.outsider
    assert AuditEvent.objects.filter(action="access.emergency", actor=personas.outsider).exists()
    assert client.get(reverse("register:detail", args=[nominal.pk])).status_code == 200
    # Asking again while access lasts simply opens the record.
    assert client.get(url)["Location"] == reverse("register:detail", args=[nominal.pk])


def test_access_ends_when_the_grant_expires(
    client: Client, personas: Personas, nominal: Nominal
) -> None:
    grant = emergency_access_grant(
        user=personas.outsider, nominal=nominal, reason="other", explanation="Flood at the hostel"
    )
    sign_in(client, personas.outsider)
    assert client.get(reverse("register:detail", args=[nominal.pk])).status_code == 200
    EmergencyAccess.objects.filter(pk=grant.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert client.get(reverse("register:detail", args=[nominal.pk])).status_code == 403


@pytest.mark.parametrize("who", ["smb_member", "auditor", "coordinator"])
def test_roles_that_cannot_have_emergency_access_are_refused_and_audited(
    client: Client, personas: Personas, nominal: Nominal, who: str
) -> None:
    user = getattr(personas, who)
    sign_in(client, user)
    response = client.post(
        reverse("access:emergency_request", args=[nominal.pk]),
        {"reason": "other", "explanation": "Testing"},
    )
    if who in {"coordinator", "auditor"}:
        # They already read every record: the page sends them to it.
        assert response.status_code == 302
    else:
        assert response.status_code == 403
        assert AuditEvent.objects.filter(
            action="access.refused", actor=user, detail__attempted="emergency.request"
        ).exists()
    assert not EmergencyAccess.objects.exists()


def test_an_unknown_record_is_not_found(client: Client, personas: Personas) -> None:
    sign_in(client, personas.outsider)
    url = reverse("access:emergency_request", args=["6f1c54b8-3e0d-4c43-9a43-1f3b0b0a0b0a"])
    assert client.get(url).status_code == 404


def test_the_coordinator_reviews_the_queue(
    client: Client, personas: Personas, nominal: Nominal
) -> None:
    grant = emergency_access_grant(
        user=personas.outsider,
        nominal=nominal,
        reason="out_of_hours",
        explanation="Child seen at the address late at night",
    )
    sign_in(client, personas.coordinator)
    queue = client.get(reverse("access:emergency_queue"))
    assert queue.status_code == 200
    page = queue.content.decode()
    assert "Out-of-hours safeguarding" in page
    assert "Child seen at the address late at night" in page
    assert reverse("access:emergency_review", args=[grant.pk]) in page
    review_url = reverse("access:emergency_review", args=[grant.pk])
    assert client.post(review_url, {"note": ""}).status_code == 200
    response = client.post(review_url, {"note": "Justified; SPOC told"})
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.reviewed_by == personas.coordinator
    assert AuditEvent.objects.filter(action="access.emergency_review").count() == 1
    after = client.get(reverse("access:emergency_queue")).content.decode()
    assert "There is no emergency access to review." in after
    assert "Justified; SPOC told" in after


def test_auditors_see_the_queue_but_cannot_review(
    client: Client, personas: Personas, nominal: Nominal
) -> None:
    grant = emergency_access_grant(
        user=personas.outsider, nominal=nominal, reason="other", explanation="Fire"
    )
    sign_in(client, personas.auditor)
    page = client.get(reverse("access:emergency_queue"))
    assert page.status_code == 200
    assert reverse("access:emergency_review", args=[grant.pk]) not in page.content.decode()
    review = reverse("access:emergency_review", args=[grant.pk])
    assert client.post(review, {"note": "Mine"}).status_code == 403


@pytest.mark.parametrize("who", ["owner", "smb_member", "administrator"])
def test_others_cannot_see_the_queue(client: Client, personas: Personas, who: str) -> None:
    sign_in(client, getattr(personas, who))
    assert client.get(reverse("access:emergency_queue")).status_code == 403


def test_the_record_carries_the_flag(personas: Personas, nominal: Nominal) -> None:
    emergency_access_grant(
        user=personas.outsider, nominal=nominal, reason="police_incident", explanation="Call"
    )
    flags = emergency_flags_for(nominal)
    assert [(f.user, f.reason) for f in flags] == [(personas.outsider, "police_incident")]


def test_the_flag_template_says_who_and_when(personas: Personas, nominal: Nominal) -> None:
    from django.template.loader import render_to_string

    grant = emergency_access_grant(
        user=personas.outsider, nominal=nominal, reason="police_incident", explanation="Call"
    )
    html = render_to_string("access/_emergency_flag.html", {"emergency_flags": [grant]})
    local = timezone.localtime(grant.granted_at)
    assert f"Opened in an emergency by {personas.outsider.display_name}" in html
    assert f"{local:%-d %B %Y}" in html
    assert "Not yet reviewed" in html


def test_a_refused_section_is_explained_without_offering_emergency_access(
    client: Client, personas: Personas, nominal: Nominal
) -> None:
    from mappa.people.services import case_person_add

    victim = case_person_add(
        actor=personas.coordinator,
        case=nominal.cases.get(),
        kind="victim",
        given_names="Mary",
        relation_to_nominal="Neighbour",
    )
    from mappa.register.services import case_partner_add

    case_partner_add(actor=personas.coordinator, case=nominal.cases.get(), agency=personas.housing)
    sign_in(client, personas.partner)
    response = client.get(reverse("people:edit", args=[nominal.pk, victim.pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "The victims section is restricted. Ask the MAPPA co-ordinator if you need it." in page
    assert "Request emergency access" not in page
    assert "only while your agency has a part" not in page


def test_expired_vetting_is_explained(client: Client, personas: Personas, nominal: Nominal) -> None:
    personas.owner.vetting_expires = dt.date(2020, 1, 31)
    personas.owner.save()
    sign_in(client, personas.owner)
    response = client.get(reverse("register:detail", args=[nominal.pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Your vetting has expired" in page
    assert "31 January 2020" in page
    assert "Request emergency access" not in page
