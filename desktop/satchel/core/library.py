"""An open library folder: paths, database (migrated), blob store and writer lock."""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from satchel.core.blobs import BlobStore, write_atomic
from satchel.core.errors import DamagedLibraryError, KnownError, NewerSchemaError
from satchel.core.location import check_library_location
from satchel.core.locking import WriterLock
from satchel.core.paths import LibraryPaths
from satchel.core.storage import backup, migrate
from satchel.core.storage.database import Database, connect
from satchel.core.storage.models import LibraryInfo
from satchel.core.storage.sqlite_errors import explain

log = logging.getLogger("satchel.library")

Clock = Callable[[], dt.datetime]
IdFactory = Callable[[], str]


def utc_now() -> dt.datetime:
    """The current time in UTC."""
    return dt.datetime.now(dt.UTC)


def random_id() -> str:
    """A new client-generated UUID."""
    return str(uuid.uuid4())


class Library:
    """One open library. Use `Library.open`; close it when done."""

    def __init__(
        self,
        paths: LibraryPaths,
        database: Database,
        lock: WriterLock | None,
        clock: Clock,
        new_id: IdFactory,
        backup_keep: int,
    ) -> None:
        self.paths = paths
        self.db = database
        self.blobs = BlobStore(paths.blobs, paths.staging)
        self._lock = lock
        self.clock = clock
        self.new_id = new_id
        self.backup_keep = backup_keep
        self._private_copy: Path | None = None  # see _read_only_database

    @property
    def read_only(self) -> bool:
        return self.db.read_only

    @classmethod
    def open(
        cls,
        root: Path,
        *,
        create: bool = False,
        read_only: bool = False,
        clock: Clock = utc_now,
        new_id: IdFactory = random_id,
        backup_keep: int = 10,
    ) -> Library:
        """Open (or create) the library at `root`, migrating an older schema after a backup."""
        root = root.expanduser().absolute()
        paths = LibraryPaths(root)
        exists = paths.database.is_file()
        if not exists and not create:
            raise KnownError(f"There is no Satchel library at {root}.")
        if root.exists() and not root.is_dir():
            raise KnownError(f"{root} is a file, not a library folder.")
        if not exists and _has_stored_files(paths):
            raise DamagedLibraryError(
                f"The library in {root} has stored files but its database is missing. "
                "Restore a backup (satchel restore FILE); a new, empty library is not made "
                "over it."
            )
        if not read_only:
            check_library_location(root)
            if exists and not _writable(root, paths.database):
                log.info("library %s is read-only on disk; opening read-only", root)
                read_only = True
        if read_only:
            if not exists:
                raise KnownError(f"There is no Satchel library at {root}.")
            database, copy = _read_only_database(paths)
            library = cls(paths, database, None, clock, new_id, backup_keep)
            library._private_copy = copy
            try:
                with _explain_damage(paths):
                    library._check_revision(migrate.current_revision(database.engine))
            except BaseException:
                library.close()
                raise
            return library
        root.mkdir(parents=True, exist_ok=True)
        lock = WriterLock(paths.lock)
        lock.acquire()
        try:
            for folder in (paths.blobs, paths.staging, paths.thumbnails, paths.backups):
                folder.mkdir(parents=True, exist_ok=True)
            paths.index.mkdir(mode=0o700, exist_ok=True)
            database = Database(paths.database)
            library = cls(paths, database, lock, clock, new_id, backup_keep)
            with _explain_damage(paths):
                library.migrate()
                library._mark_folder()
        except BaseException:
            lock.release()
            raise
        return library

    def _check_revision(self, revision: str | None) -> None:
        if revision is None and _has_stored_files(self.paths):  # e.g. a 0-byte database
            raise DamagedLibraryError(
                f"The library database in {self.paths.root} is empty or unreadable, but the "
                "library has stored files. Restore a backup (satchel restore FILE); a new, "
                "empty library is not made over it."
            )
        if revision is not None and revision not in migrate.known_revisions():
            raise NewerSchemaError(
                "This library was created by a newer version of Satchel. Update Satchel "
                "to open it; it has not been changed."
            )

    def migrate(self) -> None:
        """Bring the schema to this version's head, backing up an older one first."""
        revision = migrate.current_revision(self.db.engine)
        self._check_revision(revision)
        head = migrate.head_revision()
        if revision == head:
            return
        if revision is not None:
            made = backup.snapshot(self.paths.database, self.paths.backups, self.clock(), 1000)
            log.info("backed up library to %s before migrating %s → %s", made, revision, head)
        migrate.upgrade(self.db.engine)
        if revision is None:
            with self.db.write() as session:
                session.add(LibraryInfo(key="library_id", value=self.new_id()))
                session.add(LibraryInfo(key="created_at", value=self.clock().isoformat()))

    def _mark_folder(self) -> None:
        """Write the library's id into the folder too (`satchel.id`): a repair compares
        the two before it acts, so it never treats another database's view as the truth."""
        library_id = self.info("library_id")
        if library_id and not self.paths.marker.exists():
            write_atomic(self.paths.marker, library_id.encode())

    def folder_id(self) -> str | None:
        """The library id the folder was marked with (None for an unmarked folder)."""
        try:
            return self.paths.marker.read_text(encoding="utf-8").strip() or None
        except (OSError, UnicodeDecodeError):
            return None

    def info(self, key: str) -> str | None:
        """A value from the library_info table."""
        with self.db.read() as session:
            row = session.scalar(select(LibraryInfo).where(LibraryInfo.key == key))
            return row.value if row else None

    def set_info(self, key: str, value: str) -> None:
        """Set a value in the library_info table (its own unit of work)."""
        with self.db.write() as session:
            session.merge(LibraryInfo(key=key, value=value))

    def close(self) -> None:
        """Dispose of connections and release the writer lock."""
        self.db.dispose()
        if self._lock is not None:
            self._lock.release()
            self._lock = None
        if self._private_copy is not None:
            shutil.rmtree(self._private_copy, ignore_errors=True)
            self._private_copy = None

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def _explain_damage(paths: LibraryPaths) -> Iterator[None]:
    """A SQLite failure while opening says what is true (damaged, disk full, I/O error,
    read-only), chosen by its result code; never a traceback."""
    try:
        yield
    except DBAPIError as error:
        log.warning("library database %s did not open: %s", paths.database, error)
        raise explain(error, paths.database) from None


