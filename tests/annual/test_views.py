"""The annual report page, the explanation form, the exports and the API over HTTP."""

import csv
import hashlib
import io
import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from mappa.annual.models import AnnualReportNote
from mappa.audit.models import AuditEvent
from mappa.profiles.selectors import current_area
from tests.access.helpers import sign_in
from tests.annual.fixture import build

pytestmark = pytest.mark.django_db

REPORT = reverse("annual:report")


@pytest.fixture
def fixture(personas):
    return build(personas)


def _refusals(user):
    return AuditEvent.objects.filter(actor=user, action="access.refused", outcome="refused")


def _export_url(year, fmt):
    return reverse("annual:export", args=[year, fmt])


# The page ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["smb_member", "coordinator", "administrator", "auditor"])
def test_figures_roles_see_the_report(client, personas, fixture, who) -> None:
    user = getattr(personas, who)
    sign_in(client, user)
    response = client.get(REPORT, {"year": fixture.year})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Active cases on 31 December" in page
    assert '<caption class="govuk-table__caption govuk-table__caption--s">1: Active cases' in page
    event = AuditEvent.objects.filter(actor=user, action="annual_report.view").get()
    assert event.detail["year"] == fixture.year
    # Only the co-ordinator and administrators may write the explanation.
    assert ("Save the explanation" in page) is (who in ("coordinator", "administrator"))
    assert "Download the" in page


def test_the_page_defaults_to_the_last_complete_year(client, personas) -> None:
    sign_in(client, personas.coordinator)
    response = client.get(REPORT)
    assert response.status_code == 200
    assert response.context["report"].year == timezone.localdate().year - 1


@pytest.mark.parametrize("who", ["owner", "partner", "outsider"])
def test_practitioners_are_refused_and_audited(client, personas, who) -> None:
    user = getattr(personas, who)
    sign_in(client, user)
    assert client.get(REPORT).status_code == 403
    refusal = _refusals(user).get()
    assert refusal.detail["attempted"] == "figures.view"
    assert not AuditEvent.objects.filter(actor=user, action="annual_report.view").exists()


def test_signed_out_users_go_to_sign_in(client) -> None:
    response = client.get(REPORT)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("nineteen", "Enter the year as a number, for example 2025"),
        ("1999", "The year must be between 2000 and"),
        ("3000", "The year must be between 2000 and"),
        ("", "Enter the year of the report, for example 2025"),
    ],
)
def test_a_bad_year_gives_the_error_summary_not_a_500(client, personas, typed, message) -> None:
    sign_in(client, personas.smb_member)
    response = client.get(REPORT, {"year": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert message in page
    assert "<title>Error: " in page


def test_a_year_not_started_is_explained(client, personas) -> None:
    sign_in(client, personas.smb_member)
    response = client.get(REPORT, {"year": timezone.localdate().year + 1})
    assert response.status_code == 400
    assert "choose a year that has started" in response.content.decode()


def test_population_missing_links_to_the_area_settings(client, personas, fixture) -> None:
    area = current_area()
    area.population = None
    area.save()
    sign_in(client, personas.coordinator)
    page = client.get(REPORT, {"year": fixture.year}).content.decode()
    assert "Not available: set the area&#x27;s population" in page
    assert reverse("profiles:area") in page
    # The board cannot change the area: no link, a pointer to who can.
    sign_in(client, personas.smb_member)
    page = client.get(REPORT, {"year": fixture.year}).content.decode()
    assert "Not available: set the area&#x27;s population" in page
    assert reverse("profiles:area") not in page


def test_population_set_shows_the_rate(client, personas, fixture) -> None:
    area = current_area()
    area.population = 103_000
    area.save()
    sign_in(client, personas.smb_member)
    report = client.get(REPORT, {"year": fixture.year}).context["report"]
    # Category 1 on 31 December: A, C, J. 3 / 103,000 x 100,000 = 2.9.
    assert str(report.table("rate").cell("rate", 0)) == "2.9"


# The explanation ---------------------------------------------------------------------


def _note_url(year):
    return reverse("annual:note", args=[year])


def test_the_coordinator_writes_and_corrects_the_explanation(client, personas, fixture) -> None:
    sign_in(client, personas.coordinator)
    response = client.post(
        _note_url(fixture.year), {"explanation": "Referrals rose.", "version": 0}
    )
    assert response.status_code == 302
    note = AnnualReportNote.objects.get(year=fixture.year, profile_key="jersey-2010")
    assert (note.explanation, note.version, note.updated_by) == (
        "Referrals rose.",
        1,
        personas.coordinator,
    )
    event = AuditEvent.objects.get(action="annual_report.explanation")
    assert event.changes == {"explanation": [None, "Referrals rose."]}
    client.post(
        _note_url(fixture.year), {"explanation": "Referrals rose by a third.", "version": 1}
    )
    note.refresh_from_db()
    assert (note.explanation, note.version) == ("Referrals rose by a third.", 2)
    page = client.get(REPORT, {"year": fixture.year}).content.decode()
    assert "Referrals rose by a third." in page


def test_a_stale_explanation_is_refused_and_both_versions_shown(client, personas, fixture) -> None:
    sign_in(client, personas.coordinator)
    client.post(_note_url(fixture.year), {"explanation": "First words.", "version": 0})
    sign_in(client, personas.administrator)
    response = client.post(_note_url(fixture.year), {"explanation": "Other words.", "version": 0})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed the explanation" in page
    assert "First words." in page and "Other words." in page
    assert AnnualReportNote.objects.get().explanation == "First words."
    # The form now carries the current version: saving again replaces it knowingly.
    assert response.context["note_form"]["version"].value() == "1"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter the explanation of the figures"),
        ("   ", "Enter the explanation of the figures"),
        ("x" * 20001, "The explanation must be 20,000 characters or fewer"),
    ],
)
def test_a_wrong_explanation_is_refused(client, personas, fixture, text, message) -> None:
    sign_in(client, personas.coordinator)
    response = client.post(_note_url(fixture.year), {"explanation": text, "version": 0})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AnnualReportNote.objects.exists()


