"""The annual report as files: JSON, CSV, XLSX (openpyxl) and PDF (WeasyPrint).

Every format carries the protective marking and the handling instruction: the PDF
at the top and bottom of every page with "Page n of m", the spreadsheet in each
sheet's header and footer and as its first row, CSV and JSON in their first lines.
The page, the API, ``manage.py annual_report`` and these files all come from one
``AnnualReport``, so they show the same numbers.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from mappa.annual.models import AnnualReportNote
from mappa.annual.report import AnnualReport, Table, Value

FORMATS = ("pdf", "xlsx", "csv", "json")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
# Spreadsheet programs run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Export:
    content: bytes
    format: str
    filename: str

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _marking() -> tuple[str, str]:
    return str(settings.MAPPA_PROTECTIVE_MARKING), str(settings.MAPPA_HANDLING_INSTRUCTION)


def explanation_dict(note: AnnualReportNote | None) -> dict[str, Any] | None:
    if note is None:
        return None
    return {
        "text": note.explanation,
        "version": note.version,
        "updated_at": timezone.localtime(note.updated_at).isoformat(timespec="seconds"),
        "updated_by": note.updated_by.get_full_name() if note.updated_by else None,
    }


def report_dict(report: AnnualReport, note: AnnualReportNote | None) -> dict[str, Any]:
    """The report as the API and the JSON file give it."""
    marking, handling = _marking()
    return {
        "protective_marking": marking,
        "handling_instruction": handling,
        **report.as_dict(),
        "explanation": explanation_dict(note),
    }


def filename(report: AnnualReport, fmt: str) -> str:
    label = report.year_label.replace("/", "-")
    return f"annual-report-{report.profile_key}-{label}.{fmt}"


def _shown(value: Value) -> str:
    return "" if value is None else str(value)


def _safe(text: Any) -> str:
    text = "" if text is None else str(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _heading_lines(report: AnnualReport) -> list[str]:
    lines = [
        f"{report.area_name}: {report.title}",
        f"Reporting year {report.year_label}: {report.period_words}. Snapshot on "
        f"{report.snapshot_on.day} {report.snapshot_on:%B %Y}.",
        f"Profile: {report.profile_name}. Computed "
        f"{report.computed_at:%d %B %Y %H:%M} from the register.",
    ]
    if report.provisional:
        lines.append(
            "Provisional: the reporting year has not ended; the figures are to date and "
            "the snapshot is of today."
        )
    return lines


def to_json(report: AnnualReport, note: AnnualReportNote | None) -> bytes:
    return json.dumps(report_dict(report, note), indent=2, ensure_ascii=False).encode()


def to_csv(report: AnnualReport, note: AnnualReportNote | None) -> bytes:
    """One block per table: its caption, its header row, its rows, then a blank line."""
    out = io.StringIO()
    writer = csv.writer(out)
    marking, handling = _marking()
    writer.writerow([marking])
    writer.writerow([handling])
    for line in _heading_lines(report):
        writer.writerow([_safe(line)])
    if note is not None:
        writer.writerow([_safe(f"Explanation: {note.explanation}")])
    for table in report.tables:
        writer.writerow([])
        writer.writerow([_safe(table.caption)])
        writer.writerow([_safe(table.row_heading), *(_safe(c) for c in table.columns)])
        for row in table.rows:
            writer.writerow([_safe(row.label), *(_shown(v) for v in row.values)])
        if table.unavailable:
            writer.writerow([_safe(table.unavailable)])
        for text in table.notes:
            writer.writerow([_safe(f"Note: {text}")])
    writer.writerow([])
    writer.writerow([marking])
    return out.getvalue().encode("utf-8-sig")


def _sheet_title(table: Table, used: set[str]) -> str:
    # Sheet names: at most 31 characters, none of []:*?/\ and unique in the workbook.
    base = "".join(ch for ch in (table.id or table.key) if ch not in "[]:*?/\\")
    base = (f"Table {base}" if base[:1].isdigit() else base)[:31] or "Table"
    name, n = base, 2
    while name.lower() in used:
        name = f"{base[:28]} {n}"
        n += 1
    used.add(name.lower())
    return name


def to_xlsx(report: AnnualReport, note: AnnualReportNote | None) -> bytes:
    """A contents sheet, then one sheet per table with its numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    marking, handling = _marking()
    book = Workbook()
    bold = Font(bold=True)

    def mark(sheet: Worksheet) -> None:
        header: Any = sheet.oddHeader
        footer: Any = sheet.oddFooter
        header.center.text = marking
        header.center.font = "Arial,Bold"
        footer.center.text = f"{marking}. {handling}"
        footer.right.text = "Page &P of &N"
        sheet.append([marking])
        sheet["A1"].font = bold
        sheet.append([handling])

    contents = book.active
    assert contents is not None
    contents.title = "Report"
    mark(contents)
    for line in _heading_lines(report):
        contents.append([line])
    contents["A3"].font = Font(bold=True, size=14)
    contents.append([])
    contents.append(["Explanation"])
    contents.cell(row=contents.max_row, column=1).font = bold
    contents.append([note.explanation if note else "No explanation has been written yet."])
    contents.cell(row=contents.max_row, column=1).alignment = Alignment(wrap_text=True)
    contents.append([])
    contents.append(["Sheet", "Table"])
    contents.cell(row=contents.max_row, column=1).font = bold
    contents.cell(row=contents.max_row, column=2).font = bold
    contents.column_dimensions["A"].width = 18
    contents.column_dimensions["B"].width = 90
    used: set[str] = {"report"}
    for table in report.tables:
        sheet = book.create_sheet(_sheet_title(table, used))
        contents.append([sheet.title, table.caption])
        mark(sheet)
        sheet.append([table.caption])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=12)
        sheet.append([table.row_heading, *table.columns])
        header = sheet.max_row
        for cell in sheet[header]:
            cell.font = bold
        for row in table.rows:
            sheet.append(
                [row.label, *(float(v) if isinstance(v, Decimal) else v for v in row.values)]
            )
            if row.total:
                for cell in sheet[sheet.max_row]:
                    cell.font = bold
        if table.unavailable:
            sheet.append([table.unavailable])
        for text in table.notes:
            sheet.append([f"Note: {text}"])
        sheet.column_dimensions["A"].width = 60
        for index in range(len(table.columns)):
            sheet.column_dimensions[get_column_letter(index + 2)].width = 22
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_pdf(report: AnnualReport, note: AnnualReportNote | None) -> bytes:
    import weasyprint

    marking, handling = _marking()
    html = render_to_string(
        "annual/print.html",
        {
            "report": report,
            "note": note,
            "marking": marking,
            "handling": handling,
            "heading_lines": _heading_lines(report),
        },
    )
    stylesheet = finders.find("annual/print.css")
    stylesheets = [weasyprint.CSS(filename=str(stylesheet))] if stylesheet else []
    return bytes(weasyprint.HTML(string=html).write_pdf(stylesheets=stylesheets))


WRITERS = {"json": to_json, "csv": to_csv, "xlsx": to_xlsx, "pdf": to_pdf}


def export(report: AnnualReport, note: AnnualReportNote | None, fmt: str) -> Export:
    if fmt not in WRITERS:
        raise ValueError(f"Choose one of {', '.join(FORMATS)}")
    return Export(content=WRITERS[fmt](report, note), format=fmt, filename=filename(report, fmt))
