"""Rendering the demo collateral: PDFs with ReportLab, decks, Word files and images."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

import docx
import pptx
from PIL import Image, ImageDraw, ImageFont
from pptx.util import Inches, Pt
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from satchel.core.demo.content import COMPANY, CONTACT, WEBSITE
from satchel.core.paths import font_path

Block = tuple[Any, ...]
FIXED_TIME = dt.datetime(2026, 9, 1, 9, 0, 0)

_INK = colors.HexColor("#1d2733")
_MUTED = colors.HexColor("#5b6673")


def _styles(accent: colors.Color) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName="Helvetica", fontSize=10.5, leading=15, textColor=_INK)
    return {
        "title": ParagraphStyle(
            "title",
            base,
            fontName="Helvetica-Bold",
            fontSize=26,
            leading=31,
            textColor=accent,
            spaceAfter=8,
        ),
        "lead": ParagraphStyle(
            "lead", base, fontSize=14, leading=19, textColor=_MUTED, spaceAfter=14
        ),
        "h": ParagraphStyle(
            "h",
            base,
            fontName="Helvetica-Bold",
            fontSize=15,
            leading=19,
            textColor=accent,
            spaceBefore=12,
            spaceAfter=6,
        ),
        "p": ParagraphStyle("p", base, spaceAfter=8, alignment=TA_LEFT),
        "bullet": ParagraphStyle(
            "bullet",
            base,
            leftIndent=14,
            bulletIndent=0,
            spaceAfter=6,
            bulletFontSize=7,
            bulletColor=accent,
        ),
        "kpi": ParagraphStyle(
            "kpi", base, fontName="Helvetica-Bold", fontSize=24, leading=28, textColor=accent
        ),
        "kpi_label": ParagraphStyle("kl", base, fontSize=9, leading=12, textColor=_MUTED),
        "quote": ParagraphStyle(
            "q",
            base,
            fontName="Helvetica-Oblique",
            fontSize=13,
            leading=18,
            leftIndent=12,
            textColor=_INK,
            spaceBefore=10,
        ),
        "small": ParagraphStyle("s", base, fontSize=8.5, leading=11, textColor=_MUTED),
    }


def _flowables(
    blocks: Sequence[Block], styles: dict[str, ParagraphStyle], accent: colors.Color, width: float
) -> list[Flowable]:
    story: list[Flowable] = []
    for block in blocks:
        kind = block[0]
        if kind == "break":
            story.append(PageBreak())
        elif kind == "space":
            story.append(Spacer(1, block[1]))
        elif kind in ("title", "lead", "h", "p", "small", "quote"):
            story.append(Paragraph(escape(block[1]), styles[kind]))
        elif kind == "bullets":
            for head, text in block[1]:
                story.append(
                    Paragraph(
                        f"<b>{escape(head)}.</b> {escape(text)}", styles["bullet"], bulletText="■"
                    )
                )
        elif kind == "table":
            rows = [[Paragraph(escape(str(c)), styles["p"]) for c in row] for row in block[1]]
            table = Table(rows, colWidths=[width * f for f in block[2]], repeatRows=1)
            table.setStyle(
                TableStyle(
                    [
                        ("BACKGROUND", (0, 0), (-1, 0), accent.clone(alpha=0.12)),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#c9d1d9")),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ]
                )
            )
            story.append(table)
        elif kind == "kpis":
            cells = [
                [Paragraph(escape(big), styles["kpi"]) for big, _ in block[1]],
                [Paragraph(escape(small), styles["kpi_label"]) for _, small in block[1]],
            ]
            story.append(
                KeepTogether(Table(cells, colWidths=[width / len(block[1])] * len(block[1])))
            )
        else:
            raise ValueError(f"unknown block {kind}")
    return story


def render_pdf(
    title: str,
    subject: str,
    language: str,
    accent_rgb: tuple[float, float, float],
    band_label: str,
    blocks: Sequence[Block],
    letter: bool = False,
) -> bytes:
    """A branded document: colour band, body blocks, footer with contact and page number."""
    accent = colors.Color(*accent_rgb)
    styles = _styles(accent)
    size = LETTER if letter else A4
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=size,
        title=title,
        author=COMPANY,
        subject=subject,
        creator=COMPANY,
        lang=language,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=32 * mm,
        bottomMargin=22 * mm,
        invariant=1,
    )
    footer = CONTACT.get(language, CONTACT["en"])

    def decorate(canvas: Canvas, document: SimpleDocTemplate) -> None:
        width, height = size
        canvas.saveState()
        canvas.setFillColor(accent)
        canvas.rect(0, height - 22 * mm, width, 22 * mm, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont("Helvetica-Bold", 13)
        canvas.drawString(20 * mm, height - 13 * mm, COMPANY.upper())
        canvas.setFont("Helvetica", 10)
        canvas.drawRightString(width - 20 * mm, height - 13 * mm, band_label)
        canvas.setFillColor(_MUTED)
        canvas.setFont("Helvetica", 7.5)
        canvas.drawString(20 * mm, 11 * mm, footer)
        canvas.drawRightString(width - 20 * mm, 11 * mm, f"{WEBSITE} · {document.page}")
        canvas.restoreState()

    doc.build(
        _flowables(blocks, styles, accent, size[0] - 40 * mm),
        onFirstPage=decorate,
        onLaterPages=decorate,
    )
    return out.getvalue()


def _deterministic_zip(data: bytes) -> bytes:
    """Rewrite an OOXML package with fixed timestamps so the demo is byte-identical."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2026, 9, 1, 9, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def render_deck(title: str, slides: Sequence[tuple[str, Sequence[str]]]) -> bytes:
    """A 16:9 PowerPoint deck: a title slide, then one bullet slide per entry."""
    deck = pptx.Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    deck.core_properties.title = title
    deck.core_properties.author = COMPANY
    deck.core_properties.created = deck.core_properties.modified = FIXED_TIME
    deck.core_properties.last_modified_by = COMPANY
    cover = deck.slides.add_slide(deck.slide_layouts[0])
    cover.shapes.title.text = title
    cover.placeholders[1].text = f"{COMPANY} · {WEBSITE}"
    for heading, bullets in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = heading
        body = slide.placeholders[1].text_frame
        for index, bullet in enumerate(bullets):
            paragraph = body.paragraphs[0] if index == 0 else body.add_paragraph()
            paragraph.text = bullet
            paragraph.font.size = Pt(22)
    out = io.BytesIO()
    deck.save(out)
    return _deterministic_zip(out.getvalue())


