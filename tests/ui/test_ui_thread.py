"""The UI thread calls no service: the window's reads and writes all run on the runner's
threads, whatever a person does, and one change signal tells every view what changed."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from satchel.core.domain.changes import Changes
from satchel.core.domain.users import Role
from satchel.core.services import Services
from satchel.core.settings import Settings, SettingsFiles
from satchel.ui.desktop import application, create_window
from tests.conftest import TEST_LIMITS
from tests.ui.conftest import wait_idle
from tests.ui.test_main_window import select_title, titles, type_query

AREAS = ("assets", "search", "collections", "templates", "people", "care")


def calls_on_the_ui_thread(services: Services) -> list[str]:
    """Note every area method called on the main thread from outside the services (the
    calls still run as they would: this only watches them)."""
    seen: list[str] = []
    main = threading.main_thread()
    inside = threading.local()  # a service calling another is one call

    def watched(name: str, method: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        depth = getattr(inside, "depth", 0)
        if depth == 0 and threading.current_thread() is main:
            seen.append(name)
        inside.depth = depth + 1
        try:
            return method(*args, **kwargs)
        finally:
            inside.depth = depth

    for area_name in AREAS:
        area = getattr(services, area_name)
        for name, member in vars(type(area)).items():
            if name.startswith("_") or not callable(member):
                continue
            method = getattr(area, name)
            setattr(area, name, functools.partial(watched, f"{area_name}.{name}", method))
    return seen


def test_nothing_a_person_does_calls_a_service_on_the_ui_thread(
    qtbot: QtBot, demo_dir: Path, settings_files: SettingsFiles, tmp_path: Path,
    monkeypatch: Any,
) -> None:  # fmt: skip
    application()
    services = Services.open(demo_dir, limits=TEST_LIMITS, workers=2)
    seen = calls_on_the_ui_thread(services)
    people = services.people.list_all()
    marketer = next(p for p in people if p.role is Role.MARKETER)
    rep = next(p for p in people if p.role is Role.REP)
    seen.clear()
    window = create_window(services, Settings(settings_files), None, marketer.id)
    qtbot.addWidget(window)
    try:
        assert seen == ["people.acting_user"]  # the composition root resolves who acts
        seen.clear()
        window.resize(1300, 820)
        window.show()
        wait_idle(qtbot, window)
        heard: list[tuple[Changes, object]] = []
        window.runner.changed.connect(lambda changes, initiator: heard.append((changes, initiator)))

        # Search, select, page through, edit a title (the form is the initiator).
        type_query(qtbot, window, "cirrus datasheet")
        select_title(qtbot, window, "Cirrus CX Datasheet")
        editor = window.form.editors["title"]
        editor.setFocus()
        editor.selectAll()  # type: ignore[union-attr]
        qtbot.keyClicks(editor, "Cirrus CX Datasheet (2027)")
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        wait_idle(qtbot, window)
        edited = [c for c, who in heard if c.assets_changed and who is window.form]
        assert edited and window.preview.detail is not None
        assert edited[0].assets_changed == {window.preview.detail.id}
        assert "Cirrus CX Datasheet (2027)" in titles(window)

        # Export a copy (the suggested name is read off the UI thread first).
        target = tmp_path / "copy.pdf"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
        window.actions.export.trigger()
        wait_idle(qtbot, window)
        assert target.exists()
        assert any(c.usage and who is window.asset_actions for c, who in heard)

        # Browse a place, open the designer, and customize a template.
        window.navigation.places.setCurrentRow(1)  # recently used
        wait_idle(qtbot, window)
        window.navigation.places.setCurrentRow(0)
        wait_idle(qtbot, window)
        type_query(qtbot, window, "atlas at a glance")
        select_title(qtbot, window, "Atlas At a glance")
        window.actions.design.trigger()
        qtbot.waitUntil(lambda: window.asset_actions.designer_dialog is not None)
        window.asset_actions.designer_dialog.close()  # type: ignore[union-attr]
        type_query(qtbot, window, "price quote")
        select_title(qtbot, window, "Price quote (template)")
        window.actions.customize.trigger()
        qtbot.waitUntil(lambda: window.asset_actions.customize_dialog is not None)
        window.asset_actions.customize_dialog.close()  # type: ignore[union-attr]

        # Save one's profile, then switch to the rep with the demo's switcher.
        window.actions.profile.trigger()
        dialog = window.signed_in.profile_dialog
        dialog.editors["phone"].setText("+1 555 0100")
        dialog.accept()
        qtbot.waitUntil(lambda: not dialog.isVisible())
        wait_idle(qtbot, window)
        assert window.user is not None and window.user.phone == "+1 555 0100"
        window.signed_in.switcher.activated.emit(window.signed_in.switcher.findData(rep.id))
        wait_idle(qtbot, window)
        assert window.user == rep and not window.actions.import_files.isEnabled()

        assert seen == []
    finally:
        window.close()
        window.runner.shutdown()
        services.close()
