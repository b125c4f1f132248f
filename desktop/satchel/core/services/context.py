"""What every area of the services shares: the open library, who acts, and the
long-lived helpers (parser processes, search index) started on first use."""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING

from satchel.core.domain import permissions
from satchel.core.domain.permissions import Capability
from satchel.core.domain.users import Profile
from satchel.core.errors import KnownError
from satchel.core.ingest.limits import ImportLimits
from satchel.core.library import Library
from satchel.core.search.keeper import SearchKeeper
from satchel.core.services.lane import WriterLane

if TYPE_CHECKING:  # parsers load on first use: the window opens without them
    from satchel.core.ingest.worker import ParserPool

log = logging.getLogger("satchel.services")
INDEX_BATCH = 50  # assets indexed per turn on the writer lane in a bulk import


class Context:
    """Shared by the area services of one open library (never by two libraries)."""

    def __init__(self, library: Library, limits: ImportLimits, workers: int) -> None:
        self.library = library
        self.limits = limits
        self.workers = workers
        self.actor: Profile | None = None  # who every call runs for; see PeopleService.sign_in
        self._pool: ParserPool | None = None
        self._keeper: SearchKeeper | None = None
        self.facet_labels: dict[str, dict[str, str]] | None = None  # cache, see SearchService
        self.lane = WriterLane()  # where long jobs send their commits, see lane.py

    @property
    def actor_id(self) -> str | None:
        return self.actor.id if self.actor else None

    def allow(self, capability: Capability, writes: bool = True) -> None:
        """Refuse, before any work, what the actor's role may not do, and (when the call
        `writes`) any change to a read-only library."""
        if writes:
            self.allow_writes()
        permissions.require(self.actor, capability)

    def allow_writes(self) -> None:
        if self.library.read_only:
            raise KnownError("This library is open read-only, so it cannot be changed.")

    def parsers(self) -> ParserPool:
        """The parser processes, started on first use and kept for later imports."""
        from satchel.core.ingest.worker import ParserPool

        if self._pool is None or self._pool.closed:
            self._pool = ParserPool(self.limits, self.workers)
        return self._pool

    def keeper(self) -> SearchKeeper:
        if self._keeper is None:
            self._keeper = SearchKeeper(self.library)
        return self._keeper

    def index_changed(self, changed: frozenset[str]) -> None:
        """Queue the changed assets' index update on the writer lane, right behind their
        commit: the change is saved now, and every later search waits its turn on the
        lane, so none can miss it.

        Changed rows carry `search_dirty` from their own transaction; a failure is logged
        and leaves them dirty for the next search or `ensure_index` to repair, so the
        change itself is never lost.
        """
        self.facet_labels = None
        if not changed or self.library.read_only:
            return
        ids = sorted(changed)
        for start in range(0, len(ids), INDEX_BATCH):
            work = functools.partial(self._index, frozenset(ids[start : start + INDEX_BATCH]))
            if self.lane.on_lane:  # a change on the lane: queued right behind it
                self.lane.submit(work)
            else:  # a long job's batch: one at a time, writes queued meanwhile go between
                self.lane.run(work)

    def _index(self, changed: frozenset[str]) -> None:
        try:
            keeper = self.keeper()
            if keeper.checked:  # a sound index: just these (others' dirty rows are theirs)
                keeper.update(sorted(changed))
            else:
                keeper.ensure()
        except Exception:
            log.exception("indexing changed assets failed; they stay marked for repair")

    def forget_index(self) -> None:
        """Drop the open index (the database under it was replaced)."""
        if self._keeper is not None:
            self._keeper.close()
            self._keeper = None
        self.facet_labels = None

    def close(self) -> None:
        self.lane.shutdown()
        if self._pool is not None:
            self._pool.close()
        self.forget_index()
        self.library.close()


class Area:
    """Base of the per-area services: each works on the shared context."""

    def __init__(self, context: Context) -> None:
        self._ctx = context
