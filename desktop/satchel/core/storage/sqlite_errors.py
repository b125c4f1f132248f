"""SQLite failures told apart by their result codes, never by message text."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from satchel.core.disk import disk_full, free_bytes
from satchel.core.errors import DamagedLibraryError, KnownError, ReadOnlyLibraryError

# Primary result codes (the low byte of an extended code), from sqlite3.h.
BUSY, LOCKED, READONLY, IOERR, CORRUPT, FULL, CANTOPEN, NOTADB = 5, 6, 8, 10, 11, 13, 14, 26
_LOW_SPACE = 1 << 20  # below this, an I/O error while writing is a full disk in disguise


def result_code(error: BaseException) -> int | None:
    """The primary SQLite result code of an error (SQLAlchemy's or sqlite3's), if any."""
    original = getattr(error, "orig", None) or error
    code = getattr(original, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_damage(error: BaseException) -> bool:
    """The database file itself is unreadable (corrupt pages, not a database)."""
    return result_code(error) in (CORRUPT, NOTADB)


def explain(error: BaseException, database: Path) -> KnownError:
    """The sentence for a SQLite failure on `database`; it says what is true."""
    code = result_code(error)
    original = getattr(error, "orig", None) or error
    folder = database.parent
    if code == FULL or (code == IOERR and (free_bytes(folder) or 0) < _LOW_SPACE):
        return disk_full(folder)
    if code in (CORRUPT, NOTADB):
        return DamagedLibraryError(
            f"The library database in {folder} is damaged and cannot be read ({original}). "
            "Restore a backup, or choose another library."
        )
    if code == READONLY:
        return ReadOnlyLibraryError(
            f"The library in {folder} is on read-only media or in a read-only folder, so "
            "nothing can be changed."
        )
    if code in (BUSY, LOCKED):
        return KnownError(
            "The library is busy with another change; nothing was changed. Try again."
        )
    if code == IOERR:
        return KnownError(
            f"The disk holding the library in {folder} reported an input/output error. Check "
            "the disk or its connection; nothing was changed."
        )
    if code == CANTOPEN:
        return KnownError(
            f"The library database in {folder} could not be opened (is the folder there, "
            "and may Satchel read it?)."
        )
    if isinstance(original, sqlite3.Error):
        return KnownError(
            f"The library database could not be used ({original}); nothing was changed."
        )
    return KnownError(f"The library database could not be used ({error}); nothing was changed.")
