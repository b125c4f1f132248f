"""Notes, objections and content requests from the field, driven by keys and clicks: a
rep logs a note from anywhere and sees only their own; marketing tags, merges, links a
battlecard, keeps the objection tags and answers requests beside the lists; Present
shows the pages full screen and records how long each was shown."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from satchel.core.domain.users import Role
from satchel.ui.field_dialog import FieldDialog, FieldList
from satchel.ui.main_window import MainWindow
from tests.ui.conftest import WindowFactory, wait_idle
from tests.ui.test_main_window import type_query


def person(window: MainWindow, role: Role) -> str:
    return next(p.email for p in window.services.people.list_all() if p.role is role)


def loaded(qtbot: QtBot, listed: FieldList, rows: int) -> None:
    """Until the list's loads and changes are all done, and it shows `rows` rows."""
    qtbot.waitUntil(lambda: listed.runner.pending == 0 and not listed._typing.isActive()
                    and len(listed.rows) == rows == listed.table.rowCount(),
                    timeout=10_000)  # fmt: skip


def click(qtbot: QtBot, widget: object) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]


def open_lists(qtbot: QtBot, window: MainWindow) -> FieldDialog:
    window.actions.field.trigger()
    dialog = window.field.lists
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)
    return dialog


def test_no_two_commands_share_a_key(make_window: WindowFactory) -> None:
    window = make_window()
    keys = [action.shortcut().toString(QKeySequence.SequenceFormat.PortableText)
            for action in window.findChildren(type(window.actions.ask))
            if not action.shortcut().isEmpty()]  # fmt: skip
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)


def test_a_rep_logs_a_note_from_anywhere_and_sees_only_their_own(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    services = window.services
    rep = services.actor
    assert rep is not None
    services.people.sign_in(person(window, Role.MARKETER))
    services.notes.note("Someone else's", "Not the rep's to see")
    services.people.sign_in(rep.id)
    type_query(qtbot, window, "downtime")
    wait_idle(qtbot, window)
    selected = window._selected_asset()
    assert selected is not None
    window.actions.note.trigger()  # Ctrl+Shift+L
    dialog = window.field.note_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.competitor.lineEdit(), "Acme Robotics")
    qtbot.keyClicks(dialog.claim, "Offered <script>alert(1)</script> 20% off")
    dialog.claim.insertPlainText(" 🙂")  # keyClicks types ASCII only
    qtbot.keyClicks(dialog.account, "Northwind Foods")
    dialog.about_asset.setChecked(True)
    assert selected[1] in dialog.about_asset.text()
    click(qtbot, dialog.save)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    assert "reaches marketing" in window.statusBar().currentMessage()

    lists = open_lists(qtbot, window)
    assert lists.windowTitle() == "My Notes and Requests"
    assert not lists.notes.triage_box.isVisibleTo(lists)  # marketing's controls are not here
    loaded(qtbot, lists.notes, 1)
    item = lists.notes.table.item(0, 3)
    assert item.text() == "Offered <script>alert(1)</script> 20% off 🙂"  # plain text, as typed
    (note,) = services.notes.notes()
    assert (note.note.asset_id, note.note.body["account"]) == (selected[0], "Northwind Foods")


def test_marketing_tags_merges_and_links_a_battlecard(qtbot: QtBot,
                                                      make_window: WindowFactory) -> None:  # fmt: skip
    window = make_window(Role.MARKETER)
    services = window.services
    marketer = services.actor
    assert marketer is not None
    services.notes.keep_competitor("Acme Robotics", ["Acme"])
    services.people.sign_in(person(window, Role.REP))
    first, _ = services.notes.note("acme", "Claims no integration is needed", "Harlow Dairy")
    again, _ = services.notes.note("Acme Robotics", "Says no integration needed", "Lakeside")
    services.notes.note("Bolt Systems", "20% discount for a 3-year deal")
    services.people.sign_in(marketer.id)
    lists = open_lists(qtbot, window)
    assert lists.windowTitle() == "Field Notes and Requests"
    notes = lists.notes
    loaded(qtbot, notes, 3)
    qtbot.waitUntil(lambda: notes.competitor.count() == 2, timeout=5_000)  # every + Acme
    notes.competitor.setCurrentIndex(1)  # Acme Robotics: the alias was written as the list's name
    loaded(qtbot, notes, 2)

    notes.table.selectRow([n.note.id for n in notes.rows].index(again.id))
    assert notes.merge.isEnabled() and notes.original.count() == 1
    notes.tags.clear()
    qtbot.keyClicks(notes.tags, "Integration, claims")
    click(qtbot, notes.save_tags)
    qtbot.waitUntil(lambda: "tags are saved" in window.statusBar().currentMessage(), timeout=10_000)
    loaded(qtbot, notes, 2)
    click(qtbot, notes.merge)  # into the only other Acme note
    loaded(qtbot, notes, 1)  # the duplicate is counted with the note it repeats
    (kept,) = notes.rows
    assert kept.note.id == first.id
    (merged,) = [n for n in services.notes.notes(with_duplicates=True) if n.note.id == again.id]
    assert (merged.duplicate_of, merged.tags) == (first.id, ("integration", "claims"))

    notes.table.selectRow(0)
    battlecard = services.assets.list_all()[0]
    qtbot.keyClicks(notes.battlecard.lineEdit(), "no such asset")
    click(qtbot, notes.link)
    assert notes.problems.text() == "Choose the battlecard from the library's assets."
    notes.battlecard.lineEdit().clear()
    qtbot.keyClicks(notes.battlecard.lineEdit(), battlecard.metadata.title)
    click(qtbot, notes.link)
    qtbot.waitUntil(lambda: notes.table.rowCount() == 1 and notes.table.item(0, 6) is not None
                    and notes.table.item(0, 6).text() == battlecard.metadata.title,
                    timeout=10_000)  # fmt: skip
    linked = [n.counter_asset for n in services.notes.notes() if n.note.id == first.id]
    assert linked == [battlecard.id]


