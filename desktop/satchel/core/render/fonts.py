"""The bundled fonts, registered with ReportLab once, by path (never from the system)."""

from __future__ import annotations

import threading
from functools import cache, lru_cache

from PIL import ImageFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from satchel.core.paths import resources_dir

# DejaVu Sans: Latin, Greek and Cyrillic (and more) in four styles.
FILES = {
    "sans": "DejaVuSans.ttf",
    "sans-bold": "DejaVuSans-Bold.ttf",
    "sans-italic": "DejaVuSans-Oblique.ttf",
    "sans-bold-italic": "DejaVuSans-BoldOblique.ttf",
}
_lock = threading.Lock()


def font_name(font: str) -> str:
    """The ReportLab name of one of our fonts, registering the family on first use."""
    _register_all()
    return f"Satchel-{font}"


@cache
def _register_all() -> None:
    with _lock:
        for font, file in FILES.items():
            pdfmetrics.registerFont(
                TTFont(f"Satchel-{font}", str(resources_dir() / "fonts" / file))
            )


def missing_characters(text: str, font: str) -> list[str]:
    """Characters of `text` the font has no glyph for (ReportLab would draw a blank box)."""
    face = pdfmetrics.getFont(font_name(font)).face
    covered = face.charToGlyph
    seen: list[str] = []
    for char in text:
        # ReportLab embeds TrueType subsets for the Basic Multilingual Plane only: a
        # character beyond it (most emoji) would silently vanish from the page.
        unprintable = ord(char) > 0xFFFF or ord(char) not in covered
        if char != "\n" and unprintable and char not in seen:
            seen.append(char)
    return seen


@cache
def _outline_font(font: str) -> ImageFont.FreeTypeFont:
    """The same font file opened by Pillow at 1000 units, to measure glyph ink."""
    return ImageFont.truetype(str(resources_dir() / "fonts" / FILES[font]), size=1000)


@lru_cache(maxsize=8192)
def _ink(char: str, font: str) -> tuple[float, float, float, float]:
    """How far a glyph's ink reaches past its box, per point of size: above and below
    the baseline, left of its origin and right of its advance."""
    outline = _outline_font(font)
    left, top, right, bottom = outline.getbbox(char, anchor="ls")
    overhang_right = right - outline.getlength(char)
    return -top / 1000, bottom / 1000, max(0.0, -left) / 1000, max(0.0, overhang_right) / 1000


def vertical_extent(text: str, font: str) -> tuple[float, float]:
    """How far the text reaches above and below its baseline, per point of font size.

    The font's ascent alone is not enough: accented capitals ("Ä", "Ǻ") rise above it.
    """
    face = pdfmetrics.getFont(font_name(font)).face
    up, down = face.ascent / 1000, -face.descent / 1000
    for char in set(text):
        if char.strip():
            above, below, _, _ = _ink(char, font)
            up, down = max(up, above), max(down, below)
    return up, down


def ink_depth(text: str, font: str) -> float:
    """How far the text's own ink reaches below its baseline, per point of font size
    (0 for "Müller", more for "Berg")."""
    return max([0.0, *(_ink(char, font)[1] for char in set(text) if char.strip())])


def text_width(text: str, font: str, size: float) -> float:
    """Width in points, measured exactly as the renderer draws."""
    return pdfmetrics.stringWidth(text, font_name(font), size)


def overhang(line: str, font: str) -> tuple[float, float]:
    """How far a line's ink reaches left of where it starts and right of where its
    advance ends, per point of font size: an italic "f" at the end pokes out."""
    if not line:
        return 0.0, 0.0
    left = _ink(line[0], font)[2] if line[0].strip() else 0.0
    right = _ink(line[-1], font)[3] if line[-1].strip() else 0.0
    return left, right


def ink_width(line: str, font: str, size: float) -> float:
    """The width a line needs in its box: its advance plus its ink's overhang."""
    left, right = overhang(line, font)
    return text_width(line, font, size) + (left + right) * size
