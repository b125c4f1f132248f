"""Sync as a use case: one round with the team hub, and where this laptop stands."""

from __future__ import annotations

import logging
import platform
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from satchel.core.domain.changes import Changes
from satchel.core.domain.permissions import Capability
from satchel.core.errors import KnownError, PermissionDeniedError, ValidationError
from satchel.core.hub import credentials
from satchel.core.hub.connection import where
from satchel.core.services.context import Area, Context
from satchel.core.storage import users_repo
from satchel.core.storage.models import Asset, LibraryInfo, OutboxEntry, SyncConflict
from satchel.core.sync import publish
from satchel.core.sync.apply import Applied
from satchel.core.sync.hub_link import HubLink
from satchel.core.sync.rounds import (
    ADDRESS,
    CURSOR,
    EPOCH,
    IDENTITY,
    PAGE,
    SYNCED,
    Local,
    SyncReport,
    fetch_file,
    sync_round,
)

__all__ = ["Conflict", "SyncReport", "SyncService", "SyncStatus"]
BULK_INDEX = 1000  # assets pulled in one round past which the index is built at its end
BULK_REVISIONS = 5000  # a pull this long is bulk from its start (a first sync, a resync)
T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SyncStatus:
    cursor: int  # the last hub revision this laptop holds
    epoch: str  # the hub's, as last seen ("" before the first sync)
    synced_at: str  # ISO time of the last whole round ("" when never)
    waiting: int  # outbox entries not sent yet
    refused: list[str]  # what the hub refused, with its reasons


@dataclass(frozen=True)
class Conflict:
    """An asset edited here and on the hub: the fields the two disagree on."""

    id: str
    asset_id: str
    title: str
    fields: list[tuple[str, object, object]]  # (field, mine, theirs)
    reason: str


