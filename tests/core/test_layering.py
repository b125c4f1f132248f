"""The core and the CLI import without Qt (run with SATCHEL_BLOCK_QT=1 by `make test`)."""

from __future__ import annotations

import importlib
import os
import pkgutil

import pytest

import satchel.cli
import satchel.core


def test_every_core_and_cli_module_imports() -> None:
    names = [
        info.name
        for package in (satchel.core, satchel.cli)
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
        if ".migrations." not in info.name  # Alembic loads these itself
    ]
    assert len(names) > 30
    for name in names:
        importlib.import_module(name)
    importlib.import_module("satchel.app")


@pytest.mark.skipif(not os.environ.get("SATCHEL_BLOCK_QT"), reason="only in the Qt-free run")
def test_qt_really_is_blocked_in_this_run() -> None:
    with pytest.raises(ImportError, match="blocked"):
        importlib.import_module("PySide6.QtCore")


def test_the_ui_and_cli_contract_is_an_allow_list() -> None:
    """Every part of core that is not one of the four the ui and cli may import is named
    in the forbidden contract, so a new part of core is forbidden until allowed."""
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())
    (contract,) = [c for c in config["tool"]["importlinter"]["contracts"]
                   if c.get("source_modules") == ["satchel.ui", "satchel.cli"]]  # fmt: skip
    allowed = {"services", "domain", "errors", "settings"}
    parts = {info.name for info in pkgutil.iter_modules(satchel.core.__path__)}
    assert allowed <= parts
    forbidden = {m.removeprefix("satchel.core.") for m in contract["forbidden_modules"]
                 if m.startswith("satchel.core.")}  # fmt: skip
    assert forbidden == parts - allowed