@pytest.mark.parametrize("who", ["smb_member", "auditor", "owner"])
def test_others_cannot_write_the_explanation(client, personas, fixture, who) -> None:
    user = getattr(personas, who)
    sign_in(client, user)
    response = client.post(_note_url(fixture.year), {"explanation": "Mine", "version": 0})
    assert response.status_code == 403
    assert _refusals(user).count() == 1
    assert not AnnualReportNote.objects.exists()


def test_the_explanation_of_a_bad_year_is_refused(client, personas) -> None:
    sign_in(client, personas.coordinator)
    response = client.post(_note_url(1999), {"explanation": "Old", "version": 0})
    assert response.status_code == 400
    assert "The year must be between 2000 and" in response.content.decode()


# Exports -----------------------------------------------------------------------------


def _exported(client, year, fmt):
    response = client.get(_export_url(year, fmt))
    assert response.status_code == 200, response.content[:500]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    event = AuditEvent.objects.filter(action="annual_report.export").latest("sequence")
    assert event.detail["format"] == fmt
    assert event.detail["sha256"] == hashlib.sha256(content).hexdigest()
    assert event.detail["year"] == year
    return response, content


def test_pdf_has_the_marking_on_every_page_and_the_tables(client, personas, fixture, settings):
    from pypdf import PdfReader

    sign_in(client, personas.coordinator)
    client.post(_note_url(fixture.year), {"explanation": "Words for the Minister.", "version": 0})
    response, content = _exported(client, fixture.year, "pdf")
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    pages = PdfReader(io.BytesIO(content)).pages
    texts = [page.extract_text() for page in pages]
    assert len(pages) >= 2
    for number, text in enumerate(texts, start=1):
        assert text.count(settings.MAPPA_PROTECTIVE_MARKING) >= 2, number  # top and bottom
        assert f"Page {number} of {len(pages)}" in text
        assert settings.MAPPA_HANDLING_INSTRUCTION[:40] in " ".join(text.split())
    everything = " ".join(" ".join(texts).split())
    assert "1: Active cases on 31 December" in everything
    assert "11: MAPPA serious case reviews commissioned" in everything
    assert "Words for the Minister." in everything


def test_xlsx_reads_back_with_the_same_numbers(client, personas, fixture, settings) -> None:
    from openpyxl import load_workbook

    sign_in(client, personas.smb_member)
    report = client.get(REPORT, {"year": fixture.year}).context["report"]
    _, content = _exported(client, fixture.year, "xlsx")
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames[0] == "Report"
    assert len(book.sheetnames) == len(report.tables) + 1
    for table, name in zip(report.tables, book.sheetnames[1:], strict=True):
        sheet = book[name]
        assert sheet["A1"].value == settings.MAPPA_PROTECTIVE_MARKING
        header: Any = sheet.oddHeader
        footer: Any = sheet.oddFooter
        assert header.center.text == settings.MAPPA_PROTECTIVE_MARKING
        assert settings.MAPPA_PROTECTIVE_MARKING in footer.center.text
        assert sheet["A3"].value == table.caption
        rows = list(sheet.iter_rows(min_row=4, values_only=True))
        assert list(rows[0][1:]) == table.columns
        for row, values in zip(table.rows, rows[1:], strict=False):
            assert values[0] == row.label
            want = [None if v is None else float(v) for v in row.values]
            got: list[Any] = list(values[1:])
            assert [None if v is None else float(v) for v in got] == want


