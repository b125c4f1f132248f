"""The weekly digest: the insights of a period as short plain text or HTML to paste into
the sales–marketing email. Every value from the library is data: escaped in HTML, and
no rep is named (the figures are the team's)."""

from __future__ import annotations

import html
from collections.abc import Iterable

from satchel.core.domain.insights import Insights, counted, percent

TOP = 5  # lines per section


def sections(insights: Insights) -> list[tuple[str, list[str]]]:
    """(heading, lines) in the order the meeting takes them."""
    period, use, turn = insights.period, insights.utilization, insights.turnaround
    hours = "—" if turn.median_hours is None else f"{turn.median_hours:.1f} h"
    return [
        ("Joint numbers", [
            use.headline(period),
            f"Utilization {percent(use.rate)}; {len(insights.wastebasket)} assets in the "
            f"wastebasket (unused, stale or expired).",
            f"Requests: {turn.decided} decided, median turnaround {hours}, first-pass "
            f"approval {percent(turn.first_pass_rate)}; {turn.waiting} waiting, "
            f"{turn.overdue} overdue.",
        ]),
        ("Campaigns coming", [
            f"{c.campaign.name}, {c.campaign.launch.isoformat()}: {c.summary()}"
            + "".join(f"; LATE: {p.title} (due {p.item.due.isoformat() if p.item.due else '?'})"
                      for p in c.late)
            for c in insights.campaigns[:TOP]] or ["No launches in the next 90 days."]),
        ("Collateral used most", [
            f"{u.title}: {counted(u.uses, 'use', 'uses')} by {counted(u.reach, 'person', 'people')}"
            + (f", rated {u.rating:.1f} of 5 ({u.ratings})" if u.rating is not None else "")
            for u in insights.top_assets[:TOP]] or ["Nothing was used in the period."]),
        ("Influence on outcomes (a correlation, not a cause)", [
            f"{f.title}: {f.words()}" for f in insights.influence if f.shown][:TOP]
            or ["Too few accounts with a recorded outcome to compare yet."]),
        ("What is missing", [
            f"“{d.phrase}”: {counted(d.people, 'person', 'people')} ("
            f"{counted(d.searches, 'search', 'searches')}, {counted(d.asks, 'request', 'requests')}, "
            f"{d.plus_ones} +1s)" for d in insights.demand[:TOP]]
            + [c.suggestion(period) or f"{c.template}: {c.field} {c.value} asked {c.times} times"
               for c in insights.requested_changes[:TOP]] or ["Nothing asked for."]),
        ("Heard in the field", [
            *(f"{name}: {counted(count, 'note', 'notes')}" for name, count in insights.competitors[:TOP]),
            *(f"Objection “{tag}”: {count}" for tag, count in insights.objections[:TOP]),
        ] or ["No field notes or objections in the period."]),
        ("Needs marketing", [
            f"{w.title} ({w.owner or 'no owner'}): {w.reason}"
            + (f" since {w.since.isoformat()}" if w.since else "")
            + (f", {counted(w.generated, 'document', 'documents')} made from it" if w.generated else "")
            for w in insights.wastebasket[:TOP]] or ["Nothing unused, stale or expired."]),
    ]  # fmt: skip


def text(insights: Insights) -> str:
    lines = [
        f"Satchel weekly digest, {insights.period.words()}",
        *([insights.of] if insights.of else []),
        "",
    ]
    for heading, items in sections(insights):
        lines += [heading, *(f"  - {item}" for item in items), ""]
    return "\n".join(lines)


def html_page(insights: Insights) -> str:
    parts = [
        f"<h2>Satchel weekly digest, {html.escape(insights.period.words())}</h2>",
        *([f"<p>{html.escape(insights.of)}</p>"] if insights.of else []),
    ]
    for heading, items in sections(insights):
        parts.append(f"<h3>{html.escape(heading)}</h3>")
        parts.append(_list(items))
    return "\n".join(parts) + "\n"


def _list(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>"


def render(insights: Insights, format_name: str) -> str:
    """The digest as `text` or `html`."""
    return html_page(insights) if format_name == "html" else text(insights)
