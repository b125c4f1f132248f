"""Fitting text into a field's box: wrapping, shrink-to-fit, and how much is too much.

The validator and the renderer both call `layout`, so a value that validates is drawn
exactly as measured: inside its box.
"""

from __future__ import annotations

from dataclasses import dataclass

from satchel.core.domain.templates import FieldKind, FieldSpec, VAlign
from satchel.core.render.fonts import ink_depth, ink_width, vertical_extent

SHRINK_STEP = 0.5


@dataclass(frozen=True)
class Layout:
    """Lines at a font size that fit the box; their ink reaches `ascent` points above
    the first baseline and `descent` points below the last."""

    size: float
    lines: tuple[str, ...]
    ascent: float
    descent: float


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break text into lines no wider than `width` (words longer than a line are split)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if ink_width(candidate, font, size) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while ink_width(word, font, size) > width and len(word) > 1:
                cut = max(1, _longest_prefix(word, font, size, width))
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def _longest_prefix(word: str, font: str, size: float, width: float) -> int:
    low, high = 0, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if ink_width(word[:middle], font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def layout(text: str, spec: FieldSpec) -> Layout | None:
    """The largest size from the style's size down to its minimum at which the text fits
    (one line for single-line kinds), or None."""
    style, box = spec.style, spec.placement
    multiline = spec.kind is FieldKind.PARAGRAPH
    up, down = vertical_extent(text, style.font)
    size = style.size
    while size >= style.min_size - 1e-9:
        if multiline:
            lines = wrap(text, style.font, size, box.width)
        else:
            lines = [text] if ink_width(text, style.font, size) <= box.width else []
        max_lines = spec.limits.max_lines
        fits_lines = bool(lines) and (max_lines is None or len(lines) <= max_lines)
        # From the top of the first line's ink to the bottom of the last line's.
        height = size * (up + down + (len(lines) - 1) * style.leading)
        if fits_lines and height <= box.height + 1e-6:
            return Layout(size, tuple(lines), up * size, down * size)
        size -= SHRINK_STEP
    return None


def first_baseline(fitted: Layout, spec: FieldSpec) -> float:
    """Where the first line's baseline goes (PDF points from the page's bottom), by the
    style's vertical alignment; every choice keeps the lines inside the box."""
    box, style = spec.placement, spec.style
    between = (len(fitted.lines) - 1) * fitted.size * style.leading
    block = fitted.ascent + between + fitted.descent
    top = box.y + box.height
    match style.valign:
        case VAlign.MIDDLE:
            return top - (box.height - block) / 2 - fitted.ascent
        case VAlign.BASELINE:  # the same line whatever the letters: it matches a label's
            return box.y + fitted.descent + between
        case VAlign.BOTTOM:  # the last line's own ink on the edge: no room for descenders
            depth = ink_depth(fitted.lines[-1], style.font) * fitted.size
            return box.y + depth + between
    return top - fitted.ascent


def overflow(text: str, spec: FieldSpec) -> int:
    """About how many characters must go for the text to fit (0 if it fits)."""
    if layout(text, spec) is not None:
        return 0
    low, high = 0, len(text)  # the longest prefix that fits
    while low < high:
        middle = (low + high + 1) // 2
        if layout(text[:middle], spec) is not None:
            low = middle
        else:
            high = middle - 1
    return len(text) - low
