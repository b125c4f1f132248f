"""Pairs of common words, indexed as one term each ("common grams").

A phrase of two words that nearly every asset contains ("predictive maintenance" in a
maintenance vendor's library) has nearly every asset as a candidate, and checking their
positions took 1.2 s at 100k assets. Each time two of the library's most common words
stand next to each other, the `pairs` field indexes them as one term ("predict
mainten"), so such a phrase is one posting list, ranked by BM25 on how often the phrase
occurs (as Lucene ranks phrases) without reading its words' postings at all. Which words count as common is chosen
from a sample of the library when the index is built, and kept with the index (see
`SearchIndex.rebuild`); a phrase with a word outside the list is checked by position.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import pairwise

from whoosh.analysis import Token, Tokenizer

from satchel.core.search.analysis import _WORD, DEFAULT_LANGUAGE, marked, split_mark, text_analyzer

FIELD = "pairs"
SOURCE = "content"  # the field whose text the pairs come from
SAMPLE_DOCS = 1000  # documents sampled to choose the common words
MIN_SAMPLE = 200  # fewer documents than this: phrases are cheap anyway, no list
MIN_SHARE = 0.25  # a word in at least this share of the sampled documents is common...
MAX_WORDS = 128  # ...up to this many, the most frequent first
PAIR_BUDGET = 0.5  # the pairs may add at most half as many postings as the content has

_ANALYZER = text_analyzer()


@functools.lru_cache(maxsize=200_000)
def content_term(word: str, language: str) -> str | None:
    """The term the `content` field indexes for one word the tokenizer found in a text
    of that language, or None when it indexes several (a CJK run: never paired)."""
    terms = [token.text for token in _ANALYZER(marked(word, language, stacked=False))]
    return terms[0] if len(terms) == 1 else None


def _sequences(value: str) -> list[list[str | None]]:
    """The content field's terms at each position of a marked text (positions as it
    counts them): in the text's language, and the English stems stacked there too."""
    language, stacked, text = split_mark(value)
    words = _WORD.findall(text)
    own = [content_term(word, language) for word in words]
    return [own, [content_term(word, DEFAULT_LANGUAGE) for word in words]] if stacked else [own]


def choose_common(texts: Iterable[str]) -> frozenset[str]:
    """The words in at least `MIN_SHARE` of these documents' content, at most `MAX_WORDS`,
    and fewer when their pairs would cost more than `PAIR_BUDGET` (see `_affordable`)."""
    stacks = [_sequences(text) for text in texts]
    sequences = [stack[0] for stack in stacks]
    if len(sequences) < MIN_SAMPLE:
        return frozenset()
    counts: Counter[str | None] = Counter()
    for stack in stacks:
        counts.update(set().union(*stack))
    counts.pop(None, None)
    enough = MIN_SHARE * len(sequences)
    ranked = [term for term, count in counts.most_common(MAX_WORDS) if count >= enough]
    return frozenset(ranked[: _affordable(sequences, ranked)])  # type: ignore[arg-type]


def _affordable(sequences: list[list[str | None]], ranked: list[str | None]) -> int:
    """How many of the ranked words can be paired: every distinct pair in an asset is a
    posting to write, and text made of few words pairs nearly everything (a generated
    corpus gave 1,700 distinct pairs per asset against 134 distinct words). The pairs
    of the first k words may add at most `PAIR_BUDGET` times the content's postings.

    One pass: each distinct pair counts from the rank of its rarer word on."""
    rank = {term: place for place, term in enumerate(ranked)}
    from_rank = [0] * len(ranked)
    postings = 0
    for terms in sequences:
        postings += len(set(terms))
        places = [rank.get(term) for term in terms]
        distinct = {(a, b) for a, b in pairwise(places) if a is not None and b is not None}
        for a, b in distinct:
            from_rank[max(a, b)] += 1
    budget, total = PAIR_BUDGET * postings, 0
    for words, added in enumerate(from_rank):
        total += added
        if total > budget:
            return words
    return len(ranked)


def pair_term(first: str, second: str) -> str:
    return f"{first} {second}"  # no content term holds a space


class PairTokenizer(Tokenizer):
    """One token per two adjacent common words of the content text, each time they
    occur (the field counts them, so a phrase can be ranked by how often it occurs)."""

    def __init__(self, common: Iterable[str] = ()) -> None:
        self.common = frozenset(common)

    def pairs(self, text: str) -> list[str]:
        common, found, seen = self.common, [], set()
        for sequence in _sequences(text):  # a stacked English stem pairs too
            previous = None
            for place, term in enumerate(sequence):
                if term not in common:
                    term = None
                elif (
                    previous is not None and (place, pair := pair_term(previous, term)) not in seen
                ):
                    seen.add((place, pair))
                    found.append(pair)
                previous = term
        return found

    def __call__(self, value: str, **kwargs: object) -> Iterator[Token]:
        token = Token(**kwargs)
        for text in self.pairs(value) if self.common else ():
            token.text = text
            yield token
