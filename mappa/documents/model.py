"""A document as data: what the renderers (PDF and DOCX) draw, whatever the form.

Builders (``mappa.documents.builders`` for MAPPA A, MAPPA B and the level 1 review;
``mappa.disclosure`` for the executive summary) turn stored records into a
``Document``; ``mappa.documents.render`` draws it as PDF (WeasyPrint) or DOCX
(python-docx) with the protective marking top and bottom on every page, the handling
instruction, "Page n of m", the reference and the date generated. A builder never
drops an empty section: it sets ``empty`` to the words the reader sees ("Not
applicable: ..." or "None recorded").
"""

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    label: str  # the form's wording
    value: str  # "" is drawn as "None recorded"


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Section:
    heading: str  # "1. Offender details", as on the form
    fields: tuple[Field, ...] = ()
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    # When the section has nothing to show, the words drawn instead ("None recorded",
    # "Not applicable: no hospital order"); never dropped.
    empty: str = ""
    note: str = ""  # a line under the heading ("Carried from the referral of 3 May 2026")


@dataclass(frozen=True)
class Document:
    kind: str  # "mappa_a", "mappa_b", "level1_review", "executive_summary"
    title: str
    reference: str  # printed on every page
    generated_on: dt.date
    sections: tuple[Section, ...]
    marking: str = ""  # defaults to settings.MAPPA_PROTECTIVE_MARKING when drawn
    handling: str = ""  # defaults to settings.MAPPA_HANDLING_INSTRUCTION
    subtitle: str = ""
    filename_stem: str = field(default="document")  # without extension