def test_csv_parses_with_the_marking_first(client, personas, fixture, settings) -> None:
    sign_in(client, personas.auditor)
    _, content = _exported(client, fixture.year, "csv")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == [settings.MAPPA_PROTECTIVE_MARKING]
    assert rows[-1] == [settings.MAPPA_PROTECTIVE_MARKING]
    start = rows.index(
        ["1: Active cases on 31 December " + str(fixture.year) + ", by category and level"]
    )
    assert rows[start + 1][0] == "Level of management"
    assert rows[start + 5] == ["Total", "3", "2", "1", "6"]


def test_json_export_matches_the_api(client, personas, fixture) -> None:
    sign_in(client, personas.coordinator)
    _, content = _exported(client, fixture.year, "json")
    exported = json.loads(content)
    api = client.get(reverse("api:annual-report", args=[fixture.year])).json()
    for key in ("computed_at",):
        exported.pop(key)
        api.pop(key)
    assert exported == api
    assert exported["tables"][0]["rows"][-1]["values"] == [3, 2, 1, 6]


@pytest.mark.parametrize("who", ["owner", "outsider", "partner"])
def test_exports_are_refused_to_practitioners(client, personas, fixture, who) -> None:
    user = getattr(personas, who)
    sign_in(client, user)
    assert client.get(_export_url(fixture.year, "pdf")).status_code == 403
    assert _refusals(user).get().detail["attempted"] == "figures.export"
    assert not AuditEvent.objects.filter(action="annual_report.export").exists()


def test_an_export_asks_the_user_to_confirm_who_they_are(client, personas, fixture) -> None:
    from mappa.accounts import session as session_state

    sign_in(client, personas.coordinator)
    session = client.session
    session[session_state.REAUTHENTICATED_AT] = session_state.now() - 3600
    session.save()
    response = client.get(_export_url(fixture.year, "csv"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:confirm"))
    assert not AuditEvent.objects.filter(action="annual_report.export").exists()


def test_an_unknown_format_is_not_found(client, personas, fixture) -> None:
    sign_in(client, personas.coordinator)
    assert client.get(_export_url(fixture.year, "docx")).status_code == 404


def test_an_export_of_a_bad_year_explains(client, personas) -> None:
    sign_in(client, personas.coordinator)
    response = client.get(_export_url(1999, "pdf"))
    assert response.status_code == 400
    assert "The year must be between 2000 and" in response.content.decode()


# The API -----------------------------------------------------------------------------


def test_api_gives_the_tables_and_audits(client, personas, fixture) -> None:
    sign_in(client, personas.smb_member)
    response = client.get(reverse("api:annual-report", args=[fixture.year]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    assert data["profile"] == "jersey-2010"
    assert (data["from"], data["to"]) == (f"{fixture.year}-01-01", f"{fixture.year}-12-31")
    tables = {t["key"]: t for t in data["tables"]}
    assert tables["managed"]["rows"][-1]["values"] == [3, 2, 2, 7, 0]
    assert data["explanation"] is None
    assert AuditEvent.objects.filter(
        actor=personas.smb_member, action="annual_report.view", detail__via="api"
    ).exists()


def test_api_refuses_practitioners_with_the_reason(client, personas, fixture) -> None:
    sign_in(client, personas.owner)
    response = client.get(reverse("api:annual-report", args=[fixture.year]))
    assert response.status_code == 403
    assert response.json()["detail"] == _refusals(personas.owner).get().detail["reason"]


def test_api_refuses_anonymous_callers(client, fixture) -> None:
    response = client.get(reverse("api:annual-report", args=[fixture.year]))
    assert response.status_code == 401


@pytest.mark.parametrize("year", [1999, timezone.localdate().year + 2])
def test_api_bad_year_names_the_field(client, personas, year) -> None:
    sign_in(client, personas.smb_member)
    response = client.get(reverse("api:annual-report", args=[year]))
    assert response.status_code == 400
    assert "The year must be between 2000 and" in response.json()["errors"]["year"][0]


def test_api_population_missing_is_null_with_the_reason(client, personas, fixture) -> None:
    area = current_area()
    area.population = None
    area.save()
    sign_in(client, personas.smb_member)
    data = client.get(reverse("api:annual-report", args=[fixture.year])).json()
    rate = next(t for t in data["tables"] if t["key"] == "rate")
    assert rate["rows"][-1]["values"] == [None]
    assert rate["unavailable"] == "Not available: set the area's population"
