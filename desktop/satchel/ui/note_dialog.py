"""Log a field note in seconds, from anywhere (Ctrl+Shift+L): which competitor, what they
claimed or offered, for which account, and, when an asset is selected, that it is about
it. The competitor comes from marketing's list (an alias is enough) or is a new name."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialogButtonBox,
    QFormLayout,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from satchel.core.domain.feedback import ACCOUNT_CHARS, COMPETITOR_CHARS
from satchel.core.services import Services
from satchel.core.services.field_notes import Competitor
from satchel.ui.field_form import FieldForm
from satchel.ui.tasks import TaskRunner


class NoteDialog(FieldForm):
    """`asset` is the selected asset's (id, title), offered as what the note is about."""

    def __init__(self, services: Services, runner: TaskRunner,
                 asset: tuple[str, str] | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(services, runner, "noteDialog", parent)
        self.setWindowTitle("Log a Field Note")
        self.competitor = QComboBox()
        self.competitor.setObjectName("noteCompetitor")
        self.competitor.setEditable(True)
        self.competitor.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        line = self.competitor.lineEdit()
        line.setMaxLength(COMPETITOR_CHARS)
        line.setPlaceholderText("Who: from marketing's list, or a new name")
        self.claim = QPlainTextEdit()
        self.claim.setObjectName("noteClaim")
        self.claim.setPlaceholderText("What they claimed or offered (a 20% discount, "
                                      "“no integration needed”…)")  # fmt: skip
        self.claim.setTabChangesFocus(True)
        self.claim.setFixedHeight(80)
        self.account = self.line(ACCOUNT_CHARS)
        self.account.setObjectName("noteAccount")
        self.about_asset = QCheckBox(f"About “{asset[1]}”" if asset else "")
        self.about_asset.setObjectName("noteAboutAsset")
        self.about_asset.setVisible(asset is not None)
        self._asset_id = asset[0] if asset else None
        form = QFormLayout()
        form.addRow("&Competitor", self.competitor)
        form.addRow("&What they said", self.claim)
        form.addRow("&Account", self.account)
        form.addRow("", self.about_asset)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save = buttons.addButton("Log Note", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save.setObjectName("saveNote")
        self.save.setDefault(True)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        self.resize(520, 0)
        runner.query(lambda: (services.notes.competitors(), services.feedback.accounts()),
                     self._offer)  # fmt: skip

    def _offer(self, known: tuple[list[Competitor], list[str]]) -> None:
        competitors, accounts = known
        typed = self.competitor.currentText()
        for competitor in competitors:
            self.competitor.addItem(competitor.name)
        self.competitor.setEditText(typed)
        completer = QCompleter(accounts, self.account)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.account.setCompleter(completer)

    def submit(self) -> None:
        competitor, claim = self.competitor.currentText(), self.claim.toPlainText()
        account = self.account.text()
        asset_id = self._asset_id if self.about_asset.isChecked() else None
        self.keep(lambda: self._services.notes.note(competitor, claim, account, asset_id),
                  "Your note reaches marketing with the next sync.", self.save)  # fmt: skip
