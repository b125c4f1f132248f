"""The field's other ways back to marketing, driven by keys and clicks: a search that
finds nothing becomes a content request (with a +1 offered for one asked before), and
accounts used a while ago come back as "How did … go?"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from satchel.core.domain.feedback import Outcome
from satchel.ui.ask_dialog import AskDialog
from tests.ui.conftest import WindowFactory, wait_idle
from tests.ui.test_main_window import titles, type_query


def test_a_search_that_finds_nothing_asks_marketing(qtbot: QtBot,
                                                    make_window: WindowFactory) -> None:  # fmt: skip
    window = make_window()
    type_query(qtbot, window, "qqxxzz robot")
    assert window.results.currentWidget() is window.results.empty
    assert window.results.ask.isVisible()
    qtbot.mouseClick(window.results.ask, Qt.MouseButton.LeftButton)
    dialog = window.field.ask_dialog
    assert isinstance(dialog, AskDialog) and dialog.isVisible()
    assert dialog.need.toPlainText() == "qqxxzz robot"  # prefilled with the query
    dialog.need.clear()
    qtbot.keyClicks(dialog.need, "A <b>case study</b> on downtime in food plants")
    dialog.need.insertPlainText(" 🙂")  # keyClicks types ASCII only
    qtbot.keyClicks(dialog.audience, "Plant managers")
    dialog.deals.setValue(2)
    qtbot.mouseClick(dialog.send, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    (filed,) = window.services.asks.asks(mine=True)
    assert filed.ask.body["need"] == "A <b>case study</b> on downtime in food plants 🙂"
    assert (filed.ask.body["audience"], filed.deals) == ("Plant managers", 2)
    assert "reaches marketing" in window.statusBar().currentMessage()

    window.services.people.sign_in(next(p.email for p in window.services.people.list_all()
                                        if p.id != filed.ask.user_id))  # a colleague  # fmt: skip
    window.actions.ask.trigger()  # Ctrl+Shift+A, from anywhere
    dialog = window.field.ask_dialog
    qtbot.keyClicks(dialog.need, "case studies about food plant downtime")
    qtbot.waitUntil(lambda: dialog.similar.count() == 1, timeout=10_000)
    assert dialog.similar.isVisible() and "1 asking" in dialog.similar.item(0).text()
    dialog.similar.setCurrentRow(0)
    qtbot.mouseClick(dialog.plus_one, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    (counted,) = window.services.asks.asks()
    assert (counted.ask.id, counted.votes, counted.deals) == (filed.ask.id, 1, 2)


def test_a_refused_request_keeps_what_was_typed(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    window.field.ask_marketing("")
    dialog = window.field.ask_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.audience, "CFOs")
    qtbot.mouseClick(dialog.send, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.problems.isVisible, timeout=10_000)
    assert dialog.problems.text() == "Say what collateral is needed."
    assert dialog.isVisible() and dialog.audience.text() == "CFOs"
    assert window.services.asks.asks() == []


def test_outcomes_to_record_come_back_as_a_question(qtbot: QtBot,
                                                   make_window: WindowFactory) -> None:  # fmt: skip
    window = make_window()
    bar = window.outcome_bar
    assets = window.services.assets.list_all()
    assert bar.isHidden()  # nothing used with a customer yet
    window.services.feedback.give(assets[0].id, "yes", account="Northwind <i>Foods</i>")
    window.services.feedback.give(assets[1].id, "yes", account="Harlow Dairy")
    bar._after_days = 0  # as if the setting's days had passed
    bar.refresh()
    qtbot.waitUntil(bar.isVisible, timeout=10_000)
    assert bar.question.text() == "How did Northwind <i>Foods</i> go?  (1 more to record)"
    assert QApplication.activeModalWidget() is None
    qtbot.mouseClick(bar.buttons[Outcome.WON], Qt.MouseButton.LeftButton)
    assert bar.question.text() == "How did Harlow Dairy go?"
    qtbot.keyClick(bar.buttons[Outcome.LOST], Qt.Key.Key_Escape)  # not now
    assert bar.isHidden()
    wait_idle(qtbot, window)
    assert window.services.feedback.outcome_of("northwind <i>foods</i>")[0] is Outcome.WON
    assert window.services.feedback.outcome_of("Harlow Dairy")[0] is None
    bar.refresh()  # put off for this window's life
    wait_idle(qtbot, window)
    assert bar.isHidden() and titles(window)
