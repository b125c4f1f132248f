"""Damaged and hostile input: each ends in a plain sentence and leaves no trace."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from satchel.core.domain.imports import ImportResult, ImportStatus
from satchel.core.ingest.limits import ImportLimits
from satchel.core.services import Services
from tests.conftest import open_as
from tests.helpers import files as f


def _fingerprint(library_dir: Path) -> tuple[tuple, ...]:
    """Everything a rejected file could have left behind: rows and files."""
    connection = sqlite3.connect(library_dir / "satchel.db")
    try:
        counts = tuple(
            connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("assets", "asset_versions", "blobs", "page_texts", "tags", "asset_tags")
        )
    finally:
        connection.close()
    stored = tuple(
        sorted(str(p.relative_to(library_dir)) for p in (library_dir / "blobs").rglob("*"))
    )
    thumbs = tuple(sorted(str(p) for p in (library_dir / "cache").rglob("*")))
    return counts, stored, thumbs


def _import_one(services: Services, path: Path) -> ImportResult:
    report, _ = services.assets.import_paths([path])
    (result,) = report.results
    return result


REJECTED = {
    "empty": (lambda: b"", "The file is empty."),
    "truncated pdf": (lambda: f.pdf_bytes(pages=3)[:400], "damaged or incomplete"),
    "text named .pdf": (
        lambda: b"Dear customer,\nplease find attached",
        "named .pdf but is not a PDF",
    ),
    "cut-short zip named .pdf": (
        lambda: f.office_with_many_entries(f.docx_bytes(), 0)[:200],
        "named .pdf but is not a PDF: it is a ZIP archive",
    ),
    "zip archive named .pdf": (
        f.plain_zip,
        "named .pdf but is not a PDF: it is a ZIP archive",
    ),
    "encrypted pdf": (f.encrypted_pdf, "password-protected"),
    "cyclic page tree": (f.cyclic_page_tree_pdf, "pages are damaged"),
    "png bomb": (f.png_bomb, "too large to open safely"),
    "docx zip bomb": (lambda: f.office_with_bomb(f.docx_bytes()), "zip bomb"),
    "pptx zip bomb": (lambda: f.office_with_bomb(f.pptx_bytes()), "zip bomb"),
    "docx with 6,000 parts": (lambda: f.office_with_many_entries(f.docx_bytes()), "too many"),
    "docx with a symlink": (lambda: f.office_with_symlink(f.docx_bytes()), "symbolic link"),
    "truncated png": (lambda: f.image_bytes("PNG", (800, 600))[:300], "damaged or incomplete"),
    "truncated docx": (lambda: f.docx_bytes()[:2000], "damaged"),
}


@pytest.mark.parametrize("case", list(REJECTED))
def test_bad_files_are_rejected_with_a_reason_and_leave_no_trace(
    services: Services, library_dir: Path, tmp_path: Path, case: str
) -> None:
    make, expected = REJECTED[case]
    suffix = (
        ".docx"
        if "docx" in case
        else ".pptx"
        if "pptx" in case
        else ".png"
        if "png" in case
        else ".pdf"
    )
    path = f.write(tmp_path / f"bad{suffix}", make())
    before = _fingerprint(library_dir)
    result = _import_one(services, path)
    assert result.status is ImportStatus.REJECTED
    assert expected in result.reason
    assert result.reason.endswith(".") and "Traceback" not in result.reason
    assert _fingerprint(library_dir) == before


def test_a_stream_bomb_hits_the_memory_cap_and_the_importer_survives(
    library_dir: Path, tmp_path: Path
) -> None:
    bomb = f.write(tmp_path / "bomb.pdf", f.pdf_stream_bomb(uncompressed_mb=600))
    fine = f.write(tmp_path / "fine.pdf", f.pdf_bytes(title="Still imported"))
    limits = ImportLimits(memory_mb=400, seconds_per_file=30)
    with open_as(library_dir, create=True, limits=limits, workers=1) as services:
        before = _fingerprint(library_dir)
        result = _import_one(services, bomb)
        assert result.status is ImportStatus.REJECTED
        assert "400 MB of memory" in result.reason
        assert _fingerprint(library_dir) == before
        # The same pool goes on to import the next file.
        assert _import_one(services, fine).status is ImportStatus.IMPORTED


def test_a_file_that_takes_too_long_is_stopped(library_dir: Path, tmp_path: Path) -> None:
    # Inflating 500 MB of page content takes seconds; the limit here is a fraction of one.
    slow = f.write(tmp_path / "long.pdf", f.pdf_stream_bomb(uncompressed_mb=500))
    limits = ImportLimits(seconds_per_file=0.3, memory_mb=4096)
    with open_as(library_dir, create=True, limits=limits, workers=1) as services:
        result = _import_one(services, slow)
        assert result.status is ImportStatus.REJECTED
        assert "took longer than 0.3 seconds" in result.reason
        assert services.assets.list_all() == []


def test_3000_page_pdf_is_bounded(services: Services, tmp_path: Path) -> None:
    path = f.write(tmp_path / "catalogue.pdf", f.pdf_bytes(pages=3000))
    result = _import_one(services, path)
    assert result.status is ImportStatus.IMPORTED_WITH_WARNINGS
    assert "first 500 of 3,000 pages" in " ".join(result.warnings)
    asset = services.assets.get(result.asset_id, with_text=True)
    assert asset.current.page_count == 3000
    assert len(asset.page_texts) == 500


def test_deep_nesting_is_survived(services: Services, tmp_path: Path) -> None:
    result = _import_one(services, f.write(tmp_path / "deep.pdf", f.deeply_nested_pdf()))
    assert result.status in (ImportStatus.IMPORTED_WITH_WARNINGS, ImportStatus.REJECTED)
    assert result.reason.endswith(".") or result.warnings


@pytest.mark.parametrize(
    ("box", "status", "warning"),
    [
        ((0, 0, 0, 0), ImportStatus.IMPORTED, None),  # pdfium falls back to US Letter
        ((612, 792, 0, 0), ImportStatus.IMPORTED, None),  # inverted corners are normalised
        ((0, 0, 1e7, 1e7), ImportStatus.IMPORTED_WITH_WARNINGS, "unusually large"),
    ],
)
def test_odd_page_boxes(
    services: Services, tmp_path: Path, box: tuple, status: ImportStatus, warning: str | None
) -> None:
    result = _import_one(services, f.write(tmp_path / "box.pdf", f.pdf_with_box(box)))
    assert result.status is status
    if warning:
        assert warning in " ".join(result.warnings)
    asset = services.assets.get(result.asset_id)
    thumbnail = services.assets.thumbnail_path(asset.current.sha256)
    assert thumbnail is not None and thumbnail.stat().st_size < 200_000


@pytest.mark.parametrize(
    ("make", "warning"),
    [
        (f.pdf_with_javascript, "contains JavaScript"),
        (f.pdf_with_launch_action, "launches programs"),
        (f.pdf_with_attachment, "attached files"),
    ],
)
def test_active_content_is_flagged(services: Services, tmp_path: Path, make, warning: str) -> None:  # type: ignore[no-untyped-def]
    result = _import_one(services, f.write(tmp_path / "active.pdf", make()))
    assert result.status is ImportStatus.IMPORTED_WITH_WARNINGS
    assert any(warning in w for w in result.warnings)
    assert services.assets.get(result.asset_id).current.warnings == result.warnings


def test_hostile_metadata_is_kept_literal_without_hidden_characters(
    services: Services, tmp_path: Path
) -> None:
    title = "<b>Price</b> list & <script>alert(1)</script>\x07\x1b[31m \u202eFDP.exe"
    result = _import_one(services, f.write(tmp_path / "m.pdf", f.pdf_with_metadata(title)))
    assert result.status is ImportStatus.IMPORTED_WITH_WARNINGS
    stored = services.assets.get(result.asset_id).metadata.title
    assert stored == "<b>Price</b> list & <script>alert(1)</script> [31m FDP.exe"
    assert "text-direction" in result.warnings[0]


@pytest.mark.parametrize(
    "name",
    [
        "CON.pdf",
        "aux.pdf",
        "x" * 240 + ".pdf",
        "😀 launch brochure.pdf",
        "line\nbreak.pdf",
        "-rf --all.pdf",
        "trailing dot..pdf",
    ],
)
def test_awkward_file_names(services: Services, tmp_path: Path, name: str) -> None:
    data = f.pdf_bytes(text=hashlib.sha256(name.encode()).hexdigest()[:12])
    result = _import_one(services, f.write(tmp_path / name, data))
    assert result.status is ImportStatus.IMPORTED
    version = services.assets.get(result.asset_id).current
    assert "\n" not in version.original_name
    assert services.assets.blob_path(version.sha256).read_bytes() == data


def test_a_device_or_pipe_is_not_read(services: Services, tmp_path: Path) -> None:
    import os

    pipe = tmp_path / "fifo.pdf"
    os.mkfifo(pipe)
    result = _import_one(services, pipe)
    assert result.status is ImportStatus.REJECTED
    assert "not a regular file" in result.reason


def test_missing_path_is_reported(services: Services, tmp_path: Path) -> None:
    result = _import_one(services, tmp_path / "gone.pdf")
    assert result.status is ImportStatus.REJECTED
    assert result.reason == "There is no such file or folder."


def test_oversized_file_is_refused_before_reading(library_dir: Path, tmp_path: Path) -> None:
    big = tmp_path / "huge.pdf"
    with open(big, "wb") as handle:
        handle.write(f.pdf_bytes())
        handle.truncate(3 << 20)
    with open_as(library_dir, create=True, limits=ImportLimits(max_file_mb=2)) as services:
        result = _import_one(services, big)
    assert result.status is ImportStatus.REJECTED
    assert "larger than 2 MB" in result.reason
