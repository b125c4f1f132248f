"""Collectors for one pass over the matches: the top N, and every match counted."""

from __future__ import annotations

import heapq

from whoosh import collectors


class TopCollector(collectors.TopCollector):
    """The top N by score, noting every match on the way: the exact total and the facet
    counts come from this one pass. (Whoosh's own would skip blocks by their best score,
    which for common words skipped almost nothing, and then run the query again to count;
    a phrase would be checked up to three times.)"""

    def __init__(self, limit: int, weights: dict[int, float] | None = None) -> None:
        """`weights` multiply the scores of those documents (a relaxed search's
        coordination: more of the words matched ranks higher)."""
        super().__init__(limit=limit, usequality=False)
        self.docnums: list[int] = []
        self._weights = weights

    def _collect(self, global_docnum: int, score: float) -> object:
        self.docnums.append(global_docnum)
        if self._weights is not None:
            score *= self._weights.get(global_docnum, 1.0)
        kept = super()._collect(global_docnum, score)
        # Whoosh raises `minscore` as the top N fills, and the matcher then prunes what
        # cannot reach it (an OR whose other words score low becomes an AND): the top N
        # stays right but the total and the facets would depend on the page size.
        self.minscore = 0
        return kept


class TopSortingCollector(collectors.SortingCollector):
    """Whoosh's sorting collector sorts every match in one call, which holds the GIL
    (the window froze ~100 ms at 100k assets); a heap of the top N is a few ms."""

    @property
    def docnums(self) -> list[int]:
        return [docnum for _, docnum in self.items]

    def results(self):  # type: ignore[no-untyped-def]
        if not self.limit:
            return super().results()
        pick = heapq.nlargest if self.reverse else heapq.nsmallest
        return self._results(pick(self.limit, self.items), docset=self.docset)
