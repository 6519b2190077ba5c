"""The dashboard and the quarterly SMB pack as PDF (WeasyPrint) and XLSX (openpyxl).

Both carry the protective marking: in the PDF at the top and bottom of every page
with the handling instruction and "Page n of m"; in the spreadsheet in every sheet's
header and footer and as its first row. Exports name cases by reference only, never
by name: the pack is circulated to the board (J 15), and a file outlives the access
decision that let it be made.
"""

import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from mappa.compliance.services import Evaluated
from mappa.dashboard import selectors
from mappa.dashboard.figures import Dashboard, KpiCard, Pack, failing_columns
from mappa.dashboard.selectors import due_items

# A spreadsheet program runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PERCENT = "0.0%"
BOLD = Font(bold=True)
HEADING = Font(bold=True, size=13)


def _pdf(template: str, context: dict[str, Any], request: HttpRequest | None) -> bytes:
    import weasyprint

    html = render_to_string(
        template,
        {
            **context,
            "marking": settings.MAPPA_PROTECTIVE_MARKING,
            "handling": settings.MAPPA_HANDLING_INSTRUCTION,
            "area_name": settings.MAPPA_AREA_NAME,
        },
        request=request,
    )
    stylesheet = finders.find("dashboard/print.css")
    stylesheets = [weasyprint.CSS(filename=str(stylesheet))] if stylesheet else []
    return bytes(weasyprint.HTML(string=html).write_pdf(stylesheets=stylesheets))


def _kpi_context(cards: Sequence[KpiCard]) -> list[dict[str, Any]]:
    return [{"card": card, "columns": failing_columns(card.result)} for card in cards]


def dashboard_pdf(board: Dashboard, request: HttpRequest | None = None) -> bytes:
    return _pdf(
        "dashboard/print.html",
        {
            "title": "Performance dashboard",
            "board": board,
            "kpis": _kpi_context(board.cards),
            "period_words": board.period.words,
            "agency": board.period.agency,
            "pack": None,
        },
        request,
    )


def pack_pdf(pack: Pack, request: HttpRequest | None = None) -> bytes:
    return _pdf(
        "dashboard/print.html",
        {
            "title": f"Strategic Management Board pack, {pack.quarter.label}",
            "board": pack.dashboard,
            "kpis": _kpi_context(pack.dashboard.cards),
            "period_words": pack.words,
            "agency": None,
            "pack": pack,
        },
        request,
    )


# XLSX ---------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class Sheet:
    """One worksheet with the marking in its header, footer and first row."""

    def __init__(self, workbook: Workbook, title: str, heading: str, period: str) -> None:
        self.ws: Worksheet = workbook.create_sheet(title=title[:31])
        marking = settings.MAPPA_PROTECTIVE_MARKING
        handling = settings.MAPPA_HANDLING_INSTRUCTION
        self.ws.oddHeader.center.text = marking
        self.ws.oddHeader.center.font = "Arial,Bold"
        self.ws.oddFooter.left.text = f"{marking}. {handling}"
        self.ws.oddFooter.right.text = "Page &P of &N"
        self.row(marking, font=BOLD)
        self.row(handling)
        self.row(heading, font=HEADING)
        self.row(period)
        self.row()
        self.widths: dict[int, int] = {}

    def row(
        self, *values: Any, font: Font | None = None, formats: dict[int, str] | None = None
    ) -> None:
        self.ws.append([_cell(v) for v in values])
        current = self.ws.max_row
        for index, value in enumerate(values, start=1):
            cell = self.ws.cell(row=current, column=index)
            if font is not None:
                cell.font = font
            if formats and index in formats:
                cell.number_format = formats[index]
            cell.alignment = Alignment(
                vertical="top", wrap_text=isinstance(value, str) and len(value) > 60
            )
            if hasattr(self, "widths") and value is not None and current > 5:
                self.widths[index] = max(self.widths.get(index, 8), min(60, len(str(value)) + 2))

    def table(
        self,
        header: Sequence[str],
        rows: Iterable[Sequence[Any]],
        formats: dict[int, str] | None = None,
    ) -> None:
        self.row(*header, font=BOLD)
        for values in rows:
            self.row(*values, formats=formats)
        self.row()

    def finish(self) -> None:
        for index, width in self.widths.items():
            self.ws.column_dimensions[get_column_letter(index)].width = width


def _kpi_summary(workbook: Workbook, board: Dashboard, period: str) -> None:
    sheet = Sheet(workbook, "Summary", "Key performance indicators", period)
    sheet.table(
        ["KPI", "Source", "Value", "Target", "Numerator", "Denominator", "Result", "Measure"],
        (
            [
                c.result.name,
                c.result.source,
                c.result.value,
                c.result.target,
                c.result.numerator,
                c.result.denominator,
                c.rating.words,
                c.result.measure,
            ]
            for c in board.cards
        ),
        formats={3: PERCENT, 4: PERCENT},
    )
    sheet.row(
        f"Red, amber, green: met; missed by no more than {selectors.AMBER_POINTS} percentage "
        "points; missed by more. 'No items' when there was nothing to count."
    )
    sheet.finish()


