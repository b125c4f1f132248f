"""What the field's small forms share (a content request, a field note): the refusal
named under the form with nothing typed lost, and the status line's sentence once the
record is kept."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QLineEdit, QPushButton, QWidget

from satchel.core.errors import ValidationError
from satchel.core.services import Services
from satchel.ui.errors import problem_label, show_error
from satchel.ui.tasks import TaskRunner


class FieldForm(QDialog):
    """`sent` carries the status line's sentence once the record is kept."""

    sent = Signal(str)

    def __init__(self, services: Services, runner: TaskRunner, name: str,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName(name)
        self._services, self._runner = services, runner
        self.problems = problem_label(f"{name}Problems")
        self._sending: tuple[QPushButton, ...] = ()

    @staticmethod
    def line(most: int) -> QLineEdit:
        line = QLineEdit()
        line.setMaxLength(most)
        return line

    def keep(self, work: Callable[[], object], sentence: str, *buttons: QPushButton) -> None:
        """Keep the record off the UI thread; `buttons` are off meanwhile."""
        self._sending = buttons
        for button in buttons:
            button.setEnabled(False)
        self._runner.mutate(work, lambda _done: self._sent(sentence), self._refused)

    def _sent(self, sentence: str) -> None:
        self.sent.emit(sentence)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        for button in self._sending:
            button.setEnabled(True)
        self.refused()
        if isinstance(error, ValidationError):
            self.problems.setText("\n".join(error.problems))
            self.problems.show()
            return
        show_error(self, error, None)

    def refused(self) -> None:
        """After a refusal, before it is shown: set the buttons as the form needs."""
