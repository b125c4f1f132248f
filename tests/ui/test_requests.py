"""The request loop in the window: the rep submits from the customize form, the marketer
decides in the queue with edits, the rep sees the difference and makes the final PDF."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLineEdit, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from satchel.core.domain.requests import Decision, RequestState
from satchel.core.domain.users import Role
from satchel.ui.main_window import MainWindow
from satchel.ui.requests_dialog import EDITED, RequestsDialog
from satchel.ui.requests_model import RequestsModel
from satchel.ui.submit_request_dialog import SubmitRequestDialog
from tests.ui.conftest import WindowFactory, switch_to, wait_idle
from tests.ui.test_customize import open_customize

CTRL = Qt.KeyboardModifier.ControlModifier


def open_requests(qtbot: QtBot, window: MainWindow) -> RequestsDialog:
    before = window.requests_dialog
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_R, CTRL)
    qtbot.waitUntil(lambda: window.requests_dialog not in (None, before))
    dialog = window.requests_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: window.runner.pending == 0 and dialog.detail is not None)
    return dialog


def select_customer(qtbot: QtBot, dialog: RequestsDialog, customer: str) -> None:
    row = next(n for n, r in enumerate(dialog.model.rows) if r.customer == customer)
    dialog.table.selectRow(row)
    qtbot.waitUntil(lambda: dialog.detail is not None
                    and dialog.detail.summary.customer == customer)  # fmt: skip
    qtbot.waitUntil(lambda: dialog.runner.pending == 0)


def test_submit_decide_with_edits_and_make_the_final_pdf(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window(Role.REP)
    form = open_customize(qtbot, window, "Price quote (template)")
    valid = (window.services.today() + dt.timedelta(days=30)).isoformat()
    form.fill({"customer": "Globex Corp", "quote_number": "Q-2026-0777", "valid_until": valid})
    discount = form.editors["discount"]
    assert isinstance(discount, QLineEdit)
    discount.selectAll()
    qtbot.keyClicks(discount, "13")
    qtbot.waitUntil(form.submit_button.isEnabled)
    qtbot.mouseClick(form.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(form.submit_dialog, SubmitRequestDialog)
                    and form.submit_dialog.isVisible())  # fmt: skip
    ask = form.submit_dialog
    assert ask is not None
    sentence = ask.sentence.text()
    assert "Discount above 10 % needs marketing approval" in sentence
    assert "2 working days by " in sentence and "DRAFT" in sentence
    qtbot.keyClicks(ask.customer_edit, "Globex renewal")
    qtbot.keyClick(ask.customer_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(ask.note_edit, "They asked twice <b>really</b> ")
    ask.note_edit.insertPlainText("🙂")  # QTest types no characters beyond the BMP
    qtbot.mouseClick(ask.send, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Sent to marketing for Globex renewal" in form.status.text())
    mine = window.services.requests.mine()
    assert mine[0].customer == "Globex renewal" and mine[0].state is RequestState.SUBMITTED
    form.done(0)

    switch_to(qtbot, window, Role.MARKETER)
    qtbot.waitUntil(lambda: window.actions.requests.text().startswith("&Requests ("))
    assert window.navigation.requests_button.text().startswith("Review queue · ")
    queue = open_requests(qtbot, window)
    assert queue.view == "queue"
    select_customer(qtbot, queue, "Globex renewal")
    assert "They asked twice <b>really</b> 🙂" in queue.heading.text()  # shown as typed
    qtbot.waitUntil(lambda: queue.preview.pixmap() is not None
                    and not queue.preview.pixmap().isNull())  # fmt: skip
    row = next(r for r in range(queue.values.rowCount())
               if queue.values.item(r, 0).text() == "Discount")  # fmt: skip
    assert queue.values.item(row, 1).text() == "0"  # the template's default, beside
    queue.values.setFocus()  # the marketer's value, typed: F2, the number, Enter
    queue.values.setCurrentCell(row, 3)
    qtbot.keyClick(queue.values, Qt.Key.Key_F2)
    editor = queue.values.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "12")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next turn
    qtbot.waitUntil(lambda: queue.values.item(row, 3).text() == "12")
    assert queue.buttons["approve"].text() == "&Approve with Edits"
    decided = queue.detail
    assert decided is not None
    qtbot.keyClick(queue.values, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: "Approved with edits" in queue.status.text())
    wait_idle(qtbot, window)
    qtbot.waitUntil(
        lambda: queue.detail is not None and queue.detail.request.id != decided.request.id
    )
    assert queue.table.hasFocus()  # on to the next request, still without the mouse
    queue.done(0)

    switch_to(qtbot, window, Role.REP)
    qtbot.waitUntil(lambda: window.actions.requests.text().startswith("&Requests ("))
    assert "approved" in window.statusBar().currentMessage()
    mine_dialog = open_requests(qtbot, window)
    select_customer(qtbot, mine_dialog, "Globex renewal")
    assert mine_dialog.values.item(row, 2).text() == "13"
    assert mine_dialog.values.item(row, 3).text() == "12"
    assert mine_dialog.values.item(row, 3).background().color() == EDITED
    assert "Approved with edits" in mine_dialog.heading.text()
    assert mine_dialog.buttons["final"].isVisible()
    target = tmp_path / "final.pdf"
    mine_dialog.save_final(target)
    qtbot.waitUntil(lambda: "final" in mine_dialog.status.text())
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(target.read_bytes())).pages)
    assert "DRAFT" not in text and "12" in text


def test_a_second_decision_is_refused_with_who_decided(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window(Role.MARKETER)
    queue = open_requests(qtbot, window)
    waiting = queue.detail
    assert waiting is not None and waiting.request.state is RequestState.SUBMITTED
    admin = next(p for p in window.services.people.list_all() if p.role is Role.ADMIN)
    marketer = window.user
    assert marketer is not None
    window.services.people.sign_in(admin.id)  # someone else decides first
    window.services.requests.decide(waiting.request.id, Decision.APPROVE)
    window.services.people.sign_in(marketer.id)
    queue.comment.setPlainText("Looks fine")
    said: list[str] = []

    def read_and_close() -> None:  # the error box runs its own event loop
        boxes = [b for b in queue.findChildren(QMessageBox) if b.isVisible()]
        if boxes:
            said.append(boxes[0].text())
            boxes[0].done(0)
        else:
            QTimer.singleShot(50, read_and_close)

    QTimer.singleShot(50, read_and_close)
    qtbot.mouseClick(queue.buttons["approve"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(said))
    assert f"Already approved by {admin.name}" in said[0]
    qtbot.waitUntil(lambda: queue.runner.pending == 0 and queue.detail is not None)
    assert queue.detail.request.id != waiting.request.id  # it left the queue


def test_requests_model(qtmodeltester: ModelTester, make_window: WindowFactory) -> None:
    window = make_window(Role.MARKETER)
    rows, _ = window.services.requests.queue()
    model = RequestsModel()
    model.reset(rows)
    qtmodeltester.check(model)
    assert model.rowCount() == len(rows) >= 3
    overdue = next(n for n, r in enumerate(rows) if r.overdue)
    assert model.index(overdue, 5).data().startswith("Overdue since")
