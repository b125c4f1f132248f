"""Our own SVG icons (theme icons are empty on Windows and macOS), drawn in the text colour."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from satchel.core.settings import resources_dir

_SIZES = (16, 24, 32, 48, 64)


def icon(name: str) -> QIcon:
    """The named icon from resources/icons, coloured for the current light or dark scheme."""
    palette = QGuiApplication.palette()
    normal = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText)
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
    return _icon(name, normal.name(), disabled.name())


@cache
def _icon(name: str, colour: str, disabled: str) -> QIcon:
    svg = (resources_dir() / "icons" / f"{name}.svg").read_text(encoding="utf-8")
    result = QIcon()
    for mode, fill in ((QIcon.Mode.Normal, colour), (QIcon.Mode.Disabled, disabled)):
        renderer = QSvgRenderer(QByteArray(svg.replace("currentColor", fill).encode()))
        for size in _SIZES:
            result.addPixmap(_draw(renderer, size), mode)
    return result


def app_icon() -> QIcon:
    """The application icon (its own colours)."""
    renderer = QSvgRenderer(str(resources_dir() / "icons" / "satchel.svg"))
    result = QIcon()
    for size in (*_SIZES, 128, 256):
        result.addPixmap(_draw(renderer, size))
    return result


def _draw(renderer: QSvgRenderer, size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(Qt.GlobalColor.transparent))
    painter = QPainter(pixmap)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return pixmap
