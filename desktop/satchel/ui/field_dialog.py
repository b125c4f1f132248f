"""Notes and requests from the field, in one window of five lists: field notes on the
competition, the objections customers raised, content requests, sales initiatives, and
marketing's campaigns with how ready their collateral is.

A rep sees their own notes and objections and the team's requests (who asked only on
their own) — "My Notes and Requests". Marketing sees everyone's and acts beside the
list: tags a note, merges a duplicate into the note it repeats, links a battlecard;
keeps the objection tags; accepts, declines or fulfils a request; keeps the campaigns
(a rep reads them: what launches when, and what is ready). Field text is shown
as plain text; a refusal is named under the list and nothing is changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from satchel.core.domain.campaigns import NAME_CHARS, CampaignItem, Readiness
from satchel.core.domain.changes import Changes
from satchel.core.domain.feedback import FeedbackRecord
from satchel.core.domain.field import SHORT_CHARS, TAG_CHARS, Answer
from satchel.core.errors import ValidationError
from satchel.core.services import Services
from satchel.core.services.asks import AskView
from satchel.core.services.feedback import PAGE
from satchel.core.services.field_notes import NoteView, Objection
from satchel.ui.errors import ERROR_COLOUR, problem_label, show_error
from satchel.ui.tasks import TaskRunner

FILTER_DELAY_MS = 250
NARROW_COLUMN_PX = 220
SHORT_TEXT = 160  # a cell shows this much; the tooltip shows it all
STATES = (("Every state", ""), ("Open", "open"), ("Accepted", Answer.ACCEPTED),
          ("Declined", Answer.DECLINED), ("Fulfilled", Answer.FULFILLED))  # fmt: skip


def when(at: dt.datetime) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M")


def cell(text: str) -> QTableWidgetItem:
    """A read-only cell of plain text, cut to a line; the whole text in its tooltip."""
    one_line = " ".join(text.split())
    item = QTableWidgetItem(one_line if len(one_line) <= SHORT_TEXT
                            else one_line[: SHORT_TEXT - 1] + "…")  # fmt: skip
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if one_line != item.text() or "\n" in text:
        item.setToolTip(text)
    return item


def button(text: str, name: str) -> QPushButton:
    pushed = QPushButton(text)
    pushed.setObjectName(name)
    return pushed


def row(*widgets: QWidget, stretch: int = -1) -> QHBoxLayout:
    """Widgets side by side; the one at `stretch` takes the room left."""
    layout = QHBoxLayout()
    for index, widget in enumerate(widgets):
        layout.addWidget(widget, 1 if index == stretch else 0)
    if stretch < 0:
        layout.addStretch(1)
    return layout


class FieldList(QWidget):
    """One filterable list: the newest first, a page at a time, the selection kept
    across reloads, and the actions under it.

    Signals:
        told(str): a sentence for the window's status line after an action.
    """

    told = Signal(str)
    columns: tuple[str, ...] = ()
    wide_column = 0  # the column that takes the room left

    def __init__(self, services: Services, runner: TaskRunner, marketing: bool,
                 name: str) -> None:  # fmt: skip
        super().__init__()
        self.setObjectName(name)
        self.services, self.runner, self.marketing = services, runner, marketing
        self.rows: list[Any] = []
        self.titles: dict[str, str] = {}  # asset id → title, for the cells that name one
        self._loading = 0  # the newest load asked for; older answers are dropped
        self.filter = QLineEdit()
        self.filter.setObjectName(f"{name}Filter")
        self.filter.setPlaceholderText("Filter by words…")
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName("Filter")
        self.filters = QHBoxLayout()
        self.filters.addWidget(self.filter, 1)
        self.table = QTableWidget(0, len(self.columns))
        self.table.setObjectName(f"{name}Table")
        self.table.setHorizontalHeaderLabels(list(self.columns))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.wide_column, QHeaderView.ResizeMode.Stretch)
        header.setMaximumSectionSize(NARROW_COLUMN_PX)  # a long title leaves room for the text
        self.count = QLabel()
        self.count.setObjectName(f"{name}Count")
        self.problems = problem_label(f"{name}Problems")
        self.actions = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(self.filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addLayout(self.actions)
        layout.addWidget(self.problems)
        self._typing = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._typing.timeout.connect(self.refresh)
        self.filter.textChanged.connect(self._typing.start)
        self.table.itemSelectionChanged.connect(self.selection_changed)

    # --- what a list says -------------------------------------------------------------

    def loader(self) -> Callable[[], Sequence[Any]]:
        """The service call that lists the rows for the filters as they are now."""
        raise NotImplementedError

    def cells(self, item: Any) -> list[str]:
        raise NotImplementedError

    def key(self, item: Any) -> str:
        raise NotImplementedError

    def selection_changed(self) -> None:
        """Set the actions for the selected row (or none)."""

    # --- loading and acting -----------------------------------------------------------

    def refresh(self) -> None:
        self._loading += 1
        token, load = self._loading, self.loader()
        self.runner.query(load, lambda rows: self._show(token, rows),
                          lambda error: self._failed(token, error))  # fmt: skip

    def _show(self, token: int, rows: Sequence[Any]) -> None:
        if token != self._loading:
            return
        chosen = self.current()
        chosen_key = self.key(chosen) if chosen is not None else None
        self.rows = list(rows)
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(self.rows))
        selected_row = -1
        for number, item in enumerate(self.rows):
            for column, text in enumerate(self.cells(item)):
                self.table.setItem(number, column, cell(text))
            if self.key(item) == chosen_key:
                selected_row = number
        more = " — the newest; filter to find older ones" if len(self.rows) >= PAGE else ""
        self.count.setText(f"{len(self.rows):,} shown{more}" if self.rows else "None yet.")
        if selected_row >= 0:
            self.table.selectRow(selected_row)
        else:
            self.table.clearSelection()
        self.selection_changed()

    def _failed(self, token: int, error: BaseException) -> None:
        if token == self._loading:
            show_error(self, error, None)

    def current(self) -> Any:
        selected = self.table.selectionModel().selectedRows()
        if not selected or selected[0].row() >= len(self.rows):
            return None
        return self.rows[selected[0].row()]

    def act(self, work: Callable[[], object], sentence: str) -> None:
        """Save a change off the UI thread and say so; a refusal is named under the list."""
        self.problems.hide()
        self.runner.mutate(work, lambda _done: self._acted(sentence), self._refused)

    def _acted(self, sentence: str) -> None:
        self.told.emit(sentence)  # the dialog reloads on the change bus

    def _refused(self, error: BaseException) -> None:
        if isinstance(error, ValidationError):
            self.problems.setText("\n".join(error.problems))
            self.problems.show()
        else:
            show_error(self, error, None)

    def asset_picker(self, name: str, accessible: str) -> QComboBox:
        """A box to choose an asset by typing part of its title."""
        box = QComboBox()
        box.setObjectName(name)
        box.setAccessibleName(accessible)
        box.setEditable(True)
        box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        box.lineEdit().setPlaceholderText("Type part of a title…")
        completer = box.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        return box

    def fill_assets(self, box: QComboBox) -> None:
        box.clear()
        for asset_id, title in self.titles.items():
            box.addItem(title, asset_id)
        box.setCurrentIndex(-1)

    @staticmethod
    def chosen_asset(box: QComboBox) -> str:
        """The asset chosen in `box`: by the item, or by the exact title typed."""
        index = box.findText(box.currentText(), Qt.MatchFlag.MatchFixedString)
        return str(box.itemData(index)) if index >= 0 else ""


class NotesList(FieldList):
    """Field notes; marketing tags one, merges a duplicate, links a battlecard."""

    new_note = Signal()
    columns = ("When", "By", "Competitor", "What they said", "Account", "Tags", "Battlecard")
    wide_column = 3

    def __init__(self, services: Services, runner: TaskRunner, marketing: bool) -> None:
        super().__init__(services, runner, marketing, "notes")
        self.competitor = QComboBox()
        self.competitor.setObjectName("notesCompetitor")
        self.competitor.setAccessibleName("Competitor")
        self.competitor.addItem("Every competitor", "")
        self.competitor.currentIndexChanged.connect(self.refresh)
        self.filters.addWidget(self.competitor)
        self.log = button("&Log a Note…", "logNote")
        self.log.clicked.connect(self.new_note)
        self.filters.addWidget(self.log)
        self.tags = QLineEdit()
        self.tags.setObjectName("noteTags")
        self.tags.setPlaceholderText("Tags, separated by commas")
        self.tags.setMaxLength(20 * TAG_CHARS)
        self.save_tags = button("Save &Tags", "saveNoteTags")
        self.save_tags.clicked.connect(self.tag)
        self.original = QComboBox()
        self.original.setObjectName("noteOriginal")
        self.original.setAccessibleName("The note it repeats")
        self.merge = button("&Merge Into", "mergeNote")
        self.merge.clicked.connect(self.merge_into)
        self.battlecard = self.asset_picker("noteBattlecard", "Battlecard")
        self.link = button("Lin&k Battlecard", "linkBattlecard")
        self.link.clicked.connect(self.link_battlecard)
        triage = QGroupBox("Marketing's word on the selected note")
        form = QFormLayout(triage)
        form.addRow("Tags", row(self.tags, self.save_tags, stretch=0))
        form.addRow("Repeats", row(self.original, self.merge, stretch=0))
        form.addRow("Counter with", row(self.battlecard, self.link, stretch=0))
        triage.setVisible(marketing)
        self.triage_box = triage
        self.actions.addWidget(triage)

    def offer(self, competitors: Sequence[str]) -> None:
        chosen = self.competitor.currentData()
        self.competitor.blockSignals(True)
        while self.competitor.count() > 1:
            self.competitor.removeItem(1)
        for name in competitors:
            self.competitor.addItem(name, name)
        self.competitor.setCurrentIndex(max(0, self.competitor.findData(chosen)))
        self.competitor.blockSignals(False)

    def loader(self) -> Callable[[], Sequence[NoteView]]:
        competitor, text = str(self.competitor.currentData() or ""), self.filter.text()
        return lambda: self.services.notes.notes(competitor, text)

    def key(self, item: NoteView) -> str:
        return item.note.id

    def cells(self, item: NoteView) -> list[str]:
        body = item.note.body
        return [when(item.note.at), item.note.person, body["competitor"], body["claim"],
                body.get("account", ""), ", ".join(item.tags),
                self.titles.get(item.counter_asset, "")]  # fmt: skip

    def selection_changed(self) -> None:
        view: NoteView | None = self.current()
        self.tags.setText(", ".join(view.tags) if view else "")
        self.original.clear()
        for other in self.rows:
            if view is not None and other.note.id != view.note.id:
                self.original.addItem(f"{other.note.body['competitor']}: "
                                      f"{' '.join(other.note.body['claim'].split())[:80]}",
                                      other.note.id)  # fmt: skip
        for widget in (self.tags, self.save_tags, self.battlecard, self.link):
            widget.setEnabled(view is not None)
        self.merge.setEnabled(view is not None and self.original.count() > 0)

    def tag(self) -> None:
        if (view := self.current()) is not None:
            tags = [tag for tag in self.tags.text().split(",") if tag.strip()]
            self.act(lambda: self.services.notes.triage(view.note.id, tags=tags),
                     "The note's tags are saved.")  # fmt: skip

    def merge_into(self) -> None:
        view, original = self.current(), str(self.original.currentData() or "")
        if view is not None and original:
            self.act(lambda: self.services.notes.triage(view.note.id, duplicate_of=original),
                     "Merged: the note is counted with the one it repeats.")  # fmt: skip

    def link_battlecard(self) -> None:
        view, asset_id = self.current(), self.chosen_asset(self.battlecard)
        if view is None:
            return
        if not asset_id:
            self.problems.setText("Choose the battlecard from the library's assets.")
            self.problems.show()
            return
        self.act(lambda: self.services.notes.triage(view.note.id, counter_asset=asset_id),
                 f"“{self.titles[asset_id]}” is linked as the note's battlecard.")  # fmt: skip


class ObjectionsList(FieldList):
    """What customers objected to, from the feedback; marketing keeps the tags."""

    columns = ("When", "By", "Asset", "Account", "Objections", "Tags")
    wide_column = 4

    def __init__(self, services: Services, runner: TaskRunner, marketing: bool) -> None:
        super().__init__(services, runner, marketing, "objections")
        self.tag = QComboBox()
        self.tag.setObjectName("objectionsTag")
        self.tag.setAccessibleName("Objection tag")
        self.tag.addItem("Every tag", "")
        self.tag.currentIndexChanged.connect(self.refresh)
        self.filters.addWidget(self.tag)
        self.new_tag = QLineEdit()
        self.new_tag.setObjectName("newObjectionTag")
        self.new_tag.setMaxLength(TAG_CHARS)
        self.new_tag.setPlaceholderText("A new tag: price, integration, security review…")
        self.add_tag = button("&Add Tag", "addObjectionTag")
        self.add_tag.clicked.connect(self.keep_tag)
        self.new_tag.returnPressed.connect(self.keep_tag)
        self.remove_tag = button("&Remove the Chosen Tag", "removeObjectionTag")
        self.remove_tag.clicked.connect(self.drop_tag)
        tags = QGroupBox("Objection tags (offered to reps as they type)")
        tags.setLayout(row(self.new_tag, self.add_tag, self.remove_tag, stretch=0))
        tags.setVisible(marketing)
        self.actions.addWidget(tags)
        self.tag.currentIndexChanged.connect(
            lambda: self.remove_tag.setEnabled(bool(self.tag.currentData()))
        )
        self.remove_tag.setEnabled(False)

    def offer(self, tags: Sequence[str]) -> None:
        chosen = self.tag.currentData()
        self.tag.blockSignals(True)
        while self.tag.count() > 1:
            self.tag.removeItem(1)
        for name in tags:
            self.tag.addItem(name, name)
        self.tag.setCurrentIndex(max(0, self.tag.findData(chosen)))
        self.tag.blockSignals(False)
        self.remove_tag.setEnabled(bool(self.tag.currentData()))

    def loader(self) -> Callable[[], Sequence[Objection]]:
        tag, text = str(self.tag.currentData() or ""), self.filter.text()
        return lambda: self.services.notes.objections(tag, text)

    def key(self, item: Objection) -> str:
        return item.feedback.id

    def cells(self, item: Objection) -> list[str]:
        record = item.feedback
        return [when(record.at), record.person, record.asset_title, record.body.get("account", ""),
                record.body["objections"], ", ".join(item.tags)]  # fmt: skip

    def keep_tag(self) -> None:
        name = self.new_tag.text()
        if name.strip():
            self.new_tag.clear()
            self.act(lambda: self.services.notes.keep_objection_tags(add=[name]),
                     f"“{name.strip()}” is an objection tag now.")  # fmt: skip

    def drop_tag(self) -> None:
        name = str(self.tag.currentData() or "")
        if name:
            self.tag.setCurrentIndex(0)
            self.act(lambda: self.services.notes.keep_objection_tags(remove=[name]),
                     f"“{name}” is no longer an objection tag.")  # fmt: skip


class AsksList(FieldList):
    """Content requests with their +1s; marketing accepts, declines or fulfils one."""

    new_ask = Signal()
    columns = ("Asked", "By", "What is needed", "Audience", "Needed by", "+1s", "Deals",
               "Marketing's answer")  # fmt: skip
    wide_column = 2

    def __init__(self, services: Services, runner: TaskRunner, marketing: bool) -> None:
        super().__init__(services, runner, marketing, "asks")
        self.state = QComboBox()
        self.state.setObjectName("asksState")
        self.state.setAccessibleName("State")
        for label, state in STATES:
            self.state.addItem(label, str(state))
        self.state.currentIndexChanged.connect(self.refresh)
        self.mine = QCheckBox("&Mine and my +1s")
        self.mine.setObjectName("asksMine")
        self.mine.setChecked(not marketing)
        self.mine.toggled.connect(self.refresh)
        self.ask = button("Ask for &Collateral…", "newAsk")
        self.ask.clicked.connect(self.new_ask)
        self.plus = button("&+1", "plusOneAsk")
        self.plus.setToolTip("It needs me too: count my deal")
        self.plus.clicked.connect(self.plus_one)
        for widget in (self.state, self.mine, self.ask, self.plus):
            self.filters.addWidget(widget)
        self.target = QDateEdit(QDate.currentDate().addDays(30))
        self.target.setObjectName("askTarget")
        self.target.setCalendarPopup(True)
        self.target.setDisplayFormat("yyyy-MM-dd")
        self.owner = QLineEdit()
        self.owner.setObjectName("askOwner")
        self.owner.setMaxLength(SHORT_CHARS)
        self.owner.setPlaceholderText("Who makes it")
        self.accept_ask = button("Acc&ept", "acceptAsk")
        self.accept_ask.clicked.connect(self.accept)
        self.reason = QLineEdit()
        self.reason.setObjectName("askReason")
        self.reason.setPlaceholderText("Why not (the rep reads it)")
        self.decline = button("&Decline", "declineAsk")
        self.decline.clicked.connect(self.decline_ask)
        self.fulfilling = self.asset_picker("askFulfilledBy", "The asset that fulfils it")
        self.fulfil = button("&Fulfilled By", "fulfilAsk")
        self.fulfil.clicked.connect(self.fulfilled)
        answer = QGroupBox("Marketing's answer to the selected request")
        form = QFormLayout(answer)
        form.addRow("Accept for", row(self.target, self.owner, self.accept_ask, stretch=1))
        form.addRow("Decline", row(self.reason, self.decline, stretch=0))
        form.addRow("Fulfilled by", row(self.fulfilling, self.fulfil, stretch=0))
        answer.setVisible(marketing)
        self.actions.addWidget(answer)

    def loader(self) -> Callable[[], Sequence[AskView]]:
        mine, state, text = self.mine.isChecked(), str(self.state.currentData()), self.filter.text()
        return lambda: self.services.asks.asks(mine, state, text)

    def key(self, item: AskView) -> str:
        return item.ask.id

    def cells(self, item: AskView) -> list[str]:
        body = item.ask.body
        return [when(item.ask.at), item.ask.person, body["need"], body.get("audience", ""),
                body.get("by", ""), str(item.votes), str(item.deals), self._answer(item)]  # fmt: skip

    def _answer(self, item: AskView) -> str:
        if item.answer is None:
            return "open"
        body = item.answer.body
        if item.state == Answer.ACCEPTED:
            return f"accepted: {body['owner']} by {body['target']}"
        if item.state == Answer.DECLINED:
            return f"declined: {body['reason']}"
        title = self.titles.get(str(body.get("asset_id")), "an asset")
        return f"fulfilled by “{title}”" + ("" if item.fulfilled_by_published else " (not out yet)")

    def selection_changed(self) -> None:
        view: AskView | None = self.current()
        me = self.services.actor.id if self.services.actor else None
        self.plus.setEnabled(view is not None and view.ask.user_id != me)
        for widget in (self.accept_ask, self.decline, self.fulfil):
            widget.setEnabled(view is not None)

    def plus_one(self) -> None:
        if (view := self.current()) is not None:
            self.act(lambda: self.services.asks.plus_one(view.ask.id),
                     "Your +1 is counted; marketing sees it with the next sync.")  # fmt: skip

    def _answer_with(self, answer: Answer, sentence: str, **given: str) -> None:
        if (view := self.current()) is not None:
            self.act(lambda: self.services.asks.answer(view.ask.id, answer, **given), sentence)

    def accept(self) -> None:
        self._answer_with(Answer.ACCEPTED, "Accepted: the requesters see the date and owner.",
                          target=self.target.date().toString("yyyy-MM-dd"),
                          owner=self.owner.text())  # fmt: skip

    def decline_ask(self) -> None:
        self._answer_with(Answer.DECLINED, "Declined: the requesters see why.",
                          reason=self.reason.text())  # fmt: skip

    def fulfilled(self) -> None:
        asset_id = self.chosen_asset(self.fulfilling)
        if not asset_id:
            self.problems.setText("Choose the asset that fulfils the request.")
            self.problems.show()
            return
        self._answer_with(Answer.FULFILLED, "Fulfilled: the requesters hear of it once the "
                          "asset is published.", asset_id=asset_id)  # fmt: skip


class InitiativesList(FieldList):
    """Sales pushes marketing should know of; anyone announces one beside the list."""

    columns = ("Announced", "By", "What", "Starts", "Ends", "Segment", "Collateral needed")
    wide_column = 2

    def __init__(self, services: Services, runner: TaskRunner, marketing: bool) -> None:
        super().__init__(services, runner, marketing, "initiatives")
        self.filter.hide()  # a short list: the newest first
        self.what = QLineEdit()
        self.what.setObjectName("initiativeWhat")
        self.what.setPlaceholderText("The push: a dairy campaign in the Midwest…")
        self.starts, self.ends = (QDateEdit(QDate.currentDate().addDays(days)) for days in (7, 60))
        for edit, name in ((self.starts, "Starts"), (self.ends, "Ends")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
        self.segment = QLineEdit()
        self.segment.setMaxLength(SHORT_CHARS)
        self.segment.setPlaceholderText("Segment or accounts")
        self.collateral = QLineEdit()
        self.collateral.setPlaceholderText("Collateral it needs")
        self.announce = button("A&nnounce", "announceInitiative")
        self.announce.clicked.connect(self.announce_initiative)
        box = QGroupBox("Announce an initiative to marketing")
        form = QFormLayout(box)
        form.addRow("What", self.what)
        form.addRow("When", row(self.starts, QLabel("to"), self.ends))
        form.addRow("For", row(self.segment, self.collateral, self.announce, stretch=1))
        self.actions.addWidget(box)

    def loader(self) -> Callable[[], Sequence[FeedbackRecord]]:
        return lambda: self.services.asks.initiatives()

    def key(self, item: FeedbackRecord) -> str:
        return item.id

    def cells(self, item: FeedbackRecord) -> list[str]:
        body = item.body
        return [when(item.at), item.person, body["what"], body.get("starts", ""),
                body.get("ends", ""), body.get("segment", ""), body.get("collateral", "")]  # fmt: skip

    def announce_initiative(self) -> None:
        what, segment, collateral = self.what.text(), self.segment.text(), self.collateral.text()
        starts, ends = (edit.date().toString("yyyy-MM-dd") for edit in (self.starts, self.ends))
        self.act(lambda: self.services.asks.announce(what, starts, ends, segment, collateral),
                 "Announced: marketing sees it with the next sync.")  # fmt: skip
        self.what.clear()


class CampaignsList(FieldList):
    """Campaigns, the soonest launch first, with what is ready and what is late; the
    selected one's pieces below. Marketing adds, changes and cancels them there."""

    columns = ("Launch", "Campaign", "Owner", "Ready", "Late")
    wide_column = 1

    def __init__(self, services: Services, runner: TaskRunner, marketing: bool) -> None:
        super().__init__(services, runner, marketing, "campaigns")
        self.filter.hide()  # a short list
        self.upcoming = QCheckBox("Only the next &90 days")
        self.upcoming.setObjectName("campaignsUpcoming")
        self.upcoming.setChecked(not marketing)
        self.upcoming.toggled.connect(self.refresh)
        self.filters.addWidget(self.upcoming)
        self.filters.addStretch(1)
        self.pieces = QTableWidget(0, 3)
        self.pieces.setObjectName("campaignPieces")
        self.pieces.setAccessibleName("The selected campaign's collateral")
        self.pieces.setHorizontalHeaderLabels(["State", "Collateral", "Due"])
        self.pieces.verticalHeader().hide()
        self.pieces.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.pieces.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.pieces.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.pieces.setMaximumHeight(180)
        self.actions.addWidget(self.pieces)
        self.editor = CampaignEditor(self)
        self.editor.setVisible(marketing)
        self.actions.addWidget(self.editor)

    def loader(self) -> Callable[[], Sequence[Readiness]]:
        upcoming = self.upcoming.isChecked()
        return lambda: self.services.campaigns.list_all(upcoming=upcoming)

    def key(self, item: Readiness) -> str:
        return item.campaign.id

    def cells(self, item: Readiness) -> list[str]:
        campaign, late = item.campaign, len(item.late)
        return [campaign.launch.isoformat(), campaign.name, campaign.owner,
                f"{item.ready} of {len(item.pieces)}", f"{late} late" if late else ""]  # fmt: skip

    def selection_changed(self) -> None:
        chosen: Readiness | None = self.current()
        pieces = chosen.pieces if chosen else ()
        self.pieces.setRowCount(len(pieces))
        for number, piece in enumerate(pieces):
            due = piece.item.due.isoformat() if piece.item.due else ""
            for column, text in enumerate((PIECE_STATES[piece.state], piece.title, due)):
                item = cell(text)
                if piece.state in ("late", "expired", "missing"):  # the pieces to act on
                    item.setForeground(QColor(ERROR_COLOUR))
                self.pieces.setItem(number, column, item)
        self.pieces.resizeColumnToContents(0)
        self.editor.load(chosen)


