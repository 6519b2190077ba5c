"""Controlled downloads (issue 7, point 2): only those who may see the record download
its document, by page or API; re-authentication first on pages; every download audited
with who, what and the document's SHA-256; every refusal 403 with an audit row."""

import hashlib
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from mappa.access.policy import Action, decide
from mappa.audit.models import AuditEvent
from mappa.audit.verify import verify_chain
from mappa.documents.access import can_download
from mappa.documents.render import CONTENT_TYPES
from tests.documents.conftest import ARABIC, CYRILLIC, Scene
from tests.documents.helpers import docx_text, pdf_pages

pytestmark = pytest.mark.django_db


def _records(scene: Scene) -> dict[str, Any]:
    return {"referral": scene.referral, "minutes": scene.first, "level1-review": scene.review}


def _nominal_id(scene: Scene, slug: str) -> str:
    return str(scene.level1_nominal.pk if slug == "level1-review" else scene.nominal.pk)


def _page(slug: str, fmt: str, pk: Any) -> str:
    return reverse(f"documents:{slug.replace('-', '_')}_{fmt}", args=[pk])


def _api(slug: str, pk: Any, fmt: str | None = None) -> str:
    address = reverse(f"api:document-{slug}", args=[pk])
    return f"{address}?format={fmt}" if fmt else address


def _downloads(user: Any) -> Any:
    return AuditEvent.objects.filter(actor=user, action="document.download").order_by("sequence")


def _check_audit(event: AuditEvent, content: bytes, slug: str, record: Any, fmt: str) -> None:
    assert event.detail["sha256"] == hashlib.sha256(content).hexdigest()
    assert event.detail["kind"] == slug
    assert event.detail["record_id"] == str(record.pk)
    assert event.detail["format"] == fmt
    assert event.detail["bytes"] == len(content)
    assert event.object_id == str(record.pk)
    assert event.outcome == "ok"


def test_the_owner_downloads_each_document_by_page_and_each_download_is_audited(
    client: Client, scene: Scene
) -> None:
    owner = scene.personas.owner
    client.force_login(owner)
    # The pages that show each record link to its document in both formats.
    pages = {
        "referral": reverse("referrals:detail", args=[scene.referral.pk]),
        "minutes": reverse("minutes:detail", args=[scene.first.pk]),
        "level1-review": reverse("minutes:level1", args=[scene.review.case_id]),
    }
    for slug, record in _records(scene).items():
        page = client.get(pages[slug]).content.decode()
        for fmt in ("pdf", "docx"):
            assert f'href="{_page(slug, fmt, record.pk)}"' in page, (slug, fmt)
    for slug, record in _records(scene).items():
        for fmt in ("pdf", "docx"):
            response = client.get(_page(slug, fmt, record.pk))
            assert response.status_code == 200, (slug, fmt, response.content[:300])
            assert response["Content-Type"] == CONTENT_TYPES[fmt]
            assert response["Cache-Control"] == "no-store"
            disposition = response["Content-Disposition"]
            assert disposition.startswith('attachment; filename="') and disposition.endswith(
                f'.{fmt}"'
            )
            # The reference and the date, never the person's name.
            for name in (CYRILLIC, ARABIC, scene.level1_nominal.family_name):
                assert name not in disposition
            content = response.content
            event = _downloads(owner).last()
            assert event is not None
            _check_audit(event, content, slug, record, fmt)
            assert event.nominal_id == _nominal_id(scene, slug)
            assert event.detail["via"] == "page"
            text = " ".join(pdf_pages(content)) if fmt == "pdf" else docx_text(content).body
            assert "OFFICIAL-SENSITIVE" in text
    assert _downloads(owner).count() == 6
    assert verify_chain().ok


def test_the_referral_filename_has_its_reference_and_date(client: Client, scene: Scene) -> None:
    from mappa.common.dates import today

    client.force_login(scene.personas.coordinator)
    response = client.get(_page("referral", "pdf", scene.referral.pk))
    reference = "".join(c if c.isalnum() else "-" for c in scene.referral.reference).strip("-")
    assert response["Content-Disposition"] == (
        f'attachment; filename="mappa-a-{reference}-{today().isoformat()}.pdf"'
    )


def test_the_api_downloads_each_document_and_audits_it_with_the_hash(
    client: Client, scene: Scene
) -> None:
    coordinator = scene.personas.coordinator
    client.force_login(coordinator)
    for slug, record in _records(scene).items():
        for fmt in ("pdf", "docx"):
            response = client.get(_api(slug, record.pk, fmt))
            assert response.status_code == 200, (slug, fmt, response.content[:300])
            assert response["Content-Type"] == CONTENT_TYPES[fmt]
            event = _downloads(coordinator).last()
            assert event is not None
            _check_audit(event, response.content, slug, record, fmt)
            assert event.detail["via"] == "api"
    # The format defaults to PDF.
    response = client.get(_api("referral", scene.referral.pk))
    assert response["Content-Type"] == "application/pdf"


def test_the_api_explains_a_wrong_format_and_an_unknown_record(
    client: Client, scene: Scene
) -> None:
    client.force_login(scene.personas.coordinator)
    response = client.get(_api("minutes", scene.first.pk, "rtf"))
    assert response.status_code == 400
    assert response.json() == {"errors": {"format": ["Choose the format: pdf or docx"]}}
    assert not _downloads(scene.personas.coordinator).exists()
    response = client.get(_api("minutes", scene.referral.pk, "pdf"))  # not minutes' id
    assert response.status_code == 404
    assert client.get(_page("minutes", "pdf", scene.referral.pk)).status_code == 404
    client.logout()
    response = Client().get(_api("minutes", scene.first.pk, "pdf"))
    assert response.status_code == 401


