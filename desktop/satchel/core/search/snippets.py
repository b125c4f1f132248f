"""Snippets with highlighted words and the page they come from, for the hits on screen.

Matching runs as one regular expression over a case- and accent-folded copy of each
page (same length, so offsets carry over): query stems and typed prefixes match at
word starts, which also catches inflections ("gateway" → "gateways").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

from satchel.core.search.analysis import fold

WINDOW = 180
LEAD = 80  # how far before the first match a passage may start to begin with its sentence
RUNNING_LINE_MAX = 160  # characters: longer lines are never running headers or letterheads
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
    pages: Sequence[tuple[int, str]], pattern: re.Pattern[str] | None,
    boilerplate: AbstractSet[str] = frozenset(),
) -> Snippet | None:  # fmt: skip
    """The passage around the densest run of matches on the page with the most matches
    (running lines and `boilerplate` left out)."""
    if pattern is None:
        return None
    pages = without_running_lines(pages, boilerplate)
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


def plain_snippet(pages: Sequence[tuple[int, str]],
                  boilerplate: AbstractSet[str] = frozenset()) -> Snippet | None:  # fmt: skip
    """The start of the first page, when nothing in the body matched (a title hit)."""
    if not pages:
        return None
    page, text = without_running_lines(pages, boilerplate)[0]
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


def line_key(line: str) -> str:
    """A line as running text compares: spacing, case and numbers (page 3) aside."""
    return _DIGITS.sub("#", " ".join(line.split())).lower()


def _running_keys(text: str) -> set[str]:
    """The keys of the lines that could be a running header, footer or letterhead: short
    ones (a page of text on one long line is no letterhead, and costs to compare)."""
    return {line_key(line) for line in text.splitlines()
            if line.strip() and len(line) <= RUNNING_LINE_MAX}  # fmt: skip


def _running(line: str, dropped: AbstractSet[str]) -> bool:
    return len(line) <= RUNNING_LINE_MAX and line_key(line) in dropped


def without_running_lines(pages: Sequence[tuple[int, str]],
                          boilerplate: AbstractSet[str] = frozenset()) -> list[tuple[int, str]]:  # fmt: skip
    """Pages without their running headers and footers — lines repeated (numbers aside)
    on most pages of a document of several pages — and without the `boilerplate` line
    keys shared by many documents: no snippet should start with them."""
    seen: dict[str, int] = {}
    if len(pages) >= 2:
        for _, text in pages:
            for key in _running_keys(text):
                seen[key] = seen.get(key, 0) + 1
    dropped = {k for k, count in seen.items() if count * 2 > len(pages) and count >= 2}
    dropped |= boilerplate
    if not dropped:
        return list(pages)
    return [
        (number, "\n".join(line for line in text.splitlines() if not _running(line, dropped)))
        for number, text in pages
    ]


def shared_lines(documents: Sequence[Sequence[tuple[int, str]]]) -> set[str]:
    """Line keys that appear in at least 3 of the documents and a quarter of them: a
    company's letterhead and footer on every one-pager of a results page."""
    counts: dict[str, int] = {}
    for pages in documents:
        for key in set().union(*(_running_keys(text) for _, text in pages)):
            counts[key] = counts.get(key, 0) + 1
    needed = max(3, (len(documents) + 3) // 4)
    return {key for key, count in counts.items() if count >= needed}
