"""What changed between two versions of an asset's file: pages and words, in a sentence."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class VersionChange:
    """A new version against the one it replaced."""

    pages_before: int
    pages_after: int
    changed_pages: tuple[int, ...]  # 1-based pages of the new version whose text differs
    words_added: int
    words_removed: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> VersionChange:
        return cls(int(data["pages_before"]), int(data["pages_after"]),
                   tuple(int(p) for p in data["changed_pages"]),
                   int(data["words_added"]), int(data["words_removed"]))  # fmt: skip


def compare(before: Mapping[int, str], after: Mapping[int, str],
            pages_before: int, pages_after: int) -> VersionChange:  # fmt: skip
    """Page by page: a page whose words differ (or that is new) counts as changed, and
    words added and removed are counted within each page pair (a diff of the whole file
    would be quadratic on long documents). Pages are keyed by number (1-based)."""
    changed: list[int] = []
    added = removed = 0
    for number in range(1, max(pages_before, pages_after) + 1):
        old, new = _words(before, number), _words(after, number)
        if old == new and number <= pages_before:
            continue
        if number <= pages_after:
            changed.append(number)
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag != "equal":
                removed += i2 - i1
                added += j2 - j1
    return VersionChange(pages_before, pages_after, tuple(changed), added, removed)


def _words(pages: Mapping[int, str], number: int) -> list[str]:
    return pages.get(number, "").split()


def describe(change: VersionChange) -> str:
    """ "3 pages (was 2); page 3 is new; text changed on page 2; 5 words added, 1 removed." """
    after, before = change.pages_after, change.pages_before
    pages = f"{after} page{'s' if after != 1 else ''}"
    parts = [pages if after == before else f"{pages} (was {before})"]
    new = [n for n in change.changed_pages if n > before]
    changed = [n for n in change.changed_pages if n <= before]
    if new:
        parts.append(f"page{'s' if len(new) > 1 else ''} {_spans(new)} "
                     f"{'are' if len(new) > 1 else 'is'} new")  # fmt: skip
    if changed:
        parts.append(f"text changed on page{'s' if len(changed) > 1 else ''} {_spans(changed)}")
    words = []
    if change.words_added:
        words.append(f"{change.words_added} word{'s' if change.words_added != 1 else ''} added")
    if change.words_removed:
        removed = change.words_removed
        words.append(f"{removed} removed" if words else
                     f"{removed} word{'s' if removed != 1 else ''} removed")  # fmt: skip
    if words:
        parts.append(", ".join(words))
    elif not new and not changed:
        parts.append("same text (only the layout or pictures changed)")
    return "; ".join(parts) + "."


def _spans(numbers: Sequence[int]) -> str:
    """(1, 2, 3, 5, 6) → "1–3, 5 and 6"."""
    spans: list[str] = []
    start = previous = numbers[0]
    for number in [*numbers[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        if previous - start >= 2:
            spans.append(f"{start}–{previous}")
        else:  # one page, or two written out
            spans += [str(n) for n in range(start, previous + 1)]
        if number is not None:
            start = previous = number
    return spans[0] if len(spans) == 1 else ", ".join(spans[:-1]) + " and " + spans[-1]
