"""The register's health detail is a sensitive section, the invited parts end with the
case, and a record opened in an emergency carries the flag (issue 3, "Who sees what")."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from mappa.access.models import CasePart
from mappa.access.services import case_part_grant_invited, emergency_access_grant
from mappa.audit.models import AuditEvent
from mappa.common.dates import today
from mappa.register import services
from mappa.register.models import HospitalDetention, Nominal, WarningMarker
from tests.access.helpers import sign_in
from tests.conftest import Personas
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def health_detail(personas: Personas, nominal: Nominal) -> Nominal:
    services.attachment_save(
        actor=personas.coordinator,
        nominal=nominal,
        instance=HospitalDetention(
            hospital="Orchard House",
            responsible_clinician="Dr Le Sueur",
            basis="hospital_order",
        ),
    )
    for kind, detail in (
        ("mental_health", "Paranoid when unwell"),
        ("weapons", "Carries a knife"),
    ):
        services.attachment_save(
            actor=personas.coordinator,
            nominal=nominal,
            instance=WarningMarker(kind=kind, detail=detail, recorded_on=today(), source="Police"),
        )
    return nominal


def test_the_case_owner_sees_that_health_detail_exists_and_whom_to_ask(
    client: Client, personas: Personas, health_detail: Nominal
) -> None:
    sign_in(client, personas.owner)  # probation: not named for health by default
    summary = client.get(reverse("register:detail", args=[health_detail.pk])).content.decode()
    assert "Carries a knife" in summary
    assert "Paranoid when unwell" not in summary
    assert "Health and mental health markers are restricted" in summary
    hospital = client.get(
        reverse("register:section", args=[health_detail.pk, "hospital"])
    ).content.decode()
    assert "Orchard House" not in hospital
    assert "This section is restricted. Ask the MAPPA co-ordinator if you need it." in hospital
    assert not AuditEvent.objects.filter(action="section.view").exists()


def test_a_mental_health_practitioner_sees_it_and_the_view_is_audited(
    client: Client, personas: Personas, health_detail: Nominal
) -> None:
    mental_health = make_agency("Mental Health Services", "mental_health")
    nurse = make_user("nurse", "practitioner", agency=mental_health)
    services.case_partner_add(
        actor=personas.coordinator, case=health_detail.cases.get(), agency=mental_health
    )
    sign_in(client, nurse)
    hospital = client.get(reverse("register:section", args=[health_detail.pk, "hospital"]))
    assert "Orchard House" in hospital.content.decode()
    event = AuditEvent.objects.get(action="section.view", actor=nurse)
    assert event.detail == {"section": "health", "page": "hospital"}


def test_health_entries_cannot_be_changed_by_those_who_cannot_see_them(
    client: Client, personas: Personas, health_detail: Nominal
) -> None:
    sign_in(client, personas.owner)
    detention = HospitalDetention.objects.get()
    marker = WarningMarker.objects.get(kind="mental_health")
    for name, kwargs in (
        ("register:attachment_add", {"kind": "hospital"}),
        ("register:attachment_edit", {"kind": "hospital", "item": detention.pk}),
        ("register:attachment_delete", {"kind": "warnings", "item": marker.pk}),
    ):
        address = reverse(name, kwargs={"pk": health_detail.pk, **kwargs})
        assert client.get(address).status_code == 403, name
    response = client.post(
        reverse("register:attachment_add", args=[health_detail.pk, "warnings"]),
        {
            "kind": "mental_health",
            "detail": "x",
            "recorded_on-day": "1",
            "recorded_on-month": "1",
            "recorded_on-year": "2024",
            "source": "Me",
        },
    )
    assert response.status_code == 403
    assert WarningMarker.objects.filter(kind="mental_health").count() == 1


def test_archiving_ends_the_invited_parts_with_the_grace_period(
    personas: Personas, nominal: Nominal, settings: object
) -> None:
    case = nominal.cases.get()
    case_part_grant_invited(case=case, agency=personas.education, on=today(), source="L2")
    services.nominal_archive(actor=personas.coordinator, nominal=nominal, reason="Gone")
    part = CasePart.objects.get()
    assert part.ended_on == today()
    assert part.grace_until == today() + dt.timedelta(days=28)
    assert part.end_reason == "The record was archived"


def test_moving_to_level_1_ends_the_invited_parts(personas: Personas, nominal: Nominal) -> None:
    case = nominal.cases.get()
    case_part_grant_invited(case=case, agency=personas.education, on=today(), source="L2")
    services.case_update_management(
        actor=personas.coordinator,
        case=case,
        category="2",
        level=1,
        lead_agency=personas.probation,
        manager=personas.owner,
        effective_from=today(),
        reason="Risk reduced",
    )
    part = CasePart.objects.get()
    assert part.ended_on == today()
    assert part.end_reason == "The case moved to level 1 management"


def test_a_record_opened_in_an_emergency_carries_the_flag(
    client: Client, personas: Personas, nominal: Nominal
) -> None:
    emergency_access_grant(
        user=personas.outsider,
        nominal=nominal,
        reason="police_incident",
        explanation="Disturbance at the address",
    )
    sign_in(client, personas.owner)
    page = client.get(reverse("register:detail", args=[nominal.pk])).content.decode()
    assert f"Opened in an emergency by {personas.outsider.display_name}" in page
    assert "police incident in progress" in page
    assert reverse("people:list", args=[nominal.pk]) in page
