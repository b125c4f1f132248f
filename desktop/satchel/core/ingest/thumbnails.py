"""Thumbnails as capped-size PNGs, plus a text card for documents without a picture."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont

from satchel.core.paths import font_path


def is_blank(image: Image.Image) -> bool:
    """True for a picture of one flat colour (e.g. an empty thumbnail a generator wrote)."""
    low, high = image.convert("L").getextrema()  # one band: two numbers
    return float(high) - float(low) < 8  # type: ignore[arg-type]


def to_png(image: Image.Image, max_px: int) -> bytes:
    """Shrink to fit `max_px` on the longest side and encode as PNG."""
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    image.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    return out.getvalue()


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Break text into lines no wider than `width` pixels (long words are split)."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while font.getlength(word) > width and len(word) > 1:  # wider than the card:
            fits = (i for i in range(len(word) - 1, 0, -1)  # broken with a hyphen
                    if font.getlength(word[:i] + "-") <= width)  # fmt: skip
            cut = next(fits, 1)
            lines.append(word[:cut] + "-")
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def _title_font(title: str, max_px: int, usable: int) -> ImageFont.FreeTypeFont:
    """The title's font, smaller (to two thirds) while its longest word would not fit a
    line: "Implementierungsleitfaden" whole rather than broken."""
    longest = max(title.split(), key=len, default="")
    size = max(10, max_px // 18)
    smallest = max(10, size * 2 // 3)
    while True:
        font = ImageFont.truetype(str(font_path(bold=True)), size=size)
        if size <= smallest or font.getlength(longest) <= usable:
            return font
        size -= 1


def text_card(title: str, lines: list[str], max_px: int, landscape: bool) -> bytes:
    """A page-shaped picture with the title and the first lines of text."""
    width, height = (max_px, max_px * 3 // 4) if landscape else (max_px * 3 // 4, max_px)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width - 1, height - 1), outline=(200, 200, 200))
    title_font = _title_font(title, max_px, width - 2 * (max_px // 16))
    body_font = ImageFont.truetype(str(font_path()), size=max(7, max_px // 34))
    margin = max_px // 16
    usable = width - 2 * margin
    y = margin
    for line in wrap(title, title_font, usable)[:3]:
        draw.text((margin, y), line, fill=(20, 40, 80), font=title_font)
        y += int(title_font.size * 1.25)
    y += margin // 2
    for paragraph in lines:
        for line in wrap(paragraph, body_font, usable)[:4]:
            if y > height - margin - body_font.size:
                break
            draw.text((margin, y), line, fill=(90, 90, 90), font=body_font)
            y += int(body_font.size * 1.35)
        y += int(body_font.size) // 2
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