def test_an_outsider_can_download_none_of_the_cases_documents(client: Client, scene: Scene) -> None:
    outsider = scene.personas.outsider
    client.force_login(outsider)
    addresses = [
        _page(slug, fmt, record.pk)
        for slug, record in _records(scene).items()
        for fmt in ("pdf", "docx")
    ] + [_api(slug, record.pk, "pdf") for slug, record in _records(scene).items()]
    for address in addresses:
        before = AuditEvent.objects.count()
        response = client.get(address)
        assert response.status_code == 403, address
        refusal = AuditEvent.objects.filter(actor=outsider, action="access.refused").last()
        assert refusal is not None
        assert refusal.detail["path"] == address.split("?")[0]
        assert refusal.detail["attempted"] == str(Action.DOCUMENT_DOWNLOAD)
        assert refusal.outcome == "refused"
        assert AuditEvent.objects.count() == before + 1, address
        if address.startswith("/api/"):
            assert response.json()["detail"] == refusal.detail["reason"]
    assert not _downloads(outsider).exists()


def test_a_page_download_asks_for_re_authentication_first(client: Client, scene: Scene) -> None:
    from mappa.accounts import session as session_state

    client.force_login(scene.personas.owner)
    session = client.session
    session[session_state.REAUTHENTICATED_AT] = session_state.now() - 3600
    session.save()
    address = _page("minutes", "pdf", scene.first.pk)
    response = client.get(address)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:confirm"))
    assert response["Location"].endswith("?" + urlencode({"next": address}))
    assert not _downloads(scene.personas.owner).exists()
    # Signed out: to the sign-in page.
    response = Client().get(address)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_download_is_allowed_exactly_when_the_record_may_be_seen(scene: Scene) -> None:
    personas = scene.personas
    views = {
        "referral": (scene.referral, Action.REFERRAL_VIEW, scene.referral),
        "minutes": (scene.first, Action.MINUTES_VIEW, scene.first),
        "level1-review": (scene.review, Action.NOMINAL_VIEW, scene.level1_nominal),
    }
    for name in (
        "coordinator",
        "administrator",
        "auditor",
        "smb_member",
        "owner",
        "colleague",
        "partner",
        "outsider",
    ):
        user = getattr(personas, name)
        for kind, (record, action, seen) in views.items():
            expected = bool(decide(user, action, seen))
            assert bool(can_download(user, record)) == expected, (name, kind)
            assert bool(decide(user, Action.DOCUMENT_DOWNLOAD, record)) == expected, (name, kind)
    # The chair of the meeting sees its minutes, and so may download them.
    assert decide(scene.chair, Action.DOCUMENT_DOWNLOAD, scene.first)
    # The expected answers, worked out by hand for the standard cast.
    assert decide(personas.owner, Action.DOCUMENT_DOWNLOAD, scene.referral)
    assert decide(personas.auditor, Action.DOCUMENT_DOWNLOAD, scene.first)
    assert not decide(personas.outsider, Action.DOCUMENT_DOWNLOAD, scene.first)
    assert not decide(personas.smb_member, Action.DOCUMENT_DOWNLOAD, scene.referral)
    # Nothing else is a document: refused.
    refusal = can_download(personas.coordinator, scene.nominal)
    assert not refusal and refusal.reason == "No document is made from this record."
    assert not decide(personas.coordinator, Action.DOCUMENT_DOWNLOAD, None)


def test_the_executive_summary_is_downloaded_by_those_who_may_see_it(
    client: Client, scene: Scene
) -> None:
    """A finalised version of the chair's executive summary (J 5.6), drawn by the
    disclosure app's builder, through the same controlled download."""
    pytest.importorskip("mappa.disclosure.document")
    from mappa.disclosure import services

    coordinator = scene.personas.coordinator
    summary = services.executive_summary_start(actor=coordinator, case=scene.first.case)
    version = services.executive_summary_finalise(
        actor=coordinator, summary=summary, expected_version=summary.version
    )
    client.force_login(coordinator)
    for fmt in ("pdf", "docx"):
        response = client.get(_page("executive-summary", fmt, version.pk))
        assert response.status_code == 200, response.content[:300]
        event = _downloads(coordinator).last()
        assert event is not None
        _check_audit(event, response.content, "executive-summary", version, fmt)
        assert event.nominal_id == str(scene.nominal.pk)
        text = (
            " ".join(pdf_pages(response.content))
            if fmt == "pdf"
            else docx_text(response.content).body
        )
        assert "OFFICIAL-SENSITIVE" in text
    response = client.get(_api("executive-summary", version.pk, "docx"))
    assert response.status_code == 200
    # The case's practitioner may not see the summary, so may not download it.
    client.force_login(scene.personas.owner)
    for address in (
        _page("executive-summary", "pdf", version.pk),
        _api("executive-summary", version.pk, "pdf"),
    ):
        assert client.get(address).status_code == 403
    assert (
        AuditEvent.objects.filter(actor=scene.personas.owner, action="access.refused").count() == 2
    )
