"""Every durable step, made to crash, fail with an I/O error or find the disk full, in
the real CLI; then the library must be sound, the work whole or absent, and a retry
must finish it without duplicating anything."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from satchel.core import failpoints
from satchel.core.services import Services
from tests.conftest import open_as
from tests.faults.conftest import Run, State, assert_sound, generated_count, satchel, state_of
from tests.helpers import reliability
from tests.helpers.files import pdf_bytes, write

EXPECTED = {"crash": "", "ioerror": "input/output error", "diskfull": "is full"}
ACTIONS = {"crash": "crashes (as with kill -9)", "ioerror": "gets an input/output error",
           "diskfull": "finds the disk full"}  # fmt: skip


@dataclass(frozen=True)
class Operation:
    """A CLI command, and how to tell its work whole from absent."""

    name: str
    points: tuple[str, ...]
    args: Callable[[Path, Path], list[str]]  # (library, scratch) → arguments
    done: Callable[[State, State, Path], bool]  # (before, after, scratch) → finished?


def _import_args(library: Path, scratch: Path) -> list[str]:
    return ["import", str(write(scratch / "new.pdf", pdf_bytes(title="Zephyr launch kit")))]


def _set_args(library: Path, scratch: Path) -> list[str]:
    with Services.open(library, read_only=True) as services:
        first = services.assets.list_all()[0]
    return ["set", first.id, "title=Quokka renamed"]


def _quote(library: Path) -> str:
    with Services.open(library, read_only=True) as services:
        return next(
            t.id for t in services.templates.list_all() if t.title.startswith("Price quote")
        )


def _render_args(library: Path, scratch: Path) -> list[str]:
    valid = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    return ["render", _quote(library), "--set", "customer=Harlow Foods", "--set",
            "quote_number=Q-2026-0007", "--set", "discount=5", "--set", f"valid_until={valid}",
            "-o", str(scratch / "quote.pdf")]  # fmt: skip


def _backups(library: Path) -> list[Path]:
    return sorted((library / "backups").glob("satchel-*.db"))


def _restore_args(library: Path, scratch: Path) -> list[str]:
    return ["restore", str(_backups(library)[0])]


OPERATIONS = [
    Operation(
        "import",
        ("blob.staged", "blob.renamed", "db.commit", "db.committed", "index.commit"),
        _import_args,
        lambda before, after, _: "Zephyr launch kit" in after.titles,
    ),
    Operation(
        "set",
        ("db.commit", "db.committed", "index.commit"),
        _set_args,
        lambda before, after, _: "Quokka renamed" in after.titles,
    ),
    Operation(
        "render",
        ("blob.staged", "db.commit", "render.output"),
        _render_args,
        lambda before, after, scratch: (scratch / "quote.pdf").is_file(),
    ),
    Operation(
        "backup",
        ("backup.written", "backup.verified"),
        lambda *_: ["backup"],
        lambda before, after, scratch: after.backups > before.backups,
    ),
    Operation(
        "restore",
        ("restore.copied", "restore.swapped"),
        _restore_args,
        lambda before, after, _: "Restorable extra" not in after.titles,
    ),
    Operation("reindex", ("index.commit",), lambda *_: ["reindex"], lambda before, after, _: True),
]
# Every point crashes; each also fails once the way that step fails in the field (the
# disk fills while writing; an I/O error while renaming or committing). Each case costs
# two CLI runs and two full checks (~12 s), so the matrix is chosen, not multiplied.
ERRORS = {"blob.staged": "diskfull", "db.commit": "ioerror", "index.commit": "ioerror",
          "render.output": "diskfull", "backup.written": "diskfull",
          "restore.copied": "diskfull", "restore.swapped": "ioerror", "blob.renamed": "ioerror"}  # fmt: skip
CASES = [
    pytest.param(op, point, action, id=f"{op.name}-{point}-{action}")
    for op in OPERATIONS
    for point in op.points
    for action in ("crash", *([ERRORS[point]] if point in ERRORS and op.name != "set" else []))
]


def test_every_failpoint_is_exercised() -> None:
    exercised = {point for op in OPERATIONS for point in op.points}
    # copy.written: test_cli_export; index.subwriter: tests/core/test_nothing_lost.py;
    # sync.page, sync.sent, sync.part: tests/hub/test_sync.py (they need a hub)
    elsewhere = {"copy.written", "index.subwriter", "sync.page", "sync.sent", "sync.part"}
    assert exercised | elsewhere == set(failpoints.POINTS)


def _prepare(op: Operation, library: Path, scratch: Path) -> None:
    if op.name == "restore":  # a backup to restore, then a change the restore undoes
        with open_as(library, workers=1) as services:
            services.care.backup()
            services.assets.import_paths(
                [write(scratch / "extra.pdf", pdf_bytes(title="Restorable extra"))]
            )


@pytest.mark.parametrize(("op", "point", "action"), CASES)
def test_failpoint(op: Operation, point: str, action: str, demo_dir: Path, tmp_path: Path) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    _prepare(op, demo_dir, scratch)
    before = state_of(demo_dir)
    snapshot_hash = _digest(_backups(demo_dir)[0]) if op.name == "restore" else ""
    args = op.args(demo_dir, scratch)
    failed = satchel(demo_dir, *args, failpoint=f"{point}:{action}")
    if point == "index.commit" and op.name != "reindex" and action != "crash":
        # The change is committed; the index only lags and is repaired on next use.
        assert failed.code == 0, failed.err
    else:
        _assert_failure_reported(failed, action)
    if action != "crash":  # a crash can leave a temp file; the next save removes it
        assert not list(scratch.glob(".*.tmp")), "a partial output file was left"
    after = assert_sound(demo_dir)
    assert op.done(before, after, scratch) or after.titles == before.titles, "half done"
    assert after.documents - before.documents in (0, 1)
    if op.name == "restore":
        assert _digest(_backups(demo_dir)[0]) == snapshot_hash, "the snapshot changed"
    retried = satchel(demo_dir, *op.args(demo_dir, scratch))
    assert retried.code == 0, retried.err
    assert not list(scratch.glob(".*.tmp")), "a partial output file was left"
    final = assert_sound(demo_dir)
    assert op.done(before, final, scratch)
    delta = {"import": 1, "restore": -1}.get(op.name, 0)
    assert len(final.titles) == len(before.titles) + delta, "the retry duplicated or lost work"
    if op.name == "import":
        assert final.titles.count("Zephyr launch kit") == 1
    if op.name == "render":
        assert generated_count(demo_dir) - before.documents in (1, 2)
        verified = satchel(demo_dir, "verify", str(scratch / "quote.pdf"))
        assert verified.code == 0, verified.out
    if op.name == "backup":
        assert _backups(demo_dir), "no backup after the retry"
    outcome = ("left the database untouched; the next start rebuilt the index" if op.name == "reindex"
               else "finished" if op.done(before, after, scratch) else "not done")  # fmt: skip
    reliability.record(
        "Failpoints",
        f"`satchel {op.name}` {ACTIONS[action]} at `{point}`",
        (failed.said(EXPECTED[action]) if failed.code else "Nothing: the change is made")
        if action != "crash"
        else "(the process is gone)",
        f"Library sound; the {op.name} was {outcome} before the retry; the retry finished it"
        if op.name != "reindex"
        else f"Library sound; the failed reindex {outcome}"
        + (" once" if op.name in ("import", "render") else ""),
    )


def _assert_failure_reported(run: Run, action: str) -> None:
    if action == "crash":
        assert run.code != 0
        return
    assert run.code == 1, (run.code, run.err)
    assert "went wrong" not in run.err, run.err
    assert EXPECTED[action] in run.said(EXPECTED[action]), run.out + run.err


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
