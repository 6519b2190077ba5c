"""Drawing a ``Document`` as PDF (WeasyPrint) and as DOCX (python-docx).

Both carry, on every page, the protective marking at the top and the bottom, the
handling instruction, "Page n of m", the document's reference and the date it was
generated (issue 7, point 1; decisions.md). An empty value is drawn as "None
recorded" and an empty section as its ``empty`` words: nothing is dropped silently.

Text is written as stored: names in other scripts (Arabic, Cyrillic, Chinese...) go
into the PDF through a font stack that covers them (``FONT_STACK``; the fonts come
from the Debian packages fonts-liberation2, fonts-dejavu-core and
fonts-droid-fallback, or fonts-noto-cjk where installed) and into the DOCX as
Unicode, with the complex-script and East Asian fonts named so that Word and
LibreOffice pick a font that has the glyphs.
"""

from __future__ import annotations

import io
import re
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from mappa.documents.model import Document, Field, Section, Table

NONE_RECORDED = "None recorded"

# Latin first (metric-compatible with Arial), then fonts with Arabic, Hebrew and
# Cyrillic (DejaVu), then Chinese, Japanese and Korean (Noto CJK or Droid fallback).
# fontconfig still falls back glyph by glyph for anything none of these has.
FONT_STACK = (
    '"Liberation Sans", Arial, "DejaVu Sans", "Noto Sans", "Noto Sans Arabic", '
    '"Noto Sans CJK SC", "Droid Sans Fallback", sans-serif'
)
# The DOCX names one font per script class; the reader's machine substitutes.
DOCX_FONT = "Arial"
DOCX_COMPLEX_FONT = "Arial"  # Arabic and Hebrew (Arial has them on Windows)
DOCX_EAST_ASIAN_FONT = "Microsoft YaHei"  # Word substitutes; LibreOffice uses fontconfig

# XML 1.0 forbids most control characters; a stray one pasted into a field must not
# stop the document being made (python-docx refuses them, WeasyPrint may drop text).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    return _NOT_XML.sub("", text or "").replace("\r\n", "\n").replace("\r", "\n")


def marking_of(doc: Document) -> str:
    return clean(doc.marking or settings.MAPPA_PROTECTIVE_MARKING)


def handling_of(doc: Document) -> str:
    return clean(doc.handling or settings.MAPPA_HANDLING_INSTRUCTION)


def generated_text(doc: Document) -> str:
    return f"Generated {doc.generated_on:%-d %B %Y}"


def value_text(value: str) -> str:
    text = clean(value).strip()
    return text or NONE_RECORDED


def section_is_empty(section: Section) -> bool:
    return not (section.fields or section.paragraphs or section.tables)


def empty_text(section: Section) -> str:
    return clean(section.empty) or NONE_RECORDED


# PDF --------------------------------------------------------------------------------------


def _pdf_context(doc: Document) -> dict[str, Any]:
    sections = []
    for section in doc.sections:
        sections.append(
            {
                "heading": clean(section.heading),
                "note": clean(section.note),
                "fields": [
                    {"label": clean(f.label), "value": value_text(f.value), "empty": not f.value}
                    for f in section.fields
                ],
                "paragraphs": [clean(p) for p in section.paragraphs],
                "tables": [
                    {
                        "columns": [clean(c) for c in table.columns],
                        "rows": [[value_text(cell) for cell in row] for row in table.rows],
                    }
                    for table in section.tables
                ],
                "empty": empty_text(section) if section_is_empty(section) else "",
            }
        )
    return {
        "doc": doc,
        "title": clean(doc.title),
        "subtitle": clean(doc.subtitle),
        "reference": clean(doc.reference),
        "generated": generated_text(doc),
        "marking": marking_of(doc),
        "handling": handling_of(doc),
        "sections": sections,
        "font_stack": FONT_STACK,
    }


def render_html(doc: Document) -> str:
    return render_to_string("documents/document.html", _pdf_context(doc))


def render_pdf(doc: Document) -> bytes:
    """The document as a PDF: @page margin boxes carry the marking top and bottom, the
    handling instruction, the reference, the date generated and "Page n of m"."""
    import weasyprint

    stylesheet = finders.find("documents/document.css")
    if not stylesheet:  # pragma: no cover - a packaging error, not a user's
        raise RuntimeError("documents/document.css is missing from the static files")
    return bytes(
        weasyprint.HTML(string=render_html(doc)).write_pdf(
            stylesheets=[
                weasyprint.CSS(filename=str(stylesheet)),
                # The font stack is named in one place (FONT_STACK); templates carry no
                # <style> element (the no-inline-style rule holds for every template).
                weasyprint.CSS(
                    string=f"@page {{ font-family: {FONT_STACK}; }} body {{ font-family: {FONT_STACK}; }}"
                ),
            ]
        )
    )


# DOCX -------------------------------------------------------------------------------------


