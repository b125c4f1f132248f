"""A real full disk and real read-only media: a small tmpfs mounted by the test."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import TEST_LIMITS, open_as
from tests.faults.conftest import assert_sound, fill_disk, remount, satchel, state_of
from tests.helpers import reliability
from tests.helpers.files import pdf_bytes, write


def _library_on(point: Path, scratch: Path) -> tuple[Path, Path]:
    root = point / "library"
    with open_as(root, create=True, limits=TEST_LIMITS, workers=1) as services:
        services.assets.import_paths([write(scratch / f"{name}.pdf", pdf_bytes(title=f"{name} brochure"))
                               for name in ("Atlas", "Beacon", "Cirrus")])  # fmt: skip
        snapshot = services.care.backup()
    return root, snapshot


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_full_disk_is_said_plainly_and_loses_nothing(root_mount: Path, tmp_path: Path) -> None:
    root, snapshot = _library_on(root_mount, tmp_path)
    before = state_of(root)
    database = _digest(root / "satchel.db")
    filler = fill_disk(root_mount)
    imported = satchel(root, "import", str(write(tmp_path / "new.pdf", pdf_bytes(title="Delta"))))
    assert imported.code == 1 and "is full" in imported.said("is full"), imported.out + imported.err
    listed = satchel(root, "list")
    assert "damaged" not in listed.err and (listed.code == 0 or "is full" in listed.err), listed.err
    restored = satchel(root, "restore", str(snapshot))
    assert restored.code == 1 and "free" in restored.err, restored.err
    backed_up = satchel(root, "backup")
    assert backed_up.code == 1 and "is full" in backed_up.err, backed_up.err
    assert (root / "satchel.db").stat().st_size > 0 and _digest(root / "satchel.db") == database
    assert _digest(snapshot) == _digest(snapshot)  # still readable, untouched
    filler.unlink()
    assert assert_sound(root).titles == before.titles
    for run, what in ((imported, "import"), (restored, "restore"), (backed_up, "backup")):
        reliability.record("Full disk", f"`satchel {what}` on a really full disk",
                           run.said("full" if what != "restore" else "free"),
                           "The library exactly as it was; it opens normally once space is freed")  # fmt: skip


def test_read_only_media_opens_read_only_and_checks_sound(root_mount: Path, tmp_path: Path) -> None:
    root, _ = _library_on(root_mount, tmp_path)
    remount(root_mount, "ro")
    checked = satchel(root, "check")
    assert checked.code == 0 and "The library is sound." in checked.out, checked.out + checked.err
    listed = satchel(root, "list")
    assert listed.code == 0 and "Atlas brochure" in listed.out
    with open_as(root) as services:
        assert services.read_only
        asset = services.assets.list_all()[0]
    changed = satchel(root, "set", asset.id, "title=Nope")
    assert changed.code == 1 and "read-only" in changed.err, changed.err
    reliability.record("Read-only media", "`satchel check` and an edit on a library on read-only media",
                       f"{checked.out.strip().splitlines()[-1]} / {changed.said()}",
                       "The library, untouched")  # fmt: skip


def test_read_only_media_shows_changes_still_in_the_wal(root_mount: Path, tmp_path: Path) -> None:
    root, _ = _library_on(root_mount, tmp_path)
    # A change committed into the WAL, and the process gone before any checkpoint.
    script = textwrap.dedent(f"""
        import os
        from pathlib import Path
        from satchel.core.services import Services
        import sqlite3
        services = Services.open(Path({str(root)!r}))
        services.people.acting_user(None, None, "tester")  # the library's owner
        reader = sqlite3.connect({str(root / "satchel.db")!r})  # one connection stays open,
        reader.execute("SELECT count(*) FROM assets").fetchall()  # so the WAL is kept
        first = services.assets.list_all()[0]
        services.assets.update_metadata(first.id, {{"title": "Late change"}})
        os._exit(0)
    """)
    subprocess.run([sys.executable, "-c", script], check=True)
    assert (root / "satchel.db-wal").stat().st_size > 0
    remount(root_mount, "ro")
    with open_as(root) as services:
        assert services.read_only
        assert "Late change" in {a.metadata.title for a in services.assets.list_all()}
    reliability.record("Read-only media", "A library on read-only media whose last changes are "
                       "still in its WAL file", "Nothing: the changes are shown",
                       "The library, untouched (the WAL is read from a private copy)")  # fmt: skip
