"""The demo's templates: designed base PDFs with blank areas, and the fields over them.

Drawn with the ReportLab canvas at fixed positions so each field's box (PDF points from
the bottom left of an A4 page) matches a blank area of the design.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from satchel.core.demo.content import COMPANY
from satchel.core.render.fonts import font_name

WIDTH, HEIGHT = A4
NAVY = colors.Color(0.05, 0.29, 0.53)
TEAL = colors.Color(0.0, 0.47, 0.45)
GREY = colors.Color(0.35, 0.35, 0.35)
LOGO_TITLES = ("Harlow Foods logo", "St. Aurelia Medical Center logo", "Brauerei Lenz logo")


@dataclass(frozen=True)
class TemplateDesign:
    """A base PDF, its file name and title, and its field specs as JSON values.

    `fields` is a function of the approved logo asset ids (known only after import).
    """

    file_name: str
    title: str
    summary: str
    draw: Callable[[], bytes]
    fields: Callable[[list[str]], list[dict[str, Any]]]


def _page(title: str, band: str, accent: colors.Color, body: Callable[[Canvas], None]) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    canvas.setTitle(title)
    canvas.setAuthor(COMPANY)
    canvas.setFillColor(accent)
    canvas.rect(0, HEIGHT - 70, WIDTH, 70, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont(font_name("sans-bold"), 16)
    canvas.drawString(48, HEIGHT - 44, "KESTREL SYSTEMS")
    canvas.setFont(font_name("sans"), 11)
    canvas.drawRightString(WIDTH - 48, HEIGHT - 44, band)
    body(canvas)
    canvas.setFillColor(GREY)
    canvas.setFont(font_name("sans"), 8)
    canvas.drawString(
        48, 30, f"{COMPANY} · 400 Foundry Street, Pittsburgh, PA · kestrel-systems.example"
    )
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _heading(canvas: Canvas, y: float, text: str, size: float = 13) -> None:
    canvas.setFillColor(NAVY)
    canvas.setFont(font_name("sans-bold"), size)
    canvas.drawString(48, y, text)


def _text(canvas: Canvas, y: float, lines: list[str], size: float = 10.5) -> None:
    canvas.setFillColor(colors.black)
    canvas.setFont(font_name("sans"), size)
    for index, line in enumerate(lines):
        canvas.drawString(48, y - index * size * 1.45, line)


Box = tuple[float, float, float, float]


def _on_line(x: float, baseline: float, width: float, size: float = 11) -> Box:
    """A box whose value (valign baseline, at `size`) sits on a label's baseline."""
    descent = -pdfmetrics.getFont(font_name("sans")).face.descent / 1000
    return (x, round(baseline - descent * size, 1), width, round(size * 1.5, 1))


def _field(key: str, label: str, kind: str, box: tuple[float, float, float, float],
           **extra: Any) -> dict[str, Any]:  # fmt: skip
    x, y, width, height = box
    spec: dict[str, Any] = {"key": key, "label": label, "kind": kind,
                            "placement": {"page": 1, "x": x, "y": y, "width": width,
                                          "height": height}}  # fmt: skip
    spec.update(extra)
    return spec


# --- one-pager ---------------------------------------------------------------------

ONE_PAGER_BOXES = {
    "customer": (48, 690, 499, 30),
    "intro": (48, 560, 499, 90),
    "rep_name": (48, 150, 240, 16),
    "rep_title": (48, 131, 240, 14),
    "rep_phone": (48, 112, 240, 14),
    "rep_email": (48, 93, 240, 14),
}


def _one_pager(canvas: Canvas) -> None:
    _heading(canvas, 668, "Predictive maintenance for your plants", 12)
    _heading(canvas, 520, "What you get")
    _text(canvas, 498, ["• Atlas X-200 gateways that connect every machine on the line",
                        "• Beacon BT-40 sensors fitted in five minutes, no wiring",
                        "• Cirrus CX analytics that predict failures weeks ahead",
                        "• Typical result: 30–45 % less unplanned downtime"])  # fmt: skip
    _heading(canvas, 380, "How we start")
    _text(canvas, 358, ["A four-week pilot on one line, with a results review at the end.",
                        "No change to your control systems; data stays in your network."])  # fmt: skip
    _heading(canvas, 175, "Your contact", 11)