def _set_fonts(style_or_run: Any, size: float | None = None, bold: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = style_or_run.font
    font.name = DOCX_FONT
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    fonts.set(qn("w:ascii"), DOCX_FONT)
    fonts.set(qn("w:hAnsi"), DOCX_FONT)
    fonts.set(qn("w:cs"), DOCX_COMPLEX_FONT)
    fonts.set(qn("w:eastAsia"), DOCX_EAST_ASIAN_FONT)


def _add_text(paragraph: Any, text: str, *, bold: bool = False, size: float | None = None) -> None:
    """Text with its line breaks kept (one run, a break per new line)."""
    from docx.shared import Pt

    run = paragraph.add_run()
    if bold:
        run.bold = True
    if size is not None:
        run.font.size = Pt(size)
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if number:
            run.add_break()
        run.add_text(line)


def _add_field(paragraph: Any, instruction: str, placeholder: str, size: float) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice compute when drawn."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    def run_with(element: Any) -> None:
        run = paragraph.add_run()
        run.font.size = Pt(size)
        run._r.append(element)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    run_with(code)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    shown = paragraph.add_run(placeholder)
    shown.font.size = Pt(size)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _header_and_footer(document: Any, doc: Document) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    marking = marking_of(doc)
    for section in document.sections:
        section.page_height = Mm(297)
        section.page_width = Mm(210)
        section.top_margin = Mm(25)
        section.bottom_margin = Mm(25)
        section.left_margin = Mm(18)
        section.right_margin = Mm(18)
        section.header_distance = Mm(8)
        section.footer_distance = Mm(8)
        section.different_first_page_header_footer = False
        header = section.header
        header.is_linked_to_previous = False
        top = header.paragraphs[0]
        top.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _add_text(top, marking, bold=True, size=11)
        line = header.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _add_text(line, f"{clean(doc.reference)} · {generated_text(doc)}", size=8)

        footer = section.footer
        footer.is_linked_to_previous = False
        handling = footer.paragraphs[0]
        handling.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _add_text(handling, handling_of(doc), size=7.5)
        pages = footer.add_paragraph()
        pages.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _add_text(pages, "Page ", size=8)
        _add_field(pages, "PAGE", "1", 8)
        _add_text(pages, " of ", size=8)
        _add_field(pages, "NUMPAGES", "1", 8)
        bottom = footer.add_paragraph()
        bottom.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _add_text(bottom, marking, bold=True, size=11)


def _fields_table(document: Any, fields: tuple[Field, ...]) -> None:
    from docx.shared import Mm

    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.autofit = False
    for item in fields:
        cells = table.add_row().cells
        cells[0].width = Mm(58)
        cells[1].width = Mm(116)
        _shade(cells[0], "F3F2F1")
        _add_text(cells[0].paragraphs[0], clean(item.label), bold=True)
        _add_text(cells[1].paragraphs[0], value_text(item.value))
    document.add_paragraph()


def _grid_table(document: Any, table_data: Table) -> None:
    table = document.add_table(rows=1, cols=len(table_data.columns))
    table.style = "Table Grid"
    head = table.rows[0]
    _repeat_header(head)
    for cell, column in zip(head.cells, table_data.columns, strict=True):
        _shade(cell, "F3F2F1")
        _add_text(cell.paragraphs[0], clean(column), bold=True)
    for row in table_data.rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=False):
            _add_text(cell.paragraphs[0], value_text(value))
    document.add_paragraph()


def render_docx(doc: Document) -> bytes:
    """The document as Word (DOCX): the marking in every page's header and footer,
    the handling instruction and "Page n of m" (PAGE and NUMPAGES fields) in the
    footer, the reference and the date generated in the header."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    properties = document.core_properties
    properties.title = clean(doc.title)
    properties.subject = clean(doc.reference)
    properties.keywords = marking_of(doc)
    properties.author = settings.MAPPA_AREA_NAME + " MAPPA"
    properties.comments = handling_of(doc)
    for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Table Grid"):
        try:
            _set_fonts(document.styles[name])
        except KeyError:  # pragma: no cover - python-docx's template has them all
            continue
    _set_fonts(document.styles["Normal"], size=10)
    _header_and_footer(document, doc)

    banner = document.add_paragraph()
    banner.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _add_text(banner, marking_of(doc), bold=True, size=12)
    document.add_heading(clean(doc.title), level=0)
    if doc.subtitle:
        _add_text(document.add_paragraph(), clean(doc.subtitle))
    meta = document.add_paragraph()
    _add_text(meta, f"Reference: {clean(doc.reference)}. {generated_text(doc)}.", size=9)

    for section in doc.sections:
        document.add_heading(clean(section.heading), level=1)
        if section.note:
            note = document.add_paragraph()
            run_text = clean(section.note)
            _add_text(note, run_text, size=8.5)
            for run in note.runs:
                run.italic = True
        if section_is_empty(section):
            _add_text(document.add_paragraph(), empty_text(section))
            continue
        if section.fields:
            _fields_table(document, section.fields)
        for paragraph in section.paragraphs:
            _add_text(document.add_paragraph(), value_text(paragraph))
        for table in section.tables:
            if table.rows:
                _grid_table(document, table)
            else:
                _add_text(document.add_paragraph(), NONE_RECORDED)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render(doc: Document, fmt: str) -> bytes:
    if fmt == "pdf":
        return render_pdf(doc)
    if fmt == "docx":
        return render_docx(doc)
    raise ValueError(f"Unknown format {fmt!r}")


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