def test_marketing_keeps_objection_tags_and_filters_by_them(qtbot: QtBot,
                                                            make_window: WindowFactory) -> None:  # fmt: skip
    window = make_window(Role.MARKETER)
    services = window.services
    marketer = services.actor
    assert marketer is not None
    assets = services.assets.list_all()
    services.people.sign_in(person(window, Role.REP))
    services.feedback.give(assets[0].id, "yes", "Northwind", objections="The price is too high")
    services.feedback.give(assets[1].id, "yes", "Harlow", objections="Needs a security review")
    services.feedback.give(assets[2].id, "no")  # no objections: not listed
    services.people.sign_in(marketer.id)
    lists = open_lists(qtbot, window)
    lists.tabs.setCurrentWidget(lists.objections)
    objections = lists.objections
    loaded(qtbot, objections, 2)
    for tag in ("price", "security review"):
        qtbot.keyClicks(objections.new_tag, tag)
        qtbot.keyClick(objections.new_tag, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda t=tag: objections.tag.findData(t) > 0, timeout=10_000)
    assert services.notes.objection_tags() == ["price", "security review"]
    objections.tag.setCurrentIndex(objections.tag.findData("price"))
    loaded(qtbot, objections, 1)
    assert objections.table.item(0, 4).text() == "The price is too high"
    assert objections.table.item(0, 5).text() == "price"
    click(qtbot, objections.remove_tag)
    qtbot.waitUntil(lambda: objections.tag.findData("price") < 0, timeout=10_000)
    loaded(qtbot, objections, 2)
    assert services.notes.objection_tags() == ["security review"]


def test_marketing_answers_requests_beside_the_list(qtbot: QtBot,
                                                   make_window: WindowFactory) -> None:  # fmt: skip
    window = make_window(Role.MARKETER)
    services = window.services
    marketer = services.actor
    assert marketer is not None
    services.people.sign_in(person(window, Role.REP))
    case, _ = services.asks.ask("A case study for food plants", "Plant managers", deals=3)
    german, _ = services.asks.ask("The price sheet in German")
    services.people.sign_in(marketer.id)
    lists = open_lists(qtbot, window)
    lists.tabs.setCurrentWidget(lists.asks)
    asks = lists.asks
    assert not asks.mine.isChecked()  # marketing sees everyone's
    loaded(qtbot, asks, 2)
    asks.table.selectRow([v.ask.id for v in asks.rows].index(case.ask.id))
    click(qtbot, asks.accept_ask)  # no owner yet
    qtbot.waitUntil(asks.problems.isVisible, timeout=10_000)
    assert asks.problems.text() == "Give an accepted request a target date and an owner."
    qtbot.keyClicks(asks.owner, "Morgan <b>Lee</b>")
    click(qtbot, asks.accept_ask)
    qtbot.waitUntil(lambda: any(v.state == "accepted" for v in asks.rows), timeout=10_000)
    row = [v.ask.id for v in asks.rows].index(case.ask.id)
    assert asks.table.item(row, 7).text().startswith("accepted: Morgan <b>Lee</b> by ")
    assert asks.table.item(row, 6).text() == "3"

    asks.table.selectRow([v.ask.id for v in asks.rows].index(german.ask.id))
    qtbot.keyClicks(asks.reason, "The German sheet is in the library already")
    click(qtbot, asks.decline)
    qtbot.waitUntil(lambda: any(v.state == "declined" for v in asks.rows), timeout=10_000)
    asks.state.setCurrentIndex(asks.state.findData("accepted"))
    loaded(qtbot, asks, 1)
    assert asks.rows[0].ask.id == case.ask.id

    asks.table.selectRow(0)
    fulfilling = services.assets.list_all()[0]
    qtbot.keyClicks(asks.fulfilling.lineEdit(), fulfilling.metadata.title)
    click(qtbot, asks.fulfil)
    asks.state.setCurrentIndex(asks.state.findData("fulfilled"))
    loaded(qtbot, asks, 1)
    assert fulfilling.metadata.title in asks.table.item(0, 7).text()


