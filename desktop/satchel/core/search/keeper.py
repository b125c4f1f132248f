"""Keeping the search index in step with the database (the source of truth)."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import secrets
import shutil
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from satchel.core.errors import KnownError
from satchel.core.library import Library
from satchel.core.search import documents, pairs
from satchel.core.search.index import IndexDamagedError, SearchIndex
from satchel.core.search.schema import SCHEMA_VERSION
from satchel.core.storage import assets_repo
from satchel.core.storage.models import Asset, LibraryInfo

log = logging.getLogger("satchel.search")
Writer = Callable[[Callable[[], None]], object]
STAMP_KEY = "search_generation"
GROWTH = 4  # the library grew this many times over since its common words were chosen


def _write_here(work: Callable[[], None]) -> None:
    work()


class SearchKeeper:
    """Opens, checks, updates and rebuilds the index of one library."""

    def __init__(self, library: Library, write: Writer = _write_here) -> None:
        """`write` runs each of the keeper's database writes (the flags and the stamp): the
        services pass the writer lane's `run`, so the keeper writes only there."""
        self.library = library
        self._write = write
        folder = library.paths.index
        self._private: Path | None = None
        if library.read_only:  # cannot write next to the library: a private copy, removed on close
            folder = self._private = Path(tempfile.mkdtemp(prefix="satchel-index-"))
        self.index = SearchIndex(folder)
        self._checked = False
        # One maintenance job at a time; searches skip maintenance while one runs
        # (they read the open index meanwhile) instead of queueing behind a rebuild.
        self._busy = threading.RLock()
        self._rebuilding = False
        self.rebuild_coming = False  # a big pull is landing, its rebuild follows (see sync)
        self._metadata_coming = False  # the index of metadata alone is being built

    def ensure(self, progress: Callable[[int], None] | None = None,
               cancelled: Callable[[], bool] = lambda: False, wait: bool = True,
               regrow: bool = False) -> str:  # fmt: skip
        """Make the index match the database; returns what had to be done.

        With `wait=False` it returns "busy" at once if another thread is maintaining it.
        With `regrow`, a library that has outgrown its common words is rebuilt to choose
        them again: a maintenance job for a background start-up check, not for the
        ensure that follows every import or edit.
        """
        if not self._busy.acquire(blocking=wait):
            return "busy"
        try:
            done = self._ensure(progress, cancelled)
            if done == "ok" and regrow and self._outgrown():
                return self._rebuild("grown", progress, cancelled)
            return done
        finally:
            self._busy.release()

    @property
    def checked(self) -> bool:
        """The index was checked against the database in this session (updates suffice)."""
        return self._checked

    @property
    def rebuilding(self) -> bool:
        """A rebuild is running or coming (searches read the open index meanwhile, and
        leave the assets still to index to it)."""
        return self._rebuilding or self.rebuild_coming

    @property
    def titles_coming(self) -> bool:
        """A big pull is landing, or the index of its metadata is being built: until
        then searches find the new assets by their titles in the database."""
        return self.rebuild_coming or self._metadata_coming

    def _outgrown(self) -> bool:
        """The common words were chosen when the library was much smaller (or too small
        to choose any): phrases of common words would stay slow."""
        with self.library.db.read() as session:
            live = assets_repo.count_live(session)
        return live >= max(pairs.MIN_SAMPLE, GROWTH * self.index.common_basis)

    def _ensure(self, progress: Callable[[int], None] | None,
                cancelled: Callable[[], bool]) -> str:  # fmt: skip
        if self._checked:
            return self._update_or_rebuild(progress, cancelled) or "ok"
        try:
            self.index.open()
        except IndexDamagedError as error:
            if self.index.move_aside() is not None:
                log.warning("search index damaged (%s); moved aside, rebuilding", error)
                reason = "damaged"
            else:
                reason = "missing"
            return self._rebuild(reason, progress, cancelled)
        stamp = self.index.stamp or ""
        if stamp != self.library.info(STAMP_KEY) or not stamp.startswith(SCHEMA_VERSION + "-"):
            return self._rebuild("out of date", progress, cancelled)
        # One snapshot for the dirty rows and the count: commits landing meanwhile (an
        # import on the writer lane) are dirty after it and not yet expected here.
        with self.library.db.read() as session:
            dirty = documents.dirty_ids(session)
            live = assets_repo.count_live(session)
        if rebuilt := self._update_or_rebuild(progress, cancelled, dirty):
            return rebuilt
        if self.index.doc_count() != live:
            return self._rebuild("incomplete", progress, cancelled)
        self._checked = True
        return "ok"

    def _update_or_rebuild(self, progress: Callable[[int], None] | None,
                           cancelled: Callable[[], bool],
                           dirty: Sequence[str] | None = None) -> str | None:  # fmt: skip
        """Index the dirty rows (these, or as read now); damage found while writing
        (Whoosh raises anything for a bad posting block) moves the index aside for a
        rebuild. A full or failing disk (OSError) is no sign of damage: it is raised,
        and the rows stay dirty."""
        try:
            if dirty is None:
                self.update_dirty()
            elif dirty:
                self.update(dirty)
        except (OSError, KnownError):
            raise
        except Exception as error:  # noqa: BLE001 - see above: anything else is damage
            log.warning("search index update failed (%s); moved aside, rebuilding", error)
            self.index.move_aside()
            return self._rebuild("damaged", progress, cancelled)
        return None

    def recover(self) -> str:
        """Move a failing index aside and rebuild it from the database."""
        with self._busy:
            self.index.move_aside()
            self._checked = False
            return self._ensure(None, lambda: False)

    def rebuild(self, progress: Callable[[int], None] | None = None,
                cancelled: Callable[[], bool] = lambda: False,
                metadata_first: bool = False) -> str:  # fmt: skip
        """Build the index anew. With `metadata_first` (a library that just received
        thousands of assets: a first sync), an index of every asset's metadata alone is
        built and swapped in first, in seconds, and `progress(0)` says titles can be
        found while the full index is built; searches meanwhile read the open index."""
        with self._busy:
            return self._rebuild("requested", progress, cancelled, metadata_first)

    def _rebuild(self, reason: str, progress: Callable[[int], None] | None,
                 cancelled: Callable[[], bool], metadata_first: bool = False) -> str:  # fmt: skip
        self._rebuilding, self._metadata_coming = True, metadata_first
        self.rebuild_coming = False
        try:
            if metadata_first:
                # Its stamp is not the library's: left like this (the app closed), the
                # index is rebuilt when the library opens.
                with self.library.db.read() as session:
                    docs = documents.load_docs(session, documents.live_ids(session), text=False)
                    stamp = f"{SCHEMA_VERSION}-metadata"
                    if not self.index.rebuild(docs, stamp, None, cancelled, assistance=False):
                        return "cancelled"
                self._metadata_coming = False
                if progress is not None:
                    progress(0)
            return self._rebuild_now(reason, progress, cancelled)
        finally:
            self._rebuilding = self._metadata_coming = False

    def _rebuild_now(self, reason: str, progress: Callable[[int], None] | None,
                     cancelled: Callable[[], bool]) -> str:  # fmt: skip
        stamp = f"{SCHEMA_VERSION}-{secrets.token_hex(8)}"
        with self.library.db.read() as session:  # one snapshot for the whole build
            ids = documents.live_ids(session)
            stamps = dict(
                session.execute(
                    select(Asset.id, Asset.updated_at).where(Asset.search_dirty.is_(True))
                ).all()
            )
            done = self.index.rebuild(documents.load_docs(session, ids), stamp, progress, cancelled)
        if not done:
            return "cancelled"
        if not self.library.read_only:

            def save() -> None:
                with self.library.db.write() as session:
                    session.merge(LibraryInfo(key=STAMP_KEY, value=stamp))
                    self._clear_dirty(session, stamps)

            self._write(save)
        self._checked = True
        log.info("search index rebuilt (%s): %d assets", reason, len(ids))
        return f"rebuilt ({reason}, {len(ids)} assets)"

    def update_dirty(self) -> int:
        """Index every asset whose change the index has not seen yet."""
        if self.library.read_only and self._checked:  # nothing can change, flags stay set
            return 0
        with self.library.db.read() as session:
            ids = documents.dirty_ids(session)
        if ids:
            self.update(ids)
        return len(ids)

    def update(self, ids: Sequence[str], merge: bool = True) -> None:
        """Re-index these assets (deleted ones are dropped) and clear their dirty flags;
        `merge=False` leaves merging to the index's background merge.

        A failure leaves the flags set, so the next `ensure` repairs the index.
        """
        with self._busy:
            with self.library.db.read() as session:
                docs = list(documents.load_docs(session, ids))
                stamps = dict(
                    session.execute(
                        select(Asset.id, Asset.updated_at).where(Asset.id.in_(ids))
                    ).all()
                )
            indexed = {doc.id for doc in docs}
            self.index.update(docs, [i for i in ids if i not in indexed], merge=merge)
            if not self.library.read_only and stamps:
                self._write(functools.partial(self._save_clean, stamps))

    def _save_clean(self, stamps: dict[str, dt.datetime]) -> None:
        with self.library.db.write() as session:
            self._clear_dirty(session, stamps)

    @staticmethod
    def _clear_dirty(session: Session, stamps: dict[str, dt.datetime]) -> None:
        if not stamps:
            return
        # Only rows unchanged since they were read: an edit made meanwhile stays dirty.
        table = Asset.__table__
        assert isinstance(table, Table)
        statement = (
            update(table)
            .where(table.c.id == bindparam("b_id"), table.c.updated_at == bindparam("b_updated"))
            .values(search_dirty=False)
        )
        session.execute(
            statement, [{"b_id": key, "b_updated": value} for key, value in stamps.items()]
        )

    def close(self) -> None:
        self.index.close()
        if self._private is not None:
            shutil.rmtree(self._private, ignore_errors=True)