PIECE_STATES = {"ready": "Ready", "draft": "Draft", "planned": "Planned", "late": "LATE",
                "expired": "Expires before the launch", "missing": "Retired or removed"}  # fmt: skip


class CampaignEditor(QGroupBox):
    """Marketing's form for the selected campaign, or a new one: its name, launch date,
    owner and pieces (assets of the library, or planned ones due by a date)."""

    def __init__(self, listed: CampaignsList) -> None:
        super().__init__("Campaign")
        self.listed = listed
        self.editing = ""  # the campaign being changed; "" for a new one
        self.items: list[CampaignItem] = []
        self.name = QLineEdit()
        self.name.setObjectName("campaignName")
        self.name.setMaxLength(NAME_CHARS)
        self.name.setPlaceholderText("X-300 launch")
        self.launch = QDateEdit(QDate.currentDate().addDays(30))
        self.launch.setObjectName("campaignLaunch")
        self.launch.setAccessibleName("Launch date")
        self.owner = QLineEdit()
        self.owner.setObjectName("campaignOwner")
        self.owner.setPlaceholderText("Owner")
        self.asset = listed.asset_picker("campaignAsset", "An asset it needs")
        self.add_asset = button("Add &Asset", "addCampaignAsset")
        self.add_asset.clicked.connect(self._add_asset)
        self.planned = QLineEdit()
        self.planned.setObjectName("campaignPlanned")
        self.planned.setPlaceholderText("A piece still to make: its working title")
        self.due = QDateEdit(QDate.currentDate().addDays(21))
        self.due.setObjectName("campaignDue")
        self.due.setAccessibleName("Due by")
        for edit in (self.launch, self.due):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.add_planned = button("Add &Planned", "addCampaignPlanned")
        self.add_planned.clicked.connect(self._add_planned)
        self.chosen = QComboBox()
        self.chosen.setObjectName("campaignItems")
        self.chosen.setAccessibleName("Its pieces")
        self.remove = button("Remo&ve Piece", "removeCampaignPiece")
        self.remove.clicked.connect(self._remove)
        self.new = button("Ne&w", "newCampaign")
        self.new.clicked.connect(lambda: self.load(None))
        self.save = button("&Save Campaign", "saveCampaign")
        self.save.clicked.connect(self._save)
        self.cancel = button("Cancel &the Campaign", "cancelCampaign")
        self.cancel.clicked.connect(self._cancel)
        form = QFormLayout(self)
        form.addRow("Name", row(self.name, QLabel("launches"), self.launch, self.owner, stretch=0))
        form.addRow("Needs", row(self.asset, self.add_asset, stretch=0))
        form.addRow("", row(self.planned, QLabel("due"), self.due, self.add_planned, stretch=0))
        form.addRow("Pieces", row(self.chosen, self.remove, stretch=0))
        form.addRow("", row(self.new, self.save, self.cancel))
        self.load(None)

    def load(self, chosen: Readiness | None) -> None:
        """Fill the form with the selected campaign (or clear it for a new one)."""
        campaign = chosen.campaign if chosen else None
        self.editing = campaign.id if campaign else ""
        self.setTitle(f"Campaign “{campaign.name}”" if campaign else "A new campaign")
        self.name.setText(campaign.name if campaign else "")
        self.owner.setText(campaign.owner if campaign else "")
        if campaign:
            self.launch.setDate(QDate(campaign.launch.year, campaign.launch.month,
                                      campaign.launch.day))  # fmt: skip
        self.items = list(campaign.items) if campaign else []
        self._show_items()
        self.cancel.setEnabled(bool(campaign))
        self.save.setText("&Save Changes" if campaign else "&Save Campaign")

    def _label(self, item: CampaignItem) -> str:
        if item.asset_id:
            return self.listed.titles.get(item.asset_id, "An asset")
        return f"{item.planned} (planned, due {item.due.isoformat() if item.due else '?'})"

    def _show_items(self) -> None:
        self.chosen.clear()
        for item in self.items:
            self.chosen.addItem(self._label(item))
        self.remove.setEnabled(bool(self.items))

    def _add_asset(self) -> None:
        asset_id = self.listed.chosen_asset(self.asset)
        if not asset_id:
            self.listed.problems.setText("Choose an asset by its title first.")
            self.listed.problems.show()
            return
        self.items.append(CampaignItem(asset_id=asset_id))
        self.asset.setCurrentIndex(-1)
        self._show_items()

    def _add_planned(self) -> None:
        due = self.due.date()
        self.items.append(CampaignItem(planned=self.planned.text(),
                                       due=dt.date(due.year(), due.month(), due.day())))  # fmt: skip
        self.planned.clear()
        self._show_items()

    def _remove(self) -> None:
        if 0 <= (index := self.chosen.currentIndex()) < len(self.items):
            del self.items[index]
            self._show_items()

    def _save(self) -> None:
        name, owner, items, editing = self.name.text(), self.owner.text(), list(self.items), \
            self.editing  # fmt: skip
        launch = self.launch.date().toString("yyyy-MM-dd")
        self.listed.act(lambda: self.listed.services.campaigns.save(name, launch, owner, items,
                                                                    campaign_id=editing),
                        f"Campaign “{name.strip()}” saved: the team sees it with the next "
                        "sync.")  # fmt: skip

    def _cancel(self) -> None:
        editing = self.editing
        if editing:
            self.listed.act(lambda: self.listed.services.campaigns.cancel(editing),
                            "Campaign cancelled.")  # fmt: skip


