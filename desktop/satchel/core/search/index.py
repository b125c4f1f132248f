"""`SearchIndex`: the only code that touches Whoosh's index files.

Layout: ``<library>/index/CURRENT`` names the active index folder; each folder holds
Whoosh's files, a ``STAMP`` with the generation that the database also records, and
``COMMON``, the common words whose pairs the index holds (see pairs.py).
A rebuild writes a new folder and then swaps CURRENT, so searches go on meanwhile.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import itertools
import json
import logging
import os
import secrets
import shutil
import sys
import threading
import time
import warnings
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import collectors
from whoosh import index as windex
from whoosh import query as wq
from whoosh.reading import IndexReader, ReaderClosed
from whoosh.searching import Searcher
from whoosh.util.times import datetime_to_long
from whoosh.writing import IndexWriter, LockError

from satchel.core import failpoints
from satchel.core.domain.assets import AssetStatus
from satchel.core.errors import KnownError
from satchel.core.search import bm25, codec, lengths, pairs, safe_pickle, signals
from satchel.core.search.analysis import DEFAULT_LANGUAGE, STEMMERS, fold, marked
from satchel.core.search.collect import TopCollector, TopSortingCollector
from satchel.core.search.mp_writer import SpawningMpWriter, merge_small_segments
from satchel.core.search.query import (
    MAX_FUZZY_WORD,
    ParsedQuery,
    analyse,
    apply_corrections,
    spelling_words,
    to_whoosh,
)
from satchel.core.search.relax import every_word, relax, unmatched_everywhere
from satchel.core.search.schema import FACETS, META_FACETS, build_schema

log = logging.getLogger("satchel.search")
safe_pickle.install()
lengths.install()
codec.install()

PINNED_WHOOSH = ("whoosh-reloaded", "2.7.5")


def check_whoosh() -> None:
    """Several distributions install a `whoosh` module over each other: make sure the one
    loaded is the one we pinned and tested (its answers and its pickles differ)."""
    import importlib.metadata

    import whoosh

    name, version = PINNED_WHOOSH
    try:
        installed = importlib.metadata.version(name)
        files = importlib.metadata.files(name) or []
    except importlib.metadata.PackageNotFoundError:
        installed, files = "", []
    loaded = Path(whoosh.__file__).resolve()
    if getattr(sys, "frozen", False):  # a frozen build bundles exactly what it was built with
        return
    ours = any(Path(str(f.locate())).resolve() == loaded for f in files if f.name == "__init__.py")
    if installed != version or not ours:
        raise KnownError(
            f"Search needs {name} {version}, but another Whoosh is installed "
            f"({loaded.parent}). Reinstall Satchel to repair it."
        )


SORTS = {"relevance": None, "newest": ("updated", True), "used": ("popularity", True),
         "title": ("title_sort", False)}  # fmt: skip


MAX_SEGMENTS = 8
# The raw column values a real date can have (Whoosh stores microseconds since year 1).
_DATES = (datetime_to_long(dt.datetime(1900, 1, 1)), datetime_to_long(dt.datetime(9999, 1, 1)))
MAX_CORRECTED = 8


def _close(searcher: Searcher) -> None:
    """Close a searcher that may be closed already (a search found it so)."""
    with contextlib.suppress(ReaderClosed):
        searcher.close()


def _segment_factors(reader: IndexReader, today: dt.date) -> list[float]:
    """The ranking-signal factor of each document of one segment, from its columns.

    Read per segment: a segment where no asset has a date has no column for it, and
    Whoosh's multi-segment column reader then reads the wrong segment's."""
    count = reader.doc_count_all()

    def column(name: str) -> Iterable[int | None]:
        if not reader.has_column(name):
            return itertools.repeat(None, count)
        return reader.column_reader(name, translate=name == "popularity")

    def days(raw: Iterable[int | None]) -> Iterator[int | None]:
        # microseconds since 0001-01-01, whose ordinal is 1; an asset without the date
        # holds the column's default, which is no real date
        return (r // _DAY + 1 if r and _DATES[0] <= r <= _DATES[1] else None for r in raw)

    uses = (u or 0 for u in column("popularity"))
    dates = (days(column(name)) for name in ("updated", "review_on", "expires"))
    return signals.factors(zip(uses, *dates, strict=True), today)


_DAY = 86_400_000_000  # microseconds


MERGE_DELAY = 2.0  # seconds without edits before small segments are merged
RETIRED_SECONDS = 30.0  # a replaced searcher is closed after this (searches still using it)
# Separate segment files, not one compound file: Whoosh reads a compound file's parts
# through BytesIO, which copies them into memory (2.2 GB for a 100k-asset index).
COMPOUND = False
COMMON_FILE = "COMMON"


class IndexDamagedError(Exception):
    """The index cannot be read; it will be moved aside and rebuilt."""


class IndexBusyError(KnownError):
    """Another writer held the index's write lock for too long."""


