"""The dashboard and SMB pack exports (issue 6, point 7): re-authentication first,
audited with the format and the file's SHA-256, the marking on every PDF page and in
every sheet, and cases by reference only."""

import datetime as dt
import hashlib
import io
import re
from typing import Any

import pypdf
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from mappa.accounts import session as session_state
from mappa.audit.models import AuditEvent
from mappa.dashboard.periods import Quarter
from mappa.smb.models import SmbAttendance, SmbMeeting, SmbSeat
from tests.conftest import Personas
from tests.dashboard.fixture import Scene, build

pytestmark = pytest.mark.django_db

NAMES = ("Renouf", "Daniel", "Le Brun", "Vibert", "Leaver")


@pytest.fixture
def scene(personas: Personas) -> Scene:
    return build(personas)


@pytest.fixture
def board(personas: Personas, scene: Scene) -> Quarter:
    """Two SMB meetings in the previous quarter: the police seat attended both (100%),
    the probation seat sent apologies to the second (1 of 2 = 50%, missed)."""
    quarter = Quarter.of(scene.today).previous()
    police = SmbSeat.objects.create(
        title="Chief Officer, States of Jersey Police",
        agency=personas.police,
        minimum_grade="Chief Inspector",
        position=1,
        created_on=quarter.start - dt.timedelta(days=400),
    )
    probation = SmbSeat.objects.create(
        title="Chief Probation Officer",
        agency=personas.probation,
        minimum_grade="Assistant Chief Officer",
        position=2,
        created_on=quarter.start - dt.timedelta(days=400),
    )
    for offset, probation_status in ((10, "attended"), (60, "apologies")):
        meeting = SmbMeeting.objects.create(
            date=quarter.start + dt.timedelta(days=offset),
            venue="Police HQ",
            status="held",
            chair_seat=police,
            chair_name="A. Chair",
        )
        SmbAttendance.objects.create(meeting=meeting, seat=police, status="attended")
        SmbAttendance.objects.create(meeting=meeting, seat=probation, status=probation_status)
    return quarter


def _stale(client: Client) -> None:
    session = client.session
    session[session_state.REAUTHENTICATED_AT] = session_state.now() - 3600
    session.save()


def _pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages]


def _marking_heights(content: bytes) -> list[tuple[float, list[float]]]:
    """For each page: its height and where (y, from the foot) the marking is drawn."""
    marking = settings.MAPPA_PROTECTIVE_MARKING
    out = []
    for page in pypdf.PdfReader(io.BytesIO(content)).pages:
        found: list[float] = []

        def visit(text: str, _cm: Any, tm: Any, _font: Any, _size: Any, found=found) -> None:
            if marking in text:
                found.append(float(tm[5]))

        page.extract_text(visitor_text=visit)
        out.append((float(page.mediabox.height), found))
    return out


def _assert_marked_top_and_bottom(content: bytes) -> None:
    for number, (height, ys) in enumerate(_marking_heights(content), start=1):
        assert any(y > height * 0.9 for y in ys), f"page {number}: no marking at the top"
        assert any(y < height * 0.1 for y in ys), f"page {number}: no marking at the foot"


def _export_event(action: str) -> AuditEvent:
    event = AuditEvent.objects.filter(action=action).order_by("-sequence").first()
    assert event is not None
    return event


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("dashboard:export_pdf", {}),
        ("dashboard:export_xlsx", {}),
        ("dashboard:smb_pack_download", {"quarter": "2026-Q3", "format": "pdf"}),
    ],
)
def test_every_export_asks_the_user_to_confirm_who_they_are_first(
    client: Client, personas: Personas, name: str, query: dict[str, str]
) -> None:
    client.force_login(personas.coordinator)
    _stale(client)

    response = client.get(reverse(name), query)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:confirm"))
    assert (
        not AuditEvent.objects.filter(action__startswith="dashboard.")
        .exclude(action="dashboard.view")
        .exists()
    )


def test_the_dashboard_pdf_has_the_marking_top_and_bottom_of_every_page(
    client: Client, personas: Personas, scene: Scene
) -> None:
    client.force_login(personas.smb_member)

    response = client.get(reverse("dashboard:export_pdf"), scene.query)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment;" in response["Content-Disposition"]
    pages = _pages(response.content)
    assert len(pages) > 1
    marking = settings.MAPPA_PROTECTIVE_MARKING
    _assert_marked_top_and_bottom(response.content)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert text.count(marking) >= 2, f"page {number} lacks the marking"
        assert "Share only with people who have a need to know" in text
    everything = "\n".join(pages)
    assert f"Period: {scene.start.day}" in everything
    assert f"Generated {scene.today.day}" in everything
    assert "Level 3 cases reviewed at least every six weeks" in everything
    assert scene.x_case.reference in everything
    assert "Target 90%" in everything  # the trend chart's key, drawn in the SVG
    for name in NAMES:
        assert name not in everything
    event = _export_event("dashboard.export")
    assert event.actor_id == personas.smb_member.pk
    assert event.detail["format"] == "pdf"
    assert event.detail["sha256"] == hashlib.sha256(response.content).hexdigest()
    assert event.detail["from"] == scene.start.isoformat()


