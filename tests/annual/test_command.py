"""``manage.py annual_report``: the same file as the page's download, audited."""

import csv
import hashlib
import io
import json
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from mappa.audit.models import AuditEvent
from tests.annual.fixture import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def fixture(personas):
    return build(personas)


def test_json_to_stdout(fixture, settings) -> None:
    out = io.StringIO()
    call_command("annual_report", "--year", str(fixture.year), "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["protective_marking"] == settings.MAPPA_PROTECTIVE_MARKING
    assert data["year"] == fixture.year and data["profile"] == "jersey-2010"
    snapshot = next(t for t in data["tables"] if t["key"] == "snapshot")
    assert snapshot["rows"][-1]["values"] == [3, 2, 1, 6]
    event = AuditEvent.objects.get(action="annual_report.export")
    assert event.detail["via"] == "command" and event.detail["format"] == "json"
    assert event.detail["sha256"] == hashlib.sha256(out.getvalue().encode()).hexdigest()


def test_csv_to_stdout(fixture, settings) -> None:
    out = io.StringIO()
    call_command("annual_report", "--year", str(fixture.year), "--format", "csv", stdout=out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0] == [settings.MAPPA_PROTECTIVE_MARKING]
    assert ["Total", "3", "2", "1", "6"] in rows


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_binary_formats_to_a_file(fixture, tmp_path, fmt) -> None:
    target = tmp_path / f"report.{fmt}"
    err = io.StringIO()
    call_command(
        "annual_report",
        "--year",
        str(fixture.year),
        "--format",
        fmt,
        "--output",
        str(target),
        stderr=err,
    )
    content = target.read_bytes()
    assert content.startswith(b"PK" if fmt == "xlsx" else b"%PDF")
    assert "Wrote annual-report-jersey-2010" in err.getvalue()
    event = AuditEvent.objects.get(action="annual_report.export")
    assert event.detail["sha256"] == hashlib.sha256(content).hexdigest()


def test_binary_format_goes_to_the_stdout_buffer(fixture, monkeypatch) -> None:
    class Pipe(io.TextIOWrapper):
        def isatty(self) -> bool:
            return False

    raw = io.BytesIO()
    pipe = Pipe(raw, encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", pipe)
    call_command("annual_report", "--year", str(fixture.year), "--format", "xlsx")
    assert raw.getvalue().startswith(b"PK")


def test_binary_format_without_output_to_a_terminal_is_refused(fixture, monkeypatch) -> None:
    class Terminal(io.TextIOWrapper):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdout", Terminal(io.BytesIO(), encoding="utf-8"))
    with pytest.raises(CommandError, match="give --output FILE"):
        call_command("annual_report", "--year", str(fixture.year), "--format", "pdf")


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("abc", "Enter the year as a number"),
        ("1999", "The year must be between 2000 and"),
        (str(timezone.localdate().year + 2), "The year must be between 2000 and"),
        (str(timezone.localdate().year + 1), "choose a year that has started"),
    ],
)
def test_a_bad_year_is_a_command_error(db, year, message) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("annual_report", "--year", year, "--format", "json", stdout=io.StringIO())
    assert not AuditEvent.objects.filter(action="annual_report.export").exists()


def test_an_unknown_format_is_a_command_error(db) -> None:
    with pytest.raises(CommandError):
        call_command("annual_report", "--year", "2025", "--format", "docx")


def test_an_unwritable_output_is_a_command_error(fixture, tmp_path) -> None:
    with pytest.raises(CommandError, match="Cannot write"):
        call_command(
            "annual_report",
            "--year",
            str(fixture.year),
            "--format",
            "csv",
            "--output",
            str(tmp_path / "missing" / "report.csv"),
        )
