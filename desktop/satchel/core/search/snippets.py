"""Snippets with highlighted words and the page they come from, for the hits on screen.

Matching runs as one regular expression over a case- and accent-folded copy of each
page (same length, so offsets carry over): query stems and typed prefixes match at
word starts, which also catches inflections ("gateway" → "gateways").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from satchel.core.search.analysis import fold

WINDOW = 180


@dataclass(frozen=True)
class Snippet:
    """A passage of one page; `marks` are (start, end) offsets into `text`."""

    page: int
    text: str
    marks: tuple[tuple[int, int], ...]


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    folded = fold(ch)
    return folded[0] if len(folded) >= 1 else ch


def fold_same_length(text: str) -> str:
    """Folded text whose character offsets match the original's."""
    if text.isascii():
        return text.lower()
    return "".join(ch if ch.isascii() else _fold_char(ch) for ch in text.lower())


def matcher(words: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern for whole words that start with any of `words` (folded)."""
    options = sorted({w for w in words if w}, key=len, reverse=True)
    if not options:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, options)) + r")\w*")


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(fold_same_length(text))]


def best_snippet(
    pages: Sequence[tuple[int, str]], pattern: re.Pattern[str] | None
) -> Snippet | None:
    """The passage around the densest run of matches on the page with the most matches."""
    if pattern is None:
        return None
    best: tuple[int, int, str, list[tuple[int, int]]] | None = None
    for number, text in pages:
        spans = _spans(pattern, text)
        if spans and (best is None or len(spans) > best[0]):
            best = (len(spans), number, text, spans)
    if best is None:
        return None
    _, number, text, spans = best
    anchor = max(spans, key=lambda s: sum(1 for o in spans if 0 <= o[0] - s[0] < WINDOW))
    start = max(0, anchor[0] - 40)
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = min(len(text), start + WINDOW)
    while end < len(text) and not text[end].isspace():
        end += 1
    passage = ("…" if start > 0 else "") + " ".join(text[start:end].split())
    passage += "…" if end < len(text) else ""
    return Snippet(number, passage, tuple(_spans(pattern, passage)))


def plain_snippet(text: str, page: int = 1) -> Snippet:
    """The start of a page, when nothing in the body matched (a title hit, say)."""
    words = " ".join(text.split())
    cut = words[:WINDOW].rsplit(" ", 1)[0] if len(words) > WINDOW else words
    return Snippet(page, cut + ("…" if len(words) > WINDOW else ""), ())
