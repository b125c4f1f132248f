"""Drawing a page of a PDF we generated ourselves as PNG (the live preview).

pypdfium2 is not thread-safe, so every call in this process goes through one lock.
Untrusted files are never drawn here; they are drawn in a parser process.
"""

from __future__ import annotations

import io
import threading

import pypdfium2 as pdfium

_lock = threading.Lock()


def page_png(pdf: bytes, page: int, max_px: int) -> bytes:
    """Page `page` (1-based) at most `max_px` on its longest side."""
    with _lock:
        document = pdfium.PdfDocument(pdf)
        try:
            drawn = document[page - 1]
            width, height = drawn.get_size()
            image = drawn.render(scale=max_px / max(width, height)).to_pil()
        finally:
            document.close()
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    return out.getvalue()
