"""Opening the SQLite library database with the settings PLATFORM.md asks for."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from satchel.core import failpoints
from satchel.core.errors import ReadOnlyLibraryError
from satchel.core.storage.sqlite_errors import explain

_WRITE = "satchel_write"


def sqlite_uri(path: Path, *, read_only: bool = False, immutable: bool = False) -> str:
    """A SQLite URI naming exactly `path`: `?`, `#`, `%` and the rest are percent-quoted
    (an unquoted path with them opened a different, empty database beside the real one)."""
    flags = [flag for flag, on in (("mode=ro", read_only), ("immutable=1", immutable)) if on]
    return path.absolute().as_uri() + ("?" + "&".join(flags) if flags else "")


def connect(path: Path, *, read_only: bool = False, immutable: bool = False) -> sqlite3.Connection:
    """A plain sqlite3 connection to the file at `path` (never a URL built by hand)."""
    return sqlite3.connect(
        sqlite_uri(path, read_only=read_only, immutable=immutable),
        uri=True,
        check_same_thread=False,
    )


def open_read_only(path: Path, immutable: bool = False) -> sqlite3.Connection:
    """A read-only connection (integrity checks, verifying snapshots)."""
    return connect(path, read_only=True, immutable=immutable)


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


class Database:
    """The engine plus unit-of-work helpers: `read()` and `write()` sessions.

    Writes begin with BEGIN IMMEDIATE: a deferred transaction that later upgrades to a
    write fails at once under contention, an immediate one waits for the lock. Every
    SQLite failure leaves here as a `KnownError` chosen by its result code.
    """

    def __init__(self, path: Path, read_only: bool = False, immutable: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        self.immutable = immutable
        self.engine: Engine = create_engine(
            "sqlite://", creator=self.raw_connection, poolclass=NullPool
        )
        event.listen(
            self.engine, "connect", lambda conn, _rec: _configure_connection(conn, read_only)
        )
        event.listen(self.engine, "begin", self._begin)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def raw_connection(self) -> sqlite3.Connection:
        """A sqlite3 connection opened the way this database is (read-only, immutable)."""
        return connect(self.path, read_only=self.read_only, immutable=self.immutable)

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
            except DBAPIError as error:
                raise explain(error, self.path) from error
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
            session.flush()
            failpoints.hit("db.commit")
            session.commit()
            failpoints.hit("db.committed")
        except DBAPIError as error:
            session.rollback()
            raise explain(error, self.path) from error
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
