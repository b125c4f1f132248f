"""Present an asset to a customer: its pages full screen on black, turned with the arrow
keys, Space or a click, closed with Esc. How long it was shown, and each page, is
recorded as a "presented" usage event when it closes (the insights reports read it)."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QImage, QKeyEvent, QMouseEvent, QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from satchel.ui.page_view import PageCache

PRESENT_PX = 1800  # longest side of a drawn page: sharp on a projector
NEXT_KEYS = (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_PageDown, Qt.Key.Key_Space,
             Qt.Key.Key_Return, Qt.Key.Key_Enter)  # fmt: skip
PREVIOUS_KEYS = (Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_PageUp, Qt.Key.Key_Backspace)


class PresentWindow(QWidget):
    """`presented(asset_id, seconds, dwell)` once it closes; dwell maps each page shown
    (1-based) to its seconds on screen. `clock` is for tests (seconds, monotonic)."""

    presented = Signal(str, float, object)

    def __init__(self, cache: PageCache, asset_id: str, sha256: str, title: str,
                 page_count: int, clock: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
        super().__init__(None, Qt.WindowType.Window)
        self.setObjectName("presentWindow")
        self.setWindowTitle(f"Presenting {title}")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setStyleSheet("#presentWindow { background: black; } QLabel { color: #bbb; }")
        self.setAccessibleName(f"Presenting {title}: arrow keys turn pages, Esc ends")
        self._cache, self._asset_id, self._sha256 = cache, asset_id, sha256
        self.page_count = max(1, page_count)
        self._clock = clock
        self._started = self._shown_since = clock()
        self.dwell: dict[int, float] = {}
        self._ended = False
        self.page = 0  # none shown yet
        self._pixmap: QPixmap | None = None
        self.image = QLabel()
        self.image.setObjectName("presentedPage")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.image.setTextFormat(Qt.TextFormat.PlainText)
        self.counter = QLabel()
        self.counter.setObjectName("presentedCounter")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 12, 6)
        layout.addWidget(self.image, 1)
        layout.addWidget(self.counter)
        cache.ready.connect(self._ready)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.go(1)

    def go(self, page: int) -> None:
        """Show `page` (kept within the file), counting the time on the one before."""
        page = min(max(1, page), self.page_count)
        self._count_shown()
        self.page = page
        self.counter.setText(f"{page} / {self.page_count}    Esc ends")
        self._pixmap = None
        self.image.setText("Drawing the page…")
        self._cache.request(self._asset_id, self._sha256, page)

    def _count_shown(self) -> None:
        now = self._clock()
        if self.page:
            self.dwell[self.page] = self.dwell.get(self.page, 0.0) + now - self._shown_since
        self._shown_since = now

    def _ready(self, sha256: str, page: int, image: QImage | None) -> None:
        if sha256 != self._sha256 or page != self.page:
            return
        if image is None:
            self.image.setText("This file has no pages to present; open it instead.")
            return
        self._pixmap = QPixmap.fromImage(image)
        self._fit()

    def _fit(self) -> None:
        if self._pixmap is None:
            return
        ratio = self.devicePixelRatioF()
        scaled = self._pixmap.scaled(self.image.size() * ratio, Qt.AspectRatioMode.KeepAspectRatio,
                                     Qt.TransformationMode.SmoothTransformation)  # fmt: skip
        scaled.setDevicePixelRatio(ratio)
        self.image.setPixmap(scaled)

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._fit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.close()
        elif key in NEXT_KEYS:
            self.go(self.page + 1)
        elif key in PREVIOUS_KEYS:
            self.go(self.page - 1)
        elif key == Qt.Key.Key_Home:
            self.go(1)
        elif key == Qt.Key.Key_End:
            self.go(self.page_count)
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """A click turns forward, a right click back (as a presenter's remote does)."""
        back = event.button() == Qt.MouseButton.RightButton
        self.go(self.page - 1 if back else self.page + 1)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._ended:  # closed once: Esc, the window manager or the app quitting
            self._ended = True
            self._count_shown()
            self.presented.emit(self._asset_id, self._clock() - self._started, dict(self.dwell))
        super().closeEvent(event)
