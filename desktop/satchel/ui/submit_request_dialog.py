"""Before a request goes to marketing: which account it is for, a note, and a sentence
saying what will happen."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from satchel.core.domain.requests import MAX_COMMENT, MAX_FOR

RECENT_KEY = "requests/recent_accounts"
RECENT_KEPT = 30


def what_happens(reasons: list[str], due: dt.datetime | None, review_days: int) -> str:
    """The sentence the rep reads before sending."""
    if not reasons:
        return ("Every value is inside marketing's limits: the request is approved at once "
                "and you can make the final PDF right away.")  # fmt: skip
    needs = "; ".join(reason.rstrip(". ") for reason in reasons)
    when = f" by {due.astimezone():%A %d %B, %H:%M}" if due else ""
    return (f"Marketing will review it ({needs}). The review target is {review_days} working "
            f"day{'s' if review_days != 1 else ''}{when}. Until then the PDF is a DRAFT; the "
            "decision appears in Requests, also after you reconnect.")  # fmt: skip


def recent_accounts() -> list[str]:
    """The accounts this person submitted for lately, newest first."""
    kept = QSettings().value(RECENT_KEY) or []
    return [kept] if isinstance(kept, str) else [str(a) for a in kept]


class SubmitRequestDialog(QDialog):
    """Asks for the account and a note; `customer` and `note` hold them after accept."""

    def __init__(self, reasons: list[str], due: dt.datetime | None, review_days: int,
                 parent: QWidget | None = None, customer: str = "",
                 note: str = "") -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("submitRequestDialog")
        self.setWindowTitle("Submit for Approval")
        recent = recent_accounts()
        self.customer_edit = QLineEdit(customer)
        self.customer_edit.setObjectName("requestFor")
        self.customer_edit.setMaxLength(MAX_FOR)
        self.customer_edit.setPlaceholderText("Account or opportunity, e.g. Northwind Foods")
        completer = QCompleter(recent, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.customer_edit.setCompleter(completer)
        self.note_edit = QPlainTextEdit(note)
        self.note_edit.setObjectName("requestNote")
        self.note_edit.setPlaceholderText("Why these values? (optional)")
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setMaximumHeight(110)
        self.sentence = QLabel(what_happens(reasons, due, review_days))
        self.sentence.setObjectName("whatHappens")
        self.sentence.setTextFormat(Qt.TextFormat.PlainText)
        self.sentence.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&For:", self.customer_edit)
        form.addRow("&Note to marketing:", self.note_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.send = buttons.addButton("Submit", QDialogButtonBox.ButtonRole.AcceptRole)
        self.send.setObjectName("sendRequest")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.sentence)
        layout.addWidget(buttons)
        self.send.setDefault(True)  # once it is in the dialog: Enter submits
        self.resize(520, 280)

    @property
    def customer(self) -> str:
        return self.customer_edit.text().strip()

    @property
    def note(self) -> str:
        return self.note_edit.toPlainText()[:MAX_COMMENT]

    def accept(self) -> None:
        if self.customer:
            recent = [a for a in recent_accounts() if a != self.customer]
            QSettings().setValue(RECENT_KEY, [self.customer, *recent][:RECENT_KEPT])
        super().accept()
