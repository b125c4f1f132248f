"""The importer over real-world PDFs from many producers (../shared/corpus)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from satchel.core.domain.imports import ImportStatus
from satchel.core.services import Services
from tests.conftest import CORPUS

SAMPLES = CORPUS / "py-pdf-sample-files"
pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not (SAMPLES / "files.json").is_file(), reason="shared corpus not present"),
]

# Files the corpus itself marks as unreadable without help: a password, and a page tree
# with an undefined object (pdfium and pypdf both refuse it).
EXPECTED_REJECTIONS = {
    "005-libreoffice-writer-password/libreoffice-writer-password.pdf": "password-protected",
    "017-unreadable-meta-data/unreadablemetadata.pdf": "damaged",
}


def _entries() -> list[dict]:
    if not (SAMPLES / "files.json").is_file():
        return []
    return [e for e in json.loads((SAMPLES / "files.json").read_text())["data"]
            if (SAMPLES / e["path"]).is_file()]  # fmt: skip


def test_every_corpus_pdf_ends_as_expected(services: Services) -> None:
    entries = _entries()
    assert len(entries) >= 25
    report, _ = services.assets.import_paths([SAMPLES / e["path"] for e in entries])
    by_path = {Path(r.path).relative_to(SAMPLES).as_posix(): r for r in report.results}
    for entry in entries:
        result = by_path[entry["path"]]
        if entry["path"] in EXPECTED_REJECTIONS:
            assert result.status is ImportStatus.REJECTED, entry["path"]
            assert EXPECTED_REJECTIONS[entry["path"]] in result.reason
            continue
        assert result.status in (ImportStatus.IMPORTED, ImportStatus.IMPORTED_WITH_WARNINGS), (
            entry["path"],
            result.reason,
        )
        asset = services.assets.get(result.asset_id)
        assert asset.current.page_count == entry["pages"], entry["path"]
        assert services.assets.thumbnail_path(asset.current.sha256) is not None, entry["path"]
        assert asset.metadata.title.strip(), entry["path"]
    attachment = by_path["025-attachment/with-attachment.pdf"]
    assert any("attached files" in w for w in attachment.warnings)
    assert services.care.check().ok
