"""The search synonyms marketing keeps: a table of term, equivalent and direction."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from satchel.core.domain.changes import Changes
from satchel.core.domain.synonyms import Synonym
from satchel.core.errors import ValidationError
from satchel.core.services import Services
from satchel.ui.errors import problem_label, show_error
from satchel.ui.tasks import TaskRunner

TERM, EQUIVALENT, BOTH_WAYS = range(3)


class SynonymsDialog(QDialog):
    """Edit the list, then Save: the whole list is checked, and a refusal lists every
    problem under the table without closing (nothing is lost)."""

    def __init__(self, services: Services, runner: TaskRunner, entries: Sequence[Synonym],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("synonymsDialog")
        self.setWindowTitle("Search Synonyms")
        self._services, self._runner = services, runner
        intro = QLabel("A search for one side also finds the other: “spec sheet” finds "
                       "“datasheet”. Untick Both ways when only the first should find the "
                       "second. Searches use the list as soon as it is saved.")  # fmt: skip
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("synonymsTable")
        self.table.setHorizontalHeaderLabels(["Term", "Also finds", "Both ways"])
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.setColumnWidth(TERM, 200)
        self.table.setColumnWidth(EQUIVALENT, 220)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for entry in entries:
            self.add_row(entry)
        add, remove = QPushButton("Add"), QPushButton("Remove")
        add.setObjectName("addSynonym")
        remove.setObjectName("removeSynonym")
        add.clicked.connect(lambda: self._start_row())
        remove.clicked.connect(self.remove_selected)
        self.problems = problem_label("synonymsProblems")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)  # fmt: skip
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        row = QHBoxLayout()
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        self.resize(620, 460)

    def add_row(self, entry: Synonym) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, TERM, QTableWidgetItem(entry.term))
        self.table.setItem(row, EQUIVALENT, QTableWidgetItem(entry.equivalent))
        both = QTableWidgetItem()
        both.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                      | Qt.ItemFlag.ItemIsSelectable)  # fmt: skip
        both.setCheckState(Qt.CheckState.Checked if entry.both_ways else Qt.CheckState.Unchecked)
        self.table.setItem(row, BOTH_WAYS, both)
        return row

    def _start_row(self) -> None:
        row = self.add_row(Synonym("", ""))
        self.table.setCurrentCell(row, TERM)
        self.table.editItem(self.table.item(row, TERM))

    def remove_selected(self) -> None:
        for row in sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)

    def entries(self) -> list[Synonym]:
        """The rows as typed (rows left wholly empty are skipped)."""
        found = []
        for row in range(self.table.rowCount()):
            term, equivalent = (self.table.item(row, c).text() for c in (TERM, EQUIVALENT))
            if term.strip() or equivalent.strip():
                both = self.table.item(row, BOTH_WAYS).checkState() == Qt.CheckState.Checked
                found.append(Synonym(term, equivalent, both))
        return found

    def save(self) -> None:
        entries = self.entries()
        self.save_button.setEnabled(False)
        self._runner.mutate(lambda: self._services.search.set_synonyms(entries), self._saved,
                            self._refused)  # fmt: skip

    def _saved(self, outcome: tuple[list[Synonym], Changes]) -> None:
        self.save_button.setEnabled(True)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, ValidationError):
            self.problems.setText("\n".join(error.problems))
            self.problems.show()
            return
        show_error(self, error, None)
