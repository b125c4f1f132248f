"""The fault suite: the real CLI in a child process, made to crash or fail at durable
steps, then the library's invariants checked from outside."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from satchel.core.services import Services
from satchel.core.storage.database import open_read_only
from tests.conftest import DEMO_USERS, TEST_LIMITS, open_as


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/faults/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.slow)


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    def said(self, containing: str = "") -> str:
        """What the person saw: the first line mentioning `containing`, else the last
        line on stderr (or stdout)."""
        lines = [line.strip() for line in (self.err + "\n" + self.out).splitlines() if line.strip()]
        chosen = next((line for line in lines if containing and containing in line),
                      lines[-1] if lines else "")  # fmt: skip
        return chosen.removeprefix("satchel: ")


def _who(library: Path) -> list[str]:
    """`--user` for a demo library (three users: the admin acts); others have one."""
    connection = open_read_only(library / "satchel.db", immutable=True)  # media may be read-only
    try:
        demo = connection.execute("SELECT value FROM library_info WHERE key = 'demo'").fetchone()
    finally:
        connection.close()
    return ["--user", DEMO_USERS["admin"]] if demo else []


def satchel(
    library: Path, *args: str, failpoint: str = "", timeout: float = 180, **env: str
) -> Run:
    """`satchel --library LIBRARY ARGS…` in a child process, with a failpoint armed."""
    environment = {**os.environ, "SATCHEL_FAILPOINT": failpoint, **env}
    done = subprocess.run(
        [sys.executable, "-m", "satchel", "--library", str(library), *_who(library), *args],
        capture_output=True, text=True, timeout=timeout, env=environment, check=False,
    )  # fmt: skip
    return Run(done.returncode, done.stdout, done.stderr)


def start_satchel(library: Path, *args: str) -> subprocess.Popen[str]:
    """The same, left running (to be killed)."""
    return subprocess.Popen(
        [sys.executable, "-m", "satchel", "--library", str(library), *_who(library), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "SATCHEL_FAILPOINT": ""},
    )  # fmt: skip


@dataclass(frozen=True)
class State:
    """What a library holds, as a person would see it."""

    titles: tuple[str, ...]
    documents: int
    backups: int = 0


def assert_sound(root: Path) -> State:
    """The invariants after any fault: the library opens, `check` finds no problem
    (leftovers are garbage that repair moves aside, after which none are left), and
    search agrees with the database once the start-up check has run."""
    with open_as(root, limits=TEST_LIMITS, workers=1) as services:
        report = services.care.check()
        assert report.ok, report.problems
        if report.garbage:
            services.care.check(repair=True)
            assert not services.care.check().garbage
        services.search.ensure_index()
        assets = services.assets.list_all()
        found = services.search.find("", page_size=1, include_hidden=True, with_facets=False)
        assert found.total == len(assets), "the index disagrees with the database"
        for asset in assets[:12]:  # each live asset is findable by its title's first word
            word = asset.metadata.title.split()[0] if asset.metadata.title.split() else ""
            if word.isalnum():
                hits = services.search.find(word, page_size=200, include_hidden=True)
                assert asset.id in {h.id for h in hits.hits}, asset.metadata.title
        return State(tuple(sorted(a.metadata.title for a in assets)), generated_count(root),
                     backup_count(root))  # fmt: skip


def state_of(root: Path) -> State:
    """What the library holds, read without checking anything."""
    with Services.open(root, read_only=True) as services:
        titles = tuple(sorted(a.metadata.title for a in services.assets.list_all()))
    return State(titles, generated_count(root), backup_count(root))


def backup_count(root: Path) -> int:
    return len(list((root / "backups").glob("satchel-*.db")))


def generated_count(root: Path) -> int:
    """Generated documents on record (read straight from the file, as an auditor would)."""
    connection = open_read_only(root / "satchel.db", immutable=True)  # media may be read-only
    try:
        return int(connection.execute("SELECT count(*) FROM generated_documents").fetchone()[0])
    finally:
        connection.close()


@pytest.fixture
def small_library(tmp_path: Path) -> Path:
    """A library of three PDFs, made for one test."""
    from tests.helpers.files import pdf_bytes, write

    root = tmp_path / "library"
    sources = [write(tmp_path / "in" / f"{name}.pdf", pdf_bytes(title=f"{name} brochure"))
               for name in ("Atlas", "Beacon", "Cirrus")]  # fmt: skip
    with open_as(root, create=True, limits=TEST_LIMITS, workers=1) as services:
        services.assets.import_paths(sources)
    return root


@pytest.fixture
def root_mount(tmp_path: Path) -> Iterator[Path]:
    """A small tmpfs mounted for this test (as root only: a real full disk, real
    read-only media)."""
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root on Linux (CI runs as root)")
    point = tmp_path / "mnt"
    point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(point)],
                             capture_output=True, text=True, check=False)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"this machine does not let tests mount a tmpfs: {mounted.stderr.strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False)


def remount(point: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(point)], check=True)


def fill_disk(folder: Path) -> Path:
    """Take every free byte of the disk holding `folder`; returns the filler file."""
    filler = folder / "filler.bin"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 16, 512, 1):  # big blocks, then the last few bytes
            try:
                while os.write(fd, b"\0" * size):
                    pass
            except OSError:
                continue
    finally:
        os.close(fd)
    assert shutil.disk_usage(folder).free < (1 << 16)
    return filler
