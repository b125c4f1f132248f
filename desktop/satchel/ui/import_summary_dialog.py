"""After an import: what came in, what was a duplicate, what was refused and why."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from satchel.core.domain.imports import ImportReport, ImportStatus
from satchel.ui.errors import plain_tooltip

_STATUS_WORDS = {
    ImportStatus.IMPORTED: "Imported",
    ImportStatus.IMPORTED_WITH_WARNINGS: "Imported, with a warning",
    ImportStatus.DUPLICATE: "Already in the library",
    ImportStatus.REJECTED: "Not imported",
}


def headline(report: ImportReport) -> str:
    """One sentence: "12 files imported, 1 duplicate, 2 not imported (cancelled)"."""
    imported = report.count(ImportStatus.IMPORTED) + report.count(
        ImportStatus.IMPORTED_WITH_WARNINGS
    )
    parts = [f"{imported} file{'s' if imported != 1 else ''} imported"]
    if duplicates := report.count(ImportStatus.DUPLICATE):
        parts.append(f"{duplicates} already in the library")
    if rejected := report.count(ImportStatus.REJECTED):
        parts.append(f"{rejected} not imported")
    text = ", ".join(parts) + "."
    if report.cancelled:
        text += f" Import cancelled; {report.not_started} file(s) were not started."
    return text


class ImportSummaryDialog(QDialog):
    """The result of one import; problems first, each with its reason.

    Signals:
        show_imported(tuple): the person asked to see the assets just imported (ids).
    """

    show_imported = Signal(tuple)

    def __init__(self, report: ImportReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importSummary")
        self.setWindowTitle("Import finished")
        self.resize(760, 420)
        self.headline = QLabel(headline(report))
        self.headline.setObjectName("importHeadline")
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.headline.setWordWrap(True)
        order = {ImportStatus.REJECTED: 0, ImportStatus.IMPORTED_WITH_WARNINGS: 1,
                 ImportStatus.DUPLICATE: 2, ImportStatus.IMPORTED: 3}  # fmt: skip
        results = sorted(report.results, key=lambda r: (order[r.status], r.path))
        self.table = QTableWidget(len(results), 3)
        self.table.setObjectName("importResults")
        self.table.setAccessibleName("Imported files and reasons")
        self.table.setHorizontalHeaderLabels(["File", "Result", "Reason"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        for row, result in enumerate(results):
            reason = result.reason or "; ".join(result.warnings)
            for column, text in enumerate((Path(result.path).name, _STATUS_WORDS[result.status],
                                           reason)):  # fmt: skip
                item = QTableWidgetItem(text)  # items show plain text: names are untrusted
                item.setToolTip(plain_tooltip(result.path if column == 0 else text))
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        new = tuple(r.asset_id for r in report.results if r.asset_id and r.status in (
            ImportStatus.IMPORTED, ImportStatus.IMPORTED_WITH_WARNINGS))  # fmt: skip
        self.show_button = buttons.addButton("Show the Imported Assets",
                                             QDialogButtonBox.ButtonRole.ActionRole)  # fmt: skip
        self.show_button.setObjectName("showImported")
        self.show_button.setVisible(bool(new))
        self.show_button.clicked.connect(lambda: (self.accept(), self.show_imported.emit(new)))
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
