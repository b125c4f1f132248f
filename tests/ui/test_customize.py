"""The customize window driven like a rep: type, see the checks and the preview, generate."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
)
from pytestqt.qtbot import QtBot

from satchel.core.domain.users import Role
from satchel.ui.customize_dialog import CustomizeDialog, DateEditor
from satchel.ui.main_window import MainWindow
from tests.ui.conftest import WindowFactory, answer, confirmation, wait_idle
from tests.ui.test_main_window import select_title, type_query


def open_customize(qtbot: QtBot, window: MainWindow, title: str) -> CustomizeDialog:
    type_query(qtbot, window, title.split(" (")[0])
    select_title(qtbot, window, title)
    qtbot.waitUntil(lambda: window.actions.customize.isEnabled())
    before = window.asset_actions.customize_dialog
    qtbot.keyClick(window.results.active_view(), Qt.Key.Key_U,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    qtbot.waitUntil(lambda: window.asset_actions.customize_dialog not in (None, before))
    dialog = window.asset_actions.customize_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: not dialog.preview_busy and dialog.preview.pixmap() is not None
                    and not dialog.preview.pixmap().isNull(), timeout=20_000)  # fmt: skip
    return dialog


def type_date(qtbot: QtBot, editor: object, day: dt.date) -> None:
    """Type a day into a date editor in its (the locale's) format, section by section:
    full sections move on by themselves."""
    assert isinstance(editor, DateEditor)
    editor.setFocus()
    editor.setSelectedSection(editor.sectionAt(0))
    padded = re.sub(r"d+", "dd", re.sub(r"M+", "MM", editor.displayFormat()))
    qtbot.keyClicks(editor, re.sub(r"\D", "", QDate(day).toString(padded)))
    assert editor.iso() == day.isoformat()


def test_inline_checks_while_typing(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(Role.REP)
    dialog = open_customize(qtbot, window, "Price quote (template)")
    customer = dialog.editors["customer"]
    assert isinstance(customer, QLineEdit)
    assert dialog.hints["customer"].text() == "0/70 characters"  # no error before a touch
    assert dialog.status.text() == "Fill in the fields marked * to make the PDF."
    qtbot.keyClicks(customer, "H")
    qtbot.keyClick(customer, Qt.Key.Key_Backspace)
    assert dialog.hints["customer"].text() == "0/70 characters · Customer is required."
    assert QApplication.focusWidget() is customer  # the first field has the focus
    qtbot.keyClick(customer, Qt.Key.Key_Tab)  # on to the quote number, then past it
    assert QApplication.focusWidget() is dialog.editors["quote_number"]
    qtbot.keyClick(dialog.editors["quote_number"], Qt.Key.Key_Tab)
    assert dialog.hints["quote_number"].text() == "Quote number is required."
    assert dialog.status.text() == "2 values to fix before the PDF can be made."
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
    rsvp = dialog.editors["rsvp"]
    assert isinstance(rsvp, QLineEdit)
    assert rsvp.text() == window.user.email and rsvp.isEnabled()  # from the profile
    type_date(qtbot, dialog.editors["event_date"], window.services.today() + dt.timedelta(21))
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


def test_values_needing_approval_go_to_marketing_only_when_the_rep_says_so(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window(Role.REP)
    dialog = open_customize(qtbot, window, "Price quote (template)")
    assert not dialog.submit_button.isEnabled()
    qtbot.keyClicks(dialog.editors["customer"], "Harlow Foods")
    qtbot.keyClicks(dialog.editors["quote_number"], "Q-2026-0042")
    type_date(qtbot, dialog.editors["valid_until"], window.services.today() + dt.timedelta(30))
    assert not dialog.submit_button.isEnabled()  # all inside the limits: nothing to approve
    discount = dialog.editors["discount"]
    discount.selectAll()  # type: ignore[union-attr]
    qtbot.keyClicks(discount, "12.5")
    assert dialog.submit_button.isEnabled()
    before = len(window.services.requests.mine())
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.submit_dialog is not None and dialog.submit_dialog.isVisible())
    asked = dialog.submit_dialog
    assert asked is not None
    qtbot.keyClick(asked.customer_edit, Qt.Key.Key_Escape)  # Cancel: nothing is sent
    assert not asked.isVisible() and len(window.services.requests.mine()) == before
    qtbot.mouseClick(dialog.submit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.submit_dialog is not asked and dialog.submit_dialog is not None
                    and dialog.submit_dialog.isVisible())  # fmt: skip
    again = dialog.submit_dialog
    assert again is not None
    qtbot.keyClicks(again.customer_edit, "Harlow Foods")
    qtbot.keyClick(again.customer_edit, Qt.Key.Key_Return)  # Submit is the default
    qtbot.waitUntil(lambda: "Sent to marketing for Harlow Foods" in dialog.status.text())
    mine = window.services.requests.mine()
    assert len(mine) == before + 1 and mine[0].customer == "Harlow Foods"
    assert window.services.requests.get(mine[0].id).request.values["discount"] == "12.5"


def test_generate_shows_every_refusal_first_and_suggests_a_name_that_says_what_it_is(
    qtbot: QtBot, make_window: WindowFactory, monkeypatch: pytest.MonkeyPatch
) -> None:  # fmt: skip
    window = make_window(Role.REP)
    dialog = open_customize(qtbot, window, "Price quote (template)")
    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda _parent, _title, path, _filter: (asked.append(path), "")[1:] * 2)  # fmt: skip
    assert dialog.generate_button.isEnabled()
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    assert asked == []  # nothing to save yet: the refusals show instead
    assert dialog.hints["customer"].text() == "0/70 characters · Customer is required."
    assert dialog.hints["valid_until"].text() == "Valid until is required."
    assert dialog.status.text() == "3 values to fix before the PDF can be made."
    assert dialog.focusWidget() is dialog.editors["customer"]
    qtbot.keyClicks(dialog.editors["customer"], "Harlow Foods")
    qtbot.keyClicks(dialog.editors["quote_number"], "Q-2026-0042")
    type_date(qtbot, dialog.editors["valid_until"], window.services.today() + dt.timedelta(30))
    qtbot.mouseClick(dialog.generate_button, Qt.MouseButton.LeftButton)
    assert [Path(p).name for p in asked] == ["Price quote Q-2026-0042 Harlow Foods.pdf"]


def test_close_asks_before_typed_values_are_lost(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(Role.REP)
    dialog = open_customize(qtbot, window, "Price quote (template)")
    close = dialog.findChild(QPushButton, "closeCustomize")
    qtbot.keyClicks(dialog.editors["customer"], "Harlow Foods")
    qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
    box = confirmation(dialog)
    assert box is not None and "not in any PDF or draft" in box.text()
    answer(qtbot, dialog, "Cancel")
    assert dialog.isVisible() and dialog.values()["customer"] == "Harlow Foods"
    qtbot.keyClick(dialog.editors["customer"], Qt.Key.Key_Escape)  # Esc asks the same
    answer(qtbot, dialog, "Discard")
    assert not dialog.isVisible()
    window.activateWindow()  # as the platform does when a dialog closes
    qtbot.waitUntil(window.isActiveWindow)
    untouched = open_customize(qtbot, window, "Event invitation (template)")
    qtbot.keyClick(untouched.editors["guest"], Qt.Key.Key_Escape)
    assert not untouched.isVisible() and confirmation(untouched) is None  # nothing typed


def test_my_documents_open_copy_provenance_and_regenerate(qtbot: QtBot,
                                                          make_window: WindowFactory) -> None:  # fmt: skip
    window = make_window(Role.REP)
    quote = next(t for t in window.services.templates.list_all()
                 if t.title.startswith("Price quote"))  # fmt: skip
    values = {"customer": "Harlow Foods", "quote_number": "Q-2026-0042", "discount": "5",
              "valid_until": (window.services.today() + dt.timedelta(30)).isoformat()}  # fmt: skip
    made, _ = window.services.templates.generate(quote.id, values)
    qtbot.keyClick(window, Qt.Key.Key_M,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    qtbot.waitUntil(lambda: window.documents_dialog is not None
                    and window.documents_dialog.table.rowCount() == 1)  # fmt: skip
    mine = window.documents_dialog
    assert mine is not None
    cells = [mine.table.item(0, c).text() for c in range(4)]
    assert cells[1:] == [f"Price quote · version {quote.version}", "Q-2026-0042 Harlow Foods",
                         "Final"]  # fmt: skip
    qtbot.mouseClick(mine.buttons["copy"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Copied" in mine.status.text())
    (url,) = QGuiApplication.clipboard().mimeData().urls()
    copied = Path(url.toLocalFile())
    assert copied.name == "Price quote Q-2026-0042 Harlow Foods.pdf"
    assert copied.read_bytes() == made.pdf
    qtbot.mouseClick(mine.buttons["provenance"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: mine.provenance_box is not None)
    assert "Made by Riley Chen" in mine.provenance_box.informativeText()  # type: ignore[union-attr]
    mine.provenance_box.done(0)  # type: ignore[union-attr]
    before = window.asset_actions.customize_dialog
    qtbot.mouseClick(mine.buttons["regenerate"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.asset_actions.customize_dialog not in (None, before))
    again = window.asset_actions.customize_dialog
    assert again is not None and again.values()["quote_number"] == "Q-2026-0042"
    assert again.values()["valid_until"] == values["valid_until"]
    assert again.status.text() == "Ready: everything is within marketing's limits."
    qtbot.keyClick(again.editors["customer"], Qt.Key.Key_Escape)  # nothing new typed
    assert not again.isVisible() and confirmation(again) is None


def test_computed_lines_and_total_follow_the_quantities_as_they_are_typed(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window(Role.REP)
    dialog = open_customize(qtbot, window, "Price quote (template)")
    total, amount = dialog.editors["total"], dialog.editors["amount_0"]
    assert isinstance(total, QLineEdit) and isinstance(amount, QLineEdit)
    assert not total.isEnabled() and total.text() == "$0.00"
    assert dialog.hints["total"].text() == "Calculated from the values above"
    quantity = dialog.editors["qty_0"]
    quantity.selectAll()  # type: ignore[union-attr]
    qtbot.keyClicks(quantity, "40")
    assert amount.text() == "$63,600.00" and total.text() == "$63,600.00"
    discount = dialog.editors["discount"]
    discount.selectAll()  # type: ignore[union-attr]
    qtbot.keyClicks(discount, "10")
    assert total.text() == "$57,240.00"
    assert dialog.hints["discount_amount"].text() == (
        "Discount amount above $5,000.00 needs marketing approval (it is $6,360.00)."
    )
    assert dialog.submit_button.isEnabled()  # a request, not a refusal
    quantity.selectAll()  # type: ignore[union-attr]
    qtbot.keyClicks(quantity, "4x")
    assert total.text() == "" and "must be a number" in dialog.hints["qty_0"].text()
