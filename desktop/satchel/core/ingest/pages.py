"""Drawing one page of an imported file for the preview (runs in a parser process)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium

from satchel.core.domain.assets import FileType
from satchel.core.ingest.images import open_image_safely
from satchel.core.ingest.limits import ImportLimits
from satchel.core.ingest.result import RejectedFile
from satchel.core.ingest.thumbnails import to_png


def render_page(path: Path, file_type: FileType, index: int, max_px: int,
                limits: ImportLimits) -> bytes | None:  # fmt: skip
    """Page `index` (0-based) as a PNG at most `max_px` on its longest side.

    Returns None for formats without pages Satchel can draw (Word, PowerPoint):
    the preview shows their thumbnail and text instead.
    """
    if file_type is FileType.PDF:
        document = pdfium.PdfDocument(str(path))
        try:
            if not 0 <= index < len(document):
                raise RejectedFile(f"The document has no page {index + 1}.")
            page = document[index]
            width, height = page.get_size()
            if not (width > 1 and height > 1):
                raise RejectedFile(f"Page {index + 1} has no usable size, so it cannot be shown.")
            # Scale from the page size so a gigantic page cannot allocate a gigantic bitmap.
            bitmap = page.render(scale=max_px / max(width, height), may_draw_forms=True)
            return to_png(bitmap.to_pil(), max_px)
        finally:
            document.close()
    if file_type in (FileType.PNG, FileType.JPEG, FileType.WEBP):
        with open_image_safely(path, limits) as image:
            return to_png(image, max_px)
    return None
