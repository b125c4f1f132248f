"""A seeded, realistic mixed set of marketing files for import benchmarks."""

from __future__ import annotations

import io
import random
from pathlib import Path

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from bench.search_corpus import CORE_WORDS
from satchel.core.demo import documents

WORDS = CORE_WORDS


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    return " ".join(words).capitalize() + "."


def photo(rng: random.Random, width: int, height: int) -> Image.Image:
    """Photo-like content (noise over shapes) so files compress like real pictures."""
    picture = Image.new("RGB", (width, height), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(picture)
    for _ in range(30):
        x, y = rng.randrange(width), rng.randrange(height)
        draw.ellipse((x, y, x + width // 8, y + width // 8),
                     fill=tuple(rng.randrange(256) for _ in range(3)))  # fmt: skip
    noise = Image.effect_noise((width, height), 40).convert("RGB")
    return Image.blend(picture, noise, 0.25)


def pdf(rng: random.Random, pages: int) -> bytes:
    """A PDF of a few pages, about 3 KB of text per page, often with a photo on page 1."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    if rng.random() < 0.5:
        buffer = io.BytesIO()
        photo(rng, 800, 500).save(buffer, "JPEG", quality=80)
        buffer.seek(0)
        canvas.drawImage(ImageReader(buffer), 20 * mm, 150 * mm, 170 * mm, 106 * mm)
    canvas.setTitle(" ".join(rng.choice(WORDS) for _ in range(4)).title())
    for _ in range(pages):
        canvas.setFont("Helvetica-Bold", 18)
        canvas.drawString(20 * mm, 270 * mm, _sentence(rng)[:60])
        canvas.setFont("Helvetica", 10)
        y = 255 * mm
        while y > 20 * mm:
            canvas.drawString(20 * mm, y, _sentence(rng)[:110])
            y -= 5 * mm
        canvas.setFillColorRGB(rng.random(), rng.random(), rng.random())
        canvas.rect(150 * mm, 240 * mm, 40 * mm, 25 * mm, stroke=0, fill=1)
        canvas.setFillColorRGB(0, 0, 0)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def image(rng: random.Random, fmt: str) -> bytes:
    width, height = rng.choice([(1920, 1080), (1200, 800), (800, 800)])
    picture = photo(rng, width, height)
    out = io.BytesIO()
    picture.save(out, fmt, quality=85) if fmt != "PNG" else picture.save(out, fmt)
    return out.getvalue()


def generate(folder: Path, count: int, seed: int = 7, pdf_only: bool = False) -> list[Path]:
    """`count` files: mostly PDFs (1–8 pages), then images, decks and Word files."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        roll = 0.0 if pdf_only else rng.random()
        if roll < 0.70:
            name, data = f"{number:04}.pdf", pdf(rng, rng.randint(1, 8))
        elif roll < 0.85:
            fmt = rng.choice(["PNG", "JPEG", "WEBP"])
            name, data = f"{number:04}.{fmt.lower()}", image(rng, fmt)
        elif roll < 0.93:
            slides = [(_sentence(rng)[:40], [_sentence(rng) for _ in range(4)]) for _ in range(8)]
            name, data = f"{number:04}.pptx", documents.render_deck(_sentence(rng)[:50], slides)
        else:
            sections = [(_sentence(rng)[:40], [_sentence(rng) for _ in range(6)]) for _ in range(5)]
            name, data = f"{number:04}.docx", documents.render_word(_sentence(rng)[:50], sections)
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths
