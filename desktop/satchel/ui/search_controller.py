"""Runs searches off the UI thread as the person types, and feeds the models."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field, replace

from PySide6.QtCore import QObject, QTimer, Signal

from satchel.core.domain.search import SearchResults
from satchel.core.services import Services
from satchel.ui.facet_model import FacetModel
from satchel.ui.results_model import PAGE_SIZE, ResultsModel
from satchel.ui.tasks import TaskRunner


@dataclass(frozen=True)
class SearchState:
    """Everything that decides which assets are listed."""

    text: str = ""
    sort: str = "relevance"
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)  # facet → any of these
    scope: tuple[str, ...] | None = None  # a collection, recently used, expiring soon (in order)
    include_hidden: bool = False  # retired and expired assets too


class SearchController(QObject):
    """Debounces typing, runs one search at a time, drops answers that are out of date.

    Signals:
        finished(SearchResults): the first page of a new search has been shown.
        failed(BaseException): a search failed.
    """

    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, services: Services, runner: TaskRunner, results: ResultsModel,
                 facets: FacetModel, delay_ms: int,
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self.results = results
        self.facets = facets
        self.state = SearchState()
        self.last: SearchResults | None = None
        self._noted: SearchResults | None = None  # the last search offered to the search log
        self.facets_reshaped = False  # the last search changed which facet values show
        self._asked = 0  # number of the newest search asked for
        self._running = False
        self._again = False  # the state changed while a search ran
        self._debounce = QTimer(self, singleShot=True, interval=delay_ms)
        self._debounce.timeout.connect(self.run_now)
        # A search the person paused on for a while counts as asked (content demand).
        self._settle = QTimer(self, singleShot=True, interval=1500)
        self._settle.timeout.connect(self._settled)
        results.page_needed.connect(self._fetch_page)
        results.sort_requested.connect(lambda sort: self.update(sort=sort))
        facets.filters_changed.connect(lambda chosen: self.update(filters=chosen))

    @property
    def busy(self) -> bool:
        """A search is running or waiting for the typing to pause."""
        return self._running or self._debounce.isActive()

    def set_delay(self, milliseconds: int) -> None:
        """How long typing must pause before a search runs."""
        self._debounce.setInterval(milliseconds)

    def type_text(self, text: str) -> None:
        """The search box changed: search once typing pauses."""
        if text != self.state.text:
            self.state = replace(self.state, text=text)
            self._debounce.start()

    def update(self, *, text: str | None = None, sort: str | None = None,
               filters: dict[str, tuple[str, ...]] | None = None,
               scope: Collection[str] | bool | None = False,
               include_hidden: bool | None = None) -> None:  # fmt: skip
        """Change part of the state and search at once (scope False means unchanged)."""
        changes: dict[str, object] = {}
        if text is not None:
            changes["text"] = text
        if sort is not None:
            changes["sort"] = sort
        if filters is not None:
            changes["filters"] = dict(filters)
        if scope is not False:
            changes["scope"] = None if scope is None else tuple(scope)  # type: ignore[arg-type]
        if include_hidden is not None:
            changes["include_hidden"] = include_hidden
        self.state = replace(self.state, **changes)  # type: ignore[arg-type]
        self.run_now()

    def refresh(self) -> None:
        """Search again with the same state (the library changed)."""
        self.run_now()

    def run_now(self) -> None:
        self._debounce.stop()
        if self._running:  # one at a time; the newest state runs when this one ends
            self._again = True
            return
        self._running = True
        self._asked += 1
        asked, state = self._asked, self.state
        self._runner.query(
            lambda: self._search(state, 1, with_facets=True),
            lambda results: self._shown(asked, state, results),
            self._failed,
        )

    def _search(self, state: SearchState, page: int, with_facets: bool) -> SearchResults:
        sort = state.sort
        if sort == "relevance" and not state.text.strip() and state.scope is None:
            sort = "newest"  # browsing the library: nothing to rank by (a place keeps its order)
        options = dict(sort=sort, page=page, page_size=PAGE_SIZE, with_facets=with_facets,
                       filters=state.filters, scope=state.scope,
                       include_hidden=state.include_hidden)  # fmt: skip
        results = self._services.search.find(state.text, as_you_type=True, **options)  # type: ignore[arg-type]
        several_words = len(state.text.split()) > 1
        if state.text.strip() and (
            not results.total or (several_words and results.total < PAGE_SIZE)
        ):
            # Less than a page for the word being typed as a prefix: try it as a whole
            # word, which also corrects typos in it ("vibratoin" → "vibration") and, with
            # several words, may add the assets that match most of them. Taken only if
            # it keeps every asset the prefix found (mid-word, it would lose them).
            whole = self._services.search.find(state.text, **options)  # type: ignore[arg-type]
            kept = {hit.id for hit in results.hits} <= {hit.id for hit in whole.hits}
            if not results.total or (whole.total > results.total and kept):
                results = whole
        return results

    def _shown(self, asked: int, state: SearchState, results: SearchResults) -> None:
        self._running = False
        if self._again:
            self._again = False
            if state != self.state:  # typed on meanwhile: this answer is already stale
                self.run_now()
                return
        self.last = results
        self.results.reset(results.total, results.hits)
        self.facets_reshaped = self.facets.set_counts(results.facets)
        self._settle.start()
        self.finished.emit(results)

    def _settled(self) -> None:
        last = self.last
        if last is None or last is self._noted or last.query != self.state.text or self.busy:
            return
        self._noted = last  # once per search shown, however often the timer fires
        self._runner.mutate(lambda: self._services.search.record_low_result(last.query, last.total))

    def _failed(self, error: BaseException) -> None:
        self._running = False
        if self._again:
            self._again = False
            self.run_now()
        self.failed.emit(error)

    def _fetch_page(self, page: int) -> None:
        generation, state = self.results.generation, self.state
        self._runner.query(
            lambda: self._search(state, page, with_facets=False).hits,
            lambda hits: self.results.add_page(generation, page, hits),
            lambda _error: self.results.page_failed(generation, page),
        )
