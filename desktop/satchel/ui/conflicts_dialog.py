"""Edits made here that the team hub also changed meanwhile: for each asset, the fields
the two disagree on, mine beside theirs, and which to keep — field by field."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from satchel.core.services import Services
from satchel.core.services.sync import Conflict
from satchel.ui.errors import show_error
from satchel.ui.tasks import TaskRunner

LABELS = {"title": "Title", "summary": "Summary", "kind": "Kind", "product": "Product",
          "audience": "Audience", "funnel_stage": "Funnel stage", "region": "Region",
          "language": "Language", "owner": "Owner", "status": "Status",
          "expires_on": "Expires on", "review_on": "Review on"}  # fmt: skip


def shown(value: object) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 120 else text[:117] + "…"


class ConflictsDialog(QDialog):
    """Keep mine or theirs for each field (theirs is chosen until you choose), then
    Resolve: what is kept of mine goes to the hub with the next sync."""

    def __init__(self, services: Services, runner: TaskRunner, conflicts: list[Conflict],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("conflictsDialog")
        self.setWindowTitle("Edits Also Changed on the Hub")
        self._services, self._runner = services, runner
        self.choices: dict[str, dict[str, QButtonGroup]] = {}
        intro = QLabel("You changed these assets here while someone changed them on the team "
                       "hub. Choose, field by field, which value to keep; nothing is lost "
                       "until you resolve.")  # fmt: skip
        intro.setWordWrap(True)
        body = QWidget()
        rows = QVBoxLayout(body)
        for conflict in conflicts:
            rows.addWidget(self._conflict_box(conflict))
        rows.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.resolve = buttons.addButton("Resolve", QDialogButtonBox.ButtonRole.AcceptRole)
        self.resolve.setObjectName("resolveConflicts")
        buttons.accepted.connect(self._resolve)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(760, 480)

    def _conflict_box(self, conflict: Conflict) -> QGroupBox:
        box = QGroupBox(conflict.title)
        grid = QGridLayout(box)
        for column, heading in enumerate(("", "Mine (this laptop)", "Theirs (the hub)")):
            grid.addWidget(QLabel(f"<b>{heading}</b>"), 0, column)
        groups = {}
        for row, (name, mine, theirs) in enumerate(conflict.fields, start=1):
            grid.addWidget(QLabel(LABELS.get(name, name)), row, 0)
            group = QButtonGroup(box)
            for column, (value, key) in enumerate(((mine, "mine"), (theirs, "theirs")), start=1):
                button = QRadioButton(shown(value) or "(empty)")
                button.setObjectName(f"{conflict.id}:{name}:{key}")
                button.setProperty("choice", key)
                button.setChecked(key == "theirs")
                group.addButton(button)
                grid.addWidget(button, row, column)
            groups[name] = group
        self.choices[conflict.id] = groups
        return box

    def chosen(self) -> dict[str, dict[str, str]]:
        return {conflict: {name: str(group.checkedButton().property("choice"))
                           for name, group in groups.items()}
                for conflict, groups in self.choices.items()}  # fmt: skip

    def _resolve(self) -> None:
        chosen = self.chosen()
        self.resolve.setEnabled(False)

        def work() -> object:
            changes = None
            for conflict_id, fields in chosen.items():
                changes = self._services.sync.resolve(conflict_id, fields)
            return changes

        def failed(error: BaseException) -> None:
            self.resolve.setEnabled(True)
            show_error(self, error, None)

        self._runner.mutate(work, lambda _changes: self.accept(), failed, initiator=self)
