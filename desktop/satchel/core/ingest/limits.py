"""The bounds every import works within, so no file can exhaust time, memory or disk."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ImportLimits:
    """Limits for reading one untrusted file."""

    seconds_per_file: float = 60.0
    memory_mb: int = 1024  # address-space cap of a parser process
    max_file_mb: int = 512
    max_text_pages: int = 500  # pages, slides or paragraphs whose text is kept
    max_text_chars: int = 2_000_000
    max_pixels: int = 60_000_000  # Pillow's decompression-bomb bound, enforced as an error
    max_zip_entries: int = 5_000
    max_zip_total_mb: int = 300
    max_zip_ratio: int = 100  # uncompressed/compressed for any member over 1 MB
    thumbnail_px: int = 320  # longest side of a thumbnail
