"""Printable minutes: the print view and the PDF, with the protective marking and the
handling instruction on every page and "Page n of m"."""

import datetime as dt
import io

import pypdf
import pytest
from django.test import Client

from mappa.audit.models import AuditEvent
from mappa.minutes import services
from tests.minutes.conftest import complete

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 5)


@pytest.fixture
def long_minutes(cast, started):
    personas = cast.personas
    minutes = complete(personas.administrator, started(DAY), personas)
    for number in range(25):
        services.agency_update_save(
            actor=personas.administrator,
            minutes=minutes,
            data={
                "person_name": "Jane Smith",
                "agency": personas.police,
                "update": f"Update {number}: "
                + "Home visit completed and intelligence checked. " * 8,
            },
        )
    minutes.refresh_from_db()
    return minutes


def test_pdf_carries_the_marking_on_every_page(cast, long_minutes, settings) -> None:
    settings.MAPPA_PROTECTIVE_MARKING = "OFFICIAL-SENSITIVE"
    client = Client()
    client.force_login(cast.personas.coordinator)
    response = client.get(f"/minutes/{long_minutes.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="minutes-MN-')
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    pages = len(reader.pages)
    assert pages >= 3
    for number, page in enumerate(reader.pages, start=1):
        text = " ".join(page.extract_text().split())
        assert "OFFICIAL-SENSITIVE" in text, number
        assert "Share only with people who have a need to know" in text, number
        assert f"Page {number} of {pages}" in text, number
    event = AuditEvent.objects.get(action="minutes.download", object_id=str(long_minutes.pk))
    assert event.detail["format"] == "pdf"
    assert event.nominal_id == str(long_minutes.case.nominal_id)


def test_print_view(cast, long_minutes) -> None:
    client = Client()
    client.force_login(cast.personas.coordinator)
    response = client.get(f"/minutes/{long_minutes.pk}/print/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "OFFICIAL-SENSITIVE" in page
    assert "/static/minutes/print.css" in page
    assert "<script" not in page
    assert "15. MAPPA actions" in page
    assert AuditEvent.objects.filter(
        action="minutes.print", object_id=str(long_minutes.pk)
    ).exists()
