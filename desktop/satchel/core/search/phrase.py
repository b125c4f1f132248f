"""Phrase matching without Whoosh's span machinery.

Whoosh answers a phrase with `SpanNear2`, which builds a span object for every position
of every word in every candidate document: a phrase of two common words took 0.8 s at
10k assets. Here the words' posting lists are intersected as for an AND, and a candidate
is kept when some position of the first word is followed by the second, third, … word
at the next positions (one set lookup per word). Where two common words stand side by
side in the phrase, their pair's posting list (pairs.py) gives the candidates instead,
and a phrase of just those two words is their pair's term: no positions to read.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import accumulate, islice, pairwise

from whoosh import formats, matching
from whoosh import query as wq
from whoosh.searching import Searcher

from satchel.core.search import pairs, safe_pickle


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
        common = _common_words(searcher, self.fieldname)
        paired = [pairs.pair_term(a, b) for a, b in pairwise(self.words) if {a, b} <= common]
        if len(self.words) == 2 and paired:  # the pair is the phrase, ranked by its count
            return wq.Term(pairs.FIELD, paired[0], boost=self.boost).matcher(searcher, context)
        leaves = _leaves(self.fieldname, self.words, searcher, context)
        pair_leaves = _leaves(pairs.FIELD, paired, searcher, context)
        if leaves is None or pair_leaves is None:  # a word or pair no asset has: no phrase
            return matching.NullMatcher()
        if len(leaves) == 1:
            return leaves[0]
        return PhraseMatcher(leaves, self.boost, pair_leaves)


def _leaves(fieldname: str, terms: Sequence[str], searcher: Searcher,
            context: object) -> list[matching.Matcher] | None:  # fmt: skip
    """A matcher per term, or None if a term matches nothing."""
    leaves = [wq.Term(fieldname, term).matcher(searcher, context) for term in terms]
    return leaves if all(leaf.is_active() for leaf in leaves) else None


def _common_words(searcher: Searcher, fieldname: str) -> frozenset[str]:
    """The common words whose pairs the index holds, if they are pairs of this field."""
    if fieldname != pairs.SOURCE or pairs.FIELD not in searcher.schema:
        return frozenset()
    return searcher.schema[pairs.FIELD].analyzer.common


class PhraseMatcher(matching.Matcher):
    """Documents where the leaves' words stand one after another; scored as their AND.
    `pair_leaves` match pairs of common words in the phrase: they narrow the candidates."""

    def __init__(self, leaves: list[matching.Matcher], boost: float = 1.0,
                 pair_leaves: Sequence[matching.Matcher] = ()) -> None:  # fmt: skip
        self._leaves, self._pair_leaves = leaves, list(pair_leaves)
        self._boost = boost
        # The candidates come from the pairs when there are any (an asset with a pair
        # has both its words, so the word leaves only need moving there, to be scored
        # and checked); otherwise from the words' intersection.
        candidates = self._pair_leaves or leaves
        driver = candidates[0]
        for leaf in candidates[1:]:
            driver = matching.IntersectionMatcher(driver, leaf)
        self._driver = driver
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

    def _on(self, docnum: int) -> bool:
        """Move the word leaves to this candidate; False if one lacks it (which a pair
        rules out, but the leaves are checked rather than trusted)."""
        for leaf in self._leaves:
            if leaf.is_active() and leaf.id() < docnum:
                leaf.skip_to(docnum)
            if not leaf.is_active() or leaf.id() != docnum:
                return False
        return True

    def _settle(self) -> None:
        driver = self._driver
        while driver.is_active() and not (self._on(driver.id()) and self._adjacent()):
            driver.next()

    def is_active(self) -> bool:
        return bool(self._driver.is_active())

    def id(self) -> int:
        return int(self._driver.id())

    def next(self) -> bool:
        self._driver.next()
        self._settle()
        return False  # no block quality: the collector never needs to re-check it

    def skip_to(self, target: int) -> None:
        self._driver.skip_to(target)
        self._settle()

    def score(self) -> float:
        return sum(leaf.score() for leaf in self._leaves) * self._boost

    def weight(self) -> float:
        return float(sum(leaf.weight() for leaf in self._leaves))

    def supports_block_quality(self) -> bool:
        return False

    def max_quality(self) -> float:
        return sum(leaf.max_quality() for leaf in self._leaves) * self._boost

    def replace(self, minquality: float = 0) -> matching.Matcher:
        return self if self.is_active() else matching.NullMatcher()

    def copy(self) -> PhraseMatcher:
        return PhraseMatcher([leaf.copy() for leaf in self._leaves], self._boost,
                             [leaf.copy() for leaf in self._pair_leaves])  # fmt: skip

    def children(self) -> list[matching.Matcher]:
        return [*self._leaves, *self._pair_leaves]

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
