"""The weekly meeting pack: the period's insights as a PDF organised as the two sides
bring them to the table — the joint numbers, what marketing presents, what sales
reports — in ReportLab with the bundled fonts, and the charts drawn by the same
matplotlib path as the insights page, kept as vector: each chart is saved as a PDF page
and laid onto the pack where its frame was drawn.

Every value from the library is data: escaped for ReportLab's paragraph markup, and a
character the font cannot draw (most emoji) is shown as "□" rather than lost silently."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter, Transformation
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
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

from satchel.core.blobs import write_atomic
from satchel.core.domain.insights import Insights, PackNews, Turnaround, counted, percent
from satchel.core.insights.charts import PACK, Colours, counts_chart, new_figure, utilization_chart
from satchel.core.render.fonts import font_name

INK, MUTED, RULE = (
    colors.HexColor("#202124"),
    colors.HexColor("#5f6368"),
    colors.HexColor("#dadce0"),
)
ROWS = 8  # rows a table of the pack shows


def text(value: object) -> str:
    """Library text for a Paragraph: markup escaped, undrawable characters shown."""
    return escape("".join(ch if ord(ch) <= 0xFFFF else "□" for ch in str(value)))


class ChartFrame(Flowable):
    """Room for a chart; where it lands on which page is noted so the chart's vector
    page can be laid there once the pack is built."""

    def __init__(
        self,
        width: float,
        height: float,
        paint: Callable[[Any, Colours], None],
        placed: list[tuple[int, float, float, ChartFrame]],
    ) -> None:
        super().__init__()
        self.width, self.height, self.paint, self._placed = width, height, paint, placed

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        x, y = self.canv.absolutePosition(0, 0)
        self._placed.append((self.canv.getPageNumber() - 1, x, y, self))

    def pdf_page(self) -> Any:
        figure = new_figure(self.width / 72, self.height / 72, PACK)
        self.paint(figure, PACK)
        out = io.BytesIO()
        figure.savefig(out, format="pdf")
        return PdfReader(io.BytesIO(out.getvalue())).pages[0]


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle(
        "body", fontName=font_name("sans"), fontSize=9.5, leading=13, textColor=INK
    )
    return {
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontName=font_name("sans-bold"),
            fontSize=20,
            leading=24,
            spaceAfter=4,
        ),
        "subtitle": ParagraphStyle("subtitle", parent=body, textColor=MUTED, spaceAfter=10),
        "side": ParagraphStyle(
            "side",
            parent=body,
            fontName=font_name("sans-bold"),
            fontSize=14,
            leading=18,
            spaceBefore=6,
            spaceAfter=6,
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontName=font_name("sans-bold"),
            fontSize=11,
            leading=14,
            spaceBefore=8,
            spaceAfter=3,
        ),
        "body": body,
        "note": ParagraphStyle("note", parent=body, fontSize=8, leading=10, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5),
    }


def _table(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    style: ParagraphStyle,
    empty: str,
) -> Flowable:
    if not rows:
        return Paragraph(text(empty), style)
    head = ParagraphStyle("head", parent=style, fontName=font_name("sans-bold"))
    cells = [[Paragraph(text(h), head) for h in header]]
    cells += [[Paragraph(text(value), style) for value in row] for row in rows[:ROWS]]
    table = Table(cells, colWidths=list(widths), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _hours(turn: Turnaround) -> str:
    return "—" if turn.median_hours is None else f"{turn.median_hours:.1f} h"


def build(insights: Insights, news: PackNews, path: Path) -> int:
    """Write the pack to `path` (whole or not at all); its number of pages."""
    s = _styles()
    period, use, turn = insights.period, insights.utilization, insights.turnaround
    width = A4[0] - 36 * mm
    placed: list[tuple[int, float, float, ChartFrame]] = []
    hours = _hours(turn)
    was_use, was_turn = news.before if news.before else (None, None)
    shown = [f for f in insights.influence if f.shown]

    def bars(items: Sequence[tuple[str, int]], title: str) -> Flowable:
        """A bar chart of counts, kept on one page."""

        def paint(figure: Any, colours: Colours) -> None:
            counts_chart(figure, items, title, colours)

        return KeepTogether([ChartFrame(width, 42 * mm, paint, placed)])

    story: list[Flowable] = [
        Paragraph("Sales and marketing weekly", s["title"]),
        Paragraph(
            text(" · ".join(p for p in (period.words(), insights.of, "Satchel") if p)),
            s["subtitle"],
        ),
        Paragraph("Joint numbers", s["side"]),
        Paragraph(text(use.headline(period)), s["body"]),
        _table(
            ("Measure", "This period", "The period before"),
            [
                ("Collateral used", percent(use.rate), percent(was_use.rate) if was_use else "—"),
                (
                    "Unused, stale or expired",
                    counted(len(insights.wastebasket), "asset", "assets"),
                    "",
                ),
                (
                    "Requests decided",
                    f"{turn.decided} (median {hours})",
                    f"{was_turn.decided} (median {_hours(was_turn)})" if was_turn else "—",
                ),
                (
                    "First-pass approval",
                    percent(turn.first_pass_rate),
                    percent(was_turn.first_pass_rate) if was_turn else "—",
                ),
                ("Waiting now", f"{turn.waiting} ({turn.overdue} overdue)", ""),
                (
                    "Influence (a correlation, not a cause)",
                    shown[0].words() if shown else "Too few accounts with an outcome to compare.",
                    "",
                ),
            ],
            (width * 0.3, width * 0.45, width * 0.25),
            s["cell"],
            "",
        ),
        Spacer(0, 4 * mm),
        ChartFrame(
            width,
            52 * mm,
            lambda figure, colours: utilization_chart(figure, insights.weekly, colours),
            placed,
        ),
        PageBreak(),
        Paragraph("Marketing presents", s["side"]),
        Paragraph("New and updated collateral", s["heading"]),
        _table(
            ("Asset", ""),
            news.new_assets,
            (width * 0.8, width * 0.2),
            s["cell"],
            "Nothing new or updated in the period.",
        ),
        Paragraph("Campaigns and launches coming", s["heading"]),
        _table(
            ("Campaign", "Launch", "Ready", "Late"),
            [
                (
                    c.campaign.name,
                    c.campaign.launch.isoformat(),
                    c.summary(),
                    ", ".join(p.title for p in c.late),
                )
                for c in insights.campaigns
            ],
            (width * 0.36, width * 0.16, width * 0.2, width * 0.28),
            s["cell"],
            "No launches in the next 90 days.",
        ),
        Paragraph("Needs review or expires", s["heading"]),
        _table(
            ("Asset", "Owner", "Why", "Since"),
            [
                (w.title, w.owner, w.reason, w.since.isoformat() if w.since else "")
                for w in insights.wastebasket
                if w.reason != "unused"
            ],
            (width * 0.5, width * 0.2, width * 0.12, width * 0.18),
            s["cell"],
            "Nothing stale or expired.",
        ),
        Paragraph("Competitor programs seen in the field", s["heading"]),
        bars(insights.competitors[:6], "Field notes by competitor"),
        Paragraph("Content requests accepted", s["heading"]),
        _table(
            ("What", "Owner", "By"),
            news.accepted_asks,
            (width * 0.6, width * 0.22, width * 0.18),
            s["cell"],
            "None accepted yet.",
        ),
        PageBreak(),
        Paragraph("Sales reports", s["side"]),
        Paragraph("Collateral used, and how it did", s["heading"]),
        _table(
            ("Asset", "Uses", "People", "Rating"),
            [
                (u.title, u.uses, u.reach, f"{u.rating:.1f} ({u.ratings})" if u.rating else "—")
                for u in insights.top_assets
            ],
            (width * 0.58, width * 0.12, width * 0.12, width * 0.18),
            s["cell"],
            "Nothing was used in the period.",
        ),
        Paragraph("Objections heard", s["heading"]),
        bars(insights.objections[:6], "Objections by tag"),
        Paragraph("What is missing", s["heading"]),
        _table(
            ("Looked for or asked", "People", "Searches", "Requests"),
            [(d.phrase, d.people, d.searches, d.asks + d.plus_ones) for d in insights.demand],
            (width * 0.58, width * 0.14, width * 0.14, width * 0.14),
            s["cell"],
            "Nothing asked for.",
        ),
        *[
            Paragraph(text(c.suggestion(period)), s["note"])
            for c in insights.requested_changes
            if c.suggestion(period)
        ],
        Paragraph("Sales initiatives announced", s["heading"]),
        _table(
            ("What", "When", "Segment"),
            news.initiatives,
            (width * 0.55, width * 0.25, width * 0.2),
            s["cell"],
            "None announced.",
        ),
    ]
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title="Sales and marketing weekly",
        author="Satchel",
        invariant=1,
    )
    document.build(story)
    pack = PdfWriter(clone_from=PdfReader(io.BytesIO(out.getvalue())))
    for page_number, x, y, frame in placed:
        pack.pages[page_number].merge_transformed_page(
            frame.pdf_page(), Transformation().translate(x, y)
        )
    final = io.BytesIO()
    pack.write(final)
    write_atomic(path, final.getvalue(), failpoint="pack.written")
    return len(pack.pages)
