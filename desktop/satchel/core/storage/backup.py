"""Verified database snapshots (VACUUM INTO, never a file copy) and putting one in place."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import shutil
import sqlite3
from collections.abc import Collection
from pathlib import Path

from satchel.core import failpoints
from satchel.core.disk import require_space
from satchel.core.errors import DamagedLibraryError, KnownError, explain_os_error
from satchel.core.storage.database import connect, open_read_only
from satchel.core.storage.migrate import known_revisions
from satchel.core.storage.sqlite_errors import explain

PREFIX = "satchel-"
PARTIAL_SUFFIX = ".partial"  # a snapshot being written: `.satchel-….db.partial`
SIDE_FILES = ("-wal", "-shm")


def verify_snapshot(path: Path) -> str:
    """Open a snapshot, run integrity_check and return its schema revision.

    Raises `KnownError` if the file is not a sound Satchel library database.
    """
    if not path.is_file():
        raise KnownError(f"There is no backup file at {path}.")
    try:
        connection = open_read_only(path)
        try:
            result = connection.execute("PRAGMA integrity_check").fetchone()
            if result is None or result[0] != "ok":
                raise KnownError(f"The backup {path.name} is damaged: {result and result[0]}.")
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise KnownError(
            f"{path.name} is not a Satchel library backup (SQLite says: {error})."
        ) from None
    if row is None:
        raise KnownError(f"{path.name} is not a Satchel library backup (it has no schema version).")
    revision = str(row[0])
    if revision not in known_revisions():
        raise KnownError(
            f"The backup {path.name} was made by a newer version of Satchel; update Satchel "
            "to restore it."
        )
    return revision


def snapshot(
    database: Path, backups: Path, now: dt.datetime, keep: int, protect: Collection[Path] = ()
) -> Path:
    """Write a verified snapshot of `database` into `backups` and keep the newest `keep`
    (never rotating away a file in `protect`: the snapshot a restore is about to use).

    A database too damaged to copy raises `DamagedLibraryError`; a full disk `DiskFullError`.
    """
    backups.mkdir(parents=True, exist_ok=True)
    name = f"{PREFIX}{now.astimezone(dt.UTC):%Y%m%d-%H%M%S-%f}.db"
    target = backups / name
    partial = backups / f".{name}{PARTIAL_SUFFIX}"
    partial.unlink(missing_ok=True)
    try:
        connection = connect(database)
        try:
            connection.execute("VACUUM INTO ?", (str(partial),))
        finally:
            connection.close()
        failpoints.hit("backup.written")
        try:
            verify_snapshot(partial)
        except KnownError as error:  # the copy of a damaged database is damaged too
            raise DamagedLibraryError(
                f"The library database cannot be backed up: {error} Restore a backup, or "
                "choose another library."
            ) from None
        failpoints.hit("backup.verified")
        partial.replace(target)
    except sqlite3.Error as error:
        raise explain(error, database) from None
    except OSError as error:
        raise explain_os_error(error, backups) from None
    finally:
        partial.unlink(missing_ok=True)
    rotate(backups, keep, protect)
    return target


def list_snapshots(backups: Path) -> list[Path]:
    """Snapshots, oldest first (names sort by time)."""
    if not backups.is_dir():
        return []
    return sorted(p for p in backups.glob(f"{PREFIX}*.db") if p.is_file())


def partial_snapshots(backups: Path) -> list[Path]:
    """Hidden leftovers of snapshots whose writing was interrupted (garbage)."""
    if not backups.is_dir():
        return []
    return sorted(backups.glob(f".{PREFIX}*{PARTIAL_SUFFIX}"))


def rotate(backups: Path, keep: int, protect: Collection[Path] = ()) -> list[Path]:
    """Delete all but the newest `keep` snapshots, never one in `protect`; returns what
    was deleted."""
    kept = {p.resolve() for p in protect}
    snapshots = [p for p in list_snapshots(backups) if p.resolve() not in kept]
    doomed = snapshots[: max(0, len(snapshots) - max(1, keep))]
    for path in doomed:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    return doomed


def put_in_place(source: Path, database: Path, keep_old_as: Path | None) -> None:
    """Make a copy of the verified snapshot `source` the library's database.

    The copy is written beside the database first, verified, and only then renamed
    over it in one step, so a failure at any moment (a full disk included: the space is
    checked first) leaves a whole database, old or new, and the snapshot as it was. The
    old database and its WAL are kept as `keep_old_as` (a damaged database is kept for
    inspection) or, when None, the WAL is removed (the caller has backed it up): a WAL
    left behind would be replayed onto the restored file.
    """
    folder = database.parent
    require_space(folder, source.stat().st_size * 11 // 10 + (1 << 20))
    temp = folder / f".{database.name}.restoring-{secrets.token_hex(4)}"
    try:
        src, dst = open_read_only(source), connect(temp)
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
        verify_snapshot(temp)
        _fsync(temp)
        failpoints.hit("restore.copied")
        for suffix in SIDE_FILES:
            side = database.with_name(database.name + suffix)
            if keep_old_as is not None and side.exists():
                side.replace(keep_old_as.with_name(keep_old_as.name + suffix))
            else:
                side.unlink(missing_ok=True)
        if keep_old_as is not None and database.exists():
            _link_or_copy(database, keep_old_as)
        temp.replace(database)
        _fsync(folder)
        failpoints.hit("restore.swapped")
    except sqlite3.Error as error:
        raise KnownError(
            f"The restore failed ({explain(error, database)}); the library was left as it was."
        ) from None
    except OSError as error:
        raise explain_os_error(error, folder) from None
    finally:
        temp.unlink(missing_ok=True)
        for suffix in SIDE_FILES:
            temp.with_name(temp.name + suffix).unlink(missing_ok=True)


def restoring_leftovers(database: Path) -> list[Path]:
    """Copies left by a restore that was interrupted before its swap (garbage)."""
    return sorted(database.parent.glob(f".{database.name}.restoring-*"))


def _link_or_copy(source: Path, target: Path) -> None:
    """A second name for a closed (damaged) database file, so the swap that follows is
    one rename; a file system without hard links gets a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _fsync(path: Path) -> None:
    if os.name == "nt" and path.is_dir():
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
