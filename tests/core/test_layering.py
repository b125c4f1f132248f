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
