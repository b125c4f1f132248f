"""Files on the clipboard: pasted into an email or a folder as the file itself."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QUrl
from PySide6.QtGui import QGuiApplication


def put_file(path: Path | str) -> None:
    """The file (as a URL, and its path as text for plain-text targets)."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    data.setText(str(path))
    QGuiApplication.clipboard().setMimeData(data)
