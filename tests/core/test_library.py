"""The library on disk: SQLite settings, migrations, locking, locations, read-only."""

from __future__ import annotations

import hashlib
import socket
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import psutil
import pytest
from sqlalchemy import text

from satchel.core.errors import (
    KnownError,
    LibraryLocationError,
    LibraryLockedError,
    NewerSchemaError,
)
from satchel.core.library import Library
from satchel.core.location import check_library_location, cloud_service
from satchel.core.services import Services
from satchel.core.storage import migrate
from tests.conftest import TEST_LIMITS, open_as
from tests.helpers.files import pdf_bytes, write


def test_new_library_has_the_folder_layout_and_sqlite_settings(library_dir: Path) -> None:
    with Library.open(library_dir, create=True) as library:
        for folder in ("blobs", "index", "cache/thumbs", "backups"):
            assert (library_dir / folder).is_dir()
        assert (library_dir / "index").stat().st_mode & 0o077 == 0  # private: holds pickles
        with library.db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert library.info("library_id")
    tables = sqlite3.connect(library_dir / "satchel.db").execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name != 'alembic_version'"
    )
    for name, sql in tables:
        assert sql.rstrip().endswith("STRICT"), name


def test_opening_a_missing_library_without_create_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(KnownError, match="There is no Satchel library"):
        Library.open(tmp_path / "nowhere")


def test_writes_begin_immediate_and_roll_back_on_error(library_dir: Path) -> None:
    from satchel.core.storage.models import LibraryInfo

    with Library.open(library_dir, create=True) as library:
        with pytest.raises(RuntimeError), library.db.write() as session:
            session.add(LibraryInfo(key="half", value="done"))
            session.flush()
            raise RuntimeError("interrupted")
        assert library.info("half") is None


def test_second_writer_is_refused_naming_the_holder(library_dir: Path) -> None:
    with Library.open(library_dir, create=True):
        with pytest.raises(LibraryLockedError) as caught:
            Library.open(library_dir)
        message = str(caught.value)
        assert f"process {__import__('os').getpid()}" in message
        assert socket.gethostname()[:20] in message


def test_another_process_holding_the_lock_is_named_and_a_killed_one_never_blocks(
    library_dir: Path,
) -> None:
    Library.open(library_dir, create=True).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from pathlib import Path
            from satchel.core.library import Library
            library = Library.open(Path({str(library_dir)!r}))
            print("ready", flush=True)
            time.sleep(60)
        """)],
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(LibraryLockedError, match=f"process {holder.pid} on"):
            Library.open(library_dir)
    finally:
        holder.kill()
        holder.communicate()
    assert (library_dir / "satchel.lock").exists()  # the stale file is still there …
    with Library.open(library_dir):  # … and does not block
        pass


def test_cloud_sync_folders_are_refused_with_an_explanation(tmp_path: Path) -> None:
    for folder, service in [
        ("Dropbox", "Dropbox"),
        ("OneDrive - Contoso", "OneDrive"),
        ("Google Drive", "Google Drive"),
        ("Library/Mobile Documents/com~apple~CloudDocs", "iCloud"),
    ]:
        target = tmp_path / folder / "Satchel"
        assert cloud_service(target) == service
        with pytest.raises(LibraryLocationError, match=service) as caught:
            Library.open(target, create=True)
        assert "sync" in str(caught.value)
        assert not target.exists()
    assert cloud_service(tmp_path / "Documents" / "Satchel") is None


def test_network_shares_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # No NFS server here: make psutil report the temp folder as an NFS mount.
    real = psutil.disk_partitions

    def with_nfs(all: bool = False) -> list:
        template = real(all)[0]
        share = template._replace(
            device="server:/export", mountpoint=str(tmp_path), fstype="nfs4", opts="rw"
        )
        return [*real(all), share]

    monkeypatch.setattr(psutil, "disk_partitions", with_nfs)
    with pytest.raises(LibraryLocationError, match="network share"):
        check_library_location(tmp_path / "library")
    with pytest.raises(LibraryLocationError, match="network share"):
        check_library_location(Path("//fileserver/marketing/library"))


def test_read_only_open_reads_and_refuses_changes(library_dir: Path, tmp_path: Path) -> None:
    source = write(tmp_path / "in" / "a.pdf", pdf_bytes(title="Read only test"))
    with open_as(library_dir, create=True, limits=TEST_LIMITS, workers=1) as services:
        services.assets.import_paths([source])
    with Services.open(library_dir, read_only=True) as services:
        assert [a.metadata.title for a in services.assets.list_all()] == ["Read only test"]
        with pytest.raises(KnownError, match="read-only"):
            services.assets.import_paths([source])
        with pytest.raises(KnownError, match="read-only"):
            services.assets.update_metadata(services.assets.list_all()[0].id, {"title": "x"})


def test_read_only_folder_opens_read_only(library_dir: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root can write to read-only folders, so the folder cannot be made read-only")
    Library.open(library_dir, create=True).close()
    library_dir.chmod(0o555)
    try:
        with Library.open(library_dir) as library:
            assert library.read_only
    finally:
        library_dir.chmod(0o755)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_older_library_is_backed_up_then_migrated(library_dir: Path, tmp_path: Path) -> None:
    source = write(tmp_path / "in" / "a.pdf", pdf_bytes(title="Survives migration"))
    with open_as(library_dir, create=True, limits=TEST_LIMITS, workers=1) as services:
        services.assets.import_paths([source])
    # Take the library back to the first schema, as an older Satchel left it.
    with Library.open(library_dir) as library:
        migrate.downgrade(library.db.engine, "0001")
        assert migrate.current_revision(library.db.engine) == "0001"
    before = list((library_dir / "backups").glob("*.db"))
    with open_as(library_dir) as services:
        assert migrate.current_revision(services._ctx.library.db.engine) == migrate.head_revision()
        assert [a.metadata.title for a in services.assets.list_all()] == ["Survives migration"]
    made = set((library_dir / "backups").glob("*.db")) - set(before)
    assert len(made) == 1
    snapshot = sqlite3.connect(next(iter(made)))
    assert snapshot.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)


def test_models_and_migrations_agree(library_dir: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from satchel.core.storage.models import Base

    with Library.open(library_dir, create=True) as library, library.db.engine.connect() as c:
        assert compare_metadata(MigrationContext.configure(c), Base.metadata) == []


def test_library_from_a_newer_version_is_refused_and_left_untouched(library_dir: Path) -> None:
    Library.open(library_dir, create=True).close()
    connection = sqlite3.connect(library_dir / "satchel.db")
    connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    connection.commit()
    connection.close()
    before = _digest(library_dir / "satchel.db")
    with pytest.raises(NewerSchemaError, match="newer version"):
        Library.open(library_dir)
    with pytest.raises(NewerSchemaError):
        Library.open(library_dir, read_only=True)
    assert _digest(library_dir / "satchel.db") == before


def test_the_revision_list_matches_the_migration_scripts() -> None:
    assert list(migrate.REVISIONS) == migrate.alembic_revisions()
