"""The template designer driven with the mouse and keys: draw, nudge, resize, publish."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QGraphicsPixmapItem, QPushButton
from pytestqt.qtbot import QtBot

from satchel.core.domain.imports import ImportStatus
from satchel.core.domain.users import Role
from satchel.ui.designer_dialog import NEWER_FILE, DesignerDialog, FieldBox, load_design
from satchel.ui.main_window import MainWindow
from tests.helpers import files
from tests.helpers.library import pages_pdf
from tests.ui.conftest import WindowFactory, answer, confirmation, wait_idle
from tests.ui.test_main_window import select_title, type_query


def drag(qtbot: QtBot, dialog: DesignerDialog, start: QPoint, end: QPoint) -> None:
    viewport = dialog.view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 6):
        point = start + (end - start) * (step / 5)
        qtbot.mouseMove(viewport, point)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)


def open_designer(qtbot: QtBot, window: MainWindow, title: str) -> DesignerDialog:
    """Ctrl+Shift+D on a selected PDF, with the page picture drawn."""
    type_query(qtbot, window, title)
    select_title(qtbot, window, title)
    assert window.actions.design.isEnabled() and not window.actions.customize.isVisible()
    qtbot.keyClick(window.results.active_view(), Qt.Key.Key_D,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    qtbot.waitUntil(lambda: window.asset_actions.designer_dialog is not None)  # read first
    dialog = window.asset_actions.designer_dialog
    assert dialog is not None
    dialog.resize(1200, 820)
    qtbot.waitUntil(lambda: has_picture(dialog), timeout=15_000)  # the page under the boxes
    return dialog


def has_picture(dialog: DesignerDialog) -> bool:
    return any(isinstance(i, QGraphicsPixmapItem) for i in dialog.scene.items())


def draw_field(qtbot: QtBot, dialog: DesignerDialog) -> dict[str, Any]:
    view = dialog.view
    drag(qtbot, dialog, view.mapFromScene(100, 200), view.mapFromScene(300, 240))
    return dialog.fields[-1]


def test_draw_nudge_resize_and_publish_a_field(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(Role.MARKETER)
    dialog = open_designer(qtbot, window, "Atlas At a glance")
    view = dialog.view
    spec = draw_field(qtbot, dialog)
    assert len(dialog.fields) == 1
    assert has_picture(dialog)  # drawing a box used to delete the page picture
    place = spec["placement"]
    assert abs(place["x"] - 100) < 3 and abs(place["width"] - 200) < 3
    assert abs(place["height"] - 40) < 3
    assert abs(place["y"] - (dialog.page_size[1] - 240)) < 3

    view.setFocus()
    x = place["x"]
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert place["x"] == round(x + 11, 1)
    qtbot.keyClick(view, Qt.Key.Key_Plus)  # zooming keeps the page too
    assert has_picture(dialog)

    box = next(b for b in dialog.boxes if isinstance(b, FieldBox))
    corner = view.mapFromScene(box.mapToScene(box.handle.pos() + box.handle.rect().center()))
    drag(qtbot, dialog, corner, corner + QPoint(40, 0))
    assert place["width"] > 205

    dialog.panel.key.setText("customer")
    dialog.panel.label.setText("Customer name")
    dialog.panel.key.editingFinished.emit()
    dialog.panel.required.setChecked(True)
    dialog.panel.numbers["max_lines"].setText("1")
    dialog.panel.numbers["max_lines"].editingFinished.emit()
    assert spec["limits"]["max_lines"] == 1
    qtbot.mouseClick(dialog.findChild(QPushButton, "tryValues"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.trial_dialog is not None)  # the draft is checked first
    trial = dialog.trial_dialog
    assert trial is not None
    assert not trial.generate_button.isVisible() and "not published" in trial.windowTitle()
    qtbot.waitUntil(lambda: not trial.preview_busy and trial.preview.pixmap() is not None
                    and not trial.preview.pixmap().isNull(), timeout=20_000)  # fmt: skip
    blank = trial.preview.pixmap().toImage()
    qtbot.keyClicks(trial.editors["customer"], "Harlow Foods")
    qtbot.waitUntil(lambda: not trial.preview_busy, timeout=20_000)
    assert trial.preview.pixmap().toImage() != blank  # the value is drawn in the box
    trial.close()
    assert window.services.templates.list_all() == [] or all(
        t.asset_id != window.results.current_id() for t in window.services.templates.list_all()
    )  # trying values published nothing
    qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    box_shown = confirmation(dialog)
    assert box_shown is not None
    assert box_shown.text() == "Publish version 1 of “Atlas At a glance”?"
    assert box_shown.informativeText() == (
        "From now on reps customize it with 1 field: 1 they fill in within your limits. "
        "Reps see it in their templates as soon as it is published."
    )
    with qtbot.waitSignal(dialog.published, timeout=15_000):
        answer(qtbot, dialog, "Publish")
    wait_idle(qtbot, window)
    template = window.services.templates.get(window.results.current_id())
    field = template.field("customer")
    assert field.label == "Customer name" and field.limits.required
    assert field.limits.max_lines == 1
    assert field.placement.x == place["x"] and field.placement.width == place["width"]
    assert dialog.status.text() == "Published version 1 with 1 field(s)."
    qtbot.waitUntil(lambda: window.actions.customize.isVisible())
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # published: nothing to lose, no question
    assert not dialog.isVisible()


def test_the_panel_speaks_words_and_shows_the_limits_of_the_kind(
    qtbot: QtBot, make_window: WindowFactory
) -> None:  # fmt: skip
    window = make_window(Role.MARKETER)
    dialog = open_designer(qtbot, window, "Atlas At a glance")
    spec = draw_field(qtbot, dialog)
    panel = dialog.panel
    assert panel.policy.currentText() == "Reps change it within the limits"
    assert panel.kind.currentText() == "Text (one line)"
    assert panel.numbers["minimum"].isHidden() and not panel.max_chars.isHidden()
    assert panel.images.isHidden()
    panel.max_chars.setValue(40)
    assert spec["limits"]["max_chars"] == 40
    panel.kind.setFocus()
    while panel.kind.currentText() != "Percent":  # by keys, as a marketer would
        qtbot.keyClick(panel.kind, Qt.Key.Key_Down)
    assert spec["kind"] == "percent"
    assert not panel.numbers["minimum"].isHidden() and not panel.numbers["envelope_max"].isHidden()
    assert panel.max_chars.isHidden() and panel.pattern.isHidden()
    assert panel.numbers["date_min_days"].isHidden()
    assert "max_chars" not in spec["limits"]  # a text limit does not ride along on a number
    while panel.kind.currentText() != "Image from the library":
        qtbot.keyClick(panel.kind, Qt.Key.Key_Down)
    assert not panel.images.isHidden() and panel.numbers["minimum"].isHidden()
    logo = panel.images.item(0)
    logo.setCheckState(Qt.CheckState.Checked)  # as a click on its box does
    assert spec["limits"]["image_set"] == [logo.data(Qt.ItemDataRole.UserRole)]
    logo.setCheckState(Qt.CheckState.Unchecked)
    assert "image_set" not in spec["limits"]
    panel.valign.setFocus()
    while panel.valign.currentText() != "On the baseline":
        qtbot.keyClick(panel.valign, Qt.Key.Key_Down)
    assert spec["style"]["valign"] == "baseline"

    qtbot.mouseClick(dialog.findChild(QPushButton, "removeField"), Qt.MouseButton.LeftButton)
    assert dialog.fields == [] and not panel.isEnabled()
    assert panel.key.text() == "" and panel.label.text() == ""  # the removed field is gone


def test_esc_asks_before_unpublished_fields_are_discarded(
    qtbot: QtBot, make_window: WindowFactory
) -> None:  # fmt: skip
    window = make_window(Role.MARKETER)
    dialog = open_designer(qtbot, window, "Atlas At a glance")
    draw_field(qtbot, dialog)
    dialog.view.setFocus()
    qtbot.keyClick(dialog.view, Qt.Key.Key_Escape)
    box = confirmation(dialog)
    assert box is not None and box.text() == (
        "Your changes to “Atlas At a glance” are not published. Close and discard them?"
    )
    answer(qtbot, dialog, "Cancel")
    assert dialog.isVisible() and len(dialog.fields) == 1
    qtbot.keyClick(dialog.view, Qt.Key.Key_Escape)
    answer(qtbot, dialog, "Discard")
    assert not dialog.isVisible()
    assert all(t.asset_id != dialog.asset.id for t in window.services.templates.list_all())


def test_after_a_new_file_the_designer_says_reps_keep_the_old_one_until_published(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window(Role.MARKETER)
    services = window.services
    quote = next(t for t in services.templates.list_all() if t.title.startswith("Price quote"))
    pages = services.assets.get(quote.asset_id).current.page_count
    replacement = files.write(tmp_path / "quote-2027.pdf",
                              pages_pdf("Quote 2027", [f"Page {n}" for n in range(pages)]))  # fmt: skip
    result, _ = services.assets.new_version(quote.asset_id, replacement)
    assert result.status is ImportStatus.IMPORTED
    start = load_design(services, quote.asset_id)
    assert start.newer_file
    dialog = DesignerDialog(services, window.runner, start, window.user, dt.date.today, window)
    dialog.open()
    assert dialog.status.text() == NEWER_FILE
    qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    box = confirmation(dialog)
    assert box is not None and "The fields move onto the asset's new file." in box.informativeText()
    answer(qtbot, dialog, "Publish")
    new_sha = services.assets.get(quote.asset_id).current.sha256
    qtbot.waitUntil(lambda: services.templates.get(quote.id).base_sha256 == new_sha)
    assert services.templates.get(quote.id).version == quote.version + 1
    dialog.close()


def test_a_computed_field_takes_a_formula_that_is_checked_as_it_is_typed(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window(Role.MARKETER)
    dialog = open_designer(qtbot, window, "Atlas At a glance")
    panel = dialog.panel
    quantity = draw_field(qtbot, dialog)
    panel.kind.setFocus()
    while panel.kind.currentText() != "Number":
        qtbot.keyClick(panel.kind, Qt.Key.Key_Down)
    panel.key.selectAll()
    qtbot.keyClicks(panel.key, "qty")
    qtbot.keyClick(panel.key, Qt.Key.Key_Return)
    assert quantity["key"] == "qty" and panel.formula.isHidden()
    view = dialog.view
    drag(qtbot, dialog, view.mapFromScene(100, 300), view.mapFromScene(300, 330))
    amount = dialog.fields[-1]
    panel.kind.setFocus()
    while panel.kind.currentText() != "Calculated from other fields":
        qtbot.keyClick(panel.kind, Qt.Key.Key_Down)
    assert not panel.formula.isHidden() and panel.policy.isHidden() and panel.default.isHidden()
    assert not panel.formula_problem.isHidden()  # no formula yet: it says so
    qtbot.keyClicks(panel.formula, "open('/etc/passwd')")
    qtbot.keyClick(panel.formula, Qt.Key.Key_Return)
    assert "“open” is not a function" in panel.formula_problem.text()
    panel.formula.selectAll()
    qtbot.keyClicks(panel.formula, "round(qty * 1590.5, 2)")
    qtbot.keyClick(panel.formula, Qt.Key.Key_Return)
    assert panel.formula_problem.isHidden()
    panel.number_format.setFocus()
    while panel.number_format.currentText() != "Amount of money":
        qtbot.keyClick(panel.number_format, Qt.Key.Key_Down)
    qtbot.keyClicks(panel.currency, "usd")
    qtbot.keyClick(panel.currency, Qt.Key.Key_Return)
    assert amount["formula"] == "round(qty * 1590.5, 2)"
    assert (amount["number_format"], amount["currency"]) == ("currency", "USD")
    qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    answer(qtbot, dialog, "Publish")
    qtbot.waitUntil(lambda: dialog.version == 1)
    template = window.services.templates.get(dialog.asset.id)
    assert template.field(amount["key"]).formula == "round(qty * 1590.5, 2)"
