"""Where to save a file: the system's save dialog in the folder the person saved to last."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QWidget

FOLDER_KEY = "export/folder"


def ask_save_path(parent: QWidget, title: str, name: str, file_filter: str = "") -> Path | None:
    """The path chosen for `name` (None: cancelled); its folder is remembered."""
    stored = QSettings()
    folder = Path(str(stored.value(FOLDER_KEY, str(Path.home()))))
    target, _ = QFileDialog.getSaveFileName(parent, title, str(folder / name), file_filter)
    if not target:
        return None
    stored.setValue(FOLDER_KEY, str(Path(target).parent))
    return Path(target)
