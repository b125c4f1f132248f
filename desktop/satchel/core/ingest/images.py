"""Reading PNG, JPEG and WebP images with Pillow, bombs refused."""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from satchel.core.domain.assets import FileType
from satchel.core.ingest.limits import ImportLimits
from satchel.core.ingest.result import ParsedFile, RejectedFile
from satchel.core.ingest.thumbnails import to_png


def open_image_safely(source: Path | object, limits: ImportLimits) -> Image.Image:
    """Open and fully decode an image, treating Pillow's bomb warning as an error."""
    Image.MAX_IMAGE_PIXELS = limits.max_pixels
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(source)  # type: ignore[arg-type]
            if image.width * image.height > limits.max_pixels:
                raise Image.DecompressionBombError("too many pixels")
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise RejectedFile(
                f"The image is too large to open safely (more than "
                f"{limits.max_pixels // 1_000_000} million pixels)."
            ) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise RejectedFile("The image is damaged or incomplete and cannot be read.") from None
    return image


def parse_image(path: Path, file_type: FileType, limits: ImportLimits) -> ParsedFile:
    """Dimensions, embedded title and a thumbnail."""
    image = open_image_safely(path, limits)
    parsed = ParsedFile(file_type, page_count=1, width=image.width, height=image.height)
    parsed.metadata_title = str(image.info.get("Title", "") or "")
    parsed.thumbnail_png = to_png(image, limits.thumbnail_px)
    return parsed
