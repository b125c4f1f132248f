"""A relaxed search: when every word together finds less than a page, the documents that
match most of the words, ranked by BM25 with a coordination factor.

Step by step: first the documents missing one word, then two, and so on, until there is
a page of them; never any-word at once. Phrases, named fields, filters and exclusions
stay required. Each hit says which words it does not match.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from whoosh import collectors
from whoosh import query as wq
from whoosh.searching import Searcher

from satchel.core.search.collect import TopCollector, TopSortingCollector
from satchel.core.search.query import (
    ParsedQuery,
    group_query,
    relaxable_groups,
    title_boost,
    to_whoosh,
    without,
)

COORDINATION = 1.0  # score × (words matched / words asked) ** COORDINATION


@dataclass
class Relaxed:
    """One page of a relaxed search."""

    docnums: list[int]  # every visible match, for the total and the facets
    page: list[tuple[str, float, int]]  # (asset id, score, docnum) of the page's hits
    unmatched: list[list[str]]  # per hit, the words (as typed) it does not match


def relax(searcher: Searcher, parsed: ParsedQuery, hidden: set[int],
          sorting: tuple[str, bool] | None, page: int, page_size: int) -> Relaxed | None:  # fmt: skip
    """The relaxed page, or None when there is nothing to relax: no plain word, or one
    plain word and nothing else asked, or only stop words."""
    groups = relaxable_groups(parsed)
    kept = without(parsed, groups)
    if not groups or parsed.only_stop_words or (len(groups) == 1 and not kept.positive):
        return None
    reader = searcher.reader()
    required = to_whoosh(kept, reader)
    allowed = None if required is wq.NullQuery else set(required.docs(searcher)) - hidden
    matched = [set(group_query(group, reader).docs(searcher)) for group in groups]
    counts = Counter(docnum for docs in matched for docnum in docs)
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
    # Every relaxed word scores where it matches; the required part stays required.
    clauses = [c for group in groups for c in group]
    optional: wq.Query = wq.Or([group_query(group, reader) for group in groups])
    boosts = [b for c in clauses if (b := title_boost(c)) is not None]
    if boosts:
        optional = wq.AndMaybe(optional, wq.Or(boosts))
    query = optional if required is wq.NullQuery else wq.AndMaybe(required, optional)
    # Coordination: the share of what was asked that a document matches (a required
    # phrase or field counts as matched, since every candidate has it).
    asked = words + len(kept.positive)
    weights = {d: ((counts.get(d, 0) + asked - words) / asked) ** COORDINATION for d in candidates}
    first = (max(1, page) - 1) * page_size
    top: TopCollector | TopSortingCollector = (
        TopSortingCollector(sorting[0], limit=first + page_size, reverse=sorting[1])
        if sorting
        else TopCollector(first + page_size, weights)
    )
    collector = collectors.FilterCollector(top, allow=candidates)
    searcher.search_with_collector(query, collector)
    window = list(collector.results())[first:]
    page_hits = [(hit["id"], 0.0 if sorting else round(hit.score or 0.0, 4), hit.docnum)
                 for hit in window]  # fmt: skip
    said = [" OR ".join(c.raw for c in group if not c.synonym) for group in groups]  # as typed
    unmatched = [
        [word for word, docs in zip(said, matched, strict=True) if docnum not in docs]
        for _id, _score, docnum in page_hits
    ]
    return Relaxed(top.docnums, page_hits, unmatched)


def unmatched_everywhere(relaxed: Relaxed) -> list[str]:
    """The words no hit on the page matches, in the order typed."""
    if not relaxed.unmatched:
        return []
    common = set.intersection(*(set(words) for words in relaxed.unmatched))
    seen: list[str] = []
    for words in relaxed.unmatched:
        seen += [w for w in words if w in common and w not in seen]
    return seen
