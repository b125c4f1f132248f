"""The desktop syncs: the status bar button and F9 run a round in the background and
say where the laptop stands; a hub that cannot be reached or wants a password says so,
with the fix."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QRadioButton
from pytestqt.qtbot import QtBot

from satchel.core.domain.users import Role
from satchel.core.services import Services
from satchel.core.settings import Settings, SettingsFiles
from satchel.ui.desktop import application, create_window
from satchel.ui.main_window import MainWindow
from tests.conftest import TEST_LIMITS
from tests.helpers.hub_server import HubServer
from tests.hub.conftest import Team, make_team

pytestmark = pytest.mark.gui


@pytest.fixture
def team(server: HubServer) -> Team:
    return make_team(server)


@pytest.fixture
def open_window(qtbot: QtBot, tmp_path: Path) -> Iterator[object]:
    application()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qs"))
    opened: list[tuple[MainWindow, Services]] = []

    def make(url: str, root: Path | None = None) -> MainWindow:
        machine = tmp_path / "machine"
        machine.mkdir(exist_ok=True)
        settings = Settings(SettingsFiles(tmp_path / "user.toml", machine / "defaults.toml",
                                          machine / "policy.toml"))  # fmt: skip
        settings.set("hub.url", url)
        settings.set("hub.sync_minutes", 0)  # only when asked, so the test says when
        services = Services.open(root or tmp_path / "laptop", create=True, limits=TEST_LIMITS,
                                 workers=1)  # fmt: skip
        window = create_window(services, settings, None)
        qtbot.addWidget(window)
        window.resize(1300, 820)
        window.show()
        opened.append((window, services))
        return window

    yield make
    for window, services in opened:
        window.close()
        window.runner.shutdown()
        services.close()


def status(window: MainWindow) -> str:
    return window.sync.status.text()


def test_sync_now_fills_a_new_laptop_and_says_when(qtbot: QtBot, team: Team,
                                                   open_window) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    window = open_window(team["rep"].url)
    assert window.sync.status.isVisible() and status(window).startswith("Not synced yet")
    qtbot.mouseClick(window.sync.status, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: not window.sync._running and "Syncing" not in status(window), timeout=30_000
    )
    assert status(window).startswith("Up to date as of"), status(window)
    qtbot.waitUntil(lambda: window.results_model.rowCount() == 1, timeout=10_000)
    assert window.user is not None and window.user.email == team["rep"].email
    window.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F9)  # again, by the shortcut: nothing new
    qtbot.waitUntil(lambda: window.runner.pending == 0, timeout=30_000)
    assert status(window).startswith("Up to date as of")


def test_an_unreachable_hub_shows_offline_and_keeps_working(qtbot: QtBot, team: Team,
                                                            open_window) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    window = open_window(team["rep"].url.replace(f":{team.server.port}/", ":1/"))
    window.actions.sync.trigger()
    qtbot.waitUntil(lambda: status(window).startswith("Offline"), timeout=30_000)
    assert "kept" in status(window)


def test_a_missing_password_is_asked_and_kept_in_the_keyring(
    qtbot: QtBot,
    team: Team,
    open_window,
    file_keyring: object,  # type: ignore[no-untyped-def]
) -> None:
    person = team["rep"]
    without = person.url.replace(f":{person.password}@", "@")
    window = open_window(without)
    window.sync.sync_now()
    qtbot.waitUntil(lambda: not window.sync._running, timeout=30_000)
    assert status(window).startswith("Needs attention: sign in"), status(window)

    def type_password() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, QInputDialog) and w.isVisible())  # fmt: skip
        field = dialog.findChild(QLineEdit)
        assert field.echoMode() is QLineEdit.EchoMode.Password
        qtbot.keyClicks(field, person.password)
        qtbot.keyClick(field, Qt.Key.Key_Return)

    QTimer.singleShot(300, type_password)
    qtbot.mouseClick(window.sync.status, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: not window.sync._running and "Syncing" not in status(window), timeout=30_000
    )
    assert status(window).startswith("Up to date as of"), status(window)


def test_a_marketer_resolves_a_conflict_field_by_field(
    qtbot: QtBot,
    team: Team,
    open_window,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    mara = Services.open(tmp_path / "mara", create=True, workers=1)
    mara.people.acting_user(None, Role.MARKETER, "mara")
    mara.sync.now(team["marketer"].url)
    with Services.open(tmp_path / "max", create=True, workers=1) as max_:
        max_.people.acting_user(None, Role.MARKETER, "max")
        max_.sync.now(team["marketer2"].url)
        max_.assets.update_metadata(team.asset_id, {"title": "Max's price sheet",
                                                    "region": "DACH"})  # fmt: skip
    mara.assets.update_metadata(team.asset_id, {"title": "Mara's price sheet"})
    mara.sync.now(team["marketer"].url)
    window = open_window(team["marketer2"].url, tmp_path / "max")
    window.sync.sync_now()
    qtbot.waitUntil(lambda: "also changed on the hub" in status(window), timeout=30_000)
    qtbot.mouseClick(window.sync.status, Qt.MouseButton.LeftButton)  # opens the choice
    qtbot.waitUntil(lambda: window.conflicts_dialog is not None
                    and window.conflicts_dialog.isVisible(), timeout=10_000)  # fmt: skip
    dialog = window.conflicts_dialog
    [conflict_id] = dialog.choices
    mine = dialog.findChild(QRadioButton, f"{conflict_id}:title:mine")
    assert mine.text() == "Max's price sheet" and not mine.isChecked()
    qtbot.mouseClick(mine, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.resolve, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    assert window.services.sync.conflicts() == []
    detail = window.services.assets.get(team.asset_id)
    assert detail.metadata.title == "Max's price sheet"  # mine, chosen
    window.sync.sync_now()
    qtbot.waitUntil(lambda: status(window).startswith("Up to date"), timeout=30_000)
    mara.sync.now(team["marketer"].url)
    assert mara.assets.get(team.asset_id).metadata.title == "Max's price sheet"
    mara.close()