def _one_pager_fields(_logos: list[str]) -> list[dict[str, Any]]:
    box = ONE_PAGER_BOXES
    return [
        _field("customer", "Customer name", "text", box["customer"], help="As the customer writes it.",
               style={"font": "sans-bold", "size": 22, "min_size": 14, "colour": "#0d4a87"},
               limits={"required": True, "max_chars": 60,
                       "banned_terms": ["guaranteed", "cheapest"]}),
        _field("intro", "Opening paragraph", "paragraph", box["intro"],
               default="We help plants like yours catch failing equipment early, so "
                       "maintenance is planned instead of rushed.",
               style={"size": 11, "min_size": 9}, limits={"max_words": 70, "max_lines": 6,
                                                         "banned_terms": ["guaranteed"]}),
        _field("rep_name", "Your name", "profile", box["rep_name"], profile_field="name",
               policy="locked", style={"font": "sans-bold", "size": 11, "min_size": 8}),
        _field("rep_title", "Your title", "profile", box["rep_title"], profile_field="title",
               policy="locked", style={"size": 10, "min_size": 8}),
        _field("rep_phone", "Your phone", "profile", box["rep_phone"], profile_field="phone",
               policy="locked", style={"size": 10, "min_size": 8}),
        _field("rep_email", "Your email", "profile", box["rep_email"], profile_field="email",
               policy="locked", style={"size": 10, "min_size": 8}),
    ]  # fmt: skip


# --- price quote -------------------------------------------------------------------

# Items and unit prices in USD (the formulas multiply the quantities by these).
QUOTE_ROWS = (("Atlas X-200 gateway", 1590), ("Beacon BT-40 sensor", 199),
              ("Cirrus CX, per asset and month", 13))  # fmt: skip
QUOTE_DISCOUNT_APPROVAL = 5000  # USD: a larger discount amount needs marketing's approval
_ROW_Y = tuple(600 - row * 24 for row in range(len(QUOTE_ROWS)))
_SUBTOTAL_Y, _DISCOUNT_Y, _TOTAL_Y = 512, 490, 462
QUOTE_BOXES = {  # the labels are drawn at these baselines
    "customer": _on_line(120, 707, 427, 12),
    "quote_number": _on_line(120, 683, 200),
    **{f"qty_{row}": _on_line(320, y, 60) for row, y in enumerate(_ROW_Y)},
    **{f"amount_{row}": _on_line(420, y, 127) for row, y in enumerate(_ROW_Y)},
    "subtotal": _on_line(420, _SUBTOTAL_Y, 127),
    "discount": _on_line(320, _DISCOUNT_Y, 60),
    "discount_amount": _on_line(420, _DISCOUNT_Y, 127),
    "total": _on_line(420, _TOTAL_Y, 127, 12),
    "valid_until": _on_line(120, 430, 200),
    "note": (48, 300, 499, 80),
}


def _quote(canvas: Canvas) -> None:
    _heading(canvas, 740, "Quotation", 20)
    _text(canvas, 707, ["Customer:"])
    _text(canvas, 683, ["Quote no.:"])
    canvas.setFont(font_name("sans-bold"), 10)
    canvas.setFillColor(NAVY)
    for x, label in ((48, "Item"), (232, "Unit price")):
        canvas.drawString(x, 622, label)
    canvas.drawRightString(380, 622, "Quantity")
    canvas.drawRightString(547, 622, "Amount")
    canvas.setStrokeColor(NAVY)
    canvas.line(48, 616, 547, 616)
    for (item, price), y in zip(QUOTE_ROWS, _ROW_Y, strict=True):
        _text(canvas, y, [item])
        canvas.drawString(232, y, f"${price:,}.00")
    canvas.line(300, _SUBTOTAL_Y + 14, 547, _SUBTOTAL_Y + 14)
    _text(canvas, _SUBTOTAL_Y, ["Subtotal"])
    _text(canvas, _DISCOUNT_Y, ["Less discount (%) on the subtotal"])
    canvas.line(300, _TOTAL_Y + 16, 547, _TOTAL_Y + 16)
    canvas.setFont(font_name("sans-bold"), 12)
    canvas.setFillColor(NAVY)
    canvas.drawString(48, _TOTAL_Y, "Total")
    _text(canvas, 430, ["Valid until:"])
    _heading(canvas, 400, "Notes", 11)
    _text(canvas, 220, ["Prices in US dollars, excluding taxes and shipping. Subject to",
                        "Kestrel Systems standard terms of sale."], size=9)  # fmt: skip


