"""Importing real files: every supported type, folders, duplicates, progress, cancel."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image

from satchel.core.domain.assets import AssetKind, AssetStatus, FileType
from satchel.core.domain.imports import CancelToken, ImportProgress, ImportStatus
from satchel.core.errors import ValidationError
from satchel.core.ingest.language import _identifier
from satchel.core.services import Services
from tests.conftest import TEST_LIMITS
from tests.helpers.files import docx_bytes, image_bytes, pdf_bytes, pptx_bytes, write
from tests.helpers.library import pages_pdf


def _rows(library_dir: Path, table: str) -> int:
    connection = sqlite3.connect(library_dir / "satchel.db")
    try:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        connection.close()


def test_pdf_title_text_per_page_and_thumbnail(services: Services, tmp_path: Path) -> None:
    source = write(tmp_path / "q3.pdf", pdf_bytes(pages=3, title="Q3 Results", text="Revenue"))
    report, changes = services.assets.import_paths([source])
    (result,) = report.results
    assert result.status is ImportStatus.IMPORTED
    assert changes.assets_added == {result.asset_id}
    asset = services.assets.get(result.asset_id, with_text=True)
    assert asset.metadata.title == "Q3 Results"
    assert asset.current.page_count == 3
    assert asset.current.file_type is FileType.PDF
    assert [t.strip() for t in asset.page_texts] == [f"Revenue page {n}" for n in (1, 2, 3)]
    thumbnail = services.assets.thumbnail_path(asset.current.sha256)
    assert thumbnail is not None
    with Image.open(thumbnail) as image:
        assert max(image.size) == TEST_LIMITS.thumbnail_px
        assert image.size[1] > image.size[0]  # portrait A4
    stored = services.assets.blob_path(asset.current.sha256)
    assert stored.read_bytes() == source.read_bytes()
    assert len(pdfium.PdfDocument(stored)) == 3


def test_title_falls_back_to_first_heading_then_file_name(
    services: Services, tmp_path: Path
) -> None:
    with_heading = write(tmp_path / "a.pdf", pdf_bytes(text="Warehouse savings"))
    no_text = write(tmp_path / "Spring Promo.png", image_bytes("PNG"))
    report, _ = services.assets.import_paths([with_heading, no_text])
    titles = [services.assets.get(r.asset_id).metadata.title for r in report.results]
    assert titles == ["Warehouse savings page 1", "Spring Promo"]


@pytest.mark.parametrize(
    ("fmt", "file_type"), [("PNG", FileType.PNG), ("JPEG", FileType.JPEG), ("WEBP", FileType.WEBP)]
)
def test_images_keep_dimensions_and_get_thumbnails(
    services: Services, tmp_path: Path, fmt: str, file_type: FileType
) -> None:
    source = write(tmp_path / f"photo.{fmt.lower()}", image_bytes(fmt, (1200, 800)))
    (result,), _ = services.assets.import_paths([source])[0].results, None
    asset = services.assets.get(result.asset_id)
    assert asset.current.file_type is file_type
    assert (asset.current.width, asset.current.height) == (1200, 800)
    assert asset.metadata.kind is AssetKind.IMAGE
    with Image.open(services.assets.thumbnail_path(asset.current.sha256)) as thumb:
        assert thumb.size == (320, 213)


def test_docx_title_and_paragraph_text(services: Services, tmp_path: Path) -> None:
    source = write(tmp_path / "plan.docx", docx_bytes(title="", heading="Rollout plan"))
    (result,) = services.assets.import_paths([source])[0].results
    asset = services.assets.get(result.asset_id, with_text=True)
    assert asset.current.file_type is FileType.DOCX
    assert asset.metadata.title == "Rollout plan"
    assert asset.page_texts[0] == "Rollout plan"
    assert asset.page_texts[1] == "Step 1: install gateways in hall 1."
    assert services.assets.thumbnail_path(asset.current.sha256) is not None


def test_pptx_title_and_text_per_slide(services: Services, tmp_path: Path) -> None:
    source = write(tmp_path / "deck.pptx", pptx_bytes(title="Atlas pitch", slides=3))
    (result,) = services.assets.import_paths([source])[0].results
    asset = services.assets.get(result.asset_id, with_text=True)
    assert asset.current.file_type is FileType.PPTX
    assert asset.metadata.title == "Atlas pitch"
    assert asset.metadata.kind is AssetKind.DECK
    assert asset.current.page_count == 3
    assert "Talking point for slide 2" in asset.page_texts[1]
    assert services.assets.thumbnail_path(asset.current.sha256) is not None


def test_type_comes_from_content_not_name(services: Services, tmp_path: Path) -> None:
    pdf_named_png = write(tmp_path / "really-a-pdf.png", pdf_bytes(title="Disguised"))
    png_named_pdf = write(tmp_path / "really-a-png.pdf", image_bytes("PNG"))
    report, _ = services.assets.import_paths([pdf_named_png, png_named_pdf])
    types = [services.assets.get(r.asset_id).current.file_type for r in report.results]
    assert types == [FileType.PDF, FileType.PNG]


def test_folders_are_walked_recursively_skipping_hidden_and_junk(
    services: Services, tmp_path: Path
) -> None:
    folder = tmp_path / "drop"
    write(folder / "one.pdf", pdf_bytes(text="one"))
    write(folder / "sub" / "deeper" / "two.pdf", pdf_bytes(text="two"))
    write(folder / ".hidden.pdf", pdf_bytes(text="hidden"))
    write(folder / ".git" / "three.pdf", pdf_bytes(text="in hidden folder"))
    write(folder / "Thumbs.db", b"junk")
    report, _ = services.assets.import_paths([folder])
    names = sorted(Path(r.path).name for r in report.results)
    assert names == ["one.pdf", "two.pdf"]
    assert report.count(ImportStatus.IMPORTED) == 2


def test_duplicates_are_stored_once_and_reported(
    services: Services, tmp_path: Path, library_dir: Path
) -> None:
    data = pdf_bytes(title="Only once")
    first = write(tmp_path / "a.pdf", data)
    copy = write(tmp_path / "copy of a.pdf", data)
    report, _ = services.assets.import_paths([first, copy])
    assert [r.status for r in report.results] == [ImportStatus.IMPORTED, ImportStatus.DUPLICATE]
    assert report.results[1].asset_id == report.results[0].asset_id
    assert "a.pdf" in report.results[1].reason
    again, _ = services.assets.import_paths([copy])
    assert again.results[0].status is ImportStatus.DUPLICATE
    assert again.results[0].reason == "Already in the library as “Only once”."
    assert _rows(library_dir, "blobs") == 1
    assert _rows(library_dir, "assets") == 1
    assert len(list((library_dir / "blobs").rglob("*"))) == 4  # ab/, ab/cd/, the blob, tmp/


def test_metadata_given_at_import_is_validated_and_applied(
    services: Services, tmp_path: Path
) -> None:
    source = write(tmp_path / "a.pdf", pdf_bytes())
    settings = {"kind": "datasheet", "product": "Atlas", "tags": "Edge, atlas, gateway",
                "status": "published", "expires_on": "2027-06-30", "language": "de"}  # fmt: skip
    (result,) = services.assets.import_paths([source], settings)[0].results
    meta = services.assets.get(result.asset_id).metadata
    assert meta.kind is AssetKind.DATASHEET and meta.status is AssetStatus.PUBLISHED
    assert meta.tags == ("edge", "atlas", "gateway")
    assert str(meta.expires_on) == "2027-06-30" and meta.language == "de"
    with pytest.raises(ValidationError, match="not a valid kind"):
        services.assets.import_paths(
            [write(tmp_path / "b.pdf", pdf_bytes(text="b"))], {"kind": "poster"}
        )
    assert len(services.assets.list_all()) == 1


def test_the_language_is_detected_and_the_importer_owns_the_new_assets(
    services: Services, tmp_path: Path
) -> None:  # fmt: skip
    texts = {
        "de": "Wartungsverträge für Ihre Anlagen: wir prüfen jede Maschine zweimal im Jahr "
              "und melden Abweichungen, bevor die Linie steht.",
        "es": "Contratos de mantenimiento para sus plantas: revisamos cada máquina dos veces "
              "al año y avisamos antes de que la línea se detenga.",
        "en": "Maintenance contracts for your plants: we check every machine twice a year "
              "and warn you before the line stops.",
        "": "Atlas X-200",  # too little text to tell
    }  # fmt: skip
    sources = [write(tmp_path / f"{code or 'short'}.pdf", pages_pdf(f"Doc {code}", [text]))
               for code, text in texts.items()]  # fmt: skip
    sources.append(write(tmp_path / "photo.png", image_bytes("PNG")))  # no text at all
    report, _ = services.assets.import_paths(sources)
    found = [services.assets.get(r.asset_id).metadata for r in report.results]  # type: ignore[arg-type]
    assert [m.language for m in found] == ["de", "es", "en", "", ""]
    assert _identifier.cache_info().currsize == 0  # the model is not kept after the batch
    owner = services.actor.name  # type: ignore[union-attr]
    assert owner and {m.owner for m in found} == {owner}
    (given,) = services.assets.import_paths(
        [write(tmp_path / "given.pdf", pages_pdf("Given", [texts["de"] + " 2"]))],
        {"language": "fr", "owner": "Jonas Brandt"},
    )[0].results  # what the importer says wins, and both stay editable
    meta = services.assets.get(given.asset_id).metadata  # type: ignore[arg-type]
    assert (meta.language, meta.owner) == ("fr", "Jonas Brandt")
    services.assets.update_metadata(given.asset_id, {"language": "de"})  # type: ignore[arg-type]
    assert services.assets.get(given.asset_id).metadata.language == "de"  # type: ignore[arg-type]


def test_progress_is_reported_per_file(services: Services, tmp_path: Path) -> None:
    files = [write(tmp_path / f"{n}.pdf", pdf_bytes(text=f"doc {n}")) for n in range(5)]
    seen: list[ImportProgress] = []
    services.assets.import_paths(files, progress=seen.append)
    assert [p.done for p in seen] == [1, 2, 3, 4, 5]
    assert {p.total for p in seen} == {5}


def test_cancel_stops_the_batch_and_leaves_nothing_half_done(
    services: Services, tmp_path: Path, library_dir: Path
) -> None:
    files = [
        write(tmp_path / f"{n:02}.pdf", pdf_bytes(pages=40, text=f"doc {n}")) for n in range(12)
    ]
    token = CancelToken()

    def cancel_after_three(step: ImportProgress) -> None:
        if step.done == 3:
            token.cancel()

    report, changes = services.assets.import_paths(files, progress=cancel_after_three, cancel=token)
    assert report.cancelled
    assert len(report.results) == 3 and report.not_started == 9
    assert len(changes.assets_added) == 3
    assert _rows(library_dir, "assets") == 3
    assert _rows(library_dir, "asset_versions") == 3
    assert not list((library_dir / "blobs" / "tmp").iterdir())
    check = services.care.check()
    assert check.ok and not check.garbage, check
    # The next import works after a cancel (a fresh parser pool is started).
    again, _ = services.assets.import_paths(files[3:5])
    assert again.count(ImportStatus.IMPORTED) == 2


def test_metadata_edit_validates_and_keeps_tags_as_tombstones(
    services: Services, tmp_path: Path, library_dir: Path
) -> None:
    (result,) = services.assets.import_paths([write(tmp_path / "a.pdf", pdf_bytes())])[0].results
    detail, changes = services.assets.update_metadata(
        result.asset_id,
        {"title": "Atlas brochure", "tags": "atlas, edge", "funnel_stage": "awareness"},
    )
    assert changes.assets_changed == {result.asset_id}
    assert detail.metadata.tags == ("atlas", "edge")
    detail, _ = services.assets.update_metadata(result.asset_id[:8], {"tags": "edge"})
    assert detail.metadata.tags == ("edge",)
    connection = sqlite3.connect(library_dir / "satchel.db")
    tombstones = connection.execute(
        "SELECT count(*) FROM asset_tags WHERE deleted_at IS NOT NULL"
    ).fetchone()[0]
    assert tombstones == 1
    with pytest.raises(ValidationError) as caught:
        services.assets.update_metadata(
            result.asset_id, {"expires_on": "31/12/2027", "status": "gone", "colour": "red"}
        )
    assert len(caught.value.problems) == 3
    assert services.assets.get(result.asset_id).metadata.title == "Atlas brochure"