def render_word(title: str, sections: Sequence[tuple[str, Sequence[str]]]) -> bytes:
    """A Word document with a title, headings and paragraphs."""
    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = COMPANY
    document.core_properties.created = document.core_properties.modified = FIXED_TIME
    document.add_heading(title, level=0)
    for heading, paragraphs in sections:
        document.add_heading(heading, level=1)
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return _deterministic_zip(out.getvalue())


def render_image(
    label: str, code: str, accent_rgb: tuple[float, float, float], image_format: str
) -> bytes:
    """A product illustration: a stylised device on a gradient with its name."""
    width, height = 1600, 1000
    accent = tuple(int(c * 255) for c in accent_rgb)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        draw.line([(0, y), (width, y)], fill=tuple(int(a * (1 - t) + 245 * t) for a in accent))
    draw.rounded_rectangle(
        (520, 260, 1080, 700), radius=48, fill=(38, 44, 52), outline=(220, 225, 230), width=6
    )
    for i in range(4):
        draw.ellipse(
            (600 + i * 110, 560, 660 + i * 110, 620),
            fill=(90, 200, 120) if i < 3 else (240, 180, 40),
        )
    draw.rectangle((600, 330, 1000, 480), fill=(60, 70, 82))
    font = ImageFont.truetype(str(font_path(bold=True)), size=64)
    draw.text((600, 360), f"{label} {code}", fill=(235, 240, 245), font=font)
    draw.text(
        (80, 860), COMPANY, fill=(30, 40, 50), font=ImageFont.truetype(str(font_path()), size=48)
    )
    out = io.BytesIO()
    image.save(out, image_format, quality=88) if image_format != "PNG" else image.save(out, "PNG")
    return out.getvalue()


def render_logo(name: str, accent_rgb: tuple[float, float, float]) -> bytes:
    """A customer's logo (a PNG wordmark with an emblem), for co-branded templates."""
    width, height = 800, 300
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    accent = tuple(int(c * 255) for c in accent_rgb)
    draw.ellipse((20, 40, 240, 260), fill=(*accent, 255))
    draw.text((88, 92), name[0], fill=(255, 255, 255, 255),
              font=ImageFont.truetype(str(font_path(bold=True)), size=110))  # fmt: skip
    font = ImageFont.truetype(str(font_path(bold=True)), size=64)
    words = name.split()
    lines = [" ".join(words[: len(words) // 2 or 1]), " ".join(words[len(words) // 2 or 1 :])]
    for index, line in enumerate(line for line in lines if line):
        draw.text((270, 70 + index * 80), line, fill=(*accent, 255), font=font)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
