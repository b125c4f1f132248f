"""Verified database snapshots (VACUUM INTO, never a file copy) and restore via the backup API."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from pathlib import Path

from satchel.core.errors import KnownError
from satchel.core.storage.database import open_read_only
from satchel.core.storage.migrate import known_revisions

PREFIX = "satchel-"


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


def snapshot(database: Path, backups: Path, now: dt.datetime, keep: int) -> Path:
    """Write a verified snapshot of `database` into `backups` and keep the newest `keep`."""
    backups.mkdir(parents=True, exist_ok=True)
    name = f"{PREFIX}{now.astimezone(dt.UTC):%Y%m%d-%H%M%S-%f}.db"
    target = backups / name
    partial = backups / f".{name}.partial"
    partial.unlink(missing_ok=True)
    connection = sqlite3.connect(database)
    try:
        connection.execute("VACUUM INTO ?", (str(partial),))
    except sqlite3.OperationalError as error:
        partial.unlink(missing_ok=True)
        raise KnownError(
            f"The backup could not be written ({error}); nothing was changed."
        ) from None
    finally:
        connection.close()
    try:
        verify_snapshot(partial)
    except KnownError:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
    rotate(backups, keep)
    return target


def list_snapshots(backups: Path) -> list[Path]:
    """Snapshots, oldest first (names sort by time)."""
    if not backups.is_dir():
        return []
    return sorted(p for p in backups.glob(f"{PREFIX}*.db") if p.is_file())


def rotate(backups: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` snapshots; returns what was deleted."""
    snapshots = list_snapshots(backups)
    doomed = snapshots[: max(0, len(snapshots) - max(1, keep))]
    for path in doomed:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    return doomed


def copy_into(source: Path, database: Path) -> None:
    """Replace the contents of the live `database` with `source` in one step (backup API)."""
    src = open_read_only(source)
    dst = sqlite3.connect(database)
    try:
        src.backup(dst)
    except sqlite3.Error as error:
        raise KnownError(f"The restore failed ({error}); the library was left as it was.") from None
    finally:
        src.close()
        dst.close()