def test_the_dashboard_spreadsheet_reads_back_with_the_marking_in_every_sheet(
    client: Client, personas: Personas, scene: Scene
) -> None:
    client.force_login(personas.coordinator)

    response = client.get(reverse("dashboard:export_xlsx"), scene.query)

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Summary",
        "level3_reviews_on_time",
        "level2_reviews_on_time",
        "disclosure_considered",
        "smb_attendance",
        "meeting_attendance",
        "Population",
        "Due items",
    ]
    marking = settings.MAPPA_PROTECTIVE_MARKING
    for sheet in workbook.worksheets:
        assert sheet["A1"].value == marking
        header, footer = sheet.oddHeader, sheet.oddFooter
        assert header is not None and footer is not None
        assert header.center.text == marking
        assert marking in (footer.left.text or "")
    values = _values(workbook)
    # The level 3 sheet: value 0.5 of target 0.9, 1 of 2, and X's case by reference.
    level3 = _rows(workbook["level3_reviews_on_time"])
    assert [0.5, 0.9, 1, 2, "Missed"] == level3[6][:5]
    assert scene.x_case.reference in values
    population = _rows(workbook["Population"])
    assert ["Category 2", 0, 0, 2, 2] in population
    assert ["Category 3", 0, 1, 0, 1] in population
    assert not any(name in str(v) for v in values for name in NAMES)
    event = _export_event("dashboard.export")
    assert event.detail["format"] == "xlsx"
    assert event.detail["sha256"] == hashlib.sha256(response.content).hexdigest()


def _rows(sheet: Any) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _values(workbook: Any) -> list[Any]:
    return [
        v for sheet in workbook.worksheets for row in _rows(sheet) for v in row if v is not None
    ]


def test_the_smb_pack_page_offers_the_quarters_and_formats(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.smb_member)

    response = client.get(reverse("dashboard:smb_pack"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Quarterly SMB pack" in html
    assert 'name="format"' in html
    assert AuditEvent.objects.filter(action="dashboard.view", detail__page="smb_pack").exists()


@pytest.mark.parametrize(
    ("query", "messages"),
    [
        ({}, ["Select a quarter", "Select a format"]),
        ({"quarter": "2026-Q9", "format": "pdf"}, ["Select a quarter from the list"]),
        ({"quarter": "1990-Q1", "format": "pdf"}, ["Select a quarter from the list"]),
        ({"quarter": "", "format": "docx"}, ["Select a quarter", "Select a format"]),
    ],
)
def test_the_smb_pack_form_answers_wrong_input_with_the_error_summary(
    client: Client, personas: Personas, query: dict[str, str], messages: list[str]
) -> None:
    client.force_login(personas.coordinator)

    response = client.get(reverse("dashboard:smb_pack_download"), query)

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    for message in messages:
        assert message in html
    assert not AuditEvent.objects.filter(action="dashboard.smb_pack_export").exists()


def test_the_smb_pack_pdf_has_attendance_meetings_and_references_only(
    client: Client, personas: Personas, scene: Scene, board: Quarter
) -> None:
    client.force_login(personas.coordinator)

    response = client.get(
        reverse("dashboard:smb_pack_download"), {"quarter": board.key, "format": "pdf"}
    )

    assert response.status_code == 200
    pages = _pages(response.content)
    everything = "\n".join(pages)
    marking = settings.MAPPA_PROTECTIVE_MARKING
    _assert_marked_top_and_bottom(response.content)
    for number, text in enumerate(pages, start=1):
        assert text.count(marking) >= 2
        assert f"Page {number} of {len(pages)}" in text
    flat = re.sub(r"\s+", " ", everything)
    assert f"Strategic Management Board pack, {board.label}" in flat
    # Police 2 of 2 (100%); probation 1 of 2 (50%), missed.
    assert "Chief Officer, States of Jersey Police 2 2 100% Met" in flat
    assert "Chief Probation Officer 1 2 50% Missed" in flat
    assert "Sent apologies" in flat
    assert "Police HQ" in flat
    for name in NAMES:
        assert name not in everything
    event = _export_event("dashboard.smb_pack_export")
    assert event.detail["format"] == "pdf"
    assert event.detail["quarter"] == board.key
    assert event.detail["sha256"] == hashlib.sha256(response.content).hexdigest()


def test_the_smb_pack_spreadsheet_reads_back(
    client: Client, personas: Personas, scene: Scene, board: Quarter
) -> None:
    client.force_login(personas.smb_member)

    response = client.get(
        reverse("dashboard:smb_pack_download"), {"quarter": board.key, "format": "xlsx"}
    )

    workbook = load_workbook(io.BytesIO(response.content))
    assert {"Summary", "Population", "Due items", "SMB attendance", "SMB meetings"} <= set(
        workbook.sheetnames
    )
    for sheet in workbook.worksheets:
        assert sheet["A1"].value == settings.MAPPA_PROTECTIVE_MARKING
    attendance = _rows(workbook["SMB attendance"])
    assert ["Chief Probation Officer", 1, 2, 0.5, "Missed"] in attendance
    meetings = _rows(workbook["SMB meetings"])
    assert sum(1 for row in meetings if row[5] == "Sent apologies") == 1
    assert not any(name in str(v) for v in _values(workbook) for name in NAMES)
    event = _export_event("dashboard.smb_pack_export")
    assert event.actor_id == personas.smb_member.pk
    assert event.detail["format"] == "xlsx"
    assert event.detail["sha256"] == hashlib.sha256(response.content).hexdigest()


def test_a_cell_that_would_run_as_a_formula_is_written_as_text() -> None:
    from mappa.dashboard.exports import _cell

    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert _cell("@SUM(A1)") == "'@SUM(A1)"
    assert _cell("MN-000001/1") == "MN-000001/1"
    assert _cell(0.5) == 0.5
