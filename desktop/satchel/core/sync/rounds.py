"""One sync round: say hello, push what the laptop did, pull what the team did.

Push comes first, so the pull that follows already brings the hub's answers (a
decision that lost the race arrives as the winner's). Every local write is one short
transaction on the caller's writer (`write`): a page with its cursor, an outbox entry
with its mark; nothing holds the database while the network is asked.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from satchel.core import failpoints
from satchel.core.blobs import BlobStore
from satchel.core.domain import permissions
from satchel.core.domain.permissions import Capability
from satchel.core.domain.users import Role
from satchel.core.errors import KnownError
from satchel.core.storage.models import (
    Asset,
    AssetVersion,
    Blob,
    Collection,
    CollectionAsset,
    LibraryInfo,
    OutboxEntry,
    TemplateVersion,
    User,
)
from satchel.core.sync import publish, push
from satchel.core.sync.apply import Applied, apply_rows, held, parents_of, rekey
from satchel.core.sync.hub_link import Hello, HubLink, HubRow

CURSOR, EPOCH, DEVICE, SYNCED = "hub.cursor", "hub.epoch", "hub.device", "hub.synced_at"
ADDRESS = "hub.address"  # the hub and login this library syncs as (never a password)
IDENTITY = "hub.identity"  # the hub profile id of the person it syncs as
PAGE = 500
BULK_PAGES = 4  # a long pull's pages are this many times larger
MAX_FILE = 1 << 30


@dataclass
class SyncReport:
    """What one round did (`satchel sync --json` prints this)."""

    pulled: int = 0
    pages: int = 0
    pushed: int = 0
    records_pushed: int = 0  # documents made, usage, searches
    refused: list[str] = field(default_factory=list)
    kept_local: int = 0  # edits made here the hub has not taken yet, not overwritten
    files: int = 0  # files fetched
    file_bytes: int = 0  # of them, fetched in this round (not the parts an earlier one did)
    events: int = 0  # request steps learned
    cursor: int = 0
    revision: int = 0  # the hub's, at hello
    full_resync: bool = False
    stopped: bool = False  # cancelled between pages; the next round goes on from there
    identity: str = ""  # the hub's id of the person syncing
    seconds: float = 0.0
    assets_changed: set[str] = field(default_factory=set)
    published: publish.Published = field(default_factory=publish.Published)


@dataclass
class Local:
    """What a round needs of the library, supplied by the services."""

    write: Callable[[Callable[[Session], Any]], Any]  # runs a unit of work on the writer
    submit: Callable[[Callable[[Session], Any]], Future[Any]]  # queues one there
    read: Callable[[Callable[[Session], Any]], Any]
    blobs: BlobStore
    clock: Callable[[], dt.datetime]
    actor_id: str
    on_page: Callable[[Applied], None]  # after each page's commit (the index update)
    progress: Callable[[int, int], None] = lambda done, total: None  # revisions pulled
    stop: Callable[[], bool] = lambda: False  # asked between pages (a page is never cut)
    progress_files: Callable[[int, int], None] = lambda done, total: None
    keep_all: bool = True  # every file of the team's library, else only what is kept here
    keep_collections: frozenset[str] = frozenset()  # names of the collections kept here


def sync_round(link: HubLink, local: Local, device_name: str, address: str,
               page_size: int = PAGE) -> SyncReport:  # fmt: skip
    """One round as the person at `address` (the hub and login, kept with the library)."""
    started = time.perf_counter()
    report = SyncReport()
    device = local.read(_device) or str(uuid.uuid4())
    hello = link.hello(device, device_name)
    report.revision, report.identity = hello.revision, str(hello.me["id"])
    report.full_resync = local.write(partial(_begin, hello, device, local.actor_id))
    if permissions.allows(Role(str(hello.me["role"])), Capability.EDIT_METADATA):
        report.published = publish.push_collateral(link, local.write, local.read, local.blobs,
                                                   local.clock)  # fmt: skip
        report.refused += report.published.refused
    pushed = push.push_outbox(link, local.write, local.clock, local.read(push.pending_outbox))
    report.pushed = pushed.sent
    report.refused += pushed.refused
    records = push.push_records(link, local.write, local.read, str(hello.me["id"]))
    report.records_pushed = records.records
    report.refused += records.refused
    report.cursor = start = local.read(_cursor)
    total = max(0, hello.revision - start)
    local.progress(0, total)
    if total > 20 * page_size:  # a long pull (a first sync): fewer, larger transactions
        page_size *= BULK_PAGES
    _pull(link, local, report, page_size, start, total)
    fetch_wanted(link, local, report)
    report.stopped = local.stop()
    local.write(partial(_remember, {SYNCED: local.clock().isoformat(), ADDRESS: address,
                                    IDENTITY: report.identity}))  # fmt: skip
    report.seconds = time.perf_counter() - started
    return report


def _pull(link: HubLink, local: Local, report: SyncReport, page_size: int, start: int,
          total: int) -> None:  # fmt: skip
    """Pages in order, each applied on the writer while the next one is fetched and
    completed (the network and the database take turns less: a first sync is faster)."""
    pending: Future[Applied] | None = None
    in_flight: set[tuple[str, str]] = set()  # rows of the page being applied
    try:
        while not local.stop() and (rows := link.page(report.cursor, page_size)):
            page, blobs = _complete(link, local, rows, in_flight)
            if pending is not None:
                _landed(local, report, pending.result(), start, total)
            pending = local.submit(partial(_apply_page, page, blobs, rows[-1].rev, local.clock))
            in_flight = {(row.table, str(row.data["id"])) for row in page}
            in_flight |= {("blobs", sha) for sha in blobs}
            report.cursor = rows[-1].rev  # the next page starts here (committed: _landed)
            report.pulled += len(rows)
            report.pages += 1
    except BaseException:
        if pending is not None:  # the page on the writer lands (or not) before the round ends
            with contextlib.suppress(Exception):
                _landed(local, report, pending.result(), start, total)
        raise
    if pending is not None:
        _landed(local, report, pending.result(), start, total)


def _landed(local: Local, report: SyncReport, applied: Applied, start: int, total: int) -> None:
    """A page committed with its cursor: count it, update the index, say how far."""
    report.kept_local += applied.kept_local
    report.events += applied.events
    report.assets_changed |= applied.assets
    local.on_page(applied)
    local.progress(min(total, applied.cursor - start), total)


def _complete(link: HubLink, local: Local, rows: list[HubRow],
              in_flight: set[tuple[str, str]]) -> tuple[list[HubRow], dict[str, Blob]]:  # fmt: skip
    """The page with the parents it names and the laptop lacks (neither held nor in the
    page being applied), with the rows of its new assets' versions and of their files."""
    page = list(rows)
    asked: set[tuple[str, str]] = {(row.table, str(row.data["id"])) for row in page}
    for _depth in range(6):  # a parent's own parents (a request's template's asset …)
        named = {ref for row in page for ref in parents_of(row)} - asked - in_flight
        missing = named - local.read(partial(held, named))
        asked |= named
        if not missing:
            break
        for table in sorted({table for table, _ in missing}):
            page.extend(link.by_id(table, {i for t, i in missing if t == table}))
    page = _with_versions(link, local, page, in_flight)
    page = _visible(page, local, in_flight)
    versions = {str(row.data["blob_sha256"]) for row in page if row.table == "asset_versions"}
    new = versions - local.read(partial(_blobs_held, versions))
    new -= {sha for table, sha in in_flight if table == "blobs"}
    sizes = link.blob_sizes(new) if new else {}
    now = local.clock()
    # The files' rows only: the files follow after the pull, for what this laptop keeps.
    blobs = {sha: Blob(sha256=sha, size=size, file_type=kind, created_at=now, stored=False)
             for sha, (size, kind) in sizes.items()}  # fmt: skip
    page = [row for row in page if row.table != "asset_versions"
            or str(row.data["blob_sha256"]) in blobs or str(row.data["blob_sha256"]) not in new]  # fmt: skip
    return page, blobs


