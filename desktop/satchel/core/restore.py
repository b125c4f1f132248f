"""Restoring a library's database from a snapshot, whether or not the library opens."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from satchel.core.errors import DamagedLibraryError, KnownError
from satchel.core.locking import WriterLock
from satchel.core.paths import LibraryPaths
from satchel.core.storage import backup

log = logging.getLogger("satchel.library")


@dataclass(frozen=True)
class RestoreOutcome:
    """What a restore did with the database it replaced."""

    snapshot: Path
    safety_backup: Path | None  # the state before, when it could still be read
    kept_damaged: Path | None  # a database too damaged to back up, kept beside


def restore_database(
    paths: LibraryPaths, snapshot: Path, now: dt.datetime, keep: int
) -> RestoreOutcome:
    """Put a verified copy of `snapshot` in place of the library's database.

    The current database is backed up first (the snapshot being restored is never
    rotated away by that); one too damaged to back up (truncated, a zeroed header,
    damaged pages) is kept beside as ``satchel.db.damaged-…``. The caller holds the
    writer lock and has no connection open. A failure leaves everything as it was.
    """
    backup.verify_snapshot(snapshot)
    safety = kept = None
    if paths.database.exists():
        try:
            safety = backup.snapshot(paths.database, paths.backups, now, keep, protect=[snapshot])
        except DamagedLibraryError as error:
            kept = paths.database.with_name(f"satchel.db.damaged-{now:%Y%m%d-%H%M%S}")
            log.warning("database cannot be backed up (%s); it will be kept as %s", error, kept)
    backup.put_in_place(snapshot, paths.database, kept)
    log.warning("restored %s from %s (safety backup %s, damaged copy %s)",
                paths.database, snapshot, safety, kept)  # fmt: skip
    return RestoreOutcome(snapshot, safety, kept)


def restore_closed_library(
    root: Path, snapshot: Path, now: dt.datetime, keep: int
) -> RestoreOutcome:
    """`restore_database` for a library that is not open (it may not even open)."""
    paths = LibraryPaths(root.expanduser().absolute())
    if not paths.root.is_dir():
        raise KnownError(f"There is no Satchel library at {paths.root}.")
    lock = WriterLock(paths.lock)
    lock.acquire()
    try:
        return restore_database(paths, snapshot, now, keep)
    finally:
        lock.release()
