"""The template designer driven with the mouse and keys: draw, nudge, resize, publish."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QGraphicsPixmapItem, QPushButton
from pytestqt.qtbot import QtBot

from satchel.core.domain.users import Role
from satchel.ui.designer_dialog import DesignerDialog, FieldBox
from tests.ui.conftest import WindowFactory, wait_idle
from tests.ui.test_main_window import select_title, type_query


def drag(qtbot: QtBot, dialog: DesignerDialog, start: QPoint, end: QPoint) -> None:
    viewport = dialog.view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 6):
        point = start + (end - start) * (step / 5)
        qtbot.mouseMove(viewport, point)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)


def test_draw_nudge_resize_and_publish_a_field(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(Role.MARKETER)
    title = "Atlas At a glance"
    type_query(qtbot, window, title)
    select_title(qtbot, window, title)
    assert window.actions.design.isEnabled() and not window.actions.customize.isVisible()
    qtbot.keyClick(window.results.active_view(), Qt.Key.Key_D,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    qtbot.waitUntil(lambda: window.asset_actions.designer_dialog is not None)  # read first
    dialog = window.asset_actions.designer_dialog
    assert dialog is not None
    dialog.resize(1200, 820)
    qtbot.waitUntil(
        lambda: any(isinstance(i, QGraphicsPixmapItem) for i in dialog.scene.items()),
        timeout=15_000,
    )  # the page picture under the boxes

    view = dialog.view
    start = view.mapFromScene(100, 200)
    end = view.mapFromScene(300, 240)
    drag(qtbot, dialog, start, end)
    assert len(dialog.fields) == 1
    spec = dialog.fields[0]
    place = spec["placement"]
    assert abs(place["x"] - 100) < 3 and abs(place["width"] - 200) < 3
    assert abs(place["height"] - 40) < 3
    assert abs(place["y"] - (dialog.page_size[1] - 240)) < 3

    view.setFocus()
    x = place["x"]
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert place["x"] == round(x + 11, 1)

    box = next(b for b in dialog.boxes if isinstance(b, FieldBox))
    corner = view.mapFromScene(box.mapToScene(box.handle.pos() + box.handle.rect().center()))
    drag(qtbot, dialog, corner, corner + QPoint(40, 0))
    assert place["width"] > 205

    dialog.panel.key.setText("customer")
    dialog.panel.label.setText("Customer name")
    dialog.panel.key.editingFinished.emit()
    dialog.panel.required.setChecked(True)
    logo = dialog.panel.images.item(0)
    logo.setCheckState(Qt.CheckState.Checked)  # as a click on its box does
    assert spec["limits"]["image_set"] == [logo.data(Qt.ItemDataRole.UserRole)]
    logo.setCheckState(Qt.CheckState.Unchecked)
    assert "image_set" not in spec["limits"]
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
    assert trial.hints["customer"].text() == "Customer name is required."
    qtbot.keyClicks(trial.editors["customer"], "Harlow Foods")
    qtbot.waitUntil(lambda: not trial.preview_busy, timeout=20_000)
    assert trial.preview.pixmap().toImage() != blank  # the value is drawn in the box
    trial.close()
    assert window.services.templates.list_all() == [] or all(
        t.asset_id != window.results.current_id() for t in window.services.templates.list_all()
    )  # trying values published nothing
    with qtbot.waitSignal(dialog.published, timeout=15_000):
        qtbot.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    template = window.services.templates.get(window.results.current_id())
    field = template.field("customer")
    assert field.label == "Customer name" and field.limits.required
    assert field.limits.max_lines == 1
    assert field.placement.x == place["x"] and field.placement.width == place["width"]
    assert dialog.status.text() == "Published version 1 with 1 field(s)."
    qtbot.waitUntil(lambda: window.actions.customize.isVisible())
