"""Ask marketing for collateral that does not exist: what is needed, for whom, by when,
for how many deals. As the rep types, requests like it filed before are offered for a
"+1" instead of a duplicate. A refusal is named under the form and nothing typed is
lost."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from satchel.core.domain.feedback import ACCOUNT_CHARS
from satchel.core.domain.field import MAX_DEALS, SHORT_CHARS
from satchel.core.services import Services
from satchel.core.services.asks import AskView
from satchel.ui.field_form import FieldForm
from satchel.ui.tasks import TaskRunner

LANGUAGES = (("Any language", ""), ("English", "en"), ("German", "de"), ("Spanish", "es"))
SIMILAR_DELAY_MS = 250


class AskDialog(FieldForm):
    """`sent` carries the status line's sentence once the request or the +1 is kept."""

    def __init__(self, services: Services, runner: TaskRunner, need: str = "",
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(services, runner, "askDialog", parent)
        self.setWindowTitle("Ask Marketing for Collateral")
        self.need = QPlainTextEdit(need)
        self.need.setObjectName("askNeed")
        self.need.setPlaceholderText("What do you need? (a case study for food plants, "
                                     "a German price sheet…)")  # fmt: skip
        self.need.setTabChangesFocus(True)
        self.need.setFixedHeight(70)
        self.audience, self.product, self.region = (self.line(SHORT_CHARS) for _ in range(3))
        self.account = self.line(ACCOUNT_CHARS)
        self.language = QComboBox()
        for label, code in LANGUAGES:
            self.language.addItem(label, code)
        self.by_wanted = QCheckBox("Needed by")
        self.by = QDateEdit(QDate.currentDate().addDays(30))
        self.by.setCalendarPopup(True)
        self.by.setDisplayFormat("yyyy-MM-dd")
        self.by.setEnabled(False)
        self.by_wanted.toggled.connect(self.by.setEnabled)
        self.deals = QSpinBox()
        self.deals.setRange(0, MAX_DEALS)
        self.deals.setAccessibleName("Deals it affects")
        by_row = QHBoxLayout()
        by_row.addWidget(self.by_wanted)
        by_row.addWidget(self.by, 1)
        form = QFormLayout()
        form.addRow("&What is needed", self.need)
        form.addRow("&Audience", self.audience)
        form.addRow("&Product", self.product)
        form.addRow("&Language", self.language)
        form.addRow("&Region", self.region)
        form.addRow("", by_row)
        form.addRow("Account or &initiative", self.account)
        form.addRow("&Deals it affects", self.deals)

        self.similar_label = QLabel("Asked before — add your +1 instead of a new request:")
        self.similar = QListWidget()
        self.similar.setObjectName("similarAsks")
        self.similar.setAccessibleName("Similar requests asked before")
        self.similar.setMaximumHeight(96)
        self.plus_one = QPushButton("+1 the selected request")
        self.plus_one.setObjectName("plusOne")
        self.plus_one.setEnabled(False)
        self.similar.currentItemChanged.connect(
            lambda current, _old: self.plus_one.setEnabled(current is not None)
        )
        self.plus_one.clicked.connect(self.add_plus_one)
        for widget in (self.similar_label, self.similar, self.plus_one):
            widget.hide()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.send = buttons.addButton("Send to Marketing", QDialogButtonBox.ButtonRole.AcceptRole)
        self.send.setObjectName("sendAsk")
        self.send.setDefault(True)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.similar_label)
        layout.addWidget(self.similar)
        layout.addWidget(self.plus_one, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        self.resize(560, 0)

        self._typing = QTimer(self, singleShot=True, interval=SIMILAR_DELAY_MS)
        self._typing.timeout.connect(self.look_for_similar)
        self.need.textChanged.connect(self._typing.start)
        if need:
            self.look_for_similar()

    def look_for_similar(self) -> None:
        typed = self.need.toPlainText()
        self._runner.query(lambda: self._services.asks.similar(typed), self._show_similar)

    def _show_similar(self, alike: list[AskView]) -> None:
        self.similar.clear()
        for view in alike:
            people = view.votes + 1
            item = QListWidgetItem(f"{view.ask.body['need'][:120]} — {people} asking, "
                                   f"{view.deals} deal(s), {view.state}")  # fmt: skip
            item.setData(Qt.ItemDataRole.UserRole, view.ask.id)
            self.similar.addItem(item)
        for widget in (self.similar_label, self.similar, self.plus_one):
            widget.setVisible(bool(alike))

    def submit(self) -> None:
        need, audience = self.need.toPlainText(), self.audience.text()
        product, region, account = self.product.text(), self.region.text(), self.account.text()
        language, deals = str(self.language.currentData() or ""), self.deals.value()
        by = self.by.date().toString("yyyy-MM-dd") if self.by_wanted.isChecked() else None
        self._send(lambda: self._services.asks.ask(need, audience, product, language, region,
                                                   by, account, deals),
                   "Your request reaches marketing with the next sync.")  # fmt: skip

    def add_plus_one(self) -> None:
        item = self.similar.currentItem()
        if item is None:
            return
        ask_id, account, deals = item.data(Qt.ItemDataRole.UserRole), self.account.text(), \
            self.deals.value()  # fmt: skip
        self._send(lambda: self._services.asks.plus_one(ask_id, account, deals),
                   "Your +1 is counted; marketing sees it with the next sync.")  # fmt: skip

    def _send(self, work: Callable[[], object], sentence: str) -> None:
        self.keep(work, sentence, self.send, self.plus_one)

    def refused(self) -> None:
        self.plus_one.setEnabled(self.similar.currentItem() is not None)
