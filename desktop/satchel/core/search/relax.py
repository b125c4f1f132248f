"""A relaxed search: when every word together finds less than a page, the documents that
match most of the words, ranked by BM25 with a coordination factor.

Step by step: first the documents missing one word, then two, and so on, until there is
a page of them; never any-word at once. Phrases, named fields, filters and exclusions
stay required. Each hit says which words it does not match.
"""

from __future__ import annotations

import operator
from collections import Counter
from dataclasses import dataclass

from whoosh import collectors
from whoosh import query as wq
from whoosh.searching import Searcher

from satchel.core.search.bm25 import query_scores, term_scores
from satchel.core.search.collect import TopSortingCollector
from satchel.core.search.query import (
    Clause,
    ParsedQuery,
    clause_query,
    group_query,
    relaxable_groups,
    title_boost,
    to_whoosh,
    without,
)
from satchel.core.search.signals import Factor, top

# A title match adds half its BM25 to the content's (chosen on CISI: 1.0 ranked worse).
TITLE_WEIGHT = 0.5
POSTINGS_BUDGET = 400_000  # postings a relaxed search may score (about 0.2 s of work)
COORDINATION = 1.0  # score × (words matched / words asked) ** COORDINATION


@dataclass
class Relaxed:
    """One page of a relaxed search."""

    docnums: list[int]  # every visible match, for the total and the facets
    page: list[tuple[str, float, int]]  # (asset id, score, docnum) of the page's hits
    unmatched: list[list[str]]  # per hit, the words (as typed) it does not match


def relax(searcher: Searcher, parsed: ParsedQuery, hidden: set[int],
          sorting: tuple[str, bool] | None, page: int, page_size: int,
          factor: Factor | None = None) -> Relaxed | None:  # fmt: skip
    """The relaxed page, or None when there is nothing to relax: no plain word, or one
    plain word and nothing else asked, or only stop words. `factor` gives each
    document's ranking signals (see signals.py)."""
    groups = relaxable_groups(parsed)
    kept = without(parsed, groups)  # the most common words left out are not required
    if not groups or parsed.only_stop_words or (len(groups) == 1 and not kept.positive):
        return None
    groups = _affordable(searcher, groups)
    required, required_scores, allowed, matched = _score_groups(searcher, kept, groups, hidden)
    counts = Counter(docnum for scores in matched for docnum in scores)
    for docnum in [d for d in counts if d in hidden or (allowed is not None and d not in allowed)]:
        del counts[docnum]
    words, wanted = len(groups), max(1, page) * page_size
    # With required words (a phrase, a field) their matches may lack every other word;
    # filters, dates and exclusions alone are no such part: "gateway" among German
    # assets must not become every German asset.
    floor = 0 if kept.positive else 1
    candidates: set[int] = set()
    for at_least in range(words - 1, floor - 1, -1):
        candidates = (
            {docnum for docnum, count in counts.items() if count >= at_least}
            if at_least
            else set(allowed if allowed is not None else ())
        )
        if len(candidates) >= wanted:
            break
    if not candidates:
        return None
    first = (max(1, page) - 1) * page_size
    if sorting:
        ranked = _sorted(searcher, groups, required, candidates, sorting, first + page_size)
        page_hits = [(searcher.stored_fields(d)["id"], 0.0, d) for d in ranked[first:]]
    else:
        # Coordination: the share of what was asked that a document matches (a required
        # phrase or field counts as matched, since every candidate has it).
        asked = words + len(kept.positive)
        scored = []
        for docnum in candidates:
            text = required_scores.get(docnum, 0.0) + sum(s.get(docnum, 0.0) for s in matched)
            share = (counts.get(docnum, 0) + asked - words) / asked
            scored.append((text * share**COORDINATION, docnum))
        best = top(scored, first + page_size, factor)[first:]
        page_hits = [(searcher.stored_fields(d)["id"], round(score, 4), d) for score, d in best]
    said = [" OR ".join(c.raw for c in group if not c.added) for group in groups]  # as typed
    unmatched = [
        [word for word, scores in zip(said, matched, strict=True) if docnum not in scores]
        for _id, _score, docnum in page_hits
    ]
    return Relaxed(sorted(candidates), page_hits, unmatched)


