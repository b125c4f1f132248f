"""Thumbnails as capped-size PNGs, plus a text card for documents without a picture."""

from __future__ import annotations

import io
import textwrap

from PIL import Image, ImageDraw, ImageFont


def to_png(image: Image.Image, max_px: int) -> bytes:
    """Shrink to fit `max_px` on the longest side and encode as PNG."""
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    image.thumbnail((max_px, max_px), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    return out.getvalue()


def text_card(title: str, lines: list[str], max_px: int, landscape: bool) -> bytes:
    """A page-shaped picture with the title and the first lines of text."""
    width, height = (max_px, max_px * 3 // 4) if landscape else (max_px * 3 // 4, max_px)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width - 1, height - 1), outline=(200, 200, 200))
    title_font = ImageFont.load_default(size=max(10, max_px // 16))
    body_font = ImageFont.load_default(size=max(7, max_px // 32))
    y = max_px // 16
    for line in textwrap.wrap(title, width=24)[:3]:
        draw.text((max_px // 16, y), line, fill=(20, 40, 80), font=title_font)
        y += max_px // 12
    y += max_px // 32
    for paragraph in lines:
        for line in textwrap.wrap(paragraph, width=48)[:4]:
            if y > height - max_px // 16:
                break
            draw.text((max_px // 16, y), line, fill=(90, 90, 90), font=body_font)
            y += max_px // 26
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