@dataclass(frozen=True)
class IndexDoc:
    """What the index needs to know about one asset."""

    id: str
    title: str
    summary: str
    tags: tuple[str, ...]
    body: str
    opening: str  # the start of page 1
    facets: dict[str, str]
    updated: dt.datetime
    expires: dt.date | None
    popularity: int = 0
    review_on: dt.date | None = None


@dataclass
class RawHits:
    """Hits on one page of results, before snippets are cut."""

    ids: list[str]
    scores: list[float]
    total: int
    fuzzy: bool = False
    suggestion: str | None = None
    facets: dict[str, Counter[str]] = field(default_factory=dict)
    relaxed: bool = False  # most of the words, not all: see relax.py
    unmatched: list[list[str]] = field(default_factory=list)  # per hit, when relaxed
    unmatched_all: list[str] = field(default_factory=list)  # matched by no hit on the page


def _naive_utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value


def _content(doc: IndexDoc) -> str:
    """Every searchable word of the asset, marked with its language (see analysis.py)."""
    return marked("\n".join(
        (
            doc.title,
            " ".join(doc.tags),
            doc.summary,
            " ".join(doc.facets.get(name, "") or "" for name in META_FACETS),
            doc.body,
        )
    ), doc.facets.get("language"))  # fmt: skip


def _read_common(folder: Path) -> tuple[int, list[str]]:
    """The index's COMMON file: how many assets it held when its common words were
    chosen, and the words (none for an index without the file)."""
    try:
        common = json.loads((folder / COMMON_FILE).read_bytes())
    except FileNotFoundError:
        return 0, []
    except ValueError as error:
        raise IndexDamagedError(f"{COMMON_FILE} is damaged: {error}") from None
    basis, words = (
        (common.get("documents"), common.get("words")) if isinstance(common, dict) else (None, None)
    )
    if (
        not isinstance(basis, int)
        or not isinstance(words, list)
        or not all(isinstance(w, str) for w in words)
    ):
        raise IndexDamagedError(f"{COMMON_FILE} is damaged")
    return basis, words


# What a quick index of metadata alone leaves out (see SearchKeeper.rebuild): the
# as-you-type and did-you-mean words are most of the postings of a title.
ASSISTANCE = ("autocomplete", "spelling")


def _fields(doc: IndexDoc, assistance: bool = True) -> dict[str, object]:
    content, language = _content(doc), doc.facets.get("language")
    values: dict[str, object] = {
        "id": doc.id,
        "title": marked(doc.title, language),
        "tags": marked(" ".join(doc.tags), language),
        "summary": marked(doc.summary, language),
        "content": content,
        "pairs": content,
        "autocomplete": doc.title + " " + " ".join(doc.tags),
        "spelling": " ".join((doc.title, doc.summary, " ".join(doc.tags), doc.opening)),
        "title_sort": fold(doc.title)[:100],
        "updated": _naive_utc(doc.updated),
        "popularity": doc.popularity,
    }
    if doc.expires:
        values["expires"] = dt.datetime.combine(doc.expires, dt.time())
    if doc.review_on:
        values["review_on"] = dt.datetime.combine(doc.review_on, dt.time())
    for name in FACETS:
        values[name] = fold(doc.facets.get(name, "") or "")
    if not assistance:
        for name in ASSISTANCE:
            del values[name]
    return values