def _kpi_sheet(workbook: Workbook, card: KpiCard, period: str) -> None:
    result = card.result
    sheet = Sheet(workbook, result.id, result.name, period)
    sheet.table(
        ["Value", "Target", "Numerator", "Denominator", "Result", "Measure", "Source"],
        [
            [
                result.value,
                result.target,
                result.numerator,
                result.denominator,
                card.rating.words,
                result.measure,
                result.source,
            ]
        ],
        formats={1: PERCENT, 2: PERCENT},
    )
    sheet.row("Trend over the last eight quarters", font=BOLD)
    sheet.table(
        ["Quarter", "From", "To", "Value", "Numerator", "Denominator", "Result"],
        (
            [
                p.quarter.short_label,
                p.start,
                p.end,
                p.result.value,
                p.result.numerator,
                p.result.denominator,
                p.rating.words,
            ]
            for p in card.trend
        ),
        formats={2: "dd/mm/yyyy", 3: "dd/mm/yyyy", 4: PERCENT},
    )
    if card.seats:
        sheet.row("Each member's own figures", font=BOLD)
        sheet.table(
            ["Seat or agency", "Value", "Numerator", "Denominator", "Result"],
            (
                [s.seat.label, s.seat.value, s.seat.numerator, s.seat.denominator, s.rating.words]
                for s in card.seats
            ),
            formats={2: PERCENT},
        )
    sheet.row("Failing items", font=BOLD)
    if result.failing:
        sheet.table(
            [
                "Case",
                "Level",
                "Lead agency",
                "Due",
                "Days late",
                "Meeting",
                "Agency",
                "Seat",
                "What happened",
            ],
            (
                [
                    i.case_reference,
                    i.level,
                    i.lead_agency,
                    i.due,
                    i.days_late if i.days_late is not None else ("Not held" if i.due else None),
                    i.meeting_date,
                    i.agency,
                    i.seat,
                    i.detail,
                ]
                for i in result.failing
            ),
            formats={4: "dd/mm/yyyy", 6: "dd/mm/yyyy"},
        )
    else:
        sheet.row("None")
    sheet.finish()


def _population_sheet(workbook: Workbook, board: Dashboard) -> None:
    sheet = Sheet(
        workbook,
        "Population",
        "People on the register by category and level",
        f"As at {board.generated:%d/%m/%Y}",
    )
    for table in board.population:
        sheet.row(table.label, font=BOLD)
        sheet.table(
            ["Category", *(f"Level {level}" for level in selectors.LEVELS), "Total"],
            [
                *(
                    [row["label"], *(n for _, n in row["cells"]), row["total"]]
                    for row in table.rows
                ),
                ["Total", *(n for _, n in table.level_totals), table.total],
            ],
        )
    sheet.finish()


def _due_sheet(workbook: Workbook, board: Dashboard, items: list[Evaluated]) -> None:
    sheet = Sheet(
        workbook,
        "Due items",
        "Due and overdue items by kind and responsible agency",
        f"As at {board.generated:%d/%m/%Y}",
    )
    for table in board.due:
        sheet.row(table.label, font=BOLD)
        sheet.table(
            ["Responsible agency", *(label for _, label in table.kinds), "Total"],
            [
                *(
                    [row["agency"], *(n for _, n in row["cells"]), row["total"]]
                    for row in table.rows
                ),
                ["Total", *(n for _, n in table.kind_totals), table.total],
            ],
        )
    names = selectors.agency_names(e.item.agency_id for e in items)
    sheet.row("Every outstanding item", font=BOLD)
    sheet.table(
        ["Case", "Level", "What is due", "Responsible agency", "Due", "State", "Days overdue"],
        (
            [
                e.item.case_reference,
                e.item.level,
                e.kind_label,
                names.get(e.item.agency_id or 0, "No agency recorded"),
                e.item.due,
                e.state_label,
                e.status.days_late or None,
            ]
            for e in items
        ),
        formats={5: "dd/mm/yyyy"},
    )
    sheet.finish()


def _workbook(board: Dashboard, period: str) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    _kpi_summary(workbook, board, period)
    for card in board.cards:
        _kpi_sheet(workbook, card, period)
    _population_sheet(workbook, board)
    _due_sheet(workbook, board, due_items(board.generated, agency_id=board.period.agency_id))
    return workbook


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def dashboard_xlsx(board: Dashboard) -> bytes:
    period = f"Period: {board.period.words}"
    if board.period.agency:
        period += f". Agency: {board.period.agency.name}"
    workbook = _workbook(board, period + f". Generated {board.generated:%d/%m/%Y}.")
    return _save(workbook)


def pack_xlsx(pack: Pack) -> bytes:
    period = f"{pack.quarter.label}: {pack.words}. Generated {pack.generated:%d/%m/%Y}."
    workbook = _workbook(pack.dashboard, period)
    sheet = Sheet(workbook, "SMB attendance", "SMB attendance by seat", period)
    sheet.table(
        ["Seat", "Meetings attended", "Meetings held", "Rate", "Result"],
        (
            [s.seat.label, s.seat.numerator, s.seat.denominator, s.seat.value, s.rating.words]
            for s in pack.smb_seats
        ),
        formats={4: PERCENT},
    )
    sheet.finish()
    meetings = Sheet(workbook, "SMB meetings", "SMB meetings in the quarter", period)
    rows: list[list[Any]] = []
    for m in pack.meetings:
        chair = m.meeting.chair_name or (str(m.meeting.chair_seat) if m.meeting.chair_seat else "")
        common = [m.meeting.date, m.meeting.get_status_display(), m.meeting.venue, chair]
        if not m.attendance:
            rows.append([*common, "", "No attendance recorded", ""])
        for seat, status, counts in m.attendance:
            rows.append([*common, seat.title, status, "Yes" if counts else "No"])
    meetings.table(
        ["Date", "Status", "Venue", "Chair", "Seat", "Attendance", "Counts as attended"],
        rows,
        formats={1: "dd/mm/yyyy"},
    )
    meetings.finish()
    return _save(workbook)
