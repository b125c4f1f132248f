"""The customize window driven like a rep: type, see the checks and the preview, generate."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QFileDialog, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from satchel.core.domain.users import Role
from satchel.ui.customize_dialog import CustomizeDialog
from satchel.ui.main_window import MainWindow
from tests.ui.conftest import WindowFactory, wait_idle
from tests.ui.test_main_window import select_title, type_query


def open_customize(qtbot: QtBot, window: MainWindow, title: str) -> CustomizeDialog:
    type_query(qtbot, window, title.split(" (")[0])
    select_title(qtbot, window, title)
    qtbot.waitUntil(lambda: window.actions.customize.isEnabled())
    qtbot.keyClick(window.results.active_view(), Qt.Key.Key_U,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    qtbot.waitUntil(lambda: window.asset_actions.customize_dialog is not None)
    dialog = window.asset_actions.customize_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.preview_busy and dialog.preview.pixmap() is not None
                    and not dialog.preview.pixmap().isNull(), timeout=20_000)  # fmt: skip
    return dialog


def test_inline_checks_while_typing(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(Role.REP)
    dialog = open_customize(qtbot, window, "Price quote (template)")
    customer = dialog.editors["customer"]
    assert isinstance(customer, QLineEdit)
    assert "Customer is required." in dialog.hints["customer"].text()
    assert not dialog.generate_button.isEnabled()
    qtbot.keyClicks(customer, "Harlow Foods")
    assert dialog.hints["customer"].text() == "12/70 characters · fits"
    discount = dialog.editors["discount"]
    assert isinstance(discount, QLineEdit)
    assert "above 10 % needs approval" in dialog.hints["discount"].text()
    discount.selectAll()
    qtbot.keyClicks(discount, "12.5")
    assert dialog.hints["discount"].text() == "Discount above 10 % needs marketing approval."
    discount.selectAll()
    qtbot.keyClicks(discount, "40")
    assert dialog.hints["discount"].text() == "Discount cannot be above 15 %."
    note = dialog.editors["note"]
    assert isinstance(note, QPlainTextEdit)
    qtbot.keyClicks(note, "This is guaranteed to work.")
    assert "“guaranteed” may not be used here." in dialog.hints["note"].text()


def test_preview_follows_the_values_and_generate_saves_a_recorded_pdf(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(Role.REP)
    dialog = open_customize(qtbot, window, "Event invitation (template)")
    before = dialog.preview.pixmap().toImage()
    qtbot.keyClicks(dialog.editors["guest"], "Dana Whitfield, Harlow Foods")
    day = (window.services.today() + dt.timedelta(days=21)).isoformat()
    qtbot.keyClicks(dialog.editors["event_date"], day)
    qtbot.keyClicks(dialog.editors["rsvp"], "riley.chen@kestrel-systems.example")
    venue = dialog.editors["venue"]
    assert isinstance(venue, QComboBox)
    venue.setFocus()
    qtbot.keyClick(venue, Qt.Key.Key_Down)
    assert venue.currentText() == "Kestrel Systems, Nürnberg"
    qtbot.waitUntil(lambda: not dialog.preview_busy, timeout=20_000)
    assert dialog.preview.pixmap().toImage() != before
    assert dialog.status.text() == "Ready: everything is within marketing's limits."
    target = tmp_path / "invitation.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    with qtbot.waitSignal(dialog.generated, timeout=20_000):
        qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    assert window.services.templates.verify(target.read_bytes()).genuine
    assert dialog.status.text() == "Saved invitation.pdf, ready to send."
    assert dialog.open_button.isVisible()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    copied = QGuiApplication.clipboard().mimeData().urls()
    assert [url.toLocalFile() for url in copied] == [str(target)]
    wait_idle(qtbot, window)


def test_profile_fields_are_filled_and_fixed(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(Role.REP)
    dialog = open_customize(qtbot, window, "Customer one-pager (template)")
    name = dialog.editors["rep_name"]
    assert isinstance(name, QLineEdit)
    assert name.text() == "Riley Chen" and not name.isEnabled()
    assert dialog.hints["rep_name"].text() == "From your profile"
    assert "rep_name" not in dialog.values()


def test_values_needing_approval_can_be_kept_as_a_draft(qtbot: QtBot,
                                                        make_window: WindowFactory) -> None:  # fmt: skip
    window = make_window(Role.REP)
    dialog = open_customize(qtbot, window, "Price quote (template)")
    assert not dialog.submit_button.isEnabled()
    qtbot.keyClicks(dialog.editors["customer"], "Harlow Foods")
    qtbot.keyClicks(dialog.editors["quote_number"], "Q-2026-0042")
    day = (window.services.today() + dt.timedelta(days=30)).isoformat()
    qtbot.keyClicks(dialog.editors["valid_until"], day)
    assert not dialog.submit_button.isEnabled()  # all inside the limits: nothing to approve
    discount = dialog.editors["discount"]
    discount.selectAll()  # type: ignore[union-attr]
    qtbot.keyClicks(discount, "12.5")
    assert dialog.submit_button.isEnabled()
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "awaiting" in dialog.status.text(), timeout=10_000)
    kept = window.services.templates.list_customizations()  # type: ignore[union-attr]
    assert len(kept) == 1 and kept[0].state == "draft"
    assert kept[0].values["discount"] == "12.5" and kept[0].title == "Price quote (template)"
