"""Opening the SQLite library database with the settings PLATFORM.md asks for."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from satchel.core.errors import KnownError, ReadOnlyLibraryError

_WRITE = "satchel_write"


def _configure_connection(dbapi_connection: sqlite3.Connection, read_only: bool) -> None:
    # We issue BEGIN ourselves (see _begin) so writes can take the lock up front.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    if not read_only:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def sqlite_url(path: Path, read_only: bool = False, immutable: bool = False) -> str:
    """A SQLAlchemy URL for the file; read-only opens use SQLite's URI flags."""
    if not read_only:
        return f"sqlite:///{path}"
    flags = "mode=ro" + ("&immutable=1" if immutable else "")
    return f"sqlite:///file:{quote(str(path))}?{flags}&uri=true"


def open_read_only(path: Path) -> sqlite3.Connection:
    """A plain read-only sqlite3 connection (integrity checks, verifying snapshots)."""
    return sqlite3.connect(f"file:{quote(path.as_posix())}?mode=ro", uri=True)


class Database:
    """The engine plus unit-of-work helpers: `read()` and `write()` sessions.

    Writes begin with BEGIN IMMEDIATE: a deferred transaction that later upgrades to a
    write fails at once under contention, an immediate one waits for the lock.
    """

    def __init__(self, path: Path, read_only: bool = False, immutable: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self.engine: Engine = create_engine(
            sqlite_url(path, read_only, immutable), poolclass=NullPool
        )
        event.listen(
            self.engine, "connect", lambda conn, _rec: _configure_connection(conn, read_only)
        )
        event.listen(self.engine, "begin", self._begin)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @staticmethod
    def _begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; rolled back at the end."""
        with self._sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any exception."""
        if self.read_only:
            raise ReadOnlyLibraryError("This library is open read-only, so it cannot be changed.")
        session = Session(
            bind=self.engine.execution_options(**{_WRITE: True}), expire_on_commit=False
        )
        try:
            yield session
            session.commit()
        except OperationalError as error:
            session.rollback()
            raise _explain(error) from error
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _explain(error: OperationalError) -> KnownError:
    text = str(error.orig)
    if "disk is full" in text or "database or disk is full" in text:
        return KnownError("The disk is full; nothing was changed. Free some space and try again.")
    if "locked" in text or "busy" in text:
        return KnownError(
            "The library is busy with another change; nothing was changed. Try again."
        )
    if "readonly" in text:
        return ReadOnlyLibraryError("The library folder is read-only, so nothing can be changed.")
    return KnownError(f"The library database could not be written ({text}); nothing was changed.")
