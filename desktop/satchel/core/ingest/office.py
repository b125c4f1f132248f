"""Reading DOCX and PPTX after checking the ZIP container is not a bomb or a trick."""

from __future__ import annotations

import io
import re
import stat
import zipfile
from pathlib import Path

import docx
import pptx
from docx.opc.exceptions import PackageNotFoundError as DocxPackageError
from pptx.exc import PackageNotFoundError as PptxPackageError

from satchel.core.domain.assets import FileType
from satchel.core.domain.text import clean_body_text
from satchel.core.ingest.images import open_image_safely
from satchel.core.ingest.limits import ImportLimits
from satchel.core.ingest.result import ParsedFile, RejectedFile
from satchel.core.ingest.thumbnails import is_blank, text_card, to_png

_MB = 1 << 20
_PAGES = re.compile(rb"<(?:\w+:)?(?:Pages|Slides)>(\d{1,7})</")


def check_zip(path: Path, limits: ImportLimits) -> zipfile.ZipFile:
    """Open the archive only if its entries are few, small, plainly named and not links."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise RejectedFile("The document is a damaged ZIP archive and cannot be read.") from None
    entries = archive.infolist()
    if len(entries) > limits.max_zip_entries:
        raise RejectedFile(f"The document holds {len(entries):,} parts, too many to be genuine.")
    names: set[str] = set()
    total = 0
    for entry in entries:
        if entry.filename in names:
            raise RejectedFile("The document contains duplicate parts, a sign of tampering.")
        names.add(entry.filename)
        if stat.S_ISLNK(entry.external_attr >> 16):
            raise RejectedFile("The document contains a symbolic link, which Satchel refuses.")
        if entry.filename.startswith(("/", "\\")) or ".." in entry.filename.split("/"):
            raise RejectedFile("The document contains parts with unsafe names.")
        total += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if (entry.file_size > _MB and ratio > limits.max_zip_ratio) or (
            total > limits.max_zip_total_mb * _MB
        ):
            raise RejectedFile(
                "The document expands to far more data than its size suggests "
                "(a “zip bomb”), so it was not opened."
            )
    return archive


def _declared_pages(archive: zipfile.ZipFile) -> int | None:
    try:
        match = _PAGES.search(archive.read("docProps/app.xml")[:65536])
    except KeyError:
        return None
    return int(match.group(1)) if match else None


def _embedded_thumbnail(archive: zipfile.ZipFile, limits: ImportLimits) -> bytes | None:
    for name in ("docProps/thumbnail.jpeg", "docProps/thumbnail.png"):
        if name in archive.namelist():
            try:
                image = open_image_safely(io.BytesIO(archive.read(name)), limits)
            except RejectedFile:
                return None
            # Generators such as python-pptx ship a blank placeholder; draw our own then.
            return None if is_blank(image) else to_png(image, limits.thumbnail_px)
    return None


def _keep(parsed: ParsedFile, texts: list[str], limits: ImportLimits, unit: str) -> None:
    budget = limits.max_text_chars
    for text in texts[: limits.max_text_pages]:
        text = clean_body_text(text)[:budget]
        budget -= len(text)
        parsed.pages.append(text)
        if budget <= 0:
            break
    if len(parsed.pages) < len(texts):
        parsed.warnings.append(
            f"Text was kept from the first {len(parsed.pages):,} of {len(texts):,} {unit} "
            "for search."
        )


def parse_docx(path: Path, limits: ImportLimits) -> ParsedFile:
    """Title, headings and text per paragraph of a Word document."""
    with check_zip(path, limits) as archive:
        declared = _declared_pages(archive)
        thumbnail = _embedded_thumbnail(archive, limits)
    try:
        document = docx.Document(str(path))
    except (DocxPackageError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise RejectedFile(f"The Word document is damaged and cannot be read ({error}).") from None
    except SyntaxError:  # lxml's XMLSyntaxError derives from SyntaxError
        raise RejectedFile("The Word document contains damaged XML and cannot be read.") from None
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    parsed = ParsedFile(FileType.DOCX, page_count=declared or 1)
    parsed.metadata_title = document.core_properties.title or ""
    parsed.heading = next(
        (
            p.text
            for p in paragraphs
            if p.style is not None and (p.style.name or "").startswith(("Title", "Heading"))
        ),
        paragraphs[0].text if paragraphs else "",
    )
    _keep(parsed, [p.text for p in paragraphs], limits, "paragraphs")
    parsed.thumbnail_png = thumbnail or text_card(
        parsed.metadata_title or parsed.heading or path.stem,
        parsed.pages[1:8],
        limits.thumbnail_px,
        landscape=False,
    )
    return parsed


def parse_pptx(path: Path, limits: ImportLimits) -> ParsedFile:
    """Title and text per slide of a PowerPoint deck."""
    with check_zip(path, limits) as archive:
        thumbnail = _embedded_thumbnail(archive, limits)
    try:
        deck = pptx.Presentation(str(path))
    except (PptxPackageError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise RejectedFile(f"The presentation is damaged and cannot be read ({error}).") from None
    except SyntaxError:
        raise RejectedFile("The presentation contains damaged XML and cannot be read.") from None
    slides = list(deck.slides)
    if not slides:
        raise RejectedFile("The presentation has no slides.")
    texts: list[str] = []
    for slide in slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            elif getattr(shape, "has_table", False) and shape.has_table:
                parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
        texts.append("\n".join(part for part in parts if part.strip()))
    parsed = ParsedFile(FileType.PPTX, page_count=len(slides))
    parsed.metadata_title = deck.core_properties.title or ""
    first_title = slides[0].shapes.title
    parsed.heading = (
        first_title.text if first_title is not None and first_title.has_text_frame else ""
    )
    _keep(parsed, texts, limits, "slides")
    parsed.width = int(deck.slide_width or 0) // 12700 or None  # EMU → points
    parsed.height = int(deck.slide_height or 0) // 12700 or None
    parsed.thumbnail_png = thumbnail or text_card(
        parsed.metadata_title or parsed.heading or path.stem,
        "\n".join(texts[:2]).splitlines()[1:8],
        limits.thumbnail_px,
        landscape=True,
    )
    return parsed
