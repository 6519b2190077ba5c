"""Documents drawn for the demo area's cases as the demo builds them (issue 7, tests):
an accepted referral, distributed and amended minutes, draft minutes. (The demo has no
level 1 review; the built fixture in conftest.py has one.)"""

from typing import Any

import pytest

from mappa.common.dates import today
from mappa.documents import builders
from mappa.documents.model import Document
from mappa.documents.render import render_docx, render_pdf
from mappa.meetings.demo import build_demo_meetings
from mappa.minutes.demo import build_demo_minutes
from mappa.minutes.models import Minutes, MinutesAmendment, MinutesStatus
from mappa.referrals.demo import build_demo_referrals
from mappa.referrals.models import Referral, ReferralStatus
from mappa.register.management.demo_area import load_demo_area
from tests.documents.helpers import docx_text, pdf_pages

pytestmark = pytest.mark.django_db


def _check(doc: Document, headings: tuple[str, ...]) -> None:
    pages = pdf_pages(render_pdf(doc))
    text = " ".join(pages)
    for heading in headings:
        assert heading in text, (doc.reference, heading)
    for number, page in enumerate(pages, start=1):
        assert page.count("OFFICIAL-SENSITIVE") >= 2, (doc.reference, number)
        assert f"Page {number} of {len(pages)}" in page, (doc.reference, number)
    body = docx_text(render_docx(doc))
    for heading in headings:
        assert heading in body.body, (doc.reference, heading)
    assert all("OFFICIAL-SENSITIVE" in h for h in body.headers + body.footers)


def test_the_demo_areas_documents(settings: Any) -> None:
    settings.MAPPA_PROTECTIVE_MARKING = "OFFICIAL-SENSITIVE"
    load_demo_area(count=30)
    day = today()
    build_demo_meetings(day)
    build_demo_minutes(day)
    build_demo_referrals(day)

    referral = Referral.objects.filter(status=ReferralStatus.ACCEPTED).first()
    assert referral is not None
    _check(builders.build_mappa_a(referral), builders.MAPPA_A_HEADINGS)

    amended = Minutes.objects.filter(
        pk__in=MinutesAmendment.objects.values("minutes_id"), status=MinutesStatus.DISTRIBUTED
    ).first()
    assert amended is not None
    doc = builders.build_mappa_b(amended)
    _check(doc, builders.MAPPA_B_HEADINGS)
    amendment = amended.amendments.first()
    assert amendment is not None
    assert f"Reason: {amendment.reason}" in docx_text(render_docx(doc)).body

    draft = Minutes.objects.filter(status=MinutesStatus.DRAFT).first()
    assert draft is not None
    _check(builders.build_mappa_b(draft), builders.MAPPA_B_HEADINGS)
