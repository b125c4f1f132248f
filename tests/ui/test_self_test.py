"""`satchel --self-test` exercises each native piece, and says which one is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from satchel.app import main
from satchel.selftest import CHECKS

ROOT = Path(__file__).resolve().parents[2]


def test_every_piece_passes_here(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--self-test"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == [f"ok   {name}" for name, _ in CHECKS]
    assert lines[-1] == "Self-test passed."


def test_a_missing_accelerator_fails_with_its_name(tmp_path: Path) -> None:
    """A build without ReportLab's C accelerator (here: shadowed by a module that cannot
    import) runs, but the self-test names the missing piece and exits 1."""
    (tmp_path / "_rl_accel.py").write_text("raise ImportError('not in this build')\n")
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
                   "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT / "desktop")])}  # fmt: skip
    done = subprocess.run([sys.executable, "-m", "satchel", "--self-test"], env=environment,
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    assert (
        "FAIL ReportLab: RuntimeError: ReportLab's C accelerator (rl-accel) is not loaded"
        in done.stdout
    )
    assert "ok   SQLite" in done.stdout and "Self-test failed: 1 of" in done.stdout
