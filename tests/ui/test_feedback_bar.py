"""The one-tap question after a rep hands an asset out: a bar, never a dialog; its
answer with the details typed reaches services.feedback; "Don't ask" is remembered."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from satchel.core.domain.feedback import Used
from tests.ui.conftest import WindowFactory, wait_idle
from tests.ui.test_main_window import select_title, titles


def test_handing_an_asset_out_asks_how_it_went_and_keeps_the_answer(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    bar = window.feedback_bar
    title = titles(window)[0]
    select_title(qtbot, window, title)
    assert bar.isHidden()
    target = tmp_path / "copy.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.actions.export.trigger()
    qtbot.waitUntil(bar.isVisible, timeout=10_000)
    assert bar.question.text() == f"Used “{title}” with a customer?"
    assert QApplication.activeModalWidget() is None  # a bar: the window stays usable
    qtbot.keyClicks(bar.account.lineEdit(), "Northwind Foods")
    bar.rating.setCurrentIndex(4)
    qtbot.mouseClick(bar.more, Qt.MouseButton.LeftButton)
    assert bar.details.isVisible()
    qtbot.keyClicks(bar.objections, "Price <b>too high</b>")
    qtbot.mouseClick(bar.answers[Used.YES], Qt.MouseButton.LeftButton)
    assert bar.isHidden()
    wait_idle(qtbot, window)
    (given,) = window.services.feedback.mine()
    assert (given.asset_title, given.body["used"], given.body["account"], given.body["rating"],
            given.body["objections"]) == (title, "yes", "Northwind Foods", 4, "Price <b>too high</b>")  # fmt: skip
    assert "reaches marketing" in window.statusBar().currentMessage()

    window.actions.copy.trigger()  # asked again next time, the account remembered
    qtbot.waitUntil(bar.isVisible, timeout=10_000)
    qtbot.waitUntil(lambda: bar.account.findText("Northwind Foods") >= 0, timeout=10_000)
    qtbot.keyClick(bar.answers[Used.NO], Qt.Key.Key_Escape)
    assert bar.isHidden()
    window.actions.copy.trigger()
    qtbot.waitUntil(bar.isVisible, timeout=10_000)
    qtbot.mouseClick(bar.mute, Qt.MouseButton.LeftButton)
    assert bar.isHidden()
    window.actions.copy.trigger()  # not asked about this asset again
    wait_idle(qtbot, window)
    qtbot.wait(200)
    assert bar.isHidden() and len(window.services.feedback.mine()) == 1
