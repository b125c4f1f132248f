"""Collectors for one pass over the matches: the top N, and every match counted."""

from __future__ import annotations

import heapq

from whoosh import collectors


class TopCollector(collectors.TopCollector):
    """Every match with its score, in one pass: the exact total, the facet counts and
    the top N (after the ranking signals, see signals.py) all come from it. (Whoosh's
    own would skip blocks by their best score, which for common words skipped almost
    nothing, and then run the query again to count; a phrase would be checked up to
    three times.)"""

    def __init__(self, limit: int) -> None:
        super().__init__(limit=limit, usequality=False)
        self.scored: list[tuple[float, int]] = []

    @property
    def docnums(self) -> list[int]:
        return [docnum for _, docnum in self.scored]

    def _collect(self, global_docnum: int, score: float) -> object:
        self.scored.append((score, global_docnum))
        # Whoosh raises `minscore` as the top N fills, and the matcher then prunes what
        # cannot reach it (an OR whose other words score low becomes an AND): the top N
        # would stay right but the total and the facets would depend on the page size.
        self.minscore = 0
        return None


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