def test_a_rep_plus_ones_a_colleagues_request_from_the_list(qtbot: QtBot,
                                                           make_window: WindowFactory) -> None:  # fmt: skip
    window = make_window()
    services = window.services
    rep = services.actor
    assert rep is not None
    services.people.sign_in(person(window, Role.MARKETER))
    services.asks.ask("A battlecard against Acme")
    services.people.sign_in(rep.id)
    lists = open_lists(qtbot, window)
    lists.tabs.setCurrentWidget(lists.asks)
    asks = lists.asks
    assert asks.mine.isChecked()  # a rep starts with their own
    loaded(qtbot, asks, 0)
    asks.mine.setChecked(False)
    loaded(qtbot, asks, 1)
    assert asks.table.item(0, 1).text() == "a colleague"  # reps see the team's without names
    asks.table.selectRow(0)
    assert asks.plus.isEnabled()
    click(qtbot, asks.plus)
    qtbot.waitUntil(lambda: bool(asks.rows) and asks.rows[0].votes == 1, timeout=10_000)
    asks.mine.setChecked(True)
    loaded(qtbot, asks, 1)  # +1'd: it is the rep's too now


def test_present_shows_the_pages_and_records_the_time_on_each(qtbot: QtBot,
                                                             make_window: WindowFactory) -> None:  # fmt: skip
    window = make_window()
    type_query(qtbot, window, "downtime")
    wait_idle(qtbot, window)
    hit = window.results_model.hit_of(window.results.current_id())
    assert hit is not None and window.actions.present.isEnabled()
    window.actions.present.trigger()  # F5
    qtbot.waitUntil(lambda: window.asset_actions.present_window is not None, timeout=10_000)
    shown = window.asset_actions.present_window
    assert shown is not None
    qtbot.waitUntil(lambda: shown.image.pixmap() is not None and not shown.image.pixmap().isNull(),
                    timeout=20_000)  # fmt: skip
    assert shown.isFullScreen()
    qtbot.keyClick(shown, Qt.Key.Key_Right)
    qtbot.keyClick(shown, Qt.Key.Key_End)
    qtbot.keyClick(shown, Qt.Key.Key_Left)
    last = shown.page_count
    assert shown.page == max(1, last - 1)
    qtbot.keyClick(shown, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.feedback_bar.isVisible(), timeout=10_000)  # then: used it?
    detail = presented_detail(window, hit.id)
    pages = {int(page) for page in detail["pages"]}
    assert pages == ({1, 2, last, last - 1} if last > 2 else set(range(1, last + 1)))
    assert abs(sum(detail["pages"].values()) - detail["seconds"]) < 0.5


def presented_detail(window: MainWindow, asset_id: str) -> dict[str, Any]:
    """The newest "presented" usage event's detail, read back from the library's file."""
    with sqlite3.connect(window.services.root / "satchel.db") as db:
        (detail,) = db.execute("SELECT detail FROM usage_events WHERE asset_id = ? AND "
                               "action = 'presented' ORDER BY at DESC LIMIT 1",
                               (asset_id,)).fetchone()  # fmt: skip
    return dict(json.loads(detail))


