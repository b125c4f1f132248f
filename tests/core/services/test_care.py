"""Backups, restore, integrity check and repair, and surviving a killed import."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from satchel.core.errors import KnownError
from satchel.core.services import Services
from tests.conftest import TEST_LIMITS, open_as
from tests.helpers.files import pdf_bytes, write


def _titles(services: Services) -> list[str]:
    return sorted(a.metadata.title for a in services.assets.list_all())


def test_backup_is_verified_rotated_and_restorable(library_dir: Path, tmp_path: Path) -> None:
    with open_as(library_dir, create=True, limits=TEST_LIMITS, workers=1,
                       backup_keep=3) as services:  # fmt: skip
        services.assets.import_paths([write(tmp_path / "a.pdf", pdf_bytes(title="Before"))])
        first = services.care.backup()
        assert first.parent == library_dir / "backups"
        check = sqlite3.connect(first)
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        check.close()
        services.assets.import_paths([write(tmp_path / "b.pdf", pdf_bytes(title="After"))])
        assert _titles(services) == ["After", "Before"]
        outcome, changes = services.care.restore(first)
        assert changes.library_replaced
        assert _titles(services) == ["Before"]
        assert outcome.safety_backup is not None and outcome.safety_backup.is_file()
        for _ in range(4):
            services.care.backup()
        assert len(services.care.list_backups()) == 3
        assert first not in services.care.list_backups()  # the oldest went first


def test_restore_refuses_a_file_that_is_not_a_backup(services: Services, tmp_path: Path) -> None:
    services.assets.import_paths([write(tmp_path / "a.pdf", pdf_bytes(title="Kept"))])
    foreign = tmp_path / "other.db"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    for bad in (write(tmp_path / "notes.db", b"not a database at all" * 100),
                write(tmp_path / "empty.db", b""), foreign):  # fmt: skip
        with pytest.raises(KnownError, match="not a Satchel library backup"):
            services.care.restore(bad)
    with pytest.raises(KnownError, match="There is no backup file"):
        services.care.restore(tmp_path / "missing.db")
    assert _titles(services) == ["Kept"]


def test_check_finds_damage_and_repair_removes_leftovers(
    services: Services, library_dir: Path, tmp_path: Path
) -> None:
    (result,) = services.assets.import_paths([write(tmp_path / "a.pdf", pdf_bytes())])[0].results
    assert services.care.check().ok
    orphan = library_dir / "blobs" / "ff" / "ee" / ("ffee" + "0" * 60)
    write(orphan, b"left by a crash")
    write(library_dir / "blobs" / "tmp" / "abc.part", b"half a file")
    write(library_dir / "cache" / "thumbs" / "00" / ("00" * 32 + ".png"), b"png")
    report = services.care.check()
    assert report.ok and len(report.garbage) == 3
    repaired = services.care.check(repair=True)
    assert len(repaired.repaired) == 3
    assert not orphan.exists()
    clean = services.care.check()
    assert clean.ok and not clean.garbage
    # Damage to a stored file is a problem, not garbage.
    blob = services.assets.blob_path(services.assets.get(result.asset_id).current.sha256)
    blob.write_bytes(blob.read_bytes()[:-10])
    damaged = services.care.check(repair=True)
    assert not damaged.ok
    assert "damaged" in damaged.problems[0]


_IMPORTER = """
import sys
from pathlib import Path
from satchel.core.domain.users import Role
from satchel.core.services import Services

def main():
    with Services.open(Path(sys.argv[1]), create=True, workers=2) as services:
        services.people.acting_user(None, Role.ADMIN, "tester")
        def progress(step):
            print(step.done, flush=True)
        services.assets.import_paths([Path(sys.argv[2])], progress=progress)

if __name__ == "__main__":
    main()
"""


def test_killing_an_import_midway_leaves_a_consistent_library(
    library_dir: Path, tmp_path: Path
) -> None:
    sources = tmp_path / "drop"
    for number in range(60):
        write(sources / f"{number:03}.pdf", pdf_bytes(pages=20, text=f"document {number}"))
    script = write(tmp_path / "importer.py", textwrap.dedent(_IMPORTER).encode())
    process = subprocess.Popen(
        [sys.executable, str(script), str(library_dir), str(sources)],
        stdout=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    assert process.stdout is not None
    while (line := process.stdout.readline()) and int(line) < 5:  # a few files land first
        pass
    assert line, "the importer ended before importing anything"
    time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # the importer and its parser processes
    process.communicate()
    with open_as(library_dir) as services:
        report = services.care.check()
        assert report.ok, report.problems
        assets = services.assets.list_all()
        assert 5 <= len(assets) < 60
        for asset in assets:
            detail = services.assets.get(asset.id, with_text=True)
            assert len(detail.versions) == 1
            assert services.assets.blob_path(detail.current.sha256).is_file()
            assert detail.page_texts and len(detail.page_texts) == 20
        services.care.check(repair=True)
        assert not services.care.check().garbage
        # Importing the folder again brings in the rest; the earlier ones are duplicates.
        again, _ = services.assets.import_paths([sources])
        assert len(services.assets.list_all()) == 60
        assert again.count(again.results[0].status.__class__("duplicate")) == len(assets)
