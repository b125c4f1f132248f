"""Thumbnails for the results grid: read and decoded off the UI thread, kept in memory."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage, QPixmap

from satchel.ui.tasks import TaskRunner

MAX_KEPT = 2000  # about 2,000 × 40 KB of pixels at 140 px
ICON_PX = 140


class ThumbnailCache(QObject):
    """`pixmap(sha256)` answers at once from memory, or starts a load and returns None.

    Signals:
        ready(str): the thumbnail of this file has loaded.
    """

    ready = Signal(str)

    def __init__(self, runner: TaskRunner, locate: Callable[[str], Path | None],
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._runner = runner
        self._locate = locate
        self._kept: OrderedDict[str, QPixmap] = OrderedDict()
        self._loading: set[str] = set()
        self._missing: set[str] = set()

    def pixmap(self, sha256: str) -> QPixmap | None:
        if sha256 in self._kept:
            self._kept.move_to_end(sha256)
            return self._kept[sha256]
        if sha256 and sha256 not in self._loading and sha256 not in self._missing:
            self._loading.add(sha256)
            self._runner.query(
                lambda: self._load(sha256),  # QImage may be used off the UI thread; QPixmap not
                lambda image: self._loaded(sha256, image),
                lambda _error: self._loaded(sha256, None),
            )
        return None

    def _load(self, sha256: str) -> QImage | None:
        path = self._locate(sha256)
        if path is None:
            return None
        image = QImage(str(path))
        if image.isNull():
            return None
        return image.scaled(ICON_PX, ICON_PX, Qt.AspectRatioMode.KeepAspectRatio,
                            Qt.TransformationMode.SmoothTransformation)  # fmt: skip

    def _loaded(self, sha256: str, image: QImage | None) -> None:
        self._loading.discard(sha256)
        if image is None:
            self._missing.add(sha256)
            return
        self._kept[sha256] = QPixmap.fromImage(image)
        while len(self._kept) > MAX_KEPT:
            self._kept.popitem(last=False)
        self.ready.emit(sha256)
