"""What a search returns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from satchel.core.domain.assets import AssetKind, FileType

SORTS = ("relevance", "newest", "used", "title")
# Metadata that search counts and filters by (`product:atlas`).
FACETS = ("kind", "product", "audience", "funnel_stage", "region", "language", "status", "owner")


@dataclass(frozen=True)
class SearchHit:
    """One result row; `marks` are (start, end) spans of `snippet` to highlight."""

    id: str
    title: str
    kind: AssetKind
    file_type: FileType
    score: float
    snippet: str = ""
    marks: tuple[tuple[int, int], ...] = ()
    page: int | None = None  # the page the snippet comes from
    updated_at: dt.datetime | None = None
    product: str = ""
    status: str = ""
    expires_on: dt.date | None = None
    page_count: int = 0
    sha256: str = ""  # the current version's file (and thumbnail)
    unmatched: tuple[str, ...] = ()  # in a relaxed search: the words this hit lacks


@dataclass(frozen=True)
class SearchResults:
    """One page of results, with facet counts over every match."""

    query: str
    hits: tuple[SearchHit, ...]
    total: int
    page: int
    page_size: int
    facets: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    suggestion: str | None = None  # "did you mean"
    fuzzy: bool = False  # results came from typo-tolerant matching
    relaxed: bool = False  # "Showing results for most of your words"
    unmatched: tuple[str, ...] = ()  # words (as typed) that no hit on this page matches
