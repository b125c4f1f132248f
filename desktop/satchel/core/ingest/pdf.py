"""Reading PDFs: pdfium for pages, text and thumbnails; pypdf to find active content."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import DictionaryObject, IndirectObject

from satchel.core.domain.assets import FileType
from satchel.core.domain.text import clean_body_text
from satchel.core.ingest.limits import ImportLimits
from satchel.core.ingest.result import ParsedFile, RejectedFile
from satchel.core.ingest.thumbnails import to_png

log = logging.getLogger("satchel.ingest")

_PASSWORD, _SECURITY = 4, 6
_MAX_SIDE_PT = 14_400 * 20  # far beyond any real page (PDF's own limit is 14,400 pt)
_ANNOTATION_PAGES = 50  # pages whose links and annotations are checked for actions


def parse_pdf(path: Path, limits: ImportLimits) -> ParsedFile:
    """Extract page count, text per page, title and a page-1 thumbnail."""
    try:
        document = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as error:
        if error.err_code in (_PASSWORD, _SECURITY):
            raise RejectedFile(
                "The PDF is password-protected. Save an unprotected copy and import that."
            ) from None
        raise RejectedFile("The PDF is damaged or incomplete and cannot be read.") from None
    try:
        return _read(document, path, limits)
    except pdfium.PdfiumError:
        raise RejectedFile("The PDF's pages are damaged and cannot be read.") from None
    finally:
        document.close()


def _read(document: pdfium.PdfDocument, path: Path, limits: ImportLimits) -> ParsedFile:
    page_count = len(document)
    if page_count <= 0:
        raise RejectedFile("The PDF has no pages.")
    parsed = ParsedFile(FileType.PDF, page_count)
    _extract_text(document, parsed, limits)
    _thumbnail(document, parsed, limits)
    warnings, title = inspect_structure(path)
    parsed.warnings.extend(warnings)
    # pypdf decodes the title faithfully; pdfium stops at some control characters.
    parsed.metadata_title = title or str(document.get_metadata_dict().get("Title", ""))
    return parsed


def _extract_text(document: pdfium.PdfDocument, parsed: ParsedFile, limits: ImportLimits) -> None:
    budget = limits.max_text_chars
    last = min(parsed.page_count, limits.max_text_pages)
    for index in range(last):
        page = document[index]
        try:
            textpage = page.get_textpage()
            text = clean_body_text(textpage.get_text_range())
            textpage.close()
        except pdfium.PdfiumError:
            text = ""
            parsed.warnings.append(f"The text of page {index + 1} could not be read.")
        finally:
            page.close()
        if len(text) > budget:
            text = text[:budget]
        budget -= len(text)
        parsed.pages.append(text)
        if budget <= 0:
            parsed.warnings.append(
                f"Only the first {limits.max_text_chars:,} characters of text were kept for search."
            )
            break
    if last < parsed.page_count:
        parsed.warnings.append(
            f"Text was kept from the first {last:,} of {parsed.page_count:,} pages for search."
        )
    parsed.heading = next(
        (line.strip() for text in parsed.pages for line in text.splitlines() if line.strip()), ""
    )
    if parsed.pages and not any(text.strip() for text in parsed.pages):
        parsed.warnings.append(
            "The PDF contains no selectable text (it may be scanned), so search finds it "
            "only by its title and description."
        )


def _thumbnail(document: pdfium.PdfDocument, parsed: ParsedFile, limits: ImportLimits) -> None:
    page = document[0]
    try:
        width, height = page.get_size()
        if not (width > 1 and height > 1):
            parsed.warnings.append("The first page has no usable size, so there is no thumbnail.")
            return
        parsed.width, parsed.height = round(width), round(height)
        if max(width, height) > _MAX_SIDE_PT:
            parsed.warnings.append("The first page is unusually large.")
        # Scale from the page size so a gigantic page cannot allocate a gigantic bitmap.
        scale = limits.thumbnail_px / max(width, height)
        bitmap = page.render(scale=scale, may_draw_forms=True)
        parsed.thumbnail_png = to_png(bitmap.to_pil(), limits.thumbnail_px)
    except pdfium.PdfiumError:
        parsed.warnings.append("The first page could not be drawn, so there is no thumbnail.")
    finally:
        page.close()


def _resolve(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value


def _action_kinds(action: Any) -> set[str]:
    action = _resolve(action)
    if not isinstance(action, DictionaryObject):
        return set()
    kinds = {str(action.get("/S", ""))}
    following = _resolve(action.get("/Next"))
    if isinstance(following, DictionaryObject):
        kinds |= _action_kinds(following)
    return kinds


def inspect_structure(path: Path) -> tuple[list[str], str]:
    """The document title, and warnings for JavaScript, launch actions and attachments.

    The active content is never run; the warnings tell the marketer it is there.
    """
    found: set[str] = set()
    title = ""
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            reader.decrypt("")
        title = str(reader.metadata.get("/Title", "") or "") if reader.metadata else ""
        root = _resolve(reader.trailer["/Root"])
        names = _resolve(root.get("/Names"))
        if isinstance(names, DictionaryObject):
            if "/JavaScript" in names:
                found.add("/JavaScript")
            if "/EmbeddedFiles" in names:
                found.add("attachment")
        found |= _action_kinds(root.get("/OpenAction"))
        if "/AA" in root:
            found.add("/JavaScript")
        for index, page in enumerate(reader.pages):
            if index >= _ANNOTATION_PAGES:
                break
            for annotation in _resolve(page.get("/Annots")) or []:
                annotation = _resolve(annotation)
                if not isinstance(annotation, DictionaryObject):
                    continue
                if annotation.get("/Subtype") == "/FileAttachment":
                    found.add("attachment")
                found |= _action_kinds(annotation.get("/A"))
                if "/AA" in annotation:
                    found.add("/JavaScript")
    except (PyPdfError, RecursionError, KeyError, ValueError, TypeError, AttributeError) as error:
        log.info("structure scan of %s stopped: %s", path.name, error)
        return ["The PDF's structure could not be fully checked for scripts or attachments."], title
    warnings = []
    if "/JavaScript" in found:
        warnings.append("The PDF contains JavaScript; Satchel never runs it.")
    if "/Launch" in found:
        warnings.append("The PDF contains an action that launches programs; Satchel never runs it.")
    if "attachment" in found:
        warnings.append("The PDF carries attached files; Satchel does not open them.")
    return warnings, title
