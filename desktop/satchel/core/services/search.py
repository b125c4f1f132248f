"""Finding assets: ranked search with snippets and facets, and the index behind it."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Collection as Many

from satchel.core.domain.assets import AssetKind, FileType
from satchel.core.domain.changes import Changes
from satchel.core.domain.imports import CancelToken
from satchel.core.domain.insights import LOW_RESULTS  # logged for marketing: content demand
from satchel.core.domain.permissions import Capability
from satchel.core.domain.search import SORTS, SearchHit, SearchResults
from satchel.core.domain.synonyms import Synonym, check, expansions
from satchel.core.errors import ValidationError
from satchel.core.search import documents as search_documents
from satchel.core.search import titles
from satchel.core.search.analysis import fold
from satchel.core.search.index import IndexDamagedError, RawHits
from satchel.core.search.query import ParsedQuery
from satchel.core.search.query import parse as parse_query
from satchel.core.search.schema import FACETS
from satchel.core.search.snippets import best_snippet, plain_snippet, shared_lines
from satchel.core.search.snippets import matcher as snippet_matcher
from satchel.core.search.synonyms import with_synonyms
from satchel.core.services.context import Area
from satchel.core.storage import activity_repo, assets_repo, synonyms_repo

log = logging.getLogger("satchel.services")


class SearchService(Area):
    """`services.search`: reads only, except the search log and index maintenance."""

    def synonyms(self) -> list[Synonym]:
        """The synonyms every search applies, in their order."""
        with self._ctx.library.db.read() as session:
            return synonyms_repo.live(session)

    def set_synonyms(self, entries: Sequence[Synonym]) -> tuple[list[Synonym], Changes]:
        """Keep exactly these synonyms (marketers and admins). The whole list is checked
        first: every problem named, nothing kept. Searches use them at once."""
        self._ctx.allow(Capability.MANAGE_SYNONYMS)
        cleaned = check(entries)
        library = self._ctx.library
        with library.db.write() as session:
            synonyms_repo.replace(session, library.new_id, cleaned, library.clock())
        return cleaned, Changes(synonyms=True)

    def _with_synonyms(self, parsed: ParsedQuery) -> ParsedQuery:
        """A few rows, read per search so a list changed elsewhere (the CLI, another
        window) applies at once; not read at all when no typed word could match one."""
        if not any(clause.relaxable for group in parsed.groups for clause in group):
            return parsed
        return with_synonyms(parsed, expansions(self.synonyms()))

    def find(
        self,
        text: str,
        *,
        sort: str = "relevance",
        page: int = 1,
        page_size: int = 20,
        include_hidden: bool = False,
        as_you_type: bool = False,
        with_facets: bool = True,
        filters: Mapping[str, str | Many[str]] | None = None,
        scope: Many[str] | None = None,
    ) -> SearchResults:
        """Ranked results with snippets; facet counts over every match; "did you mean".

        An empty query lists every asset (browsing); `filters` are facet values as
        shown in the facet counts (several values of one facet: any of them; facets
        together: all of them); `scope` narrows to those asset ids. Nothing is
        written: `record_low_result` logs a search that found little.
        """
        if sort not in SORTS:
            raise ValidationError([f"Sort by one of: {', '.join(SORTS)}."])
        for name in filters or {}:
            if name not in FACETS:
                raise ValidationError([f"There is no filter called {name!r}."])
        keeper = self._ctx.keeper()
        # A first sync: no index yet, and none is built here; the titles are found below.
        building_first = keeper.titles_coming and not keeper.index.is_open
        if not (building_first or (keeper.index.is_open and keeper.rebuilding)):
            # (Else: read the open index meanwhile.) On the index lane, behind the index
            # updates of every change saved so far.
            self._ctx.on_index_lane(lambda: keeper.ensure(wait=not keeper.index.is_open))
        languages = keeper.index.languages()
        parsed = self._with_synonyms(parse_query(text, as_you_type, languages))
        for name, chosen in (filters or {}).items():
            for value in [chosen] if isinstance(chosen, str) else chosen:
                parsed.add_filter(name, value)
        # Browsing an ordered scope (recently used: newest first) keeps the scope's order.
        in_order = (isinstance(scope, list | tuple) and parsed.empty and sort == "relevance"
                    and not parsed.filters)  # fmt: skip
        run = functools.partial(
            keeper.index.search, parsed, sort=sort,
            page=1 if in_order else page, page_size=len(scope or ()) if in_order else page_size,
            include_hidden=include_hidden or "status" in parsed.filters,
            today=self._ctx.library.clock().date(), with_facets=with_facets, match_all=True,
            only_ids=scope, drafts=self._ctx.sees_drafts,
        )  # fmt: skip
        try:
            raw = RawHits([], [], 0) if building_first else run()
        except IndexDamagedError as first:
            # A search that raced a merge or a swap may have read files just replaced:
            # a fresh searcher first. Damage that stays is rebuilt from the database.
            log.info("search failed (%s); trying again with a fresh searcher", first)
            keeper.index.renew_searcher()
            try:
                raw = run()
            except IndexDamagedError as error:
                log.warning("search index failed (%s); rebuilding", error)
                self._ctx.on_index_lane(keeper.recover)
                raw = run()
        if in_order:
            raw.ids, raw.scores = _in_order(raw.ids, scope or (), page, page_size)
        elif keeper.rebuilding and page == 1:
            self._add_unindexed_titles(raw, parsed, page_size, include_hidden, scope)
        words = parsed.highlight_terms() | parsed.prefixes()
        if raw.fuzzy and raw.suggestion:  # mark the words the typos were taken to mean
            words |= parse_query(raw.suggestion, languages=languages).highlight_terms()
        hits = self._hits(raw.ids, raw.scores, snippet_matcher(words), raw.unmatched)
        labels = self._labels() if with_facets else {}
        facets = {
            name: tuple(
                (labels.get(name, {}).get(value, value), count)
                for value, count in counts.most_common()
            )
            for name, counts in raw.facets.items()
        }
        return SearchResults(text, tuple(hits), raw.total, page, page_size, facets,
                             raw.suggestion, raw.fuzzy, raw.relaxed,
                             tuple(raw.unmatched_all))  # fmt: skip

    def _add_unindexed_titles(self, raw: RawHits, parsed: ParsedQuery, page_size: int,
                              include_hidden: bool, scope: Many[str] | None) -> None:  # fmt: skip
        """While the index is being built (a first sync's big pull), assets it has not
        seen yet are found by their titles too, after what the index found."""
        asked = titles.typed_words(parsed)
        if asked is None:
            return
        words, prefix = asked
        library = self._ctx.library
        with library.db.read() as session:
            rows = assets_repo.unindexed_titles(
                session, [*words, *([prefix] if prefix else [])], drafts=self._ctx.sees_drafts,
                hidden_too=include_hidden, today=library.clock().date())  # fmt: skip
        known = set(raw.ids)
        rows = [row for row in rows if row[0] not in known and (scope is None or row[0] in scope)]
        found = titles.ranked(rows, words, prefix)
        room = found[: max(0, page_size - len(raw.ids))]
        if raw.unmatched:
            raw.unmatched += [[] for _ in room]
        raw.ids += room
        raw.scores += [0.0 for _ in room]
        raw.total += len(found)

    def _hits(
        self, ids: list[str], scores: list[float], pattern: re.Pattern[str] | None,
        unmatched: list[list[str]],
    ) -> list[SearchHit]:  # fmt: skip
        if not ids:
            return []
        hits = []
        with self._ctx.library.db.read() as session:
            rows = assets_repo.rows_with_versions(session, ids)
            texts = search_documents.page_texts(session, ids)
            lacking = unmatched or [[] for _ in ids]
            letterhead = shared_lines([texts.get(asset_id, []) for asset_id in ids])
            for asset_id, score, missing in zip(ids, scores, lacking, strict=True):
                row = rows.get(asset_id)
                if row is None or row.deleted_at is not None:  # gone since it was indexed
                    continue
                pages = texts.get(asset_id, [])
                snippet = (best_snippet(pages, pattern, letterhead)
                           or plain_snippet(pages, letterhead))  # fmt: skip
                current = row.versions[-1]
                hits.append(
                    SearchHit(
                        id=row.id,
                        title=row.title,
                        kind=AssetKind(row.kind),
                        file_type=FileType(current.blob.file_type),
                        score=score,
                        snippet=snippet.text if snippet else row.summary[:200],
                        marks=snippet.marks if snippet else (),
                        page=snippet.page if snippet else None,
                        updated_at=row.updated_at,
                        product=row.product,
                        status=row.status,
                        expires_on=row.expires_on,
                        page_count=current.page_count,
                        sha256=current.blob.sha256,
                        unmatched=tuple(missing),
                    )
                )
        return hits

    def _labels(self) -> dict[str, dict[str, str]]:
        """Facet values as written (the index keeps them folded)."""
        if self._ctx.facet_labels is None:
            with self._ctx.library.db.read() as session:
                self._ctx.facet_labels = assets_repo.facet_labels(session, FACETS, fold)
        return self._ctx.facet_labels

    def record_low_result(self, text: str, results: int) -> Changes:
        """Log a search the actor settled on if it found little: marketing's list of
        what people look for and do not find. A write: run it on the writer lane."""
        if results > LOW_RESULTS or not text.strip() or self._ctx.library.read_only:
            return Changes()
        library = self._ctx.library
        with library.db.write() as session:
            activity_repo.add_search(session, library.new_id(), text, results,
                                     self._ctx.actor_id, library.clock())  # fmt: skip
        return Changes(search_log=True)

    def low_result_searches(self) -> list[tuple[str, int, str | None]]:
        """Logged searches that found little or nothing: (query, results, user id)."""
        self._ctx.allow(Capability.SEE_OTHERS_ACTIVITY, writes=False)
        with self._ctx.library.db.read() as session:
            return activity_repo.low_result_searches(session)

    def ensure_index(
        self, progress: Callable[[int], None] | None = None, cancel: CancelToken | None = None
    ) -> str:
        """Check the index against the database and repair or rebuild it as needed.

        Returns what was done ("ok", "rebuilt (damaged, 40 assets)", …). Slow only when
        a rebuild is needed; the desktop runs it in the background at start-up. This is
        also where a library that has grown fourfold gets its common words chosen again.
        """
        token = cancel or CancelToken()
        keeper = self._ctx.keeper()
        return self._ctx.on_index_lane(
            lambda: keeper.ensure(progress, lambda: token.cancelled, regrow=True)
        )

    def reindex(
        self, progress: Callable[[int], None] | None = None, cancel: CancelToken | None = None
    ) -> str:
        """Rebuild the index from the database into a new folder and swap it in."""
        token = cancel or CancelToken()
        keeper = self._ctx.keeper()
        return self._ctx.on_index_lane(lambda: keeper.rebuild(progress, lambda: token.cancelled))


def _in_order(ids: list[str], order: Many[str], page: int, page_size: int,
              ) -> tuple[list[str], list[float]]:  # fmt: skip
    """One page of `ids` in the order of `order`."""
    position = {asset_id: n for n, asset_id in enumerate(order)}
    ordered = sorted(ids, key=position.__getitem__)[(page - 1) * page_size : page * page_size]
    return ordered, [0.0] * len(ordered)
