"""Comparing a rendered page with its golden image, within a tolerance that absorbs
anti-aliasing (SATCHEL_UPDATE_GOLDEN=1 writes the images anew)."""

from __future__ import annotations

import os
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageChops, ImageStat

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
UPDATE = os.environ.get("SATCHEL_UPDATE_GOLDEN") == "1"


def page_image(pdf: bytes, page: int = 0, scale: float = 1) -> Image.Image:
    document = pdfium.PdfDocument(pdf)
    try:
        return document[page].render(scale=scale).to_pil().convert("L")
    finally:
        document.close()


def assert_matches_golden(image: Image.Image, name: str) -> None:
    golden = GOLDEN / f"{name}.png"
    if UPDATE or not golden.exists():
        if not UPDATE:
            pytest.fail(f"no golden image {golden}; run with SATCHEL_UPDATE_GOLDEN=1")
        image.save(golden)
    expected = Image.open(golden).convert("L")
    assert image.size == expected.size
    difference = ImageChops.difference(image, expected)
    changed = sum(difference.point(lambda v: 255 if v > 64 else 0).histogram()[255:])
    assert ImageStat.Stat(difference).mean[0] < 1.0
    assert changed <= image.width * image.height * 0.002
