"""Each document drawn from the stored records, read back as PDF (pypdf) and DOCX
(python-docx): every heading of the form, the marking on every page, the handling
instruction, "Page n of m", the reference and the date generated (issue 7, point 1)."""

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings

from mappa.common.dates import today
from mappa.documents import builders
from mappa.documents.model import Document, Field, Section, Table
from mappa.documents.render import NONE_RECORDED, render_docx, render_pdf
from mappa.minutes import services as minutes_services
from mappa.referrals import services as referral_services
from mappa.register import services as register_services
from mappa.register.models import HospitalDetention
from tests.documents.conftest import ARABIC, CHINESE, CYRILLIC, LEVEL1_NAMES, Scene
from tests.documents.helpers import docx_text, pdf_pages
from tests.factories import make_nominal

pytestmark = pytest.mark.django_db

MARKING = "OFFICIAL-SENSITIVE"
HANDLING = "Share only with people who have a need to know for public protection."

Build = Callable[[Scene], Document]
BUILDS: dict[str, tuple[Build, tuple[str, ...]]] = {
    "mappa_a": (lambda s: builders.build_mappa_a(s.referral), builders.MAPPA_A_HEADINGS),
    "mappa_b_first": (lambda s: builders.build_mappa_b(s.first), builders.MAPPA_B_HEADINGS),
    "mappa_b_review": (lambda s: builders.build_mappa_b(s.second), builders.MAPPA_B_HEADINGS),
    "level1_review": (
        lambda s: builders.build_level1_review(s.review),
        builders.LEVEL1_HEADINGS,
    ),
}


def _generated() -> str:
    return f"Generated {today():%-d %B %Y}"


SCRIPTS = {
    "mappa_a": (CYRILLIC, ARABIC, CHINESE),  # the alias (s.2) is in Chinese
    "mappa_b_first": (CYRILLIC, ARABIC, CHINESE),  # carried from the register
    "mappa_b_review": (CYRILLIC, ARABIC, CHINESE),
    "level1_review": LEVEL1_NAMES,
}


@pytest.mark.parametrize("name", BUILDS)
def test_each_document_in_both_formats(scene: Scene, name: str) -> None:
    """Every heading of the form; the marking top and bottom, the handling instruction,
    "Page n of m", the reference and the date generated on every page; names in
    Cyrillic, Arabic and Chinese script written as they are."""
    build, headings = BUILDS[name]
    doc = build(scene)

    pages = pdf_pages(render_pdf(doc))
    pdf_text = " ".join(pages)
    for heading in headings:
        assert heading in pdf_text, heading
    reference = " ".join(doc.reference.split())
    for number, page in enumerate(pages, start=1):
        # The top and the bottom margin boxes (and the masthead on the first page).
        assert page.count(MARKING) >= 2, number
        assert HANDLING in page, number
        assert f"Page {number} of {len(pages)}" in page, number
        assert reference in page, number
        assert _generated() in page, number

    text = docx_text(render_docx(doc))
    for heading in headings:
        assert heading in text.body, heading
    assert text.headers and text.footers
    for header, footer, xml in zip(text.headers, text.footers, text.footer_xml, strict=True):
        assert MARKING in header
        assert doc.reference in header
        assert _generated() in header
        assert MARKING in footer
        assert HANDLING in footer
        # "Page n of m" as fields that Word and LibreOffice compute as they draw a page.
        assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", xml)
        assert re.search(r"<w:instrText[^>]*> NUMPAGES </w:instrText>", xml)

    for written in SCRIPTS[name]:
        assert written in pdf_text, written
        assert written in text.body, written


def test_the_documents_carry_the_records_as_stored(scene: Scene) -> None:
    doc = builders.build_mappa_a(scene.referral)
    body = docx_text(render_docx(doc)).body
    referral = scene.referral
    for value in (
        referral.reference,
        referral.risk_who,
        referral.risk_nature,
        referral.reason_for_referral,
        referral.victim_concerns,
        "Restrictive licence conditions",
        "Assault occasioning actual bodily harm",
        "Criminal damage",
        "2012/0000001H",
        "Accepted at level 2",
        scene.personas.probation.name,
    ):
        assert value in body, value
    # Not in hospital: the section stays, and says so.
    assert builders.NOT_APPLICABLE_HOSPITAL in body
    assert doc.filename_stem == f"mappa-a-{_slug(referral.reference)}-{today().isoformat()}"

    first = builders.build_mappa_b(scene.first)
    body = docx_text(render_docx(first)).body
    assert "As carried: Referral" in body
    assert scene.referral.risk_who in body  # section 5, from the referral
    assert "The former partner lives two streets away." in body  # section 10
    assert "Police to visit the former partner and review her safety plan" in body  # 15
    assert "Jane Le Brocq, States of Jersey Police" in body  # section 9
    assert "Distributed" in first.subtitle
    assert "None recorded: there were no actions from an earlier meeting to review" in body

    second = builders.build_mappa_b(scene.second)
    body = docx_text(render_docx(second)).body
    assert "As carried: " in body and "Minutes of the level 2 meeting" in body
    # Section 8 reviews the first meeting's actions.
    assert "Was action completed?" in body
    assert "Police to visit the former partner and review her safety plan" in body
    assert "DRAFT" in second.subtitle

    body = docx_text(render_docx(builders.build_level1_review(scene.review))).body
    assert "Moved to supported housing; no new risk information." in body
    assert "Not applicable: the plan was not revised" in body
    assert "Not applicable: no referral needed" in body
    assert scene.level1_nominal.reference in body


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text).strip("-")


# Missing data, long text, odd characters ------------------------------------------------


def test_a_referral_with_almost_nothing_in_it_says_what_is_missing(personas: Any) -> None:
    nominal = make_nominal(
        personas.coordinator, lead_agency=personas.probation, manager=personas.owner
    )
    referral = referral_services.referral_start(actor=personas.owner, nominal=nominal)
    doc = builders.build_mappa_a(referral)
    pdf_text = " ".join(pdf_pages(render_pdf(doc)))
    body = docx_text(render_docx(doc)).body
    for text in (pdf_text, body):
        for heading in builders.MAPPA_A_HEADINGS:
            assert heading in text, heading
        assert NONE_RECORDED in text
        assert "Not applicable: the person is not detained in hospital" in text
        assert "Not decided yet: the referral is draft." in text
    # Every empty answer is drawn, not dropped: the labels are all there.
    assert "What is the nature of the risk? None recorded" in body


def test_minutes_just_started_say_what_is_missing(personas: Any) -> None:
    """Minutes of a case with no referral: sections 1-7 come from the register only."""
    from tests.minutes.conftest import make_item, make_meeting

    bare = make_nominal(
        personas.coordinator,
        family_name="Bare",
        lead_agency=personas.probation,
        manager=personas.owner,
    )
    meeting = make_meeting(today() - dt.timedelta(days=1), 2)
    minutes = minutes_services.minutes_start(
        actor=personas.administrator, agenda_item=make_item(meeting, bare)
    )
    minutes.carried = {}  # as if nothing had been carried at all
    minutes.save(update_fields=["carried"])
    doc = builders.build_mappa_b(minutes)
    for text in (" ".join(pdf_pages(render_pdf(doc))), docx_text(render_docx(doc)).body):
        for heading in builders.MAPPA_B_HEADINGS:
            assert heading in text, heading
        assert "None recorded: nothing was carried into these minutes for this section" in text
        assert "None recorded: there were no actions from an earlier meeting to review" in text


