"""The one plotting path for the insights page and the meeting pack: each chart drawn on
a matplotlib `Figure` (no pyplot, no global state), which the page shows on a Qt canvas
and the pack saves as vector PDF. matplotlib is imported on first use only: the window
starts without it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from satchel.core.domain.insights import Period, Utilization

if TYPE_CHECKING:
    from matplotlib.figure import Figure

LABEL_CHARS = 28  # a bar's label is cut to this


@dataclass(frozen=True)
class Colours:
    """A chart's colours, from the window's palette (light or dark) or the pack's."""

    text: str = "#202124"
    muted: str = "#5f6368"
    background: str = "#ffffff"
    accent: str = "#1a73e8"


PACK = Colours()


def new_figure(width: float, height: float, colours: Colours) -> Figure:
    """A figure of `width` × `height` inches on the chart's background."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), layout="constrained", facecolor=colours.background)
    figure.set_dpi(100)
    return figure


def _axes(figure: Figure, colours: Colours, title: str):  # type: ignore[no-untyped-def]
    axes = figure.add_subplot()
    axes.set_facecolor(colours.background)
    axes.set_title(title, color=colours.text, fontsize=10, loc="left", parse_math=False)
    axes.tick_params(colors=colours.muted, labelsize=8)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color(colours.muted)
    return axes


def utilization_chart(figure: Figure, series: Sequence[tuple[Period, Utilization]],
                      colours: Colours) -> None:  # fmt: skip
    """The share of collateral used, week by week."""
    axes = _axes(figure, colours, "Collateral used, by week")
    labels = [week.first.strftime("%d %b") for week, _ in series]
    rates = [(use.rate or 0) * 100 for _, use in series]
    axes.plot(labels, rates, color=colours.accent, marker="o", linewidth=2)
    axes.set_ylim(0, 100)
    axes.set_ylabel("% used", color=colours.muted, fontsize=8)
    axes.grid(axis="y", color=colours.muted, alpha=0.25)
    step = max(1, -(-len(labels) // 6))  # at most six dates under the axis
    axes.set_xticks(range(0, len(labels), step), labels[::step])


def counts_chart(figure: Figure, items: Sequence[tuple[str, int]], title: str,
                 colours: Colours) -> None:  # fmt: skip
    """Horizontal bars, the most first (field notes by competitor, objections by tag)."""
    axes = _axes(figure, colours, title)
    if not items:
        axes.text(0.5, 0.5, "None in the period", ha="center", va="center",
                  color=colours.muted, transform=axes.transAxes)  # fmt: skip
        axes.set_xticks([])
        axes.set_yticks([])
        return
    names = [name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"
             for name, _ in items][::-1]  # fmt: skip
    counts = [count for _, count in items][::-1]
    bars = axes.barh(range(len(counts)), counts, color=colours.accent)
    # Library text is drawn as it is: a "$" must not start mathtext.
    axes.set_yticks(range(len(names)), names, parse_math=False)
    axes.bar_label(bars, color=colours.text, fontsize=8, padding=2)
    axes.set_xticks([])
    axes.spines["bottom"].set_visible(False)
