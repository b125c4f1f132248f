"""What every area of the services shares: the open library, who acts, and the
long-lived helpers (parser processes, search index) started on first use."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

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
T = TypeVar("T")
INDEX_BATCH = 50  # assets indexed per turn in a bulk import


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
        self.lane = WriterLane()  # every database write, see lane.py
        self.index_lane = WriterLane("satchel-index")  # every index update and check
        self.fetch_file: Callable[[str], None] | None = None  # from the hub, once synced
        self.closers: list[Callable[[], None]] = []  # what other areas hold open (hub links)

    @property
    def actor_id(self) -> str | None:
        return self.actor.id if self.actor else None

    def allow(self, capability: Capability, writes: bool = True) -> None:
        """Refuse, before any work, what the actor's role may not do, and (when the call
        `writes`) any change to a read-only library."""
        if writes:
            self.allow_writes()
        permissions.require(self.actor, capability)

    @property
    def sees_drafts(self) -> bool:
        """Whether reads include unpublished assets: not for a role without SEE_DRAFTS
        (a rep). Reads with nobody signed in (checks, restores, maintenance) see all;
        the desktop and the CLI always sign someone in."""
        return self.actor is None or permissions.allows(self.actor.role, Capability.SEE_DRAFTS)

    def ensure_file(self, sha256: str, what: str) -> None:
        """A file the team has but this laptop does not keep is fetched from the hub
        now (the hub answered this session), else refused with what to do."""
        if self.library.blobs.has(sha256):
            return
        from satchel.core.storage.models import Blob

        with self.library.db.read() as session:
            blob = session.get(Blob, sha256)
            kept_elsewhere = blob is not None and not blob.stored
        if not kept_elsewhere:
            return  # missing for another reason: the caller's check explains it
        if self.fetch_file is None:
            raise KnownError(f"The file of {what} is not kept on this laptop: it is fetched "
                             "when you open it while the team hub can be reached (sync "
                             "once), or keep its collection on this laptop.")  # fmt: skip
        try:
            self.fetch_file(sha256)
        except KnownError as error:
            raise KnownError(
                f"The file of {what} is not kept on this laptop, and fetching it "
                f"from the team hub failed: {error}"
            ) from None

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
            self._keeper = SearchKeeper(self.library, write=self.lane.run)
        return self._keeper

    def index_changed(self, changed: frozenset[str]) -> None:
        """Update the index for these changed assets on the index lane.

        From the writer lane (an edit) the update is queued right behind the commit and
        not waited for: every later search checks the index on the index lane too, so it
        waits its turn and cannot miss the change. From any other thread (a long job,
        the CLI) it runs in turns of INDEX_BATCH, waited for, so an import's indexing
        keeps pace with its files and edits are saved in between.

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
            if self.lane.on_lane:  # never wait for the index lane here (see lane.py)
                self.index_lane.submit(work)
            else:
                self.on_index_lane(work)

    def on_index_lane(self, work: Callable[[], T]) -> T:
        """Run index work on the index lane and wait for it (never from the writer lane:
        the work's own writes would wait for the lane that waits for them)."""
        if self.lane.on_lane:
            raise RuntimeError("index work waited for on the writer lane would deadlock")
        return self.index_lane.run(work)

    def index_batch(self, changed: frozenset[str]) -> None:
        """Index these assets in one small segment, waited for (a sync's page: many
        pages in a row would each pay a merge; the index merges once they pause)."""
        if changed and not self.library.read_only:
            self.on_index_lane(functools.partial(self._index, changed, merge=False))

    def _index(self, changed: frozenset[str], merge: bool = True) -> None:
        try:
            keeper = self.keeper()
            if keeper.checked:  # a sound index: just these (others' dirty rows are theirs)
                keeper.update(sorted(changed), merge=merge)
            else:
                keeper.ensure()
        except Exception:
            log.exception("indexing changed assets failed; they stay marked for repair")

    def forget_index(self) -> None:
        """Drop the open index (the database under it was replaced). Closed on the index
        lane, after the work queued there, which the writer lane must not wait for."""
        keeper, self._keeper = self._keeper, None
        if keeper is not None:
            self.index_lane.submit(keeper.close)
        self.facet_labels = None

    def close(self) -> None:
        for closer in self.closers:
            closer()
        self.index_lane.shutdown()  # queued index updates still write on the writer lane
        self.lane.shutdown()
        if self._pool is not None:
            self._pool.close()
        if self._keeper is not None:
            self._keeper.close()
            self._keeper = None
        self.index_lane.shutdown()  # the close of an index forgotten meanwhile
        self.library.close()


class Area:
    """Base of the per-area services: each works on the shared context."""

    def __init__(self, context: Context) -> None:
        self._ctx = context
