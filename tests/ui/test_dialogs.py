"""Settings, profile, single instance and the dialogs for libraries that do not open."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QComboBox, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from satchel.core.domain.users import Role
from satchel.core.errors import DamagedLibraryError, KnownError, LibraryLockedError
from satchel.core.services import Services
from satchel.core.settings import OPTIONS, Settings, SettingsFiles
from satchel.ui.errors import explain
from satchel.ui.help_dialogs import GuideDialog, ShortcutsDialog
from satchel.ui.main_window import MainWindow
from satchel.ui.open_library import Choice, failure_box, open_library
from satchel.ui.profile_dialog import ProfileDialog
from satchel.ui.settings_dialog import LOCKED_NOTE, SettingsDialog
from satchel.ui.single_instance import SingleInstance
from satchel.ui.tasks import InlineTaskRunner
from tests.conftest import TEST_LIMITS
from tests.helpers.library import pages_pdf
from tests.ui.conftest import WindowFactory, switch_to


def test_a_locked_setting_is_disabled_and_says_who_set_it(
    qtbot: QtBot, settings_files: SettingsFiles
) -> None:
    assert settings_files.policy
    settings_files.policy.write_text('"view.mode" = "list"\n"backups.keep" = 30\n')
    settings = Settings(settings_files)
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    mode = dialog.editors["view.mode"]
    assert isinstance(mode, QComboBox)
    assert not mode.isEnabled() and mode.currentText() == "list"
    note = dialog.findChild(type(dialog.error), "locked_view.mode")
    assert note is not None and note.text() == LOCKED_NOTE and note.isVisible()
    assert dialog.editors["search.delay_ms"].isEnabled()
    assert dialog.findChild(type(dialog.error), "locked_search.delay_ms") is None


def test_settings_dialog_saves_only_on_ok(qtbot: QtBot, settings_files: SettingsFiles) -> None:
    settings = Settings(settings_files)
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    delay = dialog.editors["search.delay_ms"]
    delay.setFocus()
    delay.selectAll()  # type: ignore[union-attr]
    qtbot.keyClicks(delay, "400")
    dialog.reject()
    assert Settings(settings_files).value("search.delay_ms") == 150
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.editors["search.delay_ms"].setValue(400)  # type: ignore[union-attr]
    dialog.accept()
    assert Settings(settings_files).value("search.delay_ms") == 400


def test_each_role_sees_only_the_settings_that_concern_it(
    qtbot: QtBot, make_window: WindowFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: dict[Role, set[str]] = {}
    window = make_window(Role.REP)
    for role in (Role.REP, Role.MARKETER, Role.ADMIN):
        switch_to(qtbot, window, role)
        monkeypatch.setattr(SettingsDialog, "exec", lambda dialog, role=role: shown.update(
            {role: set(dialog.editors)}) or 0)  # fmt: skip
        window.activateWindow()
        qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    assert "import.status" not in shown[Role.REP] and "backups.keep" not in shown[Role.REP]
    assert "profile.default_role" not in shown[Role.REP] | shown[Role.MARKETER]
    assert "import.status" in shown[Role.MARKETER] and "backups.keep" not in shown[Role.MARKETER]
    assert shown[Role.ADMIN] == {option.key for option in OPTIONS}
    assert {"search.delay_ms", "view.mode", "library.path"} <= shown[Role.REP]


def test_profile_edits_are_validated_and_saved(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(Role.REP)
    services, user = window.services, window.user
    assert user is not None
    saved: list[dict[str, str]] = []

    def save(changes: dict[str, str]) -> None:
        services.people.update(user.id, changes)
        saved.append(changes)

    dialog = ProfileDialog(user, can_change_role=False, save=save, runner=InlineTaskRunner())
    qtbot.addWidget(dialog)
    assert not dialog.role.isEnabled()
    email = dialog.editors["email"]
    email.clear()
    qtbot.keyClicks(email, "not an address")
    dialog.accept()
    assert not dialog.error.isHidden() and "is not an email address" in dialog.error.text()
    assert saved == []
    email.clear()
    qtbot.keyClicks(email, "riley@example.com")
    qtbot.keyClicks(dialog.editors["territory"], " & Great Lakes")
    dialog.accept()
    profile = next(p for p in services.people.list_all() if p.id == user.id)
    assert profile.email == "riley@example.com"
    assert profile.territory == "Midwest & Great Lakes"
    assert profile.role is Role.REP


@pytest.fixture
def owner() -> Iterator[QObject]:
    """A parent for local sockets and servers (unparented ones crash at teardown)."""
    parent = QObject()
    yield parent
    for child in parent.findChildren(SingleInstance):
        child.release()


def second_launch(qtbot: QtBot, library: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    """`satchel --library LIBRARY FILES…` run as a person would, while this process
    (the first window) keeps answering: the launch waits for the window's verdict."""
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    launch = subprocess.Popen([sys.executable, "-m", "satchel.app", "--library", str(library),
                               *map(str, files)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=environment)  # fmt: skip
    qtbot.waitUntil(lambda: launch.poll() is not None, timeout=60_000)
    out, err = launch.communicate()
    return subprocess.CompletedProcess(launch.args, launch.returncode, out, err)


def hand_over(qtbot: QtBot, window: MainWindow, owner: QObject,
              tmp_path: Path) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """The window as the first instance, and a second launch handing it a PDF."""
    first = SingleInstance(window.services.root, owner)
    assert first.acquire()
    first.handler = window.show_import_request
    path = tmp_path / "handed.pdf"
    path.write_bytes(pages_pdf("Handed over", ["Hello."]))
    return second_launch(qtbot, window.services.root, path)


def test_one_instance_per_library(qtbot: QtBot, tmp_path: Path, owner: QObject) -> None:
    library = tmp_path / "lib"
    first = SingleInstance(library, owner)
    assert first.acquire()
    assert not SingleInstance(library, owner).acquire()
    other = SingleInstance(tmp_path / "other library", owner)
    assert other.acquire()  # another library is another instance


def test_handed_over_files_are_imported(qtbot: QtBot, make_window: WindowFactory,
                                        tmp_path: Path, owner: QObject) -> None:  # fmt: skip
    window = make_window(Role.MARKETER)
    launched = hand_over(qtbot, window, owner, tmp_path)
    assert launched.returncode == 0, launched.stderr
    qtbot.waitUntil(lambda: hasattr(window, "last_import_summary"), timeout=30_000)
    assert window.last_import_summary.headline.text() == "1 file imported."


def test_a_refused_hand_over_says_why_and_fails(qtbot: QtBot, make_window: WindowFactory,
                                               tmp_path: Path, owner: QObject) -> None:  # fmt: skip
    window = make_window(Role.REP)  # reps do not add assets
    launched = hand_over(qtbot, window, owner, tmp_path)
    assert launched.returncode == 1
    assert launched.stderr.strip().endswith(
        "satchel: Only marketers and admins add assets to the library."
    )
    assert not hasattr(window, "last_import_summary")


def test_a_locked_library_offers_read_only(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    holder = Services.open(root, create=True, limits=TEST_LIMITS)
    asked: list[tuple[type, list[Choice]]] = []

    def ask(error: KnownError, choices: list[Choice]) -> Choice:
        asked.append((type(error), choices))
        return Choice.READ_ONLY

    opened = open_library(root, ask=ask)
    assert opened is not None
    assert asked == [(LibraryLockedError, [Choice.READ_ONLY, Choice.OTHER, Choice.QUIT])]
    assert opened.read_only
    opened.close()
    holder.close()


def test_a_damaged_library_can_be_restored_from_a_backup(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    with Services.open(root, create=True, limits=TEST_LIMITS) as services:
        services.people.add("Ada", "ada@example.com", Role.ADMIN)  # the owner: the first profile
        services.people.sign_in("ada@example.com")
        services.care.backup()
    (root / "satchel.db").write_bytes(b"this is not a database" * 100)
    asked: list[list[Choice]] = []

    def ask(error: KnownError, choices: list[Choice]) -> Choice:
        assert isinstance(error, DamagedLibraryError)
        assert "damaged" in str(error)
        asked.append(choices)
        return Choice.RESTORE

    opened = open_library(root, ask=ask, choose_backup=lambda backups: backups[0])
    assert opened is not None
    assert asked == [[Choice.RESTORE, Choice.OTHER, Choice.QUIT]]
    assert [u.name for u in opened.people.list_all()] == ["Ada"]
    opened.close()
    kept = list(root.glob("satchel.db.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"this is not")


def test_an_unusable_folder_offers_another_library(tmp_path: Path) -> None:
    cloud = tmp_path / "Dropbox" / "lib"
    chosen = tmp_path / "elsewhere"
    answers = iter([Choice.OTHER])
    opened = open_library(cloud, ask=lambda e, c: next(answers), choose_folder=lambda: chosen)
    assert opened is not None and opened.root == chosen
    opened.close()
    assert open_library(cloud, ask=lambda e, c: Choice.QUIT) is None


def test_a_newer_library_is_refused_with_a_clear_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    root = tmp_path / "lib"
    Services.open(root, create=True, limits=TEST_LIMITS).close()
    with sqlite3.connect(root / "satchel.db") as db:
        db.execute("UPDATE alembic_version SET version_num = 'from_the_future'")
    shown: list[QMessageBox] = []

    def ask(error: KnownError, choices: list[Choice]) -> Choice:
        box, _buttons = failure_box(error, choices)
        qtbot.addWidget(box)
        shown.append(box)
        return Choice.QUIT

    assert open_library(root, ask=ask) is None
    box = shown[0]
    assert box.text() == "This library needs a newer Satchel."
    assert "newer version of Satchel" in box.informativeText()
    assert [b.text() for b in box.buttons()] == [Choice.OTHER.value, Choice.QUIT.value]
    assert box.textFormat() == Qt.TextFormat.PlainText


def test_errors_are_explained_in_plain_words(tmp_path: Path) -> None:
    assert explain(KnownError("The disk is full."), None) == ("The disk is full.", "")
    headline, detail = explain(ZeroDivisionError("bug"), tmp_path / "satchel.log")
    assert headline == "Something went wrong."
    assert str(tmp_path / "satchel.log") in detail


def test_help_lists_the_shortcuts_opens_the_guide_for_the_role_and_names_the_licences(
    qtbot: QtBot, make_window: WindowFactory
) -> None:  # fmt: skip
    window = make_window(Role.MARKETER)
    qtbot.keyClick(window, Qt.Key.Key_Slash, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(window.help_dialog, ShortcutsDialog))
    sheet = window.help_dialog
    assert isinstance(sheet, ShortcutsDialog)
    table = sheet.table
    rows = {table.item(r, 2).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows["Find"] == "Ctrl+F" and rows["Customize"] == "Ctrl+Shift+U"
    assert rows["Design Template"] == "Ctrl+Shift+D" and rows["Keyboard Shortcuts"] == "Ctrl+/"
    assert "Nudge the selected field" in rows
    sheet.reject()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: isinstance(window.help_dialog, GuideDialog))
    guide = window.help_dialog
    assert isinstance(guide, GuideDialog)
    assert guide.tabs.tabText(guide.tabs.currentIndex()) == "Marketers"  # the reader's role
    assert "Design Template" in guide.tabs.currentWidget().toPlainText()
    guide.reject()
    window.actions.about.trigger()
    box = window.about_box
    assert box is not None and box.text().startswith("Satchel 0.1.0")
    assert "reportlab 5." in box.informativeText() and "BSD" in box.informativeText()
    assert "SQLAlchemy 2." in box.informativeText() and "— MIT" in box.informativeText()
    box.done(0)


def test_a_marketer_edits_the_search_synonyms_and_a_refusal_keeps_the_list(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window(Role.MARKETER)
    window.actions.synonyms.trigger()
    qtbot.waitUntil(
        lambda: window.synonyms_dialog is not None and window.synonyms_dialog.isVisible()
    )
    dialog = window.synonyms_dialog
    assert dialog is not None
    table = dialog.table
    assert table.item(0, 0).text() == "spec sheet" and table.item(0, 1).text() == "datasheet"
    before = table.rowCount()
    qtbot.mouseClick(dialog.findChild(QPushButton, "addSynonym"), Qt.MouseButton.LeftButton)
    assert table.rowCount() == before + 1
    table.item(before, 0).setText("flyer")  # as typing into the cells does
    table.item(before, 1).setText("FLYER")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.problems.isVisible())
    assert "“flyer” and “FLYER” are the same words" in dialog.problems.text()
    assert dialog.isVisible() and table.rowCount() == before + 1  # nothing lost
    table.item(before, 1).setText("one-pager")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert "flyer = one-pager" in [s.describe() for s in window.services.search.synonyms()]
    assert "Synonyms saved" in window.statusBar().currentMessage()


def test_a_rep_cannot_open_the_synonyms(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(Role.REP)
    assert not window.actions.synonyms.isEnabled()
