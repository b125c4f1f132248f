"""Outcomes to record: the accounts a rep used collateral with some days ago come back,
one at a time, as a short question under the results ("How did Northwind Foods go?"),
so win and loss are recorded where they happen. Never a dialog; Esc or × puts the
question off until the window next opens."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from satchel.core.domain.feedback import Outcome
from satchel.core.services import Services
from satchel.ui.errors import show_error
from satchel.ui.tasks import TaskRunner

LABELS = {Outcome.WON: "Won", Outcome.LOST: "Lost", Outcome.NO_DECISION: "No decision",
          Outcome.OPEN: "Still open"}  # fmt: skip


class OutcomeBar(QFrame):
    """`refresh` asks the library which accounts are due; `recorded` after an answer."""

    recorded = Signal(str)

    def __init__(self, services: Services, runner: TaskRunner, after_days: int,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._services, self._runner, self._after_days = services, runner, after_days
        self.due: list[str] = []
        self._put_off: set[str] = set()
        self.setObjectName("outcomeBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Outcomes to record")
        self.question = QLabel()
        self.question.setTextFormat(Qt.TextFormat.PlainText)  # account names are typed text
        self.buttons = {outcome: QPushButton(label) for outcome, label in LABELS.items()}
        self.later = QToolButton()
        self.later.setText("×")
        self.later.setAccessibleName("Not now")
        self.later.setToolTip("Not now (Esc)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.question, 1)
        for outcome, button in self.buttons.items():
            layout.addWidget(button)
            button.clicked.connect(lambda _c=False, o=outcome: self.answer(o))
        layout.addWidget(self.later)
        self.later.clicked.connect(self.put_off)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.put_off,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)  # fmt: skip
        self.setVisible(False)

    def refresh(self) -> None:
        if self._services.actor is None:
            return
        after = self._after_days
        self._runner.query(lambda: self._services.feedback.outcomes_due(after), self._show_due)

    def _show_due(self, due: list[str]) -> None:
        self.due = [account for account in due if account not in self._put_off]
        if not self.due:
            self.hide()
            return
        more = f"  ({len(self.due) - 1} more to record)" if len(self.due) > 1 else ""
        self.question.setText(f"How did {self.due[0]} go?{more}")
        self.show()

    def answer(self, outcome: Outcome) -> None:
        if not self.due:
            return
        account, rest = self.due[0], self.due[1:]
        self._show_due(rest)
        self._runner.mutate(
            lambda: self._services.feedback.record_outcome(account, outcome),
            lambda _done: self.recorded.emit(f"{account}: {LABELS[outcome].lower()} — kept for "
                                             "every asset used with it."),
            lambda error: show_error(self.window(), error, None),
        )  # fmt: skip

    def put_off(self) -> None:
        """Not now: the rest of this window's life."""
        if self.due:
            self._put_off.add(self.due[0])
            self._show_due(self.due[1:])
