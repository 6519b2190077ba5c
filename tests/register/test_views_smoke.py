import pytest
from django.urls import reverse

from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_coordinator_creates_then_sees_a_person(client, personas: Personas) -> None:
    client.force_login(personas.coordinator)
    response = client.post(
        reverse("register:create"),
        {
            "given_names": "Alan",
            "family_name": "Turnbull",
            "date_of_birth-day": "3",
            "date_of_birth-month": "4",
            "date_of_birth-year": "1975",
            "gender": "male",
            "category": "2",
            "level": "2",
            "lead_agency": personas.probation.pk,
            "identifier_pnc": "2012/0000001H",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b"TURNBULL" in page.content
    assert b"OFFICIAL-SENSITIVE" in page.content