def _read_only_database(paths: LibraryPaths) -> tuple[Database, Path | None]:
    """The database of a library opened read-only, and the private copy it reads if any.

    On read-only media SQLite can only open the file immutable, which ignores the WAL:
    changes not yet checkpointed into the main file would be silently missing. Then the
    file and its WAL are copied to a private folder and checkpointed there.
    """
    if _writable(paths.root, paths.database):
        return Database(paths.database, read_only=True), None
    wal = paths.database.with_name(paths.database.name + "-wal")
    if not wal.is_file() or wal.stat().st_size == 0:
        return Database(paths.database, read_only=True, immutable=True), None
    folder = Path(tempfile.mkdtemp(prefix="satchel-readonly-"))
    copy = folder / paths.database.name
    try:
        shutil.copyfile(paths.database, copy)
        shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        connection = connect(copy)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()
    except (OSError, sqlite3.Error) as error:
        shutil.rmtree(folder, ignore_errors=True)
        log.warning("could not read the WAL of %s (%s); opening without it", paths.database, error)
        return Database(paths.database, read_only=True, immutable=True), None
    log.info("read-only library %s has un-checkpointed changes; reading a private copy", paths.root)
    return Database(copy, read_only=True, immutable=True), folder


def _has_stored_files(paths: LibraryPaths) -> bool:
    """Blobs or backups in the folder: a library whose database went missing."""
    for folder in (paths.blobs, paths.backups):
        if folder.is_dir() and any(p.is_file() for p in folder.rglob("*")):
            return True
    return False


def _writable(root: Path, database: Path) -> bool:
    return os.access(root, os.W_OK) and (not database.exists() or os.access(database, os.W_OK))