def _quote_fields(_logos: list[str]) -> list[dict[str, Any]]:
    box = QUOTE_BOXES
    money = {"align": "right", "valign": "baseline"}
    quantities = [
        _field(f"qty_{i}", f"Quantity: {item}", "number", box[f"qty_{i}"],
               default="0", style={"align": "right", "valign": "baseline"},
               limits={"minimum": 0, "maximum": 10000, "step": 1})
        for i, (item, _price) in enumerate(QUOTE_ROWS)
    ]  # fmt: skip
    amounts = [
        _field(f"amount_{i}", f"Amount: {item}", "computed", box[f"amount_{i}"],
               formula=f"qty_{i} * {price}", number_format="currency", currency="USD",
               style=money)
        for i, (item, price) in enumerate(QUOTE_ROWS)
    ]  # fmt: skip
    subtotal = " + ".join(f"amount_{i}" for i in range(len(QUOTE_ROWS)))
    return [
        _field("customer", "Customer", "text", box["customer"],
               style={"font": "sans-bold", "size": 12, "min_size": 9, "valign": "baseline"},
               limits={"required": True, "max_chars": 70}),
        _field("quote_number", "Quote number", "text", box["quote_number"],
               help="Q-YYYY-NNNN, e.g. Q-2026-0042", style={"valign": "baseline"},
               limits={"required": True, "pattern": r"Q-\d{4}-\d{4}",
                       "pattern_message": "Write the quote number as Q-YYYY-NNNN, e.g. Q-2026-0042."}),
        *quantities,
        *amounts,
        _field("subtotal", "Subtotal", "computed", box["subtotal"], formula=subtotal,
               number_format="currency", currency="USD", style=money),
        _field("discount", "Discount", "percent", box["discount"], default="0",
               help="Up to 10 % on your own; up to 15 % with marketing approval.",
               style={"align": "right", "valign": "baseline"},
               limits={"minimum": 0, "maximum": 15, "step": 0.5, "envelope_max": 10}),
        _field("discount_amount", "Discount amount", "computed", box["discount_amount"],
               formula="round(subtotal * discount / 100, 2)", number_format="currency",
               currency="USD", style=money,
               help=f"A discount of more than ${QUOTE_DISCOUNT_APPROVAL:,} needs marketing approval.",
               limits={"envelope_max": QUOTE_DISCOUNT_APPROVAL}),
        _field("total", "Total", "computed", box["total"], formula="subtotal - discount_amount",
               number_format="currency", currency="USD",
               style={"font": "sans-bold", "size": 12, "align": "right", "valign": "baseline"},
               limits={"minimum": 0}),
        _field("valid_until", "Valid until", "date", box["valid_until"],
               style={"valign": "baseline"},
               limits={"required": True, "date_min_days": 1, "date_max_days": 90}),
        _field("note", "Note to the customer", "paragraph", box["note"],
               style={"size": 10, "min_size": 8},
               limits={"max_lines": 6, "banned_terms": ["guaranteed", "free of charge"]}),
    ]  # fmt: skip


# --- co-branded brochure -----------------------------------------------------------

BROCHURE_BOXES = {
    "logo": (387, 690, 160, 70),
    "headline": (48, 600, 499, 56),
    "customer": (48, 706, 320, 24),
}


