"""BM25 over whole posting lists, a block at a time.

The relaxed search scores every document that holds any of the words. Whoosh's matchers
take several method calls per posting: a four-word relaxed search at 10k assets spent
85 % of its time in them. Here one loop per block of postings does the arithmetic.

Scores are Okapi BM25 with Lucene's idf, log(1 + (N − df + 0.5) / (df + 0.5)), which
gives a word found in nearly every document almost no weight; Whoosh's own,
log(N / (df + 1)) + 1, gives it at least 1, so such words outvoted the rare ones that
tell documents apart (docs/benchmarks.md, "Ranking quality").
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

from whoosh import query as wq
from whoosh import scoring
from whoosh.searching import Searcher

from satchel.core.search.lengths import field_lengths

K1 = 1.2
B = 0.75


def idf(documents: int, frequency: int) -> float:
    return math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5))


def term_scores(searcher: Searcher, fieldname: str, text: str) -> dict[int, float]:
    """Document number → the term's BM25 score in that field, for every document
    holding it (deleted ones left out)."""
    frequency = searcher.doc_frequency(fieldname, text)
    if not frequency:
        return {}
    # Whoosh counts deleted documents in a term's frequency until a merge: so N must too.
    factor = idf(searcher.doc_count_all(), frequency) * (K1 + 1)
    average = searcher.avg_field_length(fieldname) or 1.0
    scores: dict[int, float] = {}
    for sub, offset in searcher.leaf_searchers():
        reader = sub.reader()
        norms, deleted = _norms(reader, fieldname, average), reader.deleted_docs_set
        for ids, weights in _blocks(reader, fieldname, text):
            scores.update({d + offset: factor * tf / (tf + norms[d])
                           for d, tf in zip(ids, weights, strict=True)})  # fmt: skip
        for docnum in deleted:  # few: cheaper to drop afterwards than to test each posting
            scores.pop(docnum + offset, None)
    return scores


def _norms(reader: Any, fieldname: str, average: float) -> list[float]:
    """Each document's length part of BM25's denominator, K1·(1 − B + B·length/average),
    worked out once per segment, field and average length (so per index state)."""
    cache: dict[tuple[str, float], list[float]] = reader._perdoc.__dict__.setdefault(
        "_satchel_norms", {}
    )
    key = (fieldname, average)
    if key not in cache:
        for stale in [k for k in cache if k[0] == fieldname]:
            del cache[stale]
        base, per_length = K1 * (1 - B), K1 * B / average
        lengths = field_lengths(reader, fieldname)
        padding = [0] * max(0, reader.doc_count_all() - len(lengths))  # no length: 0
        cache[key] = [base + per_length * length for length in [*lengths, *padding]]
    return cache[key]


def query_scores(searcher: Searcher, query: wq.Query) -> dict[int, float]:
    """Document number → Whoosh's score of any query (phrases, several words in one
    clause): the rare parts a single term's posting list does not answer."""
    scores: dict[int, float] = {}
    context = searcher.context()
    for sub, offset in searcher.leaf_searchers():
        matcher = query.matcher(sub, context)
        while matcher.is_active():
            scores[matcher.id() + offset] = matcher.score()
            matcher.next()
    return scores


def _blocks(
    reader: Any, fieldname: str, text: str
) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
    """The term's postings in one segment, as (document numbers, weights) per block."""
    terms = getattr(reader, "_terms", None)  # an empty index has no segment to read
    if terms is None or (fieldname, text) not in reader:
        return
    raw = reader._text_to_bytes(fieldname, text)
    matcher = terms.matcher(fieldname, raw, reader.schema[fieldname].format)
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        yield matcher._ids, matcher._weights
        matcher._next_block()


class Weighting(scoring.BM25F):
    """Whoosh's BM25F with the idf above, so a search of every word ranks as the
    relaxed one does."""

    def idf(self, searcher: Searcher, fieldname: str, text: str) -> float:
        parent = searcher.get_parent()
        return idf(parent.doc_count_all(), parent.doc_frequency(fieldname, text))
