"""Requests: the rep's own (with what marketing decided) and, for marketers and admins,
the review queue where they decide with the document's live preview beside."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QImage, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from satchel.core.domain.changes import Changes
from satchel.core.domain.requests import (
    OPEN_STATES,
    Decision,
    RequestDetail,
    RequestState,
    RequestSummary,
)
from satchel.core.domain.templates import Template, suggested_file_name
from satchel.core.services import Services
from satchel.core.services.requests import QueueFilter
from satchel.ui.document_preview import DocumentPreview
from satchel.ui.errors import show_error
from satchel.ui.requests_model import SUMMARY_ROLE, RequestsModel, age_words, due_words
from satchel.ui.save_target import ask_save_path
from satchel.ui.tasks import TaskRunner

PREVIEW_PX = 900
NO_PREVIEW = "Select a request to see its document."
EDITED = QColor("#fff3c4")  # a value the approver changed
MINE, QUEUE = "mine", "queue"
VALUE_COLUMNS = ("Field", "Template default", "Requested", "Approved")
APPROVED = VALUE_COLUMNS.index("Approved")
SHOWS = (("Waiting for a decision", (RequestState.SUBMITTED,)),
         ("Decided", (RequestState.APPROVED, RequestState.APPROVED_WITH_EDITS,
                      RequestState.AUTO_APPROVED, RequestState.CHANGES_REQUESTED,
                      RequestState.REJECTED)),
         ("All", tuple(RequestState)))  # fmt: skip


class RequestsDialog(QDialog):
    """One list of requests and the selected one in detail.

    Signals:
        change_values(object): the rep wants to change a request's values (a
            RequestDetail): the window opens the customize form for the next round.
    """

    change_values = Signal(object)

    def __init__(self, services: Services, runner: TaskRunner, review_days: int,
                 can_decide: bool, parent: QWidget | None = None,
                 view: str = MINE) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("requestsDialog")
        self.setWindowTitle("Requests")
        self.services, self.runner = services, runner
        self.review_days, self.can_decide = review_days, can_decide
        self.detail: RequestDetail | None = None
        self.template: Template | None = None
        self._loading = 0  # the newest list asked for; older answers are dropped
        self._previews = 0  # the newest preview asked for

        self.view_box = QComboBox()
        self.view_box.setObjectName("requestsView")
        self.view_box.setAccessibleName("Which requests")
        self.view_box.addItem("My requests", MINE)
        if can_decide:
            self.view_box.addItem("Review queue", QUEUE)
        self.show_box = QComboBox()
        self.show_box.setObjectName("requestsShow")
        self.show_box.setAccessibleName("Show")
        for label, _states in SHOWS:
            self.show_box.addItem(label)
        self.template_box = QComboBox()
        self.template_box.setObjectName("requestsTemplate")
        self.template_box.setAccessibleName("Template")
        self.template_box.addItem("Every template", None)
        self.territory_box = QComboBox()
        self.territory_box.setObjectName("requestsTerritory")
        self.territory_box.setAccessibleName("Territory")
        self.territory_box.addItem("Every territory", None)
        self.rep_box = QComboBox()
        self.rep_box.setObjectName("requestsRep")
        self.rep_box.setAccessibleName("Requested by")
        self.rep_box.addItem("Everyone", None)
        self.sort_box = QComboBox()
        self.sort_box.setObjectName("requestsSort")
        self.sort_box.setAccessibleName("Order")
        self.sort_box.addItem("Oldest first", True)
        self.sort_box.addItem("Newest first", False)
        self.overdue_box = QCheckBox("&Overdue only")
        self.overdue_box.setObjectName("requestsOverdue")
        filters = QHBoxLayout()
        self.queue_filters = (self.show_box, self.template_box, self.rep_box,
                              self.territory_box, self.sort_box, self.overdue_box)  # fmt: skip
        for widget in (self.view_box, *self.queue_filters):
            filters.addWidget(widget)
        filters.addStretch(1)
        self.count = QLabel()
        self.count.setObjectName("requestsCount")
        filters.addWidget(self.count)

        self.model = RequestsModel(self)
        self.table = QTableView()
        self.table.setObjectName("requestsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selected())
        self.empty = QLabel()
        self.empty.setObjectName("requestsEmpty")
        self.empty.setWordWrap(True)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.empty)

        self.heading = QLabel()
        self.heading.setObjectName("requestHeading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        self.values = QTableWidget(0, len(VALUE_COLUMNS))
        self.values.setObjectName("requestValues")
        self.values.setHorizontalHeaderLabels(list(VALUE_COLUMNS))
        self.values.verticalHeader().hide()
        self.values.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.values.setTabKeyNavigation(False)
        self.values.itemChanged.connect(self._value_edited)
        self.history = QListWidget()
        self.history.setObjectName("requestHistory")
        self.history.setMaximumHeight(110)
        self.history.setWordWrap(True)
        self.comment = QPlainTextEdit()
        self.comment.setObjectName("decisionComment")
        self.comment.setPlaceholderText("Comment to the rep (needed to reject or ask for changes)")
        self.comment.setMaximumHeight(70)
        self.comment.setTabChangesFocus(True)
        self.status = QLabel()
        self.status.setObjectName("requestStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for name, label, handler in (
            ("approve", "&Approve", lambda: self.decide(Decision.APPROVE)),
            ("changes", "Ask for &Changes", lambda: self.decide(Decision.REQUEST_CHANGES)),
            ("reject", "&Reject", lambda: self.decide(Decision.REJECT)),
            ("final", "&Generate Final PDF…", self.generate_final),
            ("change", "Change &Values…", self._change_values),
            ("withdraw", "&Withdraw", self.withdraw),
        ):
            button = QPushButton(label)
            button.setObjectName(f"request_{name}")
            button.setAutoDefault(False)  # Enter finishes a cell edit; it never decides
            button.clicked.connect(handler)
            self.buttons[name] = button
            row.addWidget(button)
        row.addStretch(1)
        self.buttons["approve"].setToolTip("Approve these values (Ctrl+Return)")
        QShortcut(QKeySequence("Ctrl+Return"), self, lambda: self._shortcut("approve"))
        QShortcut(QKeySequence("Ctrl+Shift+Return"), self, lambda: self._shortcut("changes"))
        self.preview = DocumentPreview(NO_PREVIEW, "requestPreview",
                                       "Preview of the requested document", (300, 400))  # fmt: skip
        self._preview_timer = QTimer(self, singleShot=True, interval=250)
        self._preview_timer.timeout.connect(self._draw_preview)

        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.heading, self.values, self.history, self.comment, self.status):
            middle_layout.addWidget(widget)
        middle_layout.setStretch(1, 1)
        middle_layout.addLayout(row)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(middle)
        splitter.addWidget(self.preview)
        splitter.setSizes([560, 440, 320])
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        self.resize(1400, 780)

        for box in (self.view_box, self.show_box, self.template_box, self.rep_box,
                    self.territory_box, self.sort_box):  # fmt: skip
            box.currentIndexChanged.connect(lambda _i: self.reload())
        self.overdue_box.toggled.connect(lambda _on: self.reload())
        self.runner.changed.connect(self._changed)
        self.view_box.setCurrentIndex(max(0, self.view_box.findData(view)))
        self._show_detail(None)
        self._load_filters()
        self.reload()

    # --- the list ---------------------------------------------------------------------

    @property
    def view(self) -> str:
        return str(self.view_box.currentData())

    def _load_filters(self) -> None:
        Choices = tuple[list[tuple[str, str]], list[tuple[str, str]], list[str]]

        def fill(found: Choices) -> None:
            templates, people, territories = found
            for template_id, title in templates:
                self.template_box.addItem(title, template_id)
            for person_id, name in people:
                self.rep_box.addItem(name, person_id)
            for territory in territories:
                self.territory_box.addItem(territory, territory)

        def read() -> Choices:
            templates = [(t.id, t.title) for t in self.services.templates.list_all()]
            people = self.services.people.list_all()
            return (templates, [(p.id, p.name) for p in people],
                    sorted({p.territory for p in people if p.territory}))  # fmt: skip

        self.runner.query(read, fill, lambda error: show_error(self, error, None))

    def reload(self, select: str | None = None) -> None:
        queue = self.view == QUEUE
        for widget in self.queue_filters:
            widget.setVisible(queue)
        states = SHOWS[self.show_box.currentIndex()][1]
        chosen = QueueFilter(
            template_id=self.template_box.currentData(),
            requester_id=self.rep_box.currentData(),
            territory=self.territory_box.currentData(),
            overdue_only=self.overdue_box.isChecked(),
            oldest_first=bool(self.sort_box.currentData()),
            states=states,
        )
        self._loading += 1
        asked = self._loading
        keep = select or (self.detail.request.id if self.detail else None)

        def read() -> tuple[list[RequestSummary], int]:
            if queue:
                return self.services.requests.queue(chosen, limit=500,
                                                    review_days=self.review_days)  # fmt: skip
            mine = self.services.requests.mine(review_days=self.review_days)
            return mine, len(mine)

        self.runner.query(read, lambda found: self._listed(asked, found, keep),
                          lambda error: show_error(self, error, None))  # fmt: skip

    def _listed(self, asked: int, found: tuple[list[RequestSummary], int],
                keep: str | None) -> None:  # fmt: skip
        if asked != self._loading:
            return
        rows, total = found
        self.model.reset(rows, dt.datetime.now(dt.UTC))
        self.table.setColumnHidden(2, self.view == MINE)  # all the rep's own
        for column in (0, 2, 3, 4, 5):
            self.table.resizeColumnToContents(column)
        shown = f"{len(rows)} of {total}" if total > len(rows) else str(total)
        self.count.setText(f"{shown} request{'s' if total != 1 else ''}")
        self.empty.setText(
            "Nothing waits for a decision." if self.view == QUEUE
            else "No requests yet: customize a template, and values outside marketing's "
                 "limits become a request here."
        )  # fmt: skip
        self.empty.setVisible(not rows)
        row = self.model.row_of(keep) if keep else -1
        if rows:
            self.table.selectRow(max(row, 0))
            self.table.setFocus()
        else:
            self._show_detail(None)

    def _changed(self, changes: Changes, _initiator: object) -> None:
        if changes.requests and self.isVisible():
            self.reload()

    # --- the selected request ------------------------------------------------------------

    def selected(self) -> RequestSummary | None:
        index = self.table.currentIndex()
        found = index.data(SUMMARY_ROLE) if index.isValid() else None
        return found if isinstance(found, RequestSummary) else None

    def _selected(self) -> None:
        summary = self.selected()
        if summary is None:
            self._show_detail(None)
            return

        def read() -> tuple[RequestDetail, Template]:
            detail = self.services.requests.get(summary.id, self.review_days)
            template = self.services.templates.get(detail.request.template_id,
                                                   detail.request.template_version)  # fmt: skip
            return detail, template

        self.runner.query(read, lambda found: self._show_detail(*found),
                          lambda error: show_error(self, error, None))  # fmt: skip

    def _show_detail(self, detail: RequestDetail | None, template: Template | None = None) -> None:
        self.detail, self.template = detail, template
        for widget in (self.values, self.history, self.comment):
            widget.setVisible(detail is not None)
        self.status.clear()
        if detail is None:
            self.heading.setText("")
            self.preview.show_text(NO_PREVIEW)
            for button in self.buttons.values():
                button.hide()
            return
        self.heading.setText(self._heading(detail))
        self._fill_values(detail)
        self.history.clear()
        for step in detail.steps:
            comment = f" — “{step.comment}”" if step.comment else ""
            self.history.addItem(f"{step.at.astimezone():%d %b %H:%M}  {step.actor}: "
                                 f"{step.to_state.value.replace('_', ' ')} (round {step.round})"
                                 f"{comment}")  # fmt: skip
        deciding = self.view == QUEUE and detail.request.state is RequestState.SUBMITTED
        mine = self.view == MINE
        shown = {"approve": deciding, "changes": deciding, "reject": deciding,
                 "final": detail.can_generate_final, "withdraw": mine and
                 detail.request.state in OPEN_STATES,
                 "change": mine and (detail.request.state is RequestState.CHANGES_REQUESTED
                                     or detail.can_generate_final)}  # fmt: skip
        for name, button in self.buttons.items():
            button.setVisible(shown[name])
            button.setEnabled(True)
        self.comment.setVisible(deciding)
        self._update_approve()
        self._draw_preview()

    def _heading(self, detail: RequestDetail) -> str:
        s = detail.summary
        lines = [f"{s.template_title} · version {s.template_version}",
                 f"For {s.customer or '(no account given)'} · asked by {s.requester} "
                 f"{age_words(s.submitted_at, dt.datetime.now(dt.UTC))}",
                 s.state_words.capitalize() + (f", round {s.round}" if s.round > 1 else "")
                 + (f" · {due_words(s)}" if due_words(s) else "")]  # fmt: skip
        if detail.decided_by and detail.decided_at:
            lines.append(
                f"Decided by {detail.decided_by}, {detail.decided_at.astimezone():%d %b %H:%M}"
            )
        if s.newer_version:
            lines.append(f"A newer version of this template exists (version {s.newer_version}); "
                         "this request is decided on its own version.")  # fmt: skip
        if detail.note:
            lines.append(f"Note: {detail.note}")
        lines += [f"Needs approval: {reason}" for reason in detail.reasons]
        return "\n".join(lines)

    def _fill_values(self, detail: RequestDetail) -> None:
        editable = self.view == QUEUE and detail.request.state is RequestState.SUBMITTED
        approved = detail.request.approved_values or {}
        self.values.blockSignals(True)
        self.values.setRowCount(0)
        for key, label in detail.labels.items():
            if key not in detail.request.values:
                continue
            row = self.values.rowCount()
            self.values.insertRow(row)
            asked = detail.request.values[key]
            final = approved.get(key, asked) if approved else asked
            default = detail.defaults.get(key, "")
            for column, text in enumerate((label, default, asked, final)):
                item = QTableWidgetItem(text)
                flags = item.flags() & ~Qt.ItemFlag.ItemIsEditable
                if column == APPROVED and editable:
                    flags |= Qt.ItemFlag.ItemIsEditable
                    item.setToolTip("Double-click to approve a different value")
                item.setFlags(flags)
                item.setData(Qt.ItemDataRole.UserRole, key)
                if column == APPROVED and key in detail.approved_changes:
                    item.setBackground(QBrush(EDITED))
                    item.setToolTip("Marketing changed this value")
                self.values.setItem(row, column, item)
        self.values.blockSignals(False)

    def edited_values(self) -> dict[str, str]:
        """The request's values with the approver's edits."""
        assert self.detail is not None
        values = dict(self.detail.request.values)
        for row in range(self.values.rowCount()):
            item = self.values.item(row, APPROVED)
            values[str(item.data(Qt.ItemDataRole.UserRole))] = item.text()
        return values

    def _edits(self) -> bool:
        return self.detail is not None and self.edited_values() != dict(self.detail.request.values)

    def _value_edited(self, item: QTableWidgetItem) -> None:
        if item.column() == APPROVED and self.detail is not None:
            asked = self.detail.request.values.get(str(item.data(Qt.ItemDataRole.UserRole)))
            item.setBackground(QBrush(EDITED) if item.text() != asked else QBrush())
            self._update_approve()
            self._preview_timer.start()

    def _update_approve(self) -> None:
        self.buttons["approve"].setText("&Approve with Edits" if self._edits() else "&Approve")

    # --- the preview ----------------------------------------------------------------------

    def _draw_preview(self) -> None:
        if self.detail is None or self.template is None:
            return
        template, approved = self.template, self.detail.can_generate_final
        values = (
            self.edited_values() if self.values.rowCount() else dict(self.detail.request.values)
        )
        self._previews += 1
        asked = self._previews  # an older preview finishing late is not shown

        def draw() -> QImage:
            png = self.services.templates.preview(template, values, PREVIEW_PX, approved)
            return QImage.fromData(png, "PNG")

        self.runner.query(draw, lambda image: self._show_preview(asked, image),
                          lambda error: self.preview.show_text(str(error)))  # fmt: skip

    def _show_preview(self, asked: int, image: QImage) -> None:
        if asked == self._previews:
            self.preview.set_image(image)

    # --- the steps ------------------------------------------------------------------------

    def _shortcut(self, name: str) -> None:
        button = self.buttons[name]
        if button.isVisible() and button.isEnabled():
            button.click()

    def decide(self, decision: Decision) -> None:
        if self.detail is None:
            return
        request_id, comment = self.detail.request.id, self.comment.toPlainText()
        values = None
        if decision is Decision.APPROVE and self._edits():
            decision, values = Decision.APPROVE_WITH_EDITS, self.edited_values()
        for button in self.buttons.values():
            button.setEnabled(False)
        words = {
            Decision.APPROVE: "Approved",
            Decision.APPROVE_WITH_EDITS: "Approved with edits",
            Decision.REQUEST_CHANGES: "Sent back for changes",
            Decision.REJECT: "Rejected",
        }

        def done(_outcome: object) -> None:
            self.comment.clear()
            self.status.setText(f"{words[decision]}; the rep sees it in their requests.")

        self.runner.mutate(lambda: self.services.requests.decide(request_id, decision, comment, values),
                           done, self._failed, initiator=self)  # fmt: skip

    def withdraw(self) -> None:
        if self.detail is not None:
            request_id = self.detail.request.id
            self.runner.mutate(lambda: self.services.requests.withdraw(request_id),
                               lambda _o: self.status.setText("Withdrawn."), self._failed,
                               initiator=self)  # fmt: skip

    def _change_values(self) -> None:
        if self.detail is not None:
            self.change_values.emit(self.detail)

    def generate_final(self) -> None:
        if self.detail is None or self.template is None:
            return
        values = dict(self.detail.request.approved_values or self.detail.request.values)
        target = ask_save_path(self, "Save the final PDF",
                               suggested_file_name(self.template, values), "PDF (*.pdf)")  # fmt: skip
        if target is not None:
            self.save_final(target)

    def save_final(self, target: Path) -> None:
        """Make the approved request's final PDF at `target` (recorded in My Documents)."""
        assert self.detail is not None
        request_id = self.detail.request.id

        def make() -> tuple[Path, Changes]:
            made, changes = self.services.requests.final_document(request_id)
            return self.services.templates.save_document(made.pdf, target), changes

        self.runner.mutate(make, lambda out: self.status.setText(f"Saved {out[0].name}, final."),
                           self._failed, initiator=self)  # fmt: skip

    def _failed(self, error: BaseException) -> None:
        show_error(self, error, None)
        self.reload()  # e.g. someone else decided first: show what stands now