def _apply_page(page: list[HubRow], blobs: dict[str, Blob], cursor: int,
                clock: Callable[[], dt.datetime], session: Session) -> Applied:  # fmt: skip
    """A page applied with its cursor, in one transaction."""
    applied = apply_rows(session, page, clock, blobs.__getitem__)
    session.merge(LibraryInfo(key=CURSOR, value=str(cursor)))
    applied.cursor = cursor
    failpoints.hit("sync.page")
    return applied


def _with_versions(link: HubLink, local: Local, page: list[HubRow],
                   in_flight: set[tuple[str, str]]) -> list[HubRow]:  # fmt: skip
    """A new asset comes with its versions, or not yet: an asset the hub holds without
    a file (a version still on its way) arrives with its first version, as its parent."""
    new = {str(r.data["id"]) for r in page if r.table == "assets"}
    new -= local.read(partial(_assets_held, new))
    new -= {row_id for table, row_id in in_flight if table == "assets"}
    new -= {str(r.data["asset_id"]) for r in page if r.table == "asset_versions"}
    if not new:
        return page
    page = page + link.versions_of(new)
    versioned = {str(r.data["asset_id"]) for r in page if r.table == "asset_versions"}
    unversioned = new - versioned
    return [r for r in page if r.table != "assets" or str(r.data["id"]) not in unversioned]


def _assets_held(ids: set[str], session: Session) -> set[str]:
    return set(session.scalars(select(Asset.id).where(Asset.id.in_(ids))))


def _visible(page: list[HubRow], local: Local, in_flight: set[tuple[str, str]]) -> list[HubRow]:
    """Drop rows whose parents neither the page nor the laptop holds (rows of what this
    person may not see: the hub's policies hid the parent)."""
    present = {(row.table, str(row.data["id"])) for row in page} | in_flight
    named = {ref for row in page for ref in parents_of(row)} - present
    known = present | local.read(partial(held, named))
    return [row for row in page if all(ref in known for ref in parents_of(row))]