def test_the_feedback_bar_offers_marketings_objection_tags_as_the_rep_types(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    services = window.services
    rep = services.actor
    assert rep is not None
    services.people.sign_in(person(window, Role.MARKETER))
    services.notes.keep_objection_tags(add=["price", "security review", "integration"])
    services.notes.keep_competitor("Acme Robotics")
    services.people.sign_in(rep.id)
    asset = services.assets.list_all()[0]
    bar = window.feedback_bar
    assert bar.ask(asset.id, asset.metadata.title)
    qtbot.mouseClick(bar.more, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bar.tags.model().rowCount() == 3, timeout=10_000)
    bar.objections.setFocus()
    qtbot.keyClicks(bar.objections, "worried about the pri")
    popup = bar.tags.popup()
    assert popup.isVisible() and bar.tags.currentCompletion() == "price"
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert bar.objections.text() == "worried about the price "
    qtbot.keyClicks(bar.objections, "and the se")
    assert bar.tags.currentCompletion() == "security review"
    assert bar.competitor.completer().model().rowCount() == 1  # marketing's list offered


def test_initiatives_are_announced_beside_their_list(qtbot: QtBot,
                                                    make_window: WindowFactory) -> None:  # fmt: skip
    window = make_window()
    lists = open_lists(qtbot, window)
    lists.tabs.setCurrentWidget(lists.initiatives)
    initiatives = lists.initiatives
    loaded(qtbot, initiatives, 0)
    click(qtbot, initiatives.announce)  # nothing said yet
    qtbot.waitUntil(initiatives.problems.isVisible, timeout=10_000)
    assert initiatives.problems.text() == "Say what the initiative is."
    qtbot.keyClicks(initiatives.what, "Dairy push in the Midwest")
    qtbot.keyClicks(initiatives.segment, "Dairy")
    click(qtbot, initiatives.announce)
    loaded(qtbot, initiatives, 1)
    assert initiatives.table.item(0, 2).text() == "Dairy push in the Midwest"
    assert initiatives.table.item(0, 5).text() == "Dairy"


def test_marketing_keeps_a_campaign_and_a_rep_sees_what_is_ready(qtbot: QtBot,
                                                                 make_window: WindowFactory) -> None:  # fmt: skip
    window = make_window(Role.MARKETER)
    lists = open_lists(qtbot, window)
    lists.tabs.setCurrentWidget(lists.campaigns)
    campaigns, editor = lists.campaigns, lists.campaigns.editor
    loaded(qtbot, campaigns, 0)
    assert editor.isVisible() and editor.title() == "A new campaign"
    click(qtbot, editor.save)  # no name yet
    qtbot.waitUntil(campaigns.problems.isVisible, timeout=10_000)
    assert campaigns.problems.text() == "Give the campaign a name."
    qtbot.keyClicks(editor.name, "X-300 launch")
    qtbot.keyClicks(editor.owner, "Morgan")
    asset = window.services.assets.list_all()[0].metadata
    qtbot.keyClicks(editor.asset.lineEdit(), asset.title)
    click(qtbot, editor.add_asset)
    qtbot.keyClicks(editor.planned, "X-300 launch deck")
    editor.due.setDate(QDate.currentDate().addDays(-2))  # overdue already
    click(qtbot, editor.add_planned)
    assert [editor.chosen.itemText(n) for n in range(editor.chosen.count())] == [
        asset.title, f"X-300 launch deck (planned, due "
        f"{QDate.currentDate().addDays(-2).toString('yyyy-MM-dd')})"]  # fmt: skip
    click(qtbot, editor.save)
    loaded(qtbot, campaigns, 1)
    assert [campaigns.table.item(0, c).text() for c in (1, 2, 3, 4)] == [
        "X-300 launch", "Morgan", "1 of 2", "1 late"]  # fmt: skip
    assert "saved" in window.statusBar().currentMessage()
    campaigns.table.selectRow(0)
    assert editor.title() == "Campaign “X-300 launch”" and editor.cancel.isEnabled()
    assert [campaigns.pieces.item(r, 0).text() for r in range(2)] == ["Ready", "LATE"]

    editor.chosen.setCurrentIndex(1)  # the deck is dropped: ready now
    click(qtbot, editor.remove)
    click(qtbot, editor.save)
    qtbot.waitUntil(lambda: campaigns.table.rowCount() == 1 and
                    campaigns.table.item(0, 3).text() == "1 of 1", timeout=10_000)  # fmt: skip
    assert len(window.services.campaigns.list_all()) == 1  # changed, not added

    window.services.people.sign_in(person(window, Role.REP))
    rep_lists = FieldDialog(window.services, window.runner, marketing=False, parent=window)
    qtbot.addWidget(rep_lists)
    rep_lists.show()
    rep_lists.tabs.setCurrentWidget(rep_lists.campaigns)
    loaded(qtbot, rep_lists.campaigns, 1)
    assert rep_lists.campaigns.upcoming.isChecked() and not rep_lists.campaigns.editor.isVisible()


def test_a_requester_hears_once_that_what_they_asked_for_is_published(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    services = window.services
    rep = services.actor
    assert rep is not None
    asked, _ = services.asks.ask("A dairy case study")
    services.people.sign_in(person(window, Role.MARKETER))
    published = next(a for a in services.assets.list_all()
                     if a.metadata.status.value == "published")  # fmt: skip
    services.asks.answer(asked.ask.id, "fulfilled", asset_id=published.id)
    services.people.sign_in(rep.id)
    window.field.tell_fulfilled()
    qtbot.waitUntil(lambda: "Marketing made what you asked for" in
                    window.statusBar().currentMessage(), timeout=10_000)  # fmt: skip
    assert published.metadata.title in window.statusBar().currentMessage()
    window.statusBar().clearMessage()
    window.field.tell_fulfilled()  # told once on this computer
    qtbot.wait(300)
    qtbot.waitUntil(lambda: window.runner.pending == 0, timeout=10_000)
    assert window.statusBar().currentMessage() == ""