def every_word(searcher: Searcher, parsed: ParsedQuery, hidden: set[int], page: int,
               page_size: int, factor: Factor | None = None) -> Relaxed | None:  # fmt: skip
    """The documents that match every word, ranked as `relax` ranks them (a relaxed
    hit with all its words scores exactly this), or None to leave the query to Whoosh:
    no plain word, only stop words, or more postings than `POSTINGS_BUDGET`.

    Whole posting lists scored a block at a time and intersected as sets: at 100k
    assets two common words match ~20k documents each, which Whoosh's matchers score
    one document at a time (≈ 6 µs each)."""
    groups = relaxable_groups(parsed)
    if not groups or parsed.only_stop_words or _affordable(searcher, groups) != groups:
        return None
    kept = without(parsed, groups)
    _, required_scores, allowed, matched = _score_groups(searcher, kept, groups, hidden)
    candidates = set.intersection(*(set(scores) for scores in sorted(matched, key=len))) - hidden
    if allowed is not None:
        candidates &= allowed
    first = (max(1, page) - 1) * page_size
    order = list(candidates)
    totals = [required_scores.get(d, 0.0) for d in order] if required_scores else [0.0] * len(order)
    for scores in matched:  # a sum per group over the whole list, in C
        totals = list(map(operator.add, totals, map(scores.__getitem__, order)))
    ranked = list(zip(totals, order, strict=True))
    best = top(ranked, first + page_size, factor)[first:]
    page_hits = [(searcher.stored_fields(d)["id"], round(score, 4), d) for score, d in best]
    return Relaxed(sorted(candidates), page_hits, [[] for _ in page_hits])


def _score_groups(
    searcher: Searcher, kept: ParsedQuery, groups: list[list[Clause]], hidden: set[int]
) -> tuple[wq.Query, dict[int, float], set[int] | None, list[dict[int, float]]]:
    """What stays required (`kept`): its query, its scores and the documents it allows
    (None: any); and each group's scores."""
    required = to_whoosh(kept, searcher.reader())
    # A required phrase or field scores too; filters, dates and exclusions only narrow.
    required_scores: dict[int, float] = {}
    if kept.positive:
        required_scores = query_scores(searcher, required)
        allowed: set[int] | None = set(required_scores) - hidden
    else:
        allowed = None if required is wq.NullQuery else set(required.docs(searcher)) - hidden
    matched = [_group_scores(searcher, group) for group in groups]
    return required, required_scores, allowed, matched


def _affordable(searcher: Searcher, groups: list[list[Clause]]) -> list[list[Clause]]:
    """The groups whose postings fit `POSTINGS_BUDGET`, the rarest first, in the order
    typed. A long pasted paragraph at 100k assets would otherwise read millions of
    postings; the words left out are the most common ones, which tell assets apart
    least (Lucene's "common terms" do the same)."""
    cost = [sum(searcher.doc_frequency(c.field or "content", w) for c in group for w in c.words)
            for group in groups]  # fmt: skip
    spent, kept = 0, set[int]()
    for place in sorted(range(len(groups)), key=cost.__getitem__):
        spent += cost[place]
        if spent > POSTINGS_BUDGET and kept:
            break
        kept.add(place)
    return [group for place, group in enumerate(groups) if place in kept]


def _group_scores(searcher: Searcher, group: list[Clause]) -> dict[int, float]:
    """Document number → how well it matches one group: the best of its alternatives
    (a word and its synonyms count once)."""
    if len(group) == 1:
        return _clause_scores(searcher, group[0])
    best: dict[int, float] = {}
    for clause in group:
        for docnum, score in _clause_scores(searcher, clause).items():
            if score > best.get(docnum, -1.0):
                best[docnum] = score
    return best


def _clause_scores(searcher: Searcher, clause: Clause) -> dict[int, float]:
    if clause.phrase or len(clause.words) != 1:
        query = clause_query(clause, searcher.reader())
        boost = title_boost(clause)
        return query_scores(searcher, query if boost is None else wq.AndMaybe(query, boost))
    (word,) = clause.words
    scores = term_scores(searcher, "content", word)
    for docnum, score in term_scores(searcher, "title", word).items():
        if docnum in scores:  # the title is part of the content: only adds rank
            scores[docnum] += TITLE_WEIGHT * score
    if clause.weight != 1.0:
        scores = {docnum: score * clause.weight for docnum, score in scores.items()}
    return scores


def _sorted(searcher: Searcher, groups: list[list[Clause]], required: wq.Query, candidates: set[int], sorting: tuple[str, bool],
            limit: int) -> list[int]:  # fmt: skip
    """The candidates in the order of a sort column (newest, most used, title)."""
    reader = searcher.reader()
    optional: wq.Query = wq.Or([group_query(group, reader) for group in groups])
    query = optional if required is wq.NullQuery else wq.AndMaybe(required, optional)
    top = TopSortingCollector(sorting[0], limit=limit, reverse=sorting[1])
    collector = collectors.FilterCollector(top, allow=candidates)
    searcher.search_with_collector(query, collector)
    return [hit.docnum for hit in collector.results()]


def unmatched_everywhere(relaxed: Relaxed) -> list[str]:
    """The words no hit on the page matches, in the order typed."""
    if not relaxed.unmatched:
        return []
    common = set.intersection(*(set(words) for words in relaxed.unmatched))
    seen: list[str] = []
    for words in relaxed.unmatched:
        seen += [w for w in words if w in common and w not in seen]
    return seen
