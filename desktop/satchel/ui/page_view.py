"""The rendered pages of the selected asset, drawn in a parser process and cached."""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from satchel.core.services import Services
from satchel.ui.icons import icon
from satchel.ui.tasks import TaskRunner

PAGE_PX = 900  # longest side of a drawn page; the label scales it to the pane
MAX_CACHED = 48


class PageCache(QObject):
    """Drawn pages by (sha256, page), most recent kept.

    Signals:
        ready(str, int, object): a page was drawn (QImage, or None if it cannot be).
        failed(str, int, str): drawing failed; the message says why.
    """

    ready = Signal(str, int, object)
    failed = Signal(str, int, str)

    def __init__(self, services: Services, runner: TaskRunner,
                 parent: QObject | None = None, max_px: int = PAGE_PX) -> None:  # fmt: skip
        super().__init__(parent)
        self._services = services
        self._max_px = max_px
        self._runner = runner
        self._pages: OrderedDict[tuple[str, int], QImage | None] = OrderedDict()
        self._loading: set[tuple[str, int]] = set()

    def request(self, asset_id: str, sha256: str, page: int) -> None:
        key = (sha256, page)
        if key in self._pages:
            self._pages.move_to_end(key)
            self.ready.emit(sha256, page, self._pages[key])
            return
        if key in self._loading:
            return
        self._loading.add(key)
        self._runner.query(
            lambda: self._draw(asset_id, page),
            lambda image: self._drawn(key, image),
            lambda error: self._failed(key, error),
        )

    def _draw(self, asset_id: str, page: int) -> QImage | None:
        png = self._services.assets.page_image(asset_id, page, self._max_px)
        return QImage.fromData(png, "PNG") if png else None

    def _drawn(self, key: tuple[str, int], image: QImage | None) -> None:
        self._loading.discard(key)
        self._pages[key] = image
        while len(self._pages) > MAX_CACHED:
            self._pages.popitem(last=False)
        self.ready.emit(key[0], key[1], image)

    def _failed(self, key: tuple[str, int], error: BaseException) -> None:
        self._loading.discard(key)
        self.failed.emit(key[0], key[1], str(error))


class PageView(QWidget):
    """One page at a time with previous/next (Page Up/Page Down, Home/End).

    Signals:
        turned(int): the person turned to a page (1-based): a button or a key, not
            the first page shown when an asset is selected.
    """

    turned = Signal(int)

    def __init__(self, cache: PageCache, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cache = cache
        self._asset_id = ""
        self._sha256 = ""
        self._fallback: QPixmap | None = None
        self.page = 1
        self.page_count = 0
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Page preview")
        self.image = QLabel()
        self.image.setObjectName("pageImage")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.image.setMinimumHeight(260)
        self.image.setTextFormat(Qt.TextFormat.PlainText)
        self.image.setWordWrap(True)
        scroll = QScrollArea()
        scroll.setWidget(self.image)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.previous = QToolButton(icon=icon("previous"), toolTip="Previous page (Page Up)")
        self.previous.setAccessibleName("Previous page")
        self.next = QToolButton(icon=icon("next"), toolTip="Next page (Page Down)")
        self.next.setAccessibleName("Next page")
        self.counter = QLabel()
        self.counter.setObjectName("pageCounter")
        self.previous.clicked.connect(lambda: self.turn(self.page - 1))
        self.next.clicked.connect(lambda: self.turn(self.page + 1))
        controls = QHBoxLayout()
        controls.addStretch(1)
        for widget in (self.previous, self.counter, self.next):
            controls.addWidget(widget)
        controls.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 1)
        layout.addLayout(controls)
        self._pixmap: QPixmap | None = None
        cache.ready.connect(self._ready)
        cache.failed.connect(self._failed)

    def show_asset(self, asset_id: str, sha256: str, page_count: int,
                   fallback: QPixmap | None, page: int = 1) -> None:  # fmt: skip
        """Start showing an asset at `page`; `fallback` shows when pages cannot be drawn."""
        self._asset_id, self._sha256 = asset_id, sha256
        self.page_count = max(1, page_count)
        self._fallback = fallback
        self.go(page)

    def shows(self, sha256: str) -> bool:
        """Whether these are the pages of this file (a new version is another file)."""
        return sha256 == self._sha256

    def clear(self) -> None:
        self._asset_id = self._sha256 = ""
        self._pixmap = None
        self.image.clear()
        self.counter.clear()
        self.previous.setEnabled(False)
        self.next.setEnabled(False)

    def turn(self, page: int) -> None:
        """Go to `page` for the person (recorded as a preview when it is another page)."""
        before = self.page
        self.go(page)
        if self._asset_id and self.page != before:
            self.turned.emit(self.page)

    def go(self, page: int) -> None:
        if not self._asset_id:
            return
        self.page = min(max(1, page), self.page_count)
        self.counter.setText(f"Page {self.page} of {self.page_count}")
        self.previous.setEnabled(self.page > 1)
        self.next.setEnabled(self.page < self.page_count)
        self.image.setText("Drawing the page…")
        self._pixmap = None
        self._cache.request(self._asset_id, self._sha256, self.page)

    def _ready(self, sha256: str, page: int, image: QImage | None) -> None:
        if sha256 != self._sha256 or page != self.page:
            return
        if image is None:  # Word/PowerPoint: no page renderer, show the thumbnail
            self._pixmap = self._fallback
            if self._pixmap is None:
                self.image.setText("No preview for this file type; open it to see it.")
                return
        else:
            self._pixmap = QPixmap.fromImage(image)
        self._fit()

    def _failed(self, sha256: str, page: int, message: str) -> None:
        if sha256 == self._sha256 and page == self.page:
            self.image.setText(message)

    def _fit(self) -> None:
        if self._pixmap is None:
            return
        size = self.image.size() * self.devicePixelRatioF()
        scaled = self._pixmap.scaled(size, Qt.AspectRatioMode.KeepAspectRatio,
                                     Qt.TransformationMode.SmoothTransformation)  # fmt: skip
        scaled.setDevicePixelRatio(self.devicePixelRatioF())
        self.image.setPixmap(scaled)

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._fit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        keys = {
            Qt.Key.Key_PageDown: self.page + 1,
            Qt.Key.Key_PageUp: self.page - 1,
            Qt.Key.Key_Right: self.page + 1,
            Qt.Key.Key_Left: self.page - 1,
            Qt.Key.Key_Home: 1,
            Qt.Key.Key_End: self.page_count,
        }
        if event.key() in keys:
            self.turn(keys[event.key()])
            return
        super().keyPressEvent(event)
