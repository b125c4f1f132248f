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
LEAD = 80  # how far before the first match a passage may start to begin with its sentence
_SENTENCE_END = re.compile(r"[.!?:;]\s|\n")
_DIGITS = re.compile(r"\d+")


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
    pages = without_running_lines(pages)
    best: tuple[int, int, str, list[tuple[int, int]]] | None = None
    for number, text in pages:
        spans = _spans(pattern, text)
        if spans and (best is None or len(spans) > best[0]):
            best = (len(spans), number, text, spans)
    if best is None:
        return None
    _, number, text, spans = best
    anchor = max(spans, key=lambda s: sum(1 for o in spans if 0 <= o[0] - s[0] < WINDOW))
    start, whole = _sentence_start(text, anchor[0])
    end = min(len(text), start + WINDOW)
    while end < len(text) and not text[end].isspace():
        end += 1
    passage = ("" if whole else "…") + " ".join(text[start:end].split())
    passage += "…" if end < len(text) else ""
    return Snippet(number, passage, tuple(_spans(pattern, passage)))


def plain_snippet(pages: Sequence[tuple[int, str]]) -> Snippet | None:
    """The start of the first page, when nothing in the body matched (a title hit)."""
    if not pages:
        return None
    page, text = without_running_lines(pages)[0]
    words = " ".join(text.split())
    cut = words[:WINDOW].rsplit(" ", 1)[0] if len(words) > WINDOW else words
    return Snippet(page, cut + ("…" if len(words) > WINDOW else ""), ())


def _sentence_start(text: str, match: int) -> tuple[int, bool]:
    """Where the passage around a match starts, and whether that is a sentence's start:
    its sentence or line when that begins at most LEAD characters before the match,
    else a word start shortly before it."""
    window_start = max(0, match - LEAD)
    ends = list(_SENTENCE_END.finditer(text, window_start, match))
    whole = bool(ends) or window_start == 0
    if ends:
        start = ends[-1].end()
    elif whole:
        start = 0
    else:
        start = max(0, match - 40)
        while start > 0 and not text[start - 1].isspace():
            start -= 1
    while start < match and text[start].isspace():
        start += 1
    return start, whole


def without_running_lines(pages: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
    """Pages without their running headers and footers: lines repeated (numbers aside)
    on most pages of a document of several pages, which no snippet should start with."""
    if len(pages) < 2:
        return list(pages)

    def key(line: str) -> str:
        return _DIGITS.sub("#", " ".join(line.split())).lower()

    seen: dict[str, int] = {}
    for _, text in pages:
        for line_key in {key(line) for line in text.splitlines() if line.strip()}:
            seen[line_key] = seen.get(line_key, 0) + 1
    running = {k for k, count in seen.items() if count * 2 > len(pages) and count >= 2}
    return [
        (number, "\n".join(line for line in text.splitlines() if key(line) not in running))
        for number, text in pages
    ]
