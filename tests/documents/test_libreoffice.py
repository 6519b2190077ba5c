"""A real consumer opens each DOCX: LibreOffice (Debian's libreoffice-writer, headless)
converts it to PDF without error, and the PDF it draws has the marking on every page and
"Page n of m" computed from the PAGE and NUMPAGES fields (issue 7, tests)."""

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from mappa.documents import builders
from mappa.documents.render import render_docx
from tests.documents.conftest import Scene
from tests.documents.helpers import pdf_pages

pytestmark = pytest.mark.django_db

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"


def _convert(docx_path: Path, out_dir: Path) -> Path:
    # A profile of its own per run, so that parallel runs do not share (and lock) one.
    profile = Path(tempfile.mkdtemp(prefix="mappa-lo-profile-"))
    try:
        result = subprocess.run(  # noqa: S603 - a fixed program and our own files
            [
                SOFFICE,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out_dir),
                str(docx_path),
            ],
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    assert result.returncode == 0, result.stderr
    converted = out_dir / f"{docx_path.stem}.pdf"
    assert converted.exists(), (result.stdout, result.stderr)
    return converted


def test_libreoffice_converts_each_docx_to_pdf(scene: Scene, tmp_path: Path) -> None:
    assert Path(SOFFICE).exists(), "LibreOffice (Debian's libreoffice-writer) is not installed"
    documents = {
        "mappa-a": builders.build_mappa_a(scene.referral),
        "mappa-b": builders.build_mappa_b(scene.first),
        "level-1-review": builders.build_level1_review(scene.review),
    }
    for name, doc in documents.items():
        source = tmp_path / f"{name}.docx"
        source.write_bytes(render_docx(doc))
        pages = pdf_pages(_convert(source, tmp_path).read_bytes())
        assert pages, name
        for number, page in enumerate(pages, start=1):
            assert page.count("OFFICIAL-SENSITIVE") >= 2, (name, number)
            assert f"Page {number} of {len(pages)}" in page, (name, number)
            assert doc.reference in page, (name, number)
        assert doc.sections[0].heading in " ".join(pages)
