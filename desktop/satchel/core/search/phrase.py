"""Phrase matching without Whoosh's span machinery.

Whoosh answers a phrase with `SpanNear2`, which builds a span object for every position
of every word in every candidate document: a phrase of two common words took 0.8 s at
10k assets. Here the words' posting lists are intersected as for an AND, and a candidate
is kept when some position of the first word is followed by the second, third, … word
at the next positions (one set lookup per word).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import accumulate, islice

from whoosh import formats, matching
from whoosh import query as wq
from whoosh.searching import Searcher

from satchel.core.search import safe_pickle


class Phrase(wq.Phrase):
    """`whoosh.query.Phrase` with the adjacency check below (same results, no slop)."""

    def matcher(self, searcher: Searcher, context: object = None) -> matching.Matcher:
        if self.fieldname not in searcher.schema:
            return matching.NullMatcher()
        field_format = searcher.schema[self.fieldname].format
        if not field_format or not field_format.supports("positions"):
            # Tags and summary keep no positions: their words, in any order, will do
            # (Whoosh's Phrase raised here, and a query must never fail).
            return wq.And([wq.Term(self.fieldname, w) for w in self.words]).matcher(
                searcher, context)  # fmt: skip
        if type(field_format) is not formats.Positions:
            return super().matcher(searcher, context)  # positions stored some other way
        leaves = []
        for word in self.words:
            term = wq.Term(self.fieldname, word)
            leaf = term.matcher(searcher, context)
            if not leaf.is_active():  # a word the field does not have: no phrase either
                return matching.NullMatcher()
            leaves.append(leaf)
        if len(leaves) == 1:
            return leaves[0]
        return PhraseMatcher(leaves, self.boost)


class PhraseMatcher(matching.Matcher):
    """Documents where the leaves' words stand one after another; scored as their AND."""

    def __init__(self, leaves: list[matching.Matcher], boost: float = 1.0) -> None:
        self._leaves = leaves
        self._boost = boost
        both = leaves[0]
        for leaf in leaves[1:]:  # the leaves stay positioned on the intersection's document
            both = matching.IntersectionMatcher(both, leaf)
        self._both = both
        self._settle()

    def _adjacent(self) -> bool:
        # Where the phrase could start: each word's positions moved back by its place in
        # the phrase, intersected (set operations in C, not a loop per position).
        starts = set(_positions(self._leaves[0]))
        for step, leaf in enumerate(self._leaves[1:], start=1):
            starts.intersection_update(_positions(leaf, step))
            if not starts:
                return False
        return True

    def _settle(self) -> None:
        while self._both.is_active() and not self._adjacent():
            self._both.next()

    def is_active(self) -> bool:
        return bool(self._both.is_active())

    def id(self) -> int:
        return int(self._both.id())

    def next(self) -> bool:
        self._both.next()
        self._settle()
        return False  # no block quality: the collector never needs to re-check it

    def skip_to(self, target: int) -> None:
        self._both.skip_to(target)
        self._settle()

    def score(self) -> float:
        return float(self._both.score()) * self._boost

    def weight(self) -> float:
        return float(self._both.weight())

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        return float(self._both.max_quality()) * self._boost  # its matches are the AND's

    def replace(self, minquality: float = 0) -> matching.Matcher:
        return self if self.is_active() else matching.NullMatcher()

    def copy(self) -> PhraseMatcher:
        return PhraseMatcher([leaf.copy() for leaf in self._leaves], self._boost)

    def children(self) -> list[matching.Matcher]:
        return [self._both]

    def supports(self, astype: str) -> bool:
        return False

    def term_matchers(self):  # type: ignore[no-untyped-def]
        for leaf in self._leaves:
            yield from leaf.term_matchers()


def _positions(leaf: matching.Matcher, back: int = 0) -> Iterator[int]:
    """The word's positions in the current document less `back`, read the way
    `formats.Positions` writes them (a 4-byte count, then the pickled gaps) minus its
    per-call overhead."""
    gaps = leaf.value()[4:]
    gaps = safe_pickle.loads(gaps if gaps.endswith(b".") else gaps + b".")
    return islice(accumulate(gaps, initial=-back), 1, None)
