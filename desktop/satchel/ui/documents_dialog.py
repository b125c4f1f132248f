"""My documents: every PDF the person generated, with what it was for, its template
version and state; Open, Copy, Regenerate and Provenance."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from satchel.core.domain.documents import DocumentRecord
from satchel.core.services import Services
from satchel.ui.clipboard import put_file
from satchel.ui.errors import message_box, show_error
from satchel.ui.tasks import TaskRunner

COLUMNS = ("Made", "Template", "For", "State")


class DocumentsDialog(QDialog):
    """The signed-in person's generated documents, newest first (read off the UI thread).

    Signals:
        regenerate(object): make this document again (a DocumentRecord): the window
            opens the customize form on its template version with its values.
    """

    regenerate = Signal(object)

    def __init__(self, services: Services, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("documentsDialog")
        self.setWindowTitle("My Documents")
        self.services, self.runner = services, runner
        self.records: list[DocumentRecord] = []
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("documentsTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.open_document())
        self.empty = QLabel("No documents yet: customize a template and generate a PDF.")
        self.empty.setObjectName("documentsEmpty")
        self.status = QLabel()
        self.status.setObjectName("documentsStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for name, label, handler in (("open", "Open", self.open_document),
                                     ("copy", "Copy", self.copy_document),
                                     ("regenerate", "Regenerate…", self._regenerate),
                                     ("provenance", "Provenance", self.show_provenance)):  # fmt: skip
            button = QPushButton(label)
            button.setObjectName(f"document_{name}")
            button.clicked.connect(handler)
            self.buttons[name] = button
            row.addWidget(button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.status)
        layout.addLayout(row)
        self.provenance_box: QMessageBox | None = None
        self.resize(820, 480)
        self._selection_changed()
        self.reload()

    def reload(self) -> None:
        self.runner.query(self.services.documents.mine, self._show,
                          lambda error: show_error(self, error, None))  # fmt: skip

    def _show(self, records: list[DocumentRecord]) -> None:
        self.records = records
        self.table.setRowCount(len(records))
        for number, record in enumerate(records):
            cells = (f"{record.made_at:%Y-%m-%d %H:%M}",
                     f"{record.template.title.split(' (')[0]} · version {record.template.version}",
                     record.for_whom, record.state)  # fmt: skip
            for column, text in enumerate(cells):
                self.table.setItem(number, column, QTableWidgetItem(text))  # plain text
        for column in (0, 1, 3):
            self.table.resizeColumnToContents(column)
        self.empty.setVisible(not records)
        self.table.setVisible(bool(records))
        if records:
            self.table.selectRow(0)
            self.table.setFocus()

    def selected(self) -> DocumentRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.records[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        for button in self.buttons.values():
            button.setEnabled(self.selected() is not None)

    def _shareable(self, then: object) -> None:
        record = self.selected()
        if record is not None:
            self.runner.query(lambda: self.services.documents.shareable_copy(record.id), then,  # type: ignore[arg-type]
                              lambda error: show_error(self, error, None))  # fmt: skip

    def open_document(self) -> None:
        self._shareable(lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))

    def copy_document(self) -> None:
        def put(path: Path) -> None:
            put_file(path)
            self.status.setText(f"Copied {path.name} to the clipboard.")

        self._shareable(put)

    def show_provenance(self) -> None:
        record = self.selected()
        if record is None:
            return

        def show(text: str) -> None:
            self.provenance_box = message_box(self, QMessageBox.Icon.Information, "Provenance",
                                              f"Where “{record.for_whom or record.template.title}” "
                                              "comes from", text)  # fmt: skip
            self.provenance_box.open()

        self.runner.query(lambda: self.services.documents.provenance(record.id), show,
                          lambda error: show_error(self, error, None))  # fmt: skip

    def _regenerate(self) -> None:
        record = self.selected()
        if record is not None:
            self.accept()  # the customize window takes over
            self.regenerate.emit(record)