def test_hospital_detention_is_drawn_and_withheld_from_a_reader_who_may_not_see_health(
    scene: Scene,
) -> None:
    register_services.attachment_save(
        actor=scene.personas.coordinator,
        nominal=scene.nominal,
        instance=HospitalDetention(
            hospital="Orchard House", responsible_clinician="Dr Amal Haddad", basis="hospital_order"
        ),
    )
    coordinator = builders.build_mappa_a(scene.referral, viewer=scene.personas.coordinator)
    assert "Dr Amal Haddad" in docx_text(render_docx(coordinator)).body
    owner = builders.build_mappa_a(scene.referral, viewer=scene.personas.owner)
    body = docx_text(render_docx(owner)).body
    assert "Dr Amal Haddad" not in body
    assert "Withheld: this section holds health detail" in body


LONG_MARK_START = "Beginninglongmarker"
LONG_MARK_END = "Endinglongmarker"


def _long_text() -> str:
    filler = "The person was seen at home and the plan was discussed with the hostel staff. "
    body = (filler * 300)[: 20_000 - len(LONG_MARK_START) - len(LONG_MARK_END) - 2]
    text = f"{LONG_MARK_START} {body} {LONG_MARK_END}"
    assert len(text) == 20_000
    return text


def test_a_20000_character_answer_wraps_across_pages(personas: Any) -> None:
    nominal = make_nominal(
        personas.coordinator, lead_agency=personas.probation, manager=personas.owner
    )
    referral = referral_services.referral_start(actor=personas.owner, nominal=nominal)
    referral = referral_services.referral_update(
        actor=personas.owner, referral=referral, data={"risk_who": _long_text()}
    )
    doc = builders.build_mappa_a(referral)
    pages = pdf_pages(render_pdf(doc))
    start = next(n for n, page in enumerate(pages) if LONG_MARK_START in page)
    end = next(n for n, page in enumerate(pages) if LONG_MARK_END in page)
    assert end - start >= 2, "20,000 characters run over at least three pages"
    for number in range(start, end + 1):
        assert "hostel staff" in pages[number]  # the answer continues on every page between
        assert MARKING in pages[number]
        assert f"Page {number + 1} of {len(pages)}" in pages[number]
    body = docx_text(render_docx(doc)).body
    assert LONG_MARK_START in body and LONG_MARK_END in body


def test_a_long_cell_in_a_table_wraps_across_pages() -> None:
    doc = Document(
        kind="test",
        title="Long table",
        reference="T-1",
        generated_on=dt.date(2026, 1, 2),
        sections=(
            Section(
                "1. Actions",
                tables=(Table(("No.", "Action"), (("1", _long_text()), ("2", "Short"))),),
            ),
        ),
    )
    pages = pdf_pages(render_pdf(doc))
    assert len(pages) >= 3
    assert LONG_MARK_END in " ".join(pages)
    assert all(f"Page {n} of {len(pages)}" in p for n, p in enumerate(pages, start=1))


def test_control_characters_and_empty_values_do_not_stop_a_document() -> None:
    doc = Document(
        kind="test",
        title="Odd input",
        reference="T-2",
        generated_on=dt.date(2026, 1, 2),
        sections=(
            Section("1. Odd", fields=(Field("Pasted", "a\x00b\x0bc\r\nd"), Field("Empty", ""))),
            Section("2. Nothing", empty="Not applicable: nothing to say"),
            Section("3. Nothing either"),
            Section("4. Empty table", tables=(Table(("A", "B"), ()),)),
        ),
        marking="SECRET-ISH",
        handling="Handle with care.",
    )
    for text in (" ".join(pdf_pages(render_pdf(doc))), docx_text(render_docx(doc)).body):
        assert "abc" in text and "d" in text
        assert "Not applicable: nothing to say" in text
        assert "3. Nothing either None recorded" in text
        assert "4. Empty table None recorded" in text
    assert "SECRET-ISH" in docx_text(render_docx(doc)).headers[0]
    assert settings.MAPPA_PROTECTIVE_MARKING not in docx_text(render_docx(doc)).headers[0]
