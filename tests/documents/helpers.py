"""Reading documents back as their readers' tools would: pypdf for PDF, python-docx
(body, and each section's header and footer) for Word."""

import io
from dataclasses import dataclass

import docx
import pypdf


def pdf_pages(content: bytes) -> list[str]:
    """Each page's text, whitespace collapsed."""
    reader = pypdf.PdfReader(io.BytesIO(content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@dataclass
class DocxText:
    body: str
    headers: list[str]
    footers: list[str]
    footer_xml: list[str]


def docx_text(content: bytes) -> DocxText:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return DocxText(
        body=" ".join(" ".join(parts).split()),
        headers=[
            " ".join(" ".join(p.text for p in s.header.paragraphs).split())
            for s in document.sections
        ],
        footers=[
            " ".join(" ".join(p.text for p in s.footer.paragraphs).split())
            for s in document.sections
        ],
        footer_xml=[s.footer._element.xml for s in document.sections],
    )
