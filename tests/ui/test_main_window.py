"""The library window driven like a person would: keys, clicks, drops."""

from __future__ import annotations

import sqlite3
import warnings
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QModelIndex, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QImage,
    QPalette,
    QTextDocument,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QToolBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from satchel.core.domain.usage import UsageAction
from satchel.core.domain.users import Role
from satchel.ui.main_window import MainWindow
from satchel.ui.results_model import HIT_ROLE
from satchel.ui.results_view import snippet_html
from tests.helpers import files
from tests.helpers.library import pages_pdf
from tests.ui.conftest import WindowFactory, answer, switch_to, wait_idle


def titles(window: MainWindow) -> list[str]:
    model = window.results_model
    return [model.index(row, 0).data(HIT_ROLE).title for row in range(model.rowCount())]


def shown_titles(window: MainWindow) -> list[str]:
    """The titles as the results show them (a draft says so)."""
    model = window.results_model
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def type_query(qtbot: QtBot, window: MainWindow, text: str) -> None:
    window.search_box.clear()
    qtbot.keyClicks(window.search_box, text)
    wait_idle(qtbot, window)


def select_title(qtbot: QtBot, window: MainWindow, title: str) -> None:
    row = titles(window).index(title)
    view = window.results.active_view()
    rect = view.visualRect(window.results_model.index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wait_idle(qtbot, window)
    assert window.preview.detail is not None and window.preview.detail.metadata.title == title


def test_typing_a_query_shows_the_expected_assets(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    assert (
        window.results_model.rowCount() == window.services.care.summary().assets - 1 == 46
    )  # browsing: everything but the retired deck
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_box.hasFocus()
    qtbot.keyClicks(window.search_box, "beacon datasheet")
    wait_idle(qtbot, window)
    found = titles(window)
    assert found[0] in ("Beacon BT-40 Datasheet", "Beacon BT-40 Datenblatt")
    assert "Beacon BT-40 Datasheet" in found[:3]
    assert all("Atlas" not in t for t in found[:2])
    assert window.info.text().startswith(f"{len(found)} asset")


def test_typos_are_forgiven_and_said_so(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    type_query(qtbot, window, "vibratoin sensr")
    assert window.results_model.rowCount() > 0
    assert "showing results for “vibration sensor”" in window.info.text()
    assert any("Beacon" in title for title in titles(window)[:3])


def test_the_window_starts_sorted_by_relevance_as_it_says(
    qtbot: QtBot, make_window: WindowFactory
) -> None:  # fmt: skip
    window = make_window()
    assert window.windowTitle() == window.services.root.name  # Qt adds " — Satchel"
    assert window.search.state.sort == "relevance"
    assert (
        window.sort_box.currentData() == "relevance"
        and window.actions.sort["relevance"].isChecked()
    )
    type_query(qtbot, window, "gateway datasheet")
    assert titles(window)[0] == "Atlas X-200 Datasheet"  # the best match, not "A…" first


def test_most_of_the_words_are_said_so_and_the_missing_ones_struck_through(
    qtbot: QtBot, make_window: WindowFactory
) -> None:  # fmt: skip
    window = make_window()
    type_query(qtbot, window, "datasheet for the edge gateway")  # as typed: one has all
    assert "showing results for most of your words" in window.info.text()
    assert titles(window)[0] == "Atlas X-200 Datasheet" and len(titles(window)) > 1
    type_query(qtbot, window, "case study about reducing downtime in food plants")
    assert "showing results for most of your words" in window.info.text()
    assert titles(window)[0].startswith("How Harlow Foods cut unplanned downtime")
    first = window.results_model.index(0, 0).data(HIT_ROLE)
    assert first.unmatched == ("reducing",)
    document = QTextDocument()
    document.setHtml(snippet_html(first))
    assert document.toPlainText().startswith("Missing: reducing — ")
    assert "<s>reducing</s>" in snippet_html(first)


def test_nothing_found_shows_the_empty_state(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    type_query(qtbot, window, "qqxxzz")
    assert window.results.currentWidget() is window.results.empty
    assert window.results.empty_label.text() == "Nothing matches “qqxxzz”."
    assert not window.preview.placeholder.isHidden()  # nothing selected, nothing previewed


def facet_value(window: MainWindow, facet: str, value: str) -> QModelIndex:
    model = window.facet_model
    parent = next(
        model.index(r, 0) for r in range(model.rowCount()) if model.index(r, 0).data() == facet
    )
    return next(
        model.index(r, 0, parent)
        for r in range(model.rowCount(parent))
        if model.index(r, 0, parent).data().startswith(f"{value}  (")
    )


def count_of(index: QModelIndex) -> int:
    return int(index.data().rsplit("(", 1)[1].rstrip(")").replace(",", ""))


def click_facet(qtbot: QtBot, window: MainWindow, facet: str, value: str) -> None:
    view = window.navigation.facets
    index = facet_value(window, facet, value)
    view.scrollTo(index)
    rect = view.visualRect(index)
    check = QPoint(rect.left() + 8, rect.center().y())  # the check box sits at the left
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=check)
    wait_idle(qtbot, window)


def kinds_and_languages(window: MainWindow) -> set[tuple[str, str]]:
    shown = set()
    for row in range(window.results_model.rowCount()):
        hit = window.results_model.index(row, 0).data(HIT_ROLE)
        meta = window.services.assets.get(hit.id).metadata
        shown.add((meta.kind.value, meta.language))
    return shown


def test_facet_values_combine_or_within_a_facet_and_within_facets(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    type_query(qtbot, window, "sensor")
    before = window.results_model.rowCount()
    spanish = count_of(facet_value(window, "Language", "es"))
    click_facet(qtbot, window, "Language", "es")
    assert window.search.state.filters == {"language": ("es",)}
    assert 0 < window.results_model.rowCount() == spanish < before
    assert {language for _, language in kinds_and_languages(window)} == {"es"}
    # The other languages still count what choosing them too would add.
    german = count_of(facet_value(window, "Language", "de"))
    assert german > 0
    click_facet(qtbot, window, "Language", "de")
    assert window.search.state.filters == {"language": ("es", "de")}
    assert window.results_model.rowCount() == spanish + german
    kind = kinds_and_languages(window).pop()[0]
    of_kind = count_of(facet_value(window, "Kind", kind))
    click_facet(qtbot, window, "Kind", kind)
    assert window.results_model.rowCount() == of_kind > 0
    assert kinds_and_languages(window) <= {(kind, "de"), (kind, "es")}
    click_facet(qtbot, window, "Language", "es")  # unchecked again
    assert window.search.state.filters == {"language": ("de",), "kind": (kind,)}
    assert {language for _, language in kinds_and_languages(window)} <= {"de"}


def shown_page(qtbot: QtBot, window: MainWindow, page: int) -> QImage:
    """The page image the preview has drawn (after waiting for it)."""
    detail = window.preview.detail
    assert detail is not None
    key = (detail.current.sha256, page)
    cache = window.page_cache._pages
    qtbot.waitUntil(lambda: cache.get(key) is not None, timeout=15_000)
    pixmap = window.pages.image.pixmap()
    assert pixmap is not None and not pixmap.isNull()
    return cache[key]  # type: ignore[return-value]


def test_the_preview_shows_the_right_pages(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    title = "Cirrus CX: Predict failures weeks ahead, and know which work order to raise."
    type_query(qtbot, window, "cirrus predict failures")
    select_title(qtbot, window, title)
    pages, detail = window.pages, window.preview.detail
    assert detail is not None
    assert pages.counter.text() == "Page 1 of 2"
    expected = [QImage.fromData(window.services.assets.page_image(detail.id, n, 900), "PNG")
                for n in (1, 2)]  # fmt: skip
    assert expected[0] != expected[1]
    assert shown_page(qtbot, window, 1) == expected[0]
    pages.setFocus()
    qtbot.keyClick(pages, Qt.Key.Key_PageDown)
    assert pages.counter.text() == "Page 2 of 2"
    assert not pages.next.isEnabled()
    assert shown_page(qtbot, window, 2) == expected[1]
    qtbot.keyClick(pages, Qt.Key.Key_Home)
    assert pages.counter.text() == "Page 1 of 2"


def test_a_hit_on_page_2_opens_the_preview_on_page_2(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    type_query(qtbot, window, "retention webhooks")
    row = titles(window).index(CIRRUS)
    hit = window.results_model.hit(row)
    assert hit is not None and hit.page == 2
    select_title(qtbot, window, CIRRUS)
    assert window.pages.counter.text() == "Page 2 of 2"


def test_slides_preview_as_text_cards(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    type_query(qtbot, window, "atlas sales presentation")
    select_title(qtbot, window, "Atlas X-200 sales presentation")
    assert window.pages.counter.text() == "Page 1 of 5"
    first = shown_page(qtbot, window, 1)
    window.pages.setFocus()
    qtbot.keyClick(window.pages, Qt.Key.Key_End)
    assert window.pages.counter.text() == "Page 5 of 5"
    last = shown_page(qtbot, window, 5)
    assert first.width() > first.height()  # slides are landscape
    assert first != last


def usage(window: MainWindow) -> list[tuple[str, str]]:
    """(asset title, action) of every usage event, oldest first, read from the file."""
    with sqlite3.connect(window.services.root / "satchel.db") as db:
        return db.execute(
            "SELECT assets.title, usage_events.action FROM usage_events"
            " JOIN assets ON assets.id = usage_events.asset_id ORDER BY usage_events.at"
        ).fetchall()


CIRRUS = "Cirrus CX: Predict failures weeks ahead, and know which work order to raise."


def test_only_what_a_person_did_is_recorded_once_newest_first(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    before = usage(window)  # the demo's own history
    type_query(qtbot, window, "cirrus predict failures")  # the window selects the first hit
    assert window.preview.detail is not None and titles(window)[0] == CIRRUS
    assert usage(window) == before
    select_title(qtbot, window, CIRRUS)  # the person clicks the row already selected
    select_title(qtbot, window, CIRRUS)  # and again
    window.pages.setFocus()
    qtbot.keyClick(window.pages, Qt.Key.Key_PageDown)
    qtbot.keyClick(window.pages, Qt.Key.Key_PageUp)
    wait_idle(qtbot, window)
    assert usage(window)[len(before):] == [(CIRRUS, "viewed"),
                                           (CIRRUS, "previewed")]  # fmt: skip
    type_query(qtbot, window, "beacon datasheet")
    beacon = titles(window)[0]
    select_title(qtbot, window, beacon)
    window.navigation.places.setCurrentRow(1)  # Recently used
    wait_idle(qtbot, window)
    assert titles(window)[:2] == [beacon, CIRRUS]


def test_a_marketer_sees_drafts_marked_and_a_rep_does_not_see_them(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window(Role.MARKETER)
    type_query(qtbot, window, "cirrus datasheet")
    select_title(qtbot, window, "Cirrus CX Datasheet")
    detail = window.preview.detail
    assert detail is not None
    window.services.assets.update_metadata(detail.id, {"status": "draft"})
    window.search.refresh()
    wait_idle(qtbot, window)
    row = shown_titles(window).index("Draft: Cirrus CX Datasheet")
    assert window.results_model.index(row, 0).data(Qt.ItemDataRole.FontRole).italic()

    switch_to(qtbot, window, Role.REP)
    assert titles(window) and not [t for t in titles(window) if "Cirrus CX Datasheet" in t]
    assert window.preview.detail is None or window.preview.detail.id != detail.id


def test_document_titles_show_as_plain_text(qtbot: QtBot, make_window: WindowFactory,
                                            tmp_path: Path) -> None:  # fmt: skip
    window = make_window(Role.MARKETER)
    hostile = "<b>Bold</b> <a href='x'>link</a>"
    path = files.write(tmp_path / "in" / "hostile.pdf", files.pdf_with_metadata(hostile))
    window.import_paths([path])
    qtbot.waitUntil(lambda: hasattr(window, "last_import_summary"), timeout=30_000)
    window.last_import_summary.close()
    type_query(qtbot, window, "bold")
    select_title(qtbot, window, hostile)
    assert window.preview.title.text() == hostile
    assert window.preview.title.textFormat() == Qt.TextFormat.PlainText
    row = titles(window).index(hostile)
    tooltip = window.results_model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    document = QTextDocument()
    document.setHtml(tooltip)  # how Qt renders a tooltip that looks like markup
    assert document.toPlainText() == hostile


def drop(window: MainWindow, paths: list[Path], position: QPoint | None = None) -> None:
    """Drop files on the window (at its centre unless `position`, in its coordinates)."""
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    position = position or window.rect().center()
    with warnings.catch_warnings():  # Qt 6 has only this (QPoint) constructor; PySide warns
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(position, Qt.DropAction.CopyAction, data,
                                Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    dropped = QDropEvent(position.toPointF(), Qt.DropAction.CopyAction, data,
                         Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(window, dropped)


def test_dropping_a_folder_imports_the_good_files_and_reports_the_bad_one(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window(Role.MARKETER)
    folder = tmp_path / "drop"
    files.write(folder / "harbour-report.pdf", pages_pdf("Harbour crane report", ["Cranes."]))
    files.write(folder / "sub" / "quay-notes.pdf", pages_pdf("Quay notes", ["Quays."]))
    bad = files.write(folder / "broken.pdf", files.pdf_bytes(2)[:300])
    before = window.services.care.summary().assets
    drop(window, [folder])
    assert window.progress.isVisible()
    qtbot.waitUntil(lambda: hasattr(window, "last_import_summary"), timeout=60_000)
    wait_idle(qtbot, window)
    dialog = window.last_import_summary
    assert dialog.isVisible()
    assert dialog.headline.text() == "2 files imported, 1 not imported."
    assert dialog.table.item(0, 0).text() == bad.name
    assert dialog.table.item(0, 1).text() == "Not imported"
    assert "damaged" in dialog.table.item(0, 2).text()
    assert not window.progress.isVisible()
    assert window.services.care.summary().assets == before + 2
    assert {"Harbour crane report", "Quay notes"} <= set(titles(window))
    qtbot.mouseClick(dialog.show_button, Qt.MouseButton.LeftButton)  # jump to what came in
    qtbot.waitUntil(lambda: sorted(titles(window)) == ["Harbour crane report", "Quay notes"])
    assert "Showing the 2 imported assets" in window.statusBar().currentMessage()
    assert window.navigation.places.currentItem() is None
    window.navigation.places.setCurrentRow(0)  # Library again: everything
    qtbot.waitUntil(lambda: len(titles(window)) > 2)


def test_a_rep_cannot_import(qtbot: QtBot, make_window: WindowFactory, tmp_path: Path) -> None:
    window = make_window(Role.REP)
    assert not window.actions.import_files.isEnabled()
    path = files.write(tmp_path / "x.pdf", pages_pdf("Rep file", ["Text."]))
    before = window.services.care.summary().assets
    drop(window, [path])
    assert "Only marketers and admins" in window.statusBar().currentMessage()
    assert window.services.care.summary().assets == before


def test_cancel_stops_an_import_and_leaves_nothing_half_done(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window(Role.ADMIN)
    folder = tmp_path / "many"
    for number in range(60):
        files.write(folder / f"doc-{number:02}.pdf",
                    pages_pdf(f"Document {number}", [f"Page text {number}"] * 3))  # fmt: skip
    before = window.services.care.summary().assets
    window.import_paths([folder])
    qtbot.waitUntil(lambda: window.progress.bar.value() >= 2, timeout=30_000)
    qtbot.mouseClick(window.progress.cancel, Qt.MouseButton.LeftButton)
    assert "Cancelling" in window.progress.label.text()
    qtbot.waitUntil(lambda: hasattr(window, "last_import_summary"), timeout=60_000)
    wait_idle(qtbot, window)
    assert "Import cancelled" in window.last_import_summary.headline.text()
    imported = window.services.care.summary().assets - before
    assert 2 <= imported < 60
    report = window.services.care.check()
    assert report.ok, report.problems
    assert not report.garbage  # no staged leftovers: nothing half-imported
    listed = {a.metadata.title for a in window.services.assets.list_all()}
    assert sum(title.startswith("Document ") for title in listed) == imported


def test_a_metadata_edit_and_its_undo(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(Role.MARKETER)
    type_query(qtbot, window, "cirrus datasheet")
    select_title(qtbot, window, "Cirrus CX Datasheet")
    asset_id = window.preview.detail.id  # type: ignore[union-attr]
    editor = window.form.editors["title"]
    assert not editor.isReadOnly()  # type: ignore[union-attr]
    editor.setFocus()
    editor.selectAll()  # type: ignore[union-attr]
    qtbot.keyClicks(editor, "Cirrus CX Datasheet (2027 edition)")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert (
        window.services.assets.get(asset_id).metadata.title == "Cirrus CX Datasheet (2027 edition)"
    )
    assert "Cirrus CX Datasheet (2027 edition)" in titles(window)
    assert window.actions.undo.isEnabled()
    qtbot.keyClick(window.results.active_view(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, window)
    assert window.services.assets.get(asset_id).metadata.title == "Cirrus CX Datasheet"
    qtbot.waitUntil(lambda: window.form.editors["title"].text() == "Cirrus CX Datasheet")  # type: ignore[union-attr]
    window.actions.redo.trigger()
    wait_idle(qtbot, window)
    assert (
        window.services.assets.get(asset_id).metadata.title == "Cirrus CX Datasheet (2027 edition)"
    )


def test_a_refused_value_says_why_and_changes_nothing(qtbot: QtBot,
                                                      make_window: WindowFactory) -> None:  # fmt: skip
    window = make_window(Role.MARKETER)
    type_query(qtbot, window, "cirrus datasheet")
    select_title(qtbot, window, "Cirrus CX Datasheet")
    asset_id = window.preview.detail.id  # type: ignore[union-attr]
    before = window.services.assets.get(asset_id).metadata
    editor = window.form.editors["expires_on"]
    editor.setFocus()
    qtbot.keyClicks(editor, "next tuesday")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert "YYYY-MM-DD" in window.form.message.text()
    assert window.form.message.isVisible()
    assert editor.text() == ""  # type: ignore[union-attr]
    assert window.undo_stack.count() == 0
    assert window.services.assets.get(asset_id).metadata == before
    assert "YYYY-MM-DD" in window.statusBar().currentMessage()
    editor.setFocus()
    qtbot.keyClicks(editor, "2031-03-01")  # a later edit that succeeds clears both
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert window.form.message.isHidden() and window.statusBar().currentMessage() == ""
    assert str(window.services.assets.get(asset_id).metadata.expires_on) == "2031-03-01"


def _wheel(widget: QWidget, clicks: int) -> None:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, widget.mapToGlobal(centre), QPoint(0, 0), QPoint(0, -120 * clicks),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)  # fmt: skip
    QApplication.sendEvent(widget, event)


def test_the_mouse_wheel_changes_a_choice_only_once_it_has_focus(
    qtbot: QtBot, make_window: WindowFactory
) -> None:  # fmt: skip
    window = make_window(Role.MARKETER)
    type_query(qtbot, window, "cirrus datasheet")
    select_title(qtbot, window, "Cirrus CX Datasheet")
    stage = window.form.editors["funnel_stage"]
    before = stage.currentText()  # type: ignore[union-attr]
    window.results.active_view().setFocus()
    _wheel(stage, 1)  # scrolling the panel over it
    wait_idle(qtbot, window)
    assert stage.currentText() == before and window.undo_stack.count() == 0  # type: ignore[union-attr]
    stage.setFocus()
    _wheel(stage, 1)  # once chosen, the wheel is the person's choice
    wait_idle(qtbot, window)
    assert stage.currentText() != before and window.undo_stack.count() == 1  # type: ignore[union-attr]


def test_reps_see_metadata_as_text(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(Role.REP)
    type_query(qtbot, window, "cirrus datasheet")
    select_title(qtbot, window, "Cirrus CX Datasheet")
    for field, editor in window.form.editors.items():
        assert (not editor.isEnabled()) or editor.isReadOnly()  # type: ignore[union-attr]
        assert not editor.isVisible() and window.form.texts[field].isVisible()
    assert window.form.texts["title"].text() == "Cirrus CX Datasheet"
    assert window.form.texts["expires_on"].text() == "—"  # nothing set says so
    switch_to(qtbot, window, Role.MARKETER)
    assert window.form.editors["title"].isVisible() and not window.form.texts["title"].isVisible()


def test_ctrl_z_in_a_field_undoes_its_typing_then_the_saved_change(
    qtbot: QtBot, make_window: WindowFactory
) -> None:  # fmt: skip
    window = make_window(Role.MARKETER)
    type_query(qtbot, window, "cirrus datasheet")
    select_title(qtbot, window, "Cirrus CX Datasheet")
    asset_id = window.results.current_id()
    undo_button = window.findChild(QToolBar, "mainToolbar").widgetForAction(window.actions.undo)
    width = undo_button.width()
    editor = window.form.editors["title"]
    assert isinstance(editor, QLineEdit)
    editor.setFocus()
    editor.selectAll()
    qtbot.keyClicks(editor, "Cirrus CX Datasheet 2027")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert window.undo_stack.count() == 1
    assert undo_button.toolTip().startswith("Undo Change title")  # words in the tooltip
    assert undo_button.width() == width  # the toolbar does not shift as the label grows
    qtbot.keyClicks(editor, "!")  # typing not saved yet: Ctrl+Z takes it back first
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.text() == "Cirrus CX Datasheet 2027" and window.undo_stack.index() == 1
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # then the save
    wait_idle(qtbot, window)
    assert window.services.assets.get(asset_id).metadata.title == "Cirrus CX Datasheet"
    qtbot.waitUntil(lambda: editor.text() == "Cirrus CX Datasheet")
    qtbot.keyClick(editor, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    wait_idle(qtbot, window)
    assert window.services.assets.get(asset_id).metadata.title == "Cirrus CX Datasheet 2027"


def test_tab_leaves_the_list_and_reaches_every_asset_action(
    qtbot: QtBot, make_window: WindowFactory
) -> None:  # fmt: skip
    window = make_window(Role.REP)
    type_query(qtbot, window, "price quote")
    select_title(qtbot, window, "Price quote (template)")  # a template: the most actions
    window.actions.list.trigger()
    table = window.results.table
    table.setFocus()
    selected = window.results.current_id()
    reached: list[QWidget] = []
    for _press in range(12):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    assert reached[0] is not table and window.results.current_id() == selected  # no trap
    buttons = window.preview.findChild(QWidget, "assetActions").buttons  # type: ignore[union-attr]
    names = {b.defaultAction().text().replace("&", "") for b in buttons if b in reached}
    assert {"Customize…", "Open", "Export a Copy…", "Copy File", "Show in Folder"} <= names
    assert all(b.isVisible() for b in buttons if b.defaultAction().isVisible())  # no overflow
    window.preview.resize(300, window.preview.height())  # narrow: icons, still all there
    qtbot.waitUntil(lambda: buttons[-1].toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonIconOnly)
    assert buttons[-1].isVisible() and buttons[-1].toolTip()


def test_the_grid_shows_which_result_has_the_focus(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    type_query(qtbot, window, "cirrus datasheet")
    select_title(qtbot, window, "Cirrus CX Datasheet")
    window.actions.grid.trigger()
    grid = window.results.grid
    cell = grid.visualRect(grid.selectionModel().currentIndex())
    assert cell.isValid()
    grid.setFocus()
    focused = grid.viewport().grab(cell).toImage()
    window.search_box.setFocus()
    unfocused = grid.viewport().grab(cell).toImage()
    assert focused != unfocused


def test_the_demo_user_switcher_changes_the_role(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(Role.REP)
    assert window.signed_in.switcher.isVisible()
    switch_to(qtbot, window, Role.MARKETER)
    assert window.actions.import_files.isEnabled()
    assert not window.form.editors["title"].isReadOnly()  # type: ignore[union-attr]


def test_grid_and_list_share_one_selection(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    type_query(qtbot, window, "beacon")
    select_title(qtbot, window, titles(window)[2])
    chosen = window.results.current_id()
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.results.currentWidget() is window.results.table
    assert window.results.current_id() == chosen
    assert window.settings.value("view.mode") == "list"
    header = window.results.table.horizontalHeader()
    title_header = QPoint(header.sectionViewportPosition(0) + header.sectionSize(0) // 2,
                          header.height() // 2)  # fmt: skip
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=title_header)
    wait_idle(qtbot, window)
    assert window.search.state.sort == "title"
    shown = titles(window)
    assert shown == sorted(shown, key=str.casefold)


def test_export_writes_a_copy_and_records_it(qtbot: QtBot, make_window: WindowFactory,
                                             tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    window = make_window()
    type_query(qtbot, window, "atlas datasheet")
    select_title(qtbot, window, "Atlas X-200 Datasheet")
    target = tmp_path / "out" / "datasheet.pdf"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.actions.export.trigger()
    wait_idle(qtbot, window)
    detail = window.preview.detail
    assert detail is not None
    assert (
        target.read_bytes() == window.services.assets.blob_path(detail.current.sha256).read_bytes()
    )
    assert "Saved a copy" in window.statusBar().currentMessage()


def test_window_state_is_restored(qtbot: QtBot, make_window: WindowFactory, demo_dir: Path) -> None:
    first = make_window()
    first.resize(701, 503)  # smaller than the offscreen screen, which clamps geometry
    first.close()
    second = make_window(root=demo_dir, read_only=True, size=None)
    assert (second.width(), second.height()) == (701, 503)
    assert second.signed_in.read_only
    assert second.form.editors["title"].isReadOnly()  # type: ignore[union-attr]
    assert "read-only" in second.summary_label.text()


def test_icons_follow_a_dark_palette(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    before = window.actions.grid.icon().pixmap(24).toImage()
    dark = QApplication.palette()
    for role, colour in ((QPalette.ColorRole.Window, "#202124"),
                         (QPalette.ColorRole.WindowText, "#e8eaed")):  # fmt: skip
        dark.setColor(role, QColor(colour))
    original = QApplication.palette()
    QApplication.setPalette(dark)
    try:
        qtbot.waitUntil(lambda: window.actions.grid.icon().pixmap(24).toImage() != before)
        drawn = window.actions.grid.icon().pixmap(24).toImage()
        inked = [drawn.pixelColor(x, y) for x in range(24) for y in range(24)
                 if drawn.pixelColor(x, y).alpha() > 200]  # fmt: skip
        assert inked and all(c.lightness() > 180 for c in inked)  # light ink on dark
    finally:
        QApplication.setPalette(original)


def test_a_marketer_makes_fills_empties_renames_and_deletes_a_collection(
    qtbot: QtBot, make_window: WindowFactory, monkeypatch: pytest.MonkeyPatch
) -> None:  # fmt: skip
    window = make_window(Role.MARKETER)
    places = window.navigation.places

    def place_texts() -> list[str]:
        return [places.item(row).text() for row in range(places.count())]

    typed = iter(["Trade show", "Trade show 2027"])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (next(typed), True))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("Trade show", True))
    window.navigation.new_action.trigger()  # the places' context menu
    qtbot.waitUntil(lambda: "Trade show (0)" in place_texts())
    type_query(qtbot, window, "cirrus datasheet")
    select_title(qtbot, window, "Cirrus CX Datasheet")
    qtbot.keyClick(window.results.active_view(), Qt.Key.Key_K,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    qtbot.waitUntil(lambda: "Trade show (1)" in place_texts())
    window.search_box.clear()
    places.setCurrentRow(place_texts().index("Trade show (1)"))
    qtbot.waitUntil(lambda: titles(window) == ["Cirrus CX Datasheet"])
    select_title(qtbot, window, "Cirrus CX Datasheet")
    qtbot.keyClick(window.results.active_view(), Qt.Key.Key_K,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    qtbot.waitUntil(lambda: "Already in Trade show" in window.statusBar().currentMessage())
    window.actions.remove_from_collection.trigger()
    qtbot.waitUntil(lambda: titles(window) == [] and "Trade show (0)" in place_texts())
    places.setFocus()
    qtbot.keyClick(places, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: "Trade show 2027 (0)" in place_texts())
    qtbot.keyClick(places, Qt.Key.Key_Delete)
    answer(qtbot, window.navigation, "Delete")
    qtbot.waitUntil(lambda: not any(t.startswith("Trade show") for t in place_texts()))
    qtbot.waitUntil(lambda: places.currentRow() == 0 and len(titles(window)) > 1)  # Library


def test_alt_arrows_reorder_a_collection(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(Role.MARKETER)
    places = window.navigation.places
    row = next(r for r in range(places.count()) if places.item(r).text().startswith("Health"))
    places.setCurrentRow(row)
    collection = window.navigation.current_collection()
    assert collection is not None
    members = window.services.collections.members(collection.id)
    before = [window.services.assets.get(i).metadata.title for i in members]
    qtbot.waitUntil(lambda: titles(window) == before)  # a collection shows in its order
    select_title(qtbot, window, before[2])
    qtbot.keyClick(window.results.active_view(), Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: titles(window) == [before[0], before[2], before[1], before[3]])
    assert window.preview.detail.metadata.title == before[2]  # type: ignore[union-attr]
    members = window.services.collections.members(collection.id)
    assert [window.services.assets.get(i).metadata.title for i in members] == titles(window)


def test_a_rep_cannot_change_collections(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(Role.REP)
    assert not window.navigation.new_action.isEnabled()
    assert not window.actions.add_to_collection.isEnabled()


def test_results_dragged_onto_a_collection_join_it(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window(Role.MARKETER)
    type_query(qtbot, window, "cirrus datasheet")
    select_title(qtbot, window, "Cirrus CX Datasheet")
    model, places = window.results_model, window.navigation.places
    data = model.mimeData([window.results.grid.selectionModel().currentIndex()])
    row = next(r for r in range(places.count()) if places.item(r).text().startswith("Health"))
    collection = next(c for c in window.navigation.collections if c.name.startswith("Health"))
    before = window.services.collections.members(collection.id)
    target = places.visualItemRect(places.item(row)).center()
    viewport = places.viewport()
    with warnings.catch_warnings():  # Qt 6 has only these (QPoint) constructors
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(target, Qt.DropAction.CopyAction, data,
                                Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    library = places.visualItemRect(places.item(0)).center()  # not a collection: refused
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        over = QDragEnterEvent(library, Qt.DropAction.CopyAction, data,
                               Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)  # fmt: skip
    QApplication.sendEvent(viewport, over)
    assert not over.isAccepted()
    QApplication.sendEvent(viewport, QDropEvent(target.toPointF(), Qt.DropAction.CopyAction, data,
                                                Qt.MouseButton.LeftButton,
                                                Qt.KeyboardModifier.NoModifier))  # fmt: skip
    qtbot.waitUntil(lambda: len(window.services.collections.members(collection.id))
                    == len(before) + 1)  # fmt: skip
    assert window.services.collections.members(collection.id)[-1] == window.results.current_id()


def test_a_marketer_adds_a_new_version_from_the_menu_or_by_dropping_it_on_the_preview(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(Role.MARKETER)
    type_query(qtbot, window, "cirrus datasheet")
    select_title(qtbot, window, "Cirrus CX Datasheet")
    before = window.preview.detail
    assert before is not None and not window.preview.changed.isVisibleTo(window)
    replacement = files.write(tmp_path / "cirrus-2027.pdf",
                              pages_pdf("Cirrus CX Datasheet", ["Cirrus CX", "Now with Osprey"]))  # fmt: skip
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(replacement), ""))
    qtbot.keyClick(window.results.active_view(), Qt.Key.Key_N,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    qtbot.waitUntil(lambda: window.preview.detail is not None
                    and len(window.preview.detail.versions) == len(before.versions) + 1)  # fmt: skip
    new = len(before.versions) + 1
    assert window.preview.changed.isVisibleTo(window)
    assert window.preview.changed.text().startswith(f"Version {new}, ")
    assert "2 pages" in window.preview.changed.text()
    assert "Mara Lindqvist" in window.preview.versions.text()
    shown = window.preview.detail
    assert window.pages.shows(shown.current.sha256) and window.pages.page_count == 2
    assert "New version from cirrus-2027.pdf" in window.statusBar().currentMessage()

    same = window.preview.mapTo(window, window.preview.rect().center())
    drop(window, [replacement], same)  # the same file again: asked, then refused
    answer(qtbot, window, "Add Version")
    qtbot.waitUntil(lambda: bool(window.findChildren(QMessageBox, "refusal")))
    refusal = window.findChildren(QMessageBox, "refusal")[0]
    assert "nothing would change" in refusal.informativeText()
    refusal.close()
    assert len(window.services.assets.get(before.id).versions) == new


def test_a_rep_finds_what_changed_since_they_used_it_under_new_versions(
    qtbot: QtBot, make_window: WindowFactory, tmp_path: Path
) -> None:
    window = make_window(Role.REP)
    type_query(qtbot, window, "cirrus datasheet")
    select_title(qtbot, window, "Cirrus CX Datasheet")
    asset_id = window.results.current_id()
    window.services.assets.record_usage(asset_id, UsageAction.COPIED)
    switch_to(qtbot, window, Role.MARKETER)
    window.asset_actions.add_version(asset_id, files.write(tmp_path / "c.pdf", files.pdf_bytes(2)))
    wait_idle(qtbot, window)
    switch_to(qtbot, window, Role.REP)
    places = window.navigation.places
    row = next(r for r in range(places.count()) if places.item(r).text() == "New versions")
    window.search_box.clear()
    places.setCurrentRow(row)
    qtbot.waitUntil(lambda: titles(window) == ["Cirrus CX Datasheet"])


def test_a_marketer_shares_a_collection_with_every_rep(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window(Role.REP)
    places = window.navigation.places

    def place_texts() -> list[str]:
        return [places.item(row).text() for row in range(places.count())]

    qtbot.waitUntil(lambda: "Healthcare push (4)" in place_texts())
    assert "DACH trade fair kit (5)" not in place_texts()  # for EMEA's reps; Riley: Midwest
    switch_to(qtbot, window, Role.MARKETER)
    qtbot.waitUntil(lambda: "DACH trade fair kit (5)" in place_texts())
    row = place_texts().index("DACH trade fair kit (5)")
    assert "Shared with reps in EMEA" in places.item(row).toolTip()
    places.setCurrentRow(row)
    places.setFocus()
    qtbot.keyClick(places, Qt.Key.Key_H,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    qtbot.waitUntil(lambda: window.navigation.share_dialog is not None
                    and window.navigation.share_dialog.isVisible())  # fmt: skip
    dialog = window.navigation.share_dialog
    assert dialog is not None and dialog.summary.text() == "Shared with reps in EMEA."
    dialog.all_reps.setFocus()
    qtbot.keyClick(dialog.all_reps, Qt.Key.Key_Space)
    assert dialog.summary.text() == "Shared with everyone." and not dialog.territories.isEnabled()
    share = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Share")
    qtbot.mouseClick(share, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Shared with everyone" in places.item(
        place_texts().index("DACH trade fair kit (5)")).toolTip())  # fmt: skip
    switch_to(qtbot, window, Role.REP)
    qtbot.waitUntil(lambda: "DACH trade fair kit (5)" in place_texts())
