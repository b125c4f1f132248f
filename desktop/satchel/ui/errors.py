"""How failures reach the person: plain sentences for known errors, the log for bugs."""

from __future__ import annotations

import html
import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from satchel.core.errors import KnownError, ValidationError

log = logging.getLogger("satchel.ui")
qt_log = logging.getLogger("satchel.qt")

_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def message_box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str,
                detail: str = "") -> QMessageBox:  # fmt: skip
    """A message box whose text is plain (file names and titles are untrusted)."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if detail:
        box.setInformativeText(detail)
    return box


def confirm(parent: QWidget, title: str, text: str, action: str, on_yes: Callable[[], None],
            detail: str = "", safe_default: bool = True) -> QMessageBox:  # fmt: skip
    """Ask before something that cannot be taken back; `on_yes` runs if the person
    chooses `action`. Window-modal and non-blocking (`open`), so tests answer it like a
    person: find the box and click. Cancel is the default unless `safe_default` is off."""
    box = message_box(parent, QMessageBox.Icon.Question, title, text, detail)
    box.setObjectName("confirm")
    box.setStandardButtons(QMessageBox.StandardButton.Cancel)
    yes = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(box.button(QMessageBox.StandardButton.Cancel) if safe_default else yes)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.buttonClicked.connect(lambda button: on_yes() if button is yes else None)
    box.open()
    return box


def refuse(parent: QWidget, text: str, detail: str = "") -> QMessageBox:
    """Say why something was not done, without blocking (`open`): a person reads it
    and closes it; tests find it by its name, "refusal"."""
    box = message_box(parent, QMessageBox.Icon.Warning, "Satchel", text, detail)
    box.setObjectName("refusal")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def explain(error: BaseException, log_file: Path | None) -> tuple[str, str]:
    """(headline, detail) for an error: its own words if known, else where the log is."""
    if isinstance(error, ValidationError):
        return "That value is not allowed.", "\n".join(error.problems)
    if isinstance(error, KnownError):
        return str(error), ""
    where = f"The details are in {log_file}." if log_file else "The details are in the log."
    return "Something went wrong.", f"{where} Your library has not been changed by this."


def show_error(parent: QWidget | None, error: BaseException, log_file: Path | None) -> None:
    """Show a failure; bugs are logged with their traceback first."""
    if not isinstance(error, KnownError):
        log.error("unexpected error", exc_info=(type(error), error, error.__traceback__))
    headline, detail = explain(error, log_file)
    icon = QMessageBox.Icon.Warning if isinstance(error, KnownError) else QMessageBox.Icon.Critical
    message_box(parent, icon, "Satchel", headline, detail).exec()


def install_hooks(log_file: Path | None) -> None:
    """Route Qt's messages into logging and show uncaught exceptions instead of dying."""

    def on_qt_message(kind: QtMsgType, context: object, message: str) -> None:
        qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)

    def on_exception(kind: type[BaseException], error: BaseException,
                     tb: TracebackType | None) -> None:  # fmt: skip
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        log.error("uncaught exception:\n%s", "".join(traceback.format_exception(kind, error, tb)))
        if QApplication.instance() is not None:
            headline, detail = explain(error, log_file)
            message_box(QApplication.activeWindow(), QMessageBox.Icon.Critical, "Satchel",
                        headline, detail).exec()  # fmt: skip

    qInstallMessageHandler(on_qt_message)
    sys.excepthook = on_exception


ERROR_COLOUR = "#c0392b"  # refusals, and what is late
ERROR_STYLE = f"color: {ERROR_COLOUR}"


def problem_label(object_name: str) -> QLabel:
    """A hidden label for a refused value's reason, in plain text and the error colour."""
    label = QLabel()
    label.setObjectName(object_name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


def plain_tooltip(text: str) -> str:
    """Tooltip text shown literally: Qt renders anything that looks like markup as
    rich text, so untrusted text is escaped inside an explicit rich-text paragraph."""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"