def _brochure(canvas: Canvas) -> None:
    _text(canvas, 690, ["in partnership with Kestrel Systems"], size=9)
    _heading(canvas, 560, "Why we chose predictive maintenance")
    _text(canvas, 538, ["Unplanned stops cost more than any sensor. With Beacon tags on our",
                        "critical motors and Cirrus watching the trends, the maintenance team",
                        "now plans repairs a month ahead instead of reacting at 3 a.m."])  # fmt: skip
    _heading(canvas, 460, "Results after six months")
    _text(canvas, 438, ["• 41 % less unplanned downtime on the bottling lines",
                        "• 120 work orders raised before a failure, not after",
                        "• Payback in under nine months"])  # fmt: skip


def _brochure_fields(logos: list[str]) -> list[dict[str, Any]]:
    box = BROCHURE_BOXES
    return [
        _field("customer", "Partner name", "text", box["customer"],
               style={"font": "sans-bold", "size": 18, "min_size": 11, "colour": "#00786f"},
               limits={"required": True, "max_chars": 50}),
        _field("logo", "Partner logo", "image", box["logo"], limits={"image_set": logos},
               help="Pick the partner's logo from the approved set."),
        _field("headline", "Headline", "paragraph", box["headline"], policy="approval",
               default="Catching failures before they stop the line",
               style={"font": "sans-bold", "size": 20, "min_size": 12, "colour": "#0d4a87"},
               limits={"max_lines": 2, "max_chars": 90}),
    ]  # fmt: skip


# --- event invitation --------------------------------------------------------------

INVITATION_BOXES = {
    "guest": (48, 700, 499, 26),
    "event_date": _on_line(140, 564, 220),
    "venue": _on_line(140, 536, 407),
    "rsvp": _on_line(140, 508, 407),
}


def _invitation(canvas: Canvas) -> None:
    _heading(canvas, 660, "You are invited: Reliability breakfast briefing", 15)
    _text(canvas, 636, ["Join our engineers for one hour on predictive maintenance:",
                        "a live demo, customer results, and time for your questions."])  # fmt: skip
    for label, baseline in (("Date:", 564), ("Venue:", 536), ("RSVP:", 508)):
        _text(canvas, baseline, [label])


def _invitation_fields(_logos: list[str]) -> list[dict[str, Any]]:
    box = INVITATION_BOXES
    return [
        _field("guest", "Guest", "text", box["guest"], help="Name and company of the guest.",
               style={"font": "sans-bold", "size": 18, "min_size": 11},
               limits={"required": True, "max_chars": 80}),
        _field("event_date", "Date", "date", box["event_date"],
               help="Between one week and three months from today.", style={"valign": "baseline"},
               limits={"required": True, "date_min_days": 7, "date_max_days": 90}),
        _field("venue", "Venue", "choice", box["venue"], default="Kestrel Systems, Pittsburgh",
               style={"valign": "baseline"},
               limits={"choices": ["Kestrel Systems, Pittsburgh", "Kestrel Systems, Nürnberg",
                                   "Online (Teams)"]}),
        _field("rsvp", "RSVP to", "email", box["rsvp"], profile_field="email",
               help="Your email unless you change it.", style={"valign": "baseline"},
               limits={"required": True}),
    ]  # fmt: skip


DESIGNS = (
    TemplateDesign("template-one-pager.pdf", "Customer one-pager (template)",
                   "One page for a named customer, with your contact details.",
                   lambda: _page("Customer one-pager", "One-pager", NAVY, _one_pager),
                   _one_pager_fields),
    TemplateDesign("template-quote.pdf", "Price quote (template)",
                   "Quotation that computes its lines and total from the quantities, with a discount "
                   "(10 % self-service, 15 % with approval).",
                   lambda: _page("Price quote", "Quote", NAVY, _quote), _quote_fields),
    TemplateDesign("template-co-branded.pdf", "Co-branded brochure (template)",
                   "A customer story with the partner's name and logo from the approved set.",
                   lambda: _page("Co-branded brochure", "Partner story", TEAL, _brochure),
                   _brochure_fields),
    TemplateDesign("template-invitation.pdf", "Event invitation (template)",
                   "Invitation to a reliability briefing, dated one week to three months ahead.",
                   lambda: _page("Event invitation", "Invitation", TEAL, _invitation),
                   _invitation_fields),
)  # fmt: skip
