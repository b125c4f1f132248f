"""Snippets with highlighted words and the page they come from, for the hits on screen."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from satchel.core.search.analysis import fold, text_analyzer

WINDOW = 180
_ANALYZER = text_analyzer()


@dataclass(frozen=True)
class Snippet:
    """A passage of one page; `marks` are (start, end) offsets into `text`."""

    page: int
    text: str
    marks: tuple[tuple[int, int], ...]


def _matches(text: str, terms: set[str], prefixes: set[str]) -> list[tuple[int, int]]:
    spans = []
    for token in _ANALYZER(text, positions=False, chars=True, removestops=False):
        if token.text in terms or (
            prefixes and fold(text[token.startchar : token.endchar]).startswith(tuple(prefixes))
        ):
            spans.append((token.startchar, token.endchar))
    return spans


def best_snippet(
    pages: Sequence[tuple[int, str]], terms: set[str], prefixes: set[str]
) -> Snippet | None:
    """The passage around the densest run of matches on the best page."""
    best: tuple[int, int, str, list[tuple[int, int]]] | None = None
    for number, text in pages:
        spans = _matches(text, terms, prefixes)
        if spans and (best is None or len(spans) > best[0]):
            best = (len(spans), number, text, spans)
    if best is None:
        return None
    _, number, text, spans = best
    # Start the window at the match that has the most other matches within reach.
    anchor = max(spans, key=lambda s: sum(1 for o in spans if 0 <= o[0] - s[0] < WINDOW))
    start = max(0, anchor[0] - 40)
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = min(len(text), start + WINDOW)
    while end < len(text) and not text[end].isspace():
        end += 1
    raw = text[start:end]
    lead = "…" if start > 0 else ""
    passage = lead + " ".join(raw.split()) + ("…" if end < len(text) else "")
    # Recompute marks on the whitespace-collapsed passage.
    marks = tuple(_matches(passage, terms, prefixes))
    return Snippet(number, passage, marks)


def plain_snippet(text: str, page: int = 1) -> Snippet:
    """The start of a page, when nothing in the body matched (a title hit, say)."""
    words = " ".join(text.split())
    cut = words[:WINDOW].rsplit(" ", 1)[0] if len(words) > WINDOW else words
    return Snippet(page, cut + ("…" if len(words) > WINDOW else ""), ())