class FieldDialog(QDialog):
    """The lists in tabs; `told` carries an action's sentence for the status line."""

    told = Signal(str)

    def __init__(self, services: Services, runner: TaskRunner, marketing: bool,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("fieldDialog")
        self.setWindowTitle("Field Notes and Requests" if marketing else "My Notes and Requests")
        self.services, self.runner, self.marketing = services, runner, marketing
        self.notes = NotesList(services, runner, marketing)
        self.objections = ObjectionsList(services, runner, marketing)
        self.asks = AsksList(services, runner, marketing)
        self.initiatives = InitiativesList(services, runner, marketing)
        self.campaigns = CampaignsList(services, runner, marketing)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.notes, "&Notes on the competition")
        self.tabs.addTab(self.objections, "&Objections")
        self.tabs.addTab(self.asks, "Content &requests")
        self.tabs.addTab(self.initiatives, "Sales &initiatives")
        self.tabs.addTab(self.campaigns, "Campai&gns and launches")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        for listed in self.lists:
            listed.told.connect(self.told)
        runner.changed.connect(self._changed)
        self.resize(1100, 640)
        self.refresh()

    @property
    def lists(self) -> tuple[FieldList, ...]:
        return (self.notes, self.objections, self.asks, self.initiatives, self.campaigns)

    def refresh(self, with_titles: bool = True) -> None:
        """The choices first (competitors, tags, and the library's asset titles unless
        only field records changed), then every list."""
        services = self.services

        def choices() -> tuple[dict[str, str] | None, list[str], list[str]]:
            titles = ({a.id: a.metadata.title for a in services.assets.list_all()}
                      if with_titles else None)  # fmt: skip
            return titles, [c.name for c in services.notes.competitors()], \
                services.notes.objection_tags()  # fmt: skip

        self.runner.query(choices, self._offer)

    def _offer(self, choices: tuple[dict[str, str] | None, list[str], list[str]]) -> None:
        titles, competitors, tags = choices
        if titles is not None:
            for listed in self.lists:
                listed.titles = titles
            self.notes.fill_assets(self.notes.battlecard)
            self.asks.fill_assets(self.asks.fulfilling)
            self.campaigns.fill_assets(self.campaigns.editor.asset)
        self.notes.offer(competitors)
        self.objections.offer(tags)
        for listed in self.lists:
            listed.refresh()

    def _changed(self, changes: Changes, _initiator: object) -> None:
        """A record kept here, in the note dialog or by a sync shows up at once; the
        asset titles are read again only when assets changed."""
        assets = bool(changes.assets_added or changes.assets_changed or changes.assets_removed
                      or changes.library_replaced)  # fmt: skip
        if (changes.feedback or assets) and self.isVisible():
            self.refresh(with_titles=assets)
