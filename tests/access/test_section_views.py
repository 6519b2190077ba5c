"""The sensitive-section configuration pages."""

import pytest
from django.test import Client
from django.urls import reverse

from mappa.access.models import SectionRule
from mappa.audit.models import AuditEvent
from tests.access.helpers import sign_in
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_an_administrator_changes_who_may_see_a_section(client: Client, personas: Personas) -> None:
    sign_in(client, personas.administrator)
    listing = client.get(reverse("access:section_rules"))
    assert listing.status_code == 200
    assert "Police intelligence" in listing.content.decode()
    url = reverse("access:section_rule_edit", args=["intelligence"])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "roles": ["coordinator", "auditor"],
            "agency_kinds": ["police"],
            "contact": "the Detective Inspector, Public Protection Unit",
        },
    )
    assert response.status_code == 302
    rule = SectionRule.objects.get(section="intelligence")
    assert rule.roles == ["auditor", "coordinator"]
    assert rule.contact == "the Detective Inspector, Public Protection Unit"
    assert rule.updated_by == personas.administrator
    assert AuditEvent.objects.filter(action="section_rule.update").exists()


def test_the_contact_is_required(client: Client, personas: Personas) -> None:
    sign_in(client, personas.administrator)
    response = client.post(
        reverse("access:section_rule_edit", args=["health"]), {"roles": ["coordinator"]}
    )
    assert response.status_code == 200
    assert "Enter whom people should ask for this section" in response.content.decode()


def test_an_unknown_section_is_not_found(client: Client, personas: Personas) -> None:
    sign_in(client, personas.administrator)
    assert client.get(reverse("access:section_rule_edit", args=["diary"])).status_code == 404


def test_auditors_read_the_rules_but_cannot_change_them(client: Client, personas: Personas) -> None:
    sign_in(client, personas.auditor)
    listing = client.get(reverse("access:section_rules"))
    assert listing.status_code == 200
    assert reverse("access:section_rule_edit", args=["health"]) not in listing.content.decode()
    response = client.post(
        reverse("access:section_rule_edit", args=["health"]),
        {"roles": ["auditor"], "contact": "me"},
    )
    assert response.status_code == 403
    assert SectionRule.objects.get(section="health").contact == "the MAPPA co-ordinator"


@pytest.mark.parametrize("who", ["owner", "smb_member", "outsider"])
def test_practitioners_and_the_board_cannot_see_the_rules(
    client: Client, personas: Personas, who: str
) -> None:
    sign_in(client, getattr(personas, who))
    assert client.get(reverse("access:section_rules")).status_code == 403


def test_templates_ask_the_policy_with_may(personas: Personas) -> None:
    from django.template import Context, Template

    template = Template(
        '{% load access_tags %}{% may "emergency.queue" as ok %}{% if ok %}queue{% endif %}'
    )
    assert template.render(Context({"user": personas.coordinator})) == "queue"
    assert template.render(Context({"user": personas.owner})) == ""
    assert template.render(Context({})) == ""