def _blobs_held(hashes: set[str], session: Session) -> set[str]:
    return set(session.scalars(select(Blob.sha256).where(Blob.sha256.in_(hashes))))


def fetch_wanted(link: HubLink, local: Local, report: SyncReport) -> None:
    """Fetch the files this laptop keeps and does not hold yet: every file (sync.keep_files
    "all"), else those of templates and of the collections kept here."""
    wanted = local.read(partial(_wanted_files, local.keep_all, local.keep_collections))
    for number, sha256 in enumerate(wanted, start=1):
        if local.stop():
            return
        report.file_bytes += fetch_file(link, local, sha256)
        report.files += 1
        local.progress_files(number, len(wanted))


def fetch_file(link: HubLink, local: Local, sha256: str) -> int:
    """Fetch one file by its hash into the blob store, verified, and mark it kept; an
    interrupted fetch goes on from its last whole part. Returns the bytes fetched."""
    fetched = 0
    if not local.blobs.has(sha256):
        sizes = link.part_sizes(sha256)

        def parts(first: int) -> Iterator[bytes]:
            nonlocal fetched
            fetched = sum(sizes[first:])
            return link.blob_chunks(sha256, first)

        local.blobs.commit(local.blobs.resume(sha256, parts, sizes, MAX_FILE))
    local.write(partial(_stored, sha256))
    return fetched


def _stored(sha256: str, session: Session) -> None:
    blob = session.get(Blob, sha256)
    if blob is not None:
        blob.stored = True


def _wanted_files(keep_all: bool, collections: frozenset[str], session: Session) -> list[str]:
    query = select(Blob.sha256).where(~Blob.stored)
    if not keep_all:
        versions = select(AssetVersion.blob_sha256)
        templates = versions.join(TemplateVersion,
                                  TemplateVersion.base_version_id == AssetVersion.id)  # fmt: skip
        kept = (versions.join(CollectionAsset, CollectionAsset.asset_id == AssetVersion.asset_id)
                .join(Collection, Collection.id == CollectionAsset.collection_id)
                .where(Collection.name.in_(collections), CollectionAsset.deleted_at.is_(None)))  # fmt: skip
        query = query.where(or_(Blob.sha256.in_(templates), Blob.sha256.in_(kept)))
    return list(session.scalars(query.order_by(Blob.size)))


def _device(session: Session) -> str | None:
    row = session.get(LibraryInfo, DEVICE)
    return row.value if row else None


def _begin(hello: Hello, device: str, actor_id: str, session: Session) -> bool:
    """The round's first write: this laptop's device id, its person, the hub's epoch."""
    session.merge(LibraryInfo(key=DEVICE, value=device))
    adopt_identity(session, actor_id, hello.me)
    session.merge(LibraryInfo(key=IDENTITY, value=str(hello.me["id"])))
    return _check_epoch(session, hello)


def _remember(values: dict[str, str], session: Session) -> None:
    for key, value in values.items():
        session.merge(LibraryInfo(key=key, value=value))


def _cursor(session: Session) -> int:
    row = session.get(LibraryInfo, CURSOR)
    return int(row.value) if row else 0


def _check_epoch(session: Session, hello: Hello) -> bool:
    """A hub that was reset or restored (another epoch), or that purged tombstones the
    laptop has not seen: pull everything again from revision 0, and send the outbox
    again (the hub answers what it already has from its records). True when so."""
    epoch = session.get(LibraryInfo, EPOCH)
    cursor = _cursor(session)
    changed = epoch is not None and epoch.value != hello.epoch
    behind = 0 < cursor < hello.tombstones_from
    session.merge(LibraryInfo(key=EPOCH, value=hello.epoch))
    if not (changed or behind):
        return False
    session.merge(LibraryInfo(key=CURSOR, value="0"))
    session.execute(update(OutboxEntry).where(OutboxEntry.refused.is_(None))
                    .values(sent_at=None))  # fmt: skip
    return True


def adopt_identity(session: Session, actor_id: str, me: dict[str, Any]) -> None:
    """This library's person is the hub login's: the signed-in profile takes the hub's
    id and details, unless another profile here already has the hub login's email."""
    hub_id, email = str(me["id"]), str(me["email"]).lower()
    other = session.scalar(select(User).where(User.email == email, User.id != actor_id))
    if other is not None:
        raise KnownError(f"This library is signed in as someone else than the hub login "
                         f"{email}: sign in as {email} (--user {email}) to sync.")  # fmt: skip
    rekey(session, User, actor_id, hub_id)
    row = session.get(User, hub_id)
    if row is not None:
        row.email, row.name, row.role = email, str(me["name"]), str(me["role"])
        row.territory = str(me.get("territory") or row.territory)
