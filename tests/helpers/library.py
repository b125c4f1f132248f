"""A small library with known content for search tests."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from satchel.core.paths import font_path
from satchel.core.services import Services
from tests.conftest import open_as

pdfmetrics.registerFont(TTFont("DejaVuSans", str(font_path())))


def pages_pdf(title: str, pages: list[str]) -> bytes:
    """A PDF with the given text on each page (DejaVu, so accents and more print)."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    canvas.setTitle(title)
    for text in pages:
        canvas.setFont("DejaVuSans", 11)
        y = 800
        for line in text.split("\n"):
            canvas.drawString(50, y, line)
            y -= 16
        canvas.showPage()
    canvas.save()
    return out.getvalue()


DOCS = {
    "atlas": ("Atlas X-200 edge gateway brochure", ["Overview of the gateway.",
              "Connects PLCs and sensors.", "The edge gateway buffers 30 days of data."],
              {"kind": "brochure", "product": "Atlas", "tags": "gateway, edge", "language": "en"}),
    "beacon": ("Beacon vibration sensors datasheet", ["Tri-axial vibration sensor tags.",
               "Battery lasts five years."],
               {"kind": "datasheet", "product": "Beacon", "tags": "sensor", "language": "en"}),
    "brewery": ("Brauerei Lenz Fallstudie", ["Überblick: Die Brauerei senkt Stillstände.",
                "Résumé der Ergebnisse."],
                {"kind": "case study", "product": "Atlas", "language": "de"}),
    "hospital": ("St. Aurelia hospital case study", ["Air handlers in the hospital.",
                 "Gateway at the edge of the network."],
                 {"kind": "case study", "product": "Cirrus", "language": "en"}),
    "prices": ("Price list 2027", ["Atlas 1,590 USD. Beacon 199 USD."],
               {"kind": "price sheet", "expires_on": "2027-12-31", "language": "en"}),
    "old": ("Retired gateway flyer", ["An old gateway flyer."],
            {"kind": "one-pager", "status": "retired", "product": "Atlas"}),
    "expired": ("Expired gateway promo", ["Last year's gateway promotion."],
                {"kind": "one-pager", "expires_on": "2020-01-31", "product": "Atlas"}),
    "tokyo": ("東京物流センター事例", ["物流センターの導入事例。"],
              {"kind": "case study", "language": "ja", "tags": "物流, 日本"}),
}  # fmt: skip


def build(root: Path, sources: Path, **options) -> tuple[Services, dict[str, str]]:  # type: ignore[no-untyped-def]
    """Open a new library with DOCS imported; returns services and key → asset id."""
    services = open_as(root, create=True, workers=2, **options)
    ids = {}
    for key, (title, pages, metadata) in DOCS.items():
        path = sources / f"{key}.pdf"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pages_pdf(title, pages))
        report, _ = services.assets.import_paths([path], {**metadata, "title": title})
        ids[key] = report.results[0].asset_id
    return services, ids
