"""A page picture that keeps fitting its label as the window is resized, sharp on
high-density screens (the customize form's and the review queue's live previews)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class DocumentPreview(QLabel):
    """Shows `set_image`'s picture scaled to fit, or a line of text until there is one."""

    def __init__(self, text: str, name: str, accessible_name: str, minimum: tuple[int, int],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(text, parent)
        self.setObjectName(name)
        self.setAccessibleName(accessible_name)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(*minimum)
        self.picture: QPixmap | None = None  # the full-size page, None while text is shown

    def set_image(self, image: QImage) -> None:
        self.picture = QPixmap.fromImage(image)
        self._fit()

    def show_text(self, text: str) -> None:
        self.picture = None
        self.setText(text)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self.picture is not None:
            ratio = self.devicePixelRatioF()
            scaled = self.picture.scaled(self.size() * ratio, Qt.AspectRatioMode.KeepAspectRatio,
                                         Qt.TransformationMode.SmoothTransformation)  # fmt: skip
            scaled.setDevicePixelRatio(ratio)
            self.setPixmap(scaled)
