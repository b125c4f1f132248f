"""kill -9 at random moments during bulk import, reindex, render, backup and restore.

Seeded (SATCHEL_FAULT_SEED, printed on failure) so a failure can be replayed; a bounded
number of rounds so CI stays within its budget.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

from tests.conftest import open_as
from tests.faults.conftest import assert_sound, start_satchel, state_of
from tests.faults.test_failpoints import _backups, _render_args
from tests.helpers import reliability
from tests.helpers.files import pdf_bytes, write

SEED = int(os.environ.get("SATCHEL_FAULT_SEED", "20261201"))
ROUNDS = 2


def _import_args(library: Path, scratch: Path) -> list[str]:
    folder = scratch / "bulk"
    for n in range(40):
        write(folder / f"kit-{n:02}.pdf", pdf_bytes(pages=2, title=f"Field kit {n:02}"))
    return ["import", str(folder)]


def _restore_args(library: Path, scratch: Path) -> list[str]:
    with open_as(library, workers=1) as services:
        services.care.backup()
    return ["restore", str(_backups(library)[0])]


OPERATIONS = {
    "import": _import_args,
    "reindex": lambda library, scratch: ["reindex"],
    "render": _render_args,
    "backup": lambda library, scratch: ["backup"],
    "restore": _restore_args,
}


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_kill_at_random_moments(name: str, demo_template: Path, tmp_path: Path) -> None:
    rng = random.Random(f"{SEED}-{name}")
    for round_number in range(ROUNDS):
        library = Path(shutil.copytree(demo_template, tmp_path / f"lib{round_number}"))
        scratch = tmp_path / f"scratch{round_number}"
        scratch.mkdir()
        before = state_of(library)
        args = OPERATIONS[name](library, scratch)
        delay = rng.uniform(1.5, 6.0)  # the CLI needs ~2 s to start: some kills land early
        process = start_satchel(library, *args)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=60)
        replay = (
            f"replay with SATCHEL_FAULT_SEED={SEED} ({name}, round {round_number}, {delay:.2f} s)"
        )
        after = assert_sound(library)
        assert set(before.titles) <= set(after.titles) or name == "restore", replay
        assert len(after.titles) == len(set(after.titles)), replay
        retried = start_satchel(library, *args)
        _out, err = retried.communicate(timeout=300)
        assert retried.returncode in (0, 1), (replay, err)  # 1: an import's duplicates
        final = assert_sound(library)
        if name == "import":
            assert sum(t.startswith("Field kit") for t in final.titles) == 40, replay
    reliability.record("Crashes", f"kill -9 at {ROUNDS} random moments during `satchel {name}`",
                       "(the process is gone); the next start repairs what it left",
                       "Everything committed before the kill; the retry finishes the work once")  # fmt: skip


def test_a_killed_rebuild_takes_its_writer_processes_with_it(tmp_path: Path) -> None:
    script = textwrap.dedent(f"""
        import datetime as dt, sys
        from pathlib import Path
        from satchel.core.search.index import IndexDoc, SearchIndex
        now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
        docs = (IndexDoc(id=f"d{{n}}", title=f"Doc {{n}}", summary="", tags=(),
                         body=" ".join(f"word{{(n * k) % 997}}" for k in range(400)), opening="",
                         facets={{}}, updated=now, expires=None) for n in range(20000))
        def progress(count):
            print("indexed", count, flush=True)
        SearchIndex(Path({str(tmp_path / "index")!r})).rebuild(docs, "s-1", progress)
    """)
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    for line in process.stdout:  # the writers have started once documents are handed out
        if line.startswith("indexed 1000"):
            break
    children = psutil.Process(process.pid).children(recursive=True)
    assert children, "the rebuild started no writer processes"
    process.kill()
    process.wait(timeout=30)
    process.stdout.close()
    _gone, alive = psutil.wait_procs(children, timeout=30)
    assert not alive, f"writer processes outlived their parent: {alive}"
    reliability.record("Crashes", "kill -9 of a search-index rebuild with its writer processes",
                       "(the process is gone)", "The writer processes end with it; the "
                       "unfinished build folder is removed by the next rebuild")  # fmt: skip