def _visible_mask(today: dt.date) -> wq.Query:
    """Retired and expired assets, left out unless asked for."""
    yesterday = dt.datetime.combine(today, dt.time()) - dt.timedelta(microseconds=1)
    return wq.Or([wq.Term("status", "retired"), wq.DateRange("expires", None, yesterday)])


class SearchIndex:
    """Index, update, delete, search, suggest, rebuild and check."""

    def __init__(self, folder: Path) -> None:
        check_whoosh()
        self.folder = folder
        self._index: windex.Index | None = None
        self._searcher: Searcher | None = None
        self._lock = threading.RLock()
        # This process's writers wait for each other here instead of polling Whoosh's
        # file lock against a deadline: a merge during a long import could hold it for
        # longer than the deadline (the next update failed), and updates coming back to
        # back starved the merge (segments piled up). Whoosh's lock still guards against
        # other processes.
        self._write_turn = threading.Lock()
        self._cache: dict[tuple[str, Searcher, object], object] = {}  # per searcher
        self._segment_factors: dict[tuple[str, dt.date], list[float]] = {}  # see _factor
        self._merger: threading.Timer | None = None
        self._retired: list[tuple[float, Searcher]] = []  # replaced searchers, closed later
        self._common_basis = 0  # see common_basis

    # --- lifecycle ----------------------------------------------------------------

    def _current_dir(self) -> Path | None:
        try:
            name = (self.folder / "CURRENT").read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):  # garbage in the pointer: no index, rebuild
            return None
        path = self.folder / name
        return path if name and "/" not in name and path.is_dir() else None

    def open(self) -> None:
        """Open the active index, or raise `IndexDamagedError` (missing counts as damaged).

        A searcher already open is retired, not closed: a search on another thread may
        still be reading it (a rebuild's swap closed it under them, and the search took
        the closed file for damage and rebuilt again). `close` closes it."""
        with self._lock:
            if self._searcher is not None:
                self._retired.append((time.monotonic(), self._searcher))
            self._searcher, self._index = None, None
            current = self._current_dir()
            if current is None:
                raise IndexDamagedError("there is no index yet")
            failure = ""
            # Whoosh leaves files open when it fails half-way through a damaged index;
            # they are closed as the error is dropped: quietly, since we know.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ResourceWarning)
                try:
                    basis, common = _read_common(current)
                    index = windex.open_dir(str(current), schema=build_schema(common))
                    searcher = index.searcher(weighting=bm25.Weighting())
                    searcher.doc_count()
                except Exception as error:  # noqa: BLE001 - any failure means: rebuild
                    failure = f"{type(error).__name__}: {error}"
                if failure:
                    gc.collect()
            if failure:
                raise IndexDamagedError(failure)
            self._index, self._searcher, self._common_basis = index, searcher, basis
            self._cache, self._segment_factors = {}, {}

    @property
    def is_open(self) -> bool:
        return self._searcher is not None

    @property
    def stamp(self) -> str | None:
        current = self._current_dir()
        try:
            return (current / "STAMP").read_text(encoding="utf-8").strip() if current else None
        except (OSError, UnicodeDecodeError):  # a damaged stamp matches nothing: rebuild
            return None

    def doc_count(self) -> int:
        return self._search().doc_count()

    @property
    def common_basis(self) -> int:
        """How many assets the open index held when its common words were chosen."""
        self._search()
        return self._common_basis

    def close(self) -> None:
        self.wait_for_merge(run_pending=False)  # before the lock: a merge takes it to finish
        self._close_searcher()

    def _close_searcher(self) -> None:
        with self._lock:
            for _, searcher in self._retired:
                _close(searcher)
            if self._searcher is not None:
                _close(self._searcher)
            self._searcher, self._index, self._retired = None, None, []

    def move_aside(self) -> Path | None:
        """Keep a damaged index for inspection, out of the way of the rebuild."""
        current = self._current_dir()
        self.close()
        if current is None:
            return None
        target = self.folder / f"damaged-{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(2)}"
        current.rename(target)
        (self.folder / "CURRENT").unlink(missing_ok=True)
        return target

    def rebuild(
        self,
        docs: Iterable[IndexDoc],
        stamp: str,
        progress: Callable[[int], None] | None = None,
        cancelled: Callable[[], bool] = lambda: False,
        assistance: bool = True,
    ) -> bool:
        """Build a new index in a fresh folder, then swap it in. False if cancelled.
        Without `assistance`, the as-you-type and did-you-mean words are left out."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        build = self.folder / f"build-{secrets.token_hex(4)}"
        build.mkdir(mode=0o700)
        try:
            # The common words, from the first assets (in id order, so a random sample).
            docs = iter(docs)
            head = list(itertools.islice(docs, pairs.SAMPLE_DOCS))
            common = pairs.choose_common(_content(doc) for doc in head)
            index = windex.create_in(str(build), build_schema(common))
            # Analysis is pure Python: a second process doubles throughput on 2 cores.
            procs = min(2, os.cpu_count() or 1)
            writer: IndexWriter = (
                SpawningMpWriter(index, procs=procs, multisegment=True, limitmb=256,
                                  compound=COMPOUND)
                if procs > 1 else index.writer(limitmb=256, compound=COMPOUND)
            )  # fmt: skip
            count = 0
            try:
                for count, doc in enumerate(itertools.chain(head, docs), start=1):
                    if cancelled():
                        writer.cancel()
                        return False
                    writer.add_document(**_fields(doc, assistance))
                    if progress is not None and count % 200 == 0:
                        progress(count)
                failpoints.hit("index.commit")
                writer.commit()
            except BaseException:
                with contextlib.suppress(Exception):  # stops the writer processes too
                    writer.cancel()
                raise
            built = windex.open_dir(str(build), schema=build_schema(common)).doc_count_all()
            if built != count:  # a sub-writer process died: its documents are missing
                raise KnownError(f"The search index could not be built ({built} of {count} "
                                 "assets indexed); see the log.")  # fmt: skip
            (build / "STAMP").write_text(stamp)
            (build / COMMON_FILE).write_text(
                json.dumps({"documents": count, "words": sorted(common)})
            )
            finished = build.rename(self.folder / build.name.replace("build-", "gen-"))
            self.wait_for_merge(run_pending=False)  # not into the folder about to go
            self._swap(finished)
            return True
        finally:
            if build.exists() and self._current_dir() != build:
                shutil.rmtree(build, ignore_errors=True)

    def _swap(self, build: Path) -> None:
        with self._lock:
            old = self._current_dir()
            pointer = self.folder / f".CURRENT.{secrets.token_hex(4)}"
            pointer.write_text(build.name)
            os.replace(pointer, self.folder / "CURRENT")
            self.open()
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
            self.remove_leftovers()

    def remove_leftovers(self) -> None:
        """Delete unfinished builds and old damaged copies (kept one day)."""
        current = self._current_dir()
        for entry in self.folder.iterdir() if self.folder.is_dir() else ():
            old = time.time() - entry.stat().st_mtime > 86_400
            # gen-: an index a damaged CURRENT no longer pointed at
            if entry.is_dir() and entry != current and (entry.name.startswith(("build-", "gen-")) or
                                                        (entry.name.startswith("damaged-") and old)):  # fmt: skip
                shutil.rmtree(entry, ignore_errors=True)

    # --- updates ------------------------------------------------------------------

    def _writer(self) -> IndexWriter:
        assert self._index is not None
        deadline = time.monotonic() + 10
        while True:
            try:
                return self._index.writer(compound=COMPOUND)
            except LockError:
                if time.monotonic() > deadline:
                    raise IndexBusyError(
                        "The search index is busy with another update; try again in a moment."
                    ) from None
                time.sleep(0.01)

    @contextlib.contextmanager
    def _writing(self) -> Iterator[IndexWriter]:
        """The writer, cancelled if anything fails, its commit included: that closes its
        files and frees the write lock (a failed merge kept both)."""
        with self._write_turn:  # our own writers (updates, merges) take turns, see __init__
            writer = self._writer()
            try:
                yield writer
            except BaseException:
                with contextlib.suppress(Exception):  # a half-done commit may refuse to cancel
                    writer.cancel()
                raise

    def update(self, docs: Sequence[IndexDoc], deleted: Sequence[str] = (),
               merge: bool = True) -> None:  # fmt: skip
        """Add or replace `docs` and drop `deleted`, in one commit; searchers see it at once.
        `merge=False`: a segment of its own whatever its size (merged in the background)."""
        if not docs and not deleted:
            return
        with self._lock:
            if self._index is None:
                self.open()
        # Not under the lock: a background merge holds the write lock, and it takes our
        # lock to swap in its searcher.
        with self._writing() as writer:
            for doc in docs:
                writer.update_document(**_fields(doc))
            for asset_id in deleted:
                writer.delete_by_term("id", asset_id)
            # A small change writes its own small segment (fast). Once segments pile up
            # (every query pays per segment), the small ones are merged in the
            # background, so the change is visible without waiting for the merge.
            failpoints.hit("index.commit")
            writer.commit(merge=merge and len(docs) + len(deleted) > 20)
        self._fresh_searcher()
        if len(self._search().subsearchers or [0]) >= MAX_SEGMENTS:
            self._merge_in_background()

    def _fresh_searcher(self) -> None:
        """A new searcher (refresh() was seen to return an updated document twice).

        The old one is closed some seconds later, not now: a search in another thread
        (the window's) may still be reading it, and a closed file would look like damage.
        """
        with self._lock:
            now = time.monotonic()
            for retired in [r for r in self._retired if now - r[0] > RETIRED_SECONDS]:
                _close(retired[1])
                self._retired.remove(retired)
            if self._searcher is not None:
                self._retired.append((now, self._searcher))
            self._searcher = self._index.searcher(weighting=bm25.Weighting())  # type: ignore[union-attr]
            self._cache = {}

    def renew_searcher(self) -> None:
        """Replace the searcher (the old one is retired, not closed at once)."""
        with self._lock:
            if self._index is not None:
                self._fresh_searcher()

    def _merge_in_background(self) -> None:
        """Merge once edits pause: a merge of even a few small segments takes ~0.3 s of
        Whoosh's per-term work, and an edit that came meanwhile would wait for it."""
        with self._lock:
            if self._merger is not None:
                self._merger.cancel()  # a later edit moves the merge back
            self._merger = threading.Timer(MERGE_DELAY, self._merge_small)
            self._merger.name, self._merger.daemon = "satchel-index-merge", True
            self._merger.start()

    def _merge_small(self) -> None:
        """Merge the small segments (Whoosh's default policy). Searches and updates go on
        meanwhile: an update waits for the index's write lock, a search uses the last
        searcher until the merged one replaces it."""
        try:
            with self._lock:
                index = self._index
            if index is None:
                return
            with self._writing() as writer:
                writer.commit(mergetype=merge_small_segments)
            with self._lock:
                if self._index is index:  # not swapped by a rebuild meanwhile
                    self._fresh_searcher()
        except IndexBusyError:  # another process is writing: merge once it is done
            self._merge_in_background()
        except Exception as error:  # noqa: BLE001 - housekeeping: the next update tries again
            log.warning("merging index segments failed: %s", error)

    def wait_for_merge(self, run_pending: bool = True) -> None:
        """Finish a merge under way; one still waiting for edits to pause runs now (or,
        without `run_pending`, is dropped: the next edit schedules it again). A merge
        with nothing left to merge changes nothing."""
        with self._lock:
            merger, self._merger = self._merger, None
        if merger is None:
            return
        merger.cancel()
        merger.join()
        if run_pending:
            self._merge_small()

    def optimize(self) -> None:
        """Merge every segment into one (housekeeping after many small updates)."""
        with self._lock:
            if self._index is None:
                self.open()
        with self._writing() as writer:  # never under `_lock`: a merge takes it to finish
            writer.commit(optimize=True)
        self._fresh_searcher()

    # --- queries ------------------------------------------------------------------

    def _search(self) -> Searcher:
        with self._lock:
            if self._searcher is None:
                self.open()
            assert self._searcher is not None
            return self._searcher

    def search(
        self,
        parsed: ParsedQuery,
        *,
        sort: str = "relevance",
        page: int = 1,
        page_size: int = 20,
        include_hidden: bool = False,
        today: dt.date | None = None,
        with_facets: bool = True,
        match_all: bool = False,
        only_ids: Collection[str] | None = None,
        relax: bool = True,
        drafts: bool = True,
    ) -> RawHits:
        """One page of hits; with fewer than 3, misspelt words are corrected and retried;
        with less than a page, `relax` finds the documents that match most of the words.

        An empty query finds nothing, or everything with `match_all` (browsing);
        `only_ids` narrows the search to those assets (a collection, recently used);
        without `drafts`, unpublished assets are never found, hidden or not (a rep's view).
        """
        if (parsed.empty and not match_all) or (only_ids is not None and not only_ids):
            return RawHits([], [], 0)
        searcher = self._search()
        if searcher.doc_count_all() == 0:  # an empty index has no columns to count facets in
            return RawHits([], [], 0)
        hidden = set() if include_hidden else self._hidden(searcher, today or dt.date.today())
        if not drafts:
            hidden = hidden | self._drafts(searcher)
        if only_ids is not None:
            hidden = hidden | self._outside(searcher, only_ids)
        try:
            query = to_whoosh(parsed, searcher.reader())
            if query is wq.NullQuery:  # browsing: an empty query with `match_all`
                query = wq.Every()
            factor = self._factor(searcher, today or dt.date.today())
            found = self._every_word(searcher, parsed, hidden, sort, page, page_size, factor)
            hits, docnums = found or self._page(searcher, query, hidden, sort, page, page_size,
                                                factor)  # fmt: skip
            corrections: dict[str, str] = {}
            if hits.total < 3 and any(not c.prefix for c in parsed.positive):
                # Typo tolerance: correct unknown words from the index's own vocabulary
                # (cheaper and more precise than expanding every word by edit distance).
                corrections = self.corrections(parsed)
                if corrections:
                    hits.suggestion = " ".join(
                        corrections.get(w, w) for w in spelling_words(parsed)
                    )
                    fixed = to_whoosh(apply_corrections(parsed, corrections), searcher.reader())
                    fixed_hits, fixed_docnums = self._page(searcher, fixed, hidden, sort, page,
                                                           page_size, factor)  # fmt: skip
                    if fixed_hits.total > hits.total:
                        fixed_hits.suggestion, fixed_hits.fuzzy = hits.suggestion, True
                        hits, docnums = fixed_hits, fixed_docnums
            if relax and hits.total < page_size and not any(c.prefix for c in parsed.positive):
                searched = apply_corrections(parsed, corrections) if hits.fuzzy else parsed
                relaxed = self._relaxed(searcher, searched, hidden, sort, page, page_size,
                                        factor)  # fmt: skip
                if relaxed is not None and relaxed[0].total > hits.total:
                    relaxed[0].suggestion, relaxed[0].fuzzy = hits.suggestion, hits.fuzzy
                    hits, docnums = relaxed
            if with_facets:
                hits.facets = self._facet_counts(searcher, docnums)
                if not hits.relaxed:  # a chosen facet counts its siblings too: see _siblings
                    searched = apply_corrections(parsed, corrections) if hits.fuzzy else parsed
                    hits.facets.update(self._siblings(searcher, searched, hidden))
        except KnownError:
            raise
        except Exception as error:
            # anything (even a bare Exception for a bad posting block): all of it is damage.
            raise IndexDamagedError(f"{type(error).__name__}: {error}") from error
        return hits

    @staticmethod
    def _page(searcher: Searcher, query: wq.Query, hidden: set[int], sort: str, page: int,
              page_size: int, factor: signals.Factor | None) -> tuple[RawHits, list[int]]:  # fmt: skip
        """One page of hits, and the document numbers of every visible match."""
        sorting = SORTS.get(sort)
        first = (max(1, page) - 1) * page_size
        top: TopCollector | TopSortingCollector = (
            TopSortingCollector(sorting[0], limit=first + page_size, reverse=sorting[1])
            if sorting else TopCollector(first + page_size)
        )  # fmt: skip
        collector = collectors.FilterCollector(top, restrict=hidden) if hidden else top
        searcher.search_with_collector(query, collector)
        if isinstance(top, TopSortingCollector):
            ids = [hit["id"] for hit in list(collector.results())[first:]]
            scores = [0.0] * len(ids)  # Whoosh puts the sort key where the score goes
        else:
            best = signals.top(top.scored, first + page_size, factor)[first:]
            ids = [searcher.stored_fields(docnum)["id"] for _, docnum in best]
            scores = [round(score, 4) for score, _ in best]
        docnums = top.docnums
        return RawHits(ids, scores, len(docnums)), docnums

    @staticmethod
    def _every_word(searcher: Searcher, parsed: ParsedQuery, hidden: set[int], sort: str,
                    page: int, page_size: int,
                    factor: signals.Factor | None) -> tuple[RawHits, list[int]] | None:  # fmt: skip
        """Several plain words in relevance order, scored a posting list at a time (see
        relax.every_word); None leaves the query to Whoosh's matchers."""
        if SORTS.get(sort) or any(c.prefix for c in parsed.positive):
            return None
        found = every_word(searcher, parsed, hidden, page, page_size, factor)
        if found is None:
            return None
        hits = RawHits([i for i, _s, _d in found.page], [s for _i, s, _d in found.page],
                       len(found.docnums))  # fmt: skip
        return hits, found.docnums

    @staticmethod
    def _relaxed(searcher: Searcher, parsed: ParsedQuery, hidden: set[int], sort: str,
                 page: int, page_size: int,
                 factor: signals.Factor | None) -> tuple[RawHits, list[int]] | None:  # fmt: skip
        found = relax(searcher, parsed, hidden, SORTS.get(sort), page, page_size, factor)
        if found is None:
            return None
        hits = RawHits([i for i, _s, _d in found.page], [s for _i, s, _d in found.page],
                       len(found.docnums), relaxed=True, unmatched=found.unmatched,
                       unmatched_all=unmatched_everywhere(found))  # fmt: skip
        return hits, found.docnums

    @staticmethod
    def _outside(searcher: Searcher, only_ids: Collection[str]) -> set[int]:
        """Document numbers of every asset not in `only_ids`, to mask them out."""
        inside = {searcher.document_number(id=i) for i in only_ids} - {None}
        return set(range(searcher.doc_count_all())) - inside

    def _factor(self, searcher: Searcher, today: dt.date) -> signals.Factor:
        """Each document's ranking-signal factor (see signals.py), for this searcher and
        day: a list per segment, kept while the segment lives (an edit adds a small one)."""
        key = ("signals", searcher, today)
        if key not in self._cache:
            kept, factors = {}, []
            for sub, _offset in searcher.leaf_searchers():
                segment = (sub.reader().segment().segment_id(), today)
                kept[segment] = self._segment_factors.get(segment) or _segment_factors(
                    sub.reader(), today
                )
                factors += kept[segment]
            self._segment_factors = kept
            self._cache = {k: v for k, v in self._cache.items() if k[1] is searcher}
            self._cache[key] = factors.__getitem__
        return self._cache[key]  # type: ignore[return-value]

    def _hidden(self, searcher: Searcher, today: dt.date) -> set[int]:
        """Document numbers of retired and expired assets (cached per searcher and day)."""
        return self._mask(searcher, ("hidden", today), _visible_mask(today))

    def _drafts(self, searcher: Searcher) -> set[int]:
        """Document numbers of unpublished assets (cached per searcher)."""
        return self._mask(searcher, ("drafts", None), wq.Term("status", AssetStatus.DRAFT.value))

    def _mask(self, searcher: Searcher, name: tuple[str, object], query: wq.Query) -> set[int]:
        """The documents `query` matches, cached for this searcher (older ones dropped)."""
        key = (name[0], searcher, name[1])
        if key not in self._cache:
            self._cache = {k: v for k, v in self._cache.items() if k[1] is searcher}
            self._cache[key] = set(query.docs(searcher))
        return self._cache[key]  # type: ignore[return-value]

    def languages(self) -> tuple[str, ...]:
        """The languages with a stemmer of their own that indexed assets are in (English
        when none), for analysing queries; cached per searcher."""
        if not self.is_open:
            return (DEFAULT_LANGUAGE,)
        searcher = self._search()
        key = ("languages", searcher, None)
        if key not in self._cache:
            # The field's terms, not its column: a new searcher after each edit would
            # read a value per asset (every facet column at 100k took ~0.4 s).
            reader = searcher.reader()
            held = {t.decode() if isinstance(t, bytes) else t for t in reader.lexicon("language")}
            self._cache[key] = tuple(lang for lang in STEMMERS if lang in held) or (
                DEFAULT_LANGUAGE,
            )
        return self._cache[key]  # type: ignore[return-value]

    def _columns(self, searcher: Searcher) -> dict[str, list[str]]:
        """Facet values per document, read once per searcher: counting is then list lookups."""
        key = ("columns", searcher, None)
        if key not in self._cache:
            reader = searcher.reader()
            self._cache[key] = {name: list(reader.column_reader(name)) for name in FACETS}
        return self._cache[key]  # type: ignore[return-value]

    def _facet_counts(self, searcher: Searcher, docnums: list[int],
                      names: Collection[str] = FACETS) -> dict[str, Counter[str]]:  # fmt: skip
        """Counts per facet value over every visible match."""
        return {
            name: Counter(value for value in map(values.__getitem__, docnums) if value)
            for name, values in self._columns(searcher).items() if name in names
        }  # fmt: skip

    def _siblings(self, searcher: Searcher, parsed: ParsedQuery, hidden: set[int],
                  ) -> dict[str, Counter[str]]:  # fmt: skip
        """The counts of each facet a value is chosen in, over the matches of every other
        filter: its other values still show how many choosing them too would add."""
        counts = {}
        for name in parsed.filters:
            query = to_whoosh(parsed.without_filter(name), searcher.reader())
            if query is wq.NullQuery:  # nothing else asked for: every visible asset
                query = wq.Every()
            docnums = [d for d in query.docs(searcher) if d not in hidden]  # matches, unscored
            counts.update(self._facet_counts(searcher, docnums, (name,)))
        return counts

    def corrections(self, parsed: ParsedQuery) -> dict[str, str]:
        """Unknown words mapped to the closest words the index knows."""
        reader = self._search().reader()
        corrector = reader.corrector("spelling")
        found = {}
        languages, tried = self.languages(), 0
        for word in spelling_words(parsed):
            if tried == MAX_CORRECTED:  # each scans the vocabulary: a pasted text has many
                break
            if not 3 <= len(word) <= MAX_FUZZY_WORD or reader.doc_frequency("spelling", word):
                continue
            # A word some asset's text holds is no typo (the vocabulary is only the
            # titles, tags, summaries and openings): no scan of it for that word.
            if any(reader.doc_frequency("content", stem)
                   for language in languages for stem in analyse(word, language)):  # fmt: skip
                continue
            tried += 1
            # The closest word first: one edit, then two. Trusting the first letter
            # (two in longer words) keeps the scan of the vocabulary small.
            prefix = 2 if len(word) >= 6 else 1
            options = corrector.suggest(word, limit=1, maxdist=1, prefix=prefix) or (
                corrector.suggest(word, limit=1, maxdist=2, prefix=prefix)
            )
            if options:
                found[word] = options[0]
        return found
