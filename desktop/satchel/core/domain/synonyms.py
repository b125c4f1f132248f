"""Search synonyms marketing keeps: "spec sheet" = "datasheet", "X200" → "X-200".

Applied when a query is read, never to the index, so a change needs no rebuild. A
two-way entry makes each side find the other; a one-way entry makes the first find the
second. Expansion is one step (a synonym's synonym is not followed), and a list is
checked as a whole before it is kept: every problem named, nothing saved.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from satchel.core.errors import ValidationError

MAX_ENTRIES = 500
MAX_CHARS = 60
MAX_WORDS = 6


@dataclass(frozen=True)
class Synonym:
    """`term` finds `equivalent` (and, when `both_ways`, the other way round)."""

    term: str
    equivalent: str
    both_ways: bool = True

    def describe(self) -> str:
        return f"{self.term} {'=' if self.both_ways else '→'} {self.equivalent}"


def words_of(text: str) -> tuple[str, ...]:
    """A side's words as queries compare them: case, accents and spacing aside."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return tuple(plain.split())


def check(entries: Sequence[Synonym]) -> list[Synonym]:
    """The entries, cleaned, or a ValidationError listing every problem: empty, overlong
    or invisible sides, a side equal to the other, the same pair twice, too many
    entries, and one-way entries that lead round in a circle."""
    problems: list[str] = []
    if len(entries) > MAX_ENTRIES:
        problems.append(f"A library keeps at most {MAX_ENTRIES} synonyms; this list has "
                        f"{len(entries)}.")  # fmt: skip
    cleaned: list[Synonym] = []
    seen: set[object] = set()  # two-way: the pair either way round; one-way: in order
    for number, entry in enumerate(entries, start=1):
        sides = [" ".join(side.split()) for side in (entry.term, entry.equivalent)]
        wrong = [_side_problem(side) for side in sides]
        if any(wrong):
            problems += [f"Synonym {number}: {w}" for w in wrong if w]
            continue
        term, equivalent = (words_of(side) for side in sides)
        if term == equivalent:
            problems.append(f"Synonym {number}: “{sides[0]}” and “{sides[1]}” are the same "
                            "words.")  # fmt: skip
            continue
        pair = frozenset((term, equivalent)) if entry.both_ways else (term, equivalent)
        if pair in seen:
            problems.append(f"Synonym {number}: “{sides[0]}” and “{sides[1]}” are listed "
                            "twice.")  # fmt: skip
            continue
        seen.add(pair)
        cleaned.append(Synonym(sides[0], sides[1], bool(entry.both_ways)))
    if not problems:
        problems += _circles(cleaned)
    if problems:
        raise ValidationError(problems)
    return cleaned


def _side_problem(side: str) -> str:
    if not side or not any(ch.isalnum() for ch in side):
        return "each side needs a word."
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in side):
        return "control or invisible characters are not allowed."
    if len(side) > MAX_CHARS:
        return f"a side may have {MAX_CHARS} characters at most."
    if len(side.split()) > MAX_WORDS:
        return f"a side may have {MAX_WORDS} words at most."
    return ""


def _circles(entries: Iterable[Synonym]) -> list[str]:
    """One-way entries leading back to where they started (a → b, b → a): the person
    meant a two-way entry, or one of them is a mistake."""
    leads: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    names: dict[tuple[str, ...], str] = {}
    for entry in entries:
        if entry.both_ways:
            continue
        start, end = words_of(entry.term), words_of(entry.equivalent)
        leads.setdefault(start, []).append(end)
        names.setdefault(start, entry.term)
        names.setdefault(end, entry.equivalent)
    for start in leads:
        path = _path_back(start, leads)
        if path:
            shown = " → ".join(names[step] for step in [start, *path])
            return [f"These one-way synonyms go round in a circle: {shown}. Make it one "
                    "two-way synonym, or remove one."]  # fmt: skip
    return []


def _path_back(start: tuple[str, ...],
               leads: Mapping[tuple[str, ...], list[tuple[str, ...]]]) -> list[tuple[str, ...]]:  # fmt: skip
    """A path from `start` back to itself, if there is one (depth-first)."""
    stack = [(step, [step]) for step in leads.get(start, [])]
    visited: set[tuple[str, ...]] = set()
    while stack:
        here, path = stack.pop()
        if here == start:
            return path
        if here in visited:
            continue
        visited.add(here)
        stack += [(step, [*path, step]) for step in leads.get(here, [])]
    return []


def expansions(entries: Iterable[Synonym]) -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """For each side's words, the words it also finds (one step)."""
    found: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for entry in entries:
        term, equivalent = words_of(entry.term), words_of(entry.equivalent)
        found.setdefault(term, []).append(equivalent)
        if entry.both_ways:
            found.setdefault(equivalent, []).append(term)
    return found
