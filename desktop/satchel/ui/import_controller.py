"""Importing files off the UI thread with progress and Cancel in the status bar."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from satchel.core.domain.imports import CancelToken, ImportProgress, ImportReport
from satchel.core.services import Services
from satchel.ui.tasks import TaskRunner


class ImportProgressWidget(QWidget):
    """Label, bar and Cancel button that live in the status bar during an import."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importProgress")
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Import progress")
        self.bar.setMaximumWidth(220)
        self.cancel = QPushButton("Cancel")
        self.cancel.setObjectName("cancelImport")
        self.cancel.setToolTip("Stop the import; files already imported stay, nothing is half-done")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)
        self.hide()

    def follow(self, imports: ImportController) -> None:
        """Show the progress of `imports`, and cancel it from the button."""
        imports.started.connect(self._started)
        imports.progressed.connect(self._progressed)
        imports.finished.connect(lambda _report: self.hide())
        imports.failed.connect(lambda _error: self.hide())
        self.cancel.clicked.connect(lambda: self._cancel(imports))

    def _started(self) -> None:
        self.label.setText("Starting the import…")
        self.bar.setRange(0, 0)
        self.cancel.setEnabled(True)
        self.show()

    def _progressed(self, progress: ImportProgress) -> None:
        self.bar.setRange(0, progress.total)
        self.bar.setValue(progress.done)
        self.label.setText(describe(progress))

    def _cancel(self, imports: ImportController) -> None:
        imports.cancel()
        self.cancel.setEnabled(False)
        self.label.setText("Cancelling — finishing the file in hand…")


class ImportController(QObject):
    """One import at a time; more files dropped meanwhile wait for it to end.

    Signals:
        started(): an import began.
        progressed(object): an ImportProgress (emitted on the worker thread; queued).
        finished(object): the ImportReport (what it added reaches the views through the
            runner's change signal).
        failed(object): the import as a whole failed (the error).
    """

    started = Signal()
    progressed = Signal(object)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, services: Services, runner: TaskRunner, status: Callable[[], str],
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._status = status  # the status new assets start with (a setting)
        self._services = services
        self._runner = runner
        self._token: CancelToken | None = None
        self._queued: list[Path] = []

    @property
    def running(self) -> bool:
        return self._token is not None

    def start(self, paths: Sequence[Path]) -> None:
        if self.running:
            self._queued.extend(paths)
            return
        token = CancelToken()
        self._token = token
        self.started.emit()
        files, metadata = list(paths), {"status": self._status()}
        self._runner.job(
            lambda: self._services.assets.import_paths(
                files, metadata, progress=self.progressed.emit, cancel=token
            ),
            lambda outcome: self._done(outcome[0]),
            self._failed,
            initiator=self,
        )

    def cancel(self) -> None:
        """Stop after the files being committed now; the rest are not started."""
        if self._token is not None:
            self._token.cancel()
            self._queued.clear()

    def _done(self, report: ImportReport) -> None:
        self._token = None
        self.finished.emit(report)
        self._next()

    def _failed(self, error: BaseException) -> None:
        self._token = None
        self.failed.emit(error)
        self._next()

    def _next(self) -> None:
        if self._queued:
            queued, self._queued = self._queued, []
            self.start(queued)


def describe(progress: ImportProgress) -> str:
    return f"Importing {progress.done} of {progress.total}: {Path(progress.result.path).name}"