class SyncService(Area):
    """`services.sync`."""

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self._hub: HubLink | None = None
        context.closers.append(self._close_link)

    def now(self, url: str, page_size: int = PAGE,
            progress: Callable[[int, int], None] | None = None,
            stop: Callable[[], bool] | None = None, password: str = "",
            keep_all: bool = True, keep_collections: frozenset[str] = frozenset(),
            indexing: Callable[[int, int], None] | None = None,
            files: Callable[[int, int], None] | None = None) -> SyncReport:  # fmt: skip
        """One round with the hub at `url` as the signed-in person: push, then pull.
        `progress(done, total)` follows the pull in revisions; `stop()` is asked between
        pages (a stopped round keeps every page it applied). `password`, when given, is
        used for this round only (no keyring on this computer). Files: every one
        (`keep_all`), else templates' and those of the `keep_collections` (names); any
        other is fetched when it is opened (`ensure_file`) while the hub answers.

        Search sees each page as it lands; a big pull (more than BULK_REVISIONS to fetch
        or BULK_INDEX assets: a new laptop's first sync, a resync) instead builds the
        index once at its end, much faster than page by page, with `indexing(done, total)`:
        first of the metadata alone (titles are found from `indexing(0, total)` on), then
        of everything."""
        self._ctx.allow(Capability.VIEW)
        actor = self._ctx.actor
        if actor is None:
            raise PermissionDeniedError("Sign in first: a sync acts as a person on the hub.")
        library = self._ctx.library
        pulled: set[str] = set()
        bulk = False  # a big pull: the index is built once at its end

        def indexed(applied: Applied) -> None:
            nonlocal bulk
            pulled.update(applied.assets)
            bulk = bulk or len(pulled) > BULK_INDEX
            if bulk:  # searches meanwhile read the index as it is; the rebuild follows
                self._ctx.keeper().rebuild_coming = True
            else:
                self._ctx.index_batch(frozenset(applied.assets))

        def followed(done: int, total: int) -> None:
            nonlocal bulk
            if done == 0 and total > BULK_REVISIONS:
                bulk = self._ctx.keeper().rebuild_coming = True
            (progress or _quiet)(done, total)

        local = Local(write=self._write, submit=self._submit, read=self._read,
                      blobs=library.blobs, clock=library.clock, actor_id=actor.id,
                      on_page=indexed, progress=followed, stop=stop or _never,
                      progress_files=files or _quiet, keep_all=keep_all,
                      keep_collections=keep_collections)  # fmt: skip
        if password:
            url = credentials.with_password(credentials.with_user(url, self.login(url)), password)
        address = credentials.with_user(url, self.login(url))
        landed = False
        try:
            report = sync_round(self._link(url), local, platform.node() or "laptop", address,
                                page_size)  # fmt: skip
            landed = True
        except KnownError:
            self._close_link()  # the next round connects anew (a new password, the hub back)
            raise
        finally:  # the profile may carry the hub's id now, even if the round failed later
            with library.db.read() as session:
                self._ctx.actor = (users_repo.find_live(session, actor.id)
                                   or users_repo.find_live(session, library.info(IDENTITY) or "")
                                   or actor)  # fmt: skip
            if bulk:
                self._index_pulled(len(pulled), indexing or _quiet, stop or _never, landed)
        self._ctx.fetch_file = partial(self._fetch_one, url, local)
        return report

    def _index_pulled(self, total: int, indexing: Callable[[int, int], None],
                      stop: Callable[[], bool], waited: bool) -> None:  # fmt: skip
        """After a big pull, the index built once: of the metadata alone first (every
        title is found from `indexing(0, total)` on), then of everything — waited for
        after a whole round, in the background after a round that failed (no search must
        index thousands of assets itself). `stop` cancels it (the window closing).

        Indexing each page's titles as it lands was measured and dropped: on the
        pull's own process it made a first sync of 10k assets 26 s instead of 7."""
        keeper = self._ctx.keeper()
        rebuild = partial(keeper.rebuild, lambda done: indexing(done, total), stop,
                          metadata_first=True)  # fmt: skip
        if waited:
            self._ctx.on_index_lane(rebuild)
        else:
            self._ctx.index_lane.submit(partial(_logged, rebuild))

    def address(self, configured: str) -> str:
        """The hub and login this library last synced as, else `configured` (the
        hub.url setting): each library keeps its own person, so two libraries on one
        computer (the demo's rep and marketer) sync as two people."""
        stored = self._ctx.library.info(ADDRESS) or ""
        if not stored or (configured and where(configured) != where(stored)):
            return configured  # never synced, or the setting names another hub now
        if credentials.has_password(configured) and credentials.login_of(configured) == \
                credentials.login_of(stored):  # fmt: skip
            return configured  # the same person, with the password written out
        return stored

    def identity(self) -> str | None:
        """The profile this library syncs as (the one to sign in when it opens)."""
        return self._ctx.library.info(IDENTITY)

    def login(self, url: str) -> str:
        """Who signs in to the hub at `url`: the login it names, else the actor's email."""
        actor = self._ctx.actor
        return credentials.login_of(url) or (actor.email if actor else "")

    def status(self) -> SyncStatus:
        with self._ctx.library.db.read() as session:
            info = dict(session.execute(select(LibraryInfo.key, LibraryInfo.value).where(
                LibraryInfo.key.in_((CURSOR, EPOCH, SYNCED)))).all())  # fmt: skip
            waiting = session.scalar(select(func.count()).select_from(OutboxEntry).where(
                OutboxEntry.sent_at.is_(None), OutboxEntry.refused.is_(None))) or 0  # fmt: skip
            refused = [f"{entry.kind.removeprefix('request.')} "
                       f"{str(entry.payload.get('request', {}).get('id', ''))[:8]}: "
                       f"{entry.refused}"
                       for entry in session.scalars(select(OutboxEntry).where(
                           OutboxEntry.refused.is_not(None)).order_by(OutboxEntry.position))]  # fmt: skip
        return SyncStatus(int(info.get(CURSOR, 0)), info.get(EPOCH, ""), info.get(SYNCED, ""),
                          int(waiting), refused)  # fmt: skip

    def keep_outbox_local(self) -> None:
        """What waits in the outbox stays on this laptop and is never sent (a demo
        library's made-up history, before it meets a hub)."""
        self._ctx.allow(Capability.POLICY)
        now = self._ctx.library.clock()
        self._write(lambda session: session.execute(
            update(OutboxEntry).where(OutboxEntry.sent_at.is_(None)).values(sent_at=now)))  # fmt: skip

    def conflicts(self) -> list[Conflict]:
        """Open conflicts, oldest first (marketing resolves them)."""
        with self._ctx.library.db.read() as session:
            query = (select(SyncConflict, Asset.title).join(Asset, Asset.id == SyncConflict.asset_id)
                     .where(SyncConflict.resolved_at.is_(None)).order_by(SyncConflict.created_at))  # fmt: skip
            return [Conflict(c.id, c.asset_id, title,
                             [(name, c.mine[name], c.theirs.get(name))
                              for name in publish.METADATA if name in c.mine],
                             c.reason) for c, title in session.execute(query)]  # fmt: skip

    def resolve(self, conflict_id: str, choices: Mapping[str, str]) -> Changes:
        """Keep, field by field, "mine" or "theirs" (unnamed: theirs); what is kept of
        mine goes to the hub with the next sync."""
        self._ctx.allow(Capability.EDIT_METADATA)
        wrong = sorted(set(choices.values()) - {"mine", "theirs"})
        if wrong:
            raise ValidationError([f"Choose mine or theirs for each field, not {wrong[0]}."])
        library = self._ctx.library
        with library.db.write() as session:
            asset_id = publish.resolve(session, conflict_id, dict(choices), library.clock())
        self._ctx.index_changed(frozenset({asset_id}))
        return Changes(assets_changed=frozenset({asset_id}))

    def _fetch_one(self, url: str, local: Local, sha256: str) -> None:
        fetch_file(self._link(url), local, sha256)

    def _link(self, url: str) -> HubLink:
        """The connection to the hub at `url`, kept open between rounds (a new TLS
        connection and password exchange cost more than an empty round itself)."""
        url = credentials.filled(url)  # the kept password may have changed since
        if self._hub is not None and self._hub.url != url:
            self._hub.close()
            self._hub = None
        if self._hub is None:
            self._hub = HubLink(url)
        return self._hub

    def _close_link(self) -> None:
        if self._hub is not None:
            self._hub.close()
            self._hub = None

    def _write(self, work: Callable[[Session], T]) -> T:
        return self._ctx.lane.run(partial(self._unit, work))

    def _submit(self, work: Callable[[Session], T]) -> Future[T]:
        return self._ctx.lane.submit(partial(self._unit, work))

    def _unit(self, work: Callable[[Session], T]) -> T:
        with self._ctx.library.db.write() as session:
            return work(session)

    def _read(self, work: Callable[[Session], T]) -> T:
        with self._ctx.library.db.read() as session:
            return work(session)


def _quiet(done: int, total: int) -> None:
    return None


def _never() -> bool:
    return False


def _logged(work: Callable[[], object]) -> None:
    try:
        work()
    except Exception:
        log.exception("building the search index after a sync failed; it is built on next use")
