"""A real main window over a copy of the demo library, driven by qtbot."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from satchel.core.domain.users import Role
from satchel.core.services import Services
from satchel.core.settings import Settings, SettingsFiles
from satchel.ui.desktop import application, create_window
from satchel.ui.main_window import MainWindow
from tests.conftest import TEST_LIMITS


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True, scope="session")
def _empty_clipboard_at_exit() -> Iterator[None]:
    """Qt's offscreen platform crashes at exit while the clipboard holds MIME data
    (a file copied by a test); real platforms do not (checked on X11)."""
    yield
    if QGuiApplication.instance() is not None:
        QGuiApplication.clipboard().clear()


@pytest.fixture
def settings_files(tmp_path: Path) -> SettingsFiles:
    machine = tmp_path / "machine"
    machine.mkdir()
    return SettingsFiles(tmp_path / "user.toml", machine / "defaults.toml", machine / "policy.toml")


@pytest.fixture(autouse=True)
def _private_qsettings(tmp_path: Path) -> None:
    """Window geometry and remembered users go to this test's folder."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qs"))


def wait_idle(qtbot: QtBot, window: MainWindow, timeout: int = 20_000) -> None:
    """Until no search is pending and every background task has called back."""
    qtbot.waitUntil(
        lambda: (
            not window.search.busy and window.runner.pending == 0 and window.search.last is not None
        ),
        timeout=timeout,
    )


def switch_to(qtbot: QtBot, window: MainWindow, role: Role) -> None:
    """Choose the demo user with `role` in the switcher, by keys."""
    person = next(p for p in window.services.people.list_all() if p.role is role)
    switcher = window.signed_in.switcher
    switcher.setFocus()
    index = switcher.findData(person.id)
    while switcher.currentIndex() != index:
        key = Qt.Key.Key_Down if switcher.currentIndex() < index else Qt.Key.Key_Up
        qtbot.keyClick(switcher, key)
    wait_idle(qtbot, window)
    assert window.user == person


def answer(qtbot: QtBot, parent: QWidget, action: str) -> None:
    """Click `action` (or Cancel) in the confirmation `parent` shows."""
    qtbot.waitUntil(lambda: confirmation(parent) is not None)
    box = confirmation(parent)
    assert box is not None
    button = next(b for b in box.buttons() if b.text() == action)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: confirmation(parent) is None)


def confirmation(parent: QWidget) -> QMessageBox | None:
    boxes = [b for b in parent.findChildren(QMessageBox, "confirm") if b.isVisible()]
    return boxes[0] if boxes else None


WindowFactory = Callable[..., MainWindow]


@pytest.fixture
def make_window(qtbot: QtBot, demo_dir: Path, settings_files: SettingsFiles
                ) -> Iterator[WindowFactory]:  # fmt: skip
    """Open the window as a user of the given role (default: the rep)."""
    application()
    opened: list[tuple[MainWindow, Services]] = []

    def make(role: Role = Role.REP, root: Path | None = None,
             size: tuple[int, int] | None = (1300, 820), **options: object) -> MainWindow:  # fmt: skip
        services = Services.open(root or demo_dir, limits=TEST_LIMITS, workers=2, **options)
        user = next((p.id for p in services.people.list_all() if p.role is role), None)
        window = create_window(services, Settings(settings_files), None, user)
        qtbot.addWidget(window)
        if size:
            window.resize(*size)
        window.show()
        opened.append((window, services))
        wait_idle(qtbot, window)
        return window

    yield make
    for window, services in opened:
        window.close()
        window.runner.shutdown()
        services.close()
