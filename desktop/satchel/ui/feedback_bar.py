"""The one-tap question after a rep hands an asset out (copied, exported, generated):
used with a customer? A bar under the results, never a dialog: the work goes on, Esc or
× dismisses it, and "Don't ask for this asset" is remembered on this computer."""

from __future__ import annotations

from PySide6.QtCore import QSettings, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from satchel.core.domain.feedback import ACCOUNT_CHARS, COMPETITOR_CHARS, NOTE_CHARS, STAGES, Used
from satchel.core.services import Services
from satchel.ui.errors import show_error
from satchel.ui.tasks import TaskRunner

MUTED_KEY = "feedback/muted_assets"  # assets the rep asked never to be asked about again


def _completer(words: list[str], parent: QWidget) -> QCompleter:
    completer = QCompleter(words, parent)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchStartsWith)
    return completer


class FeedbackBar(QFrame):
    """Asks about one asset at a time (`ask`); `recorded` after the answer is kept."""

    recorded = Signal(str)  # the status line's sentence

    def __init__(self, services: Services, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self._services, self._runner = services, runner
        self.asset_id = ""
        self.setObjectName("feedbackBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Feedback on the asset you handed out")
        self.question = QLabel()
        self.question.setTextFormat(Qt.TextFormat.PlainText)  # titles are data, not markup
        self.question.setWordWrap(True)
        self.question.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.answers = {used: QPushButton(used.value.capitalize()) for used in Used}
        self.account = QComboBox()
        self.account.setEditable(True)
        self.account.setAccessibleName("Account or opportunity")
        self.account.lineEdit().setPlaceholderText("Account or opportunity (optional)")
        self.account.lineEdit().setMaxLength(ACCOUNT_CHARS)
        self.account.setMinimumWidth(140)
        self.rating = QComboBox()
        self.rating.setAccessibleName("Rating")
        self.rating.addItem("Rating", None)
        for score in range(1, 6):
            self.rating.addItem("★" * score, score)
        self.more = QToolButton()
        self.more.setText("More…")
        self.more.setCheckable(True)
        self.mute = QToolButton()
        self.mute.setText("Don't ask for this asset")
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setAccessibleName("Dismiss")
        self.close_button.setToolTip("Not now (Esc)")

        heading = QHBoxLayout()  # the question, and the ways to leave it unanswered
        heading.setContentsMargins(0, 0, 0, 0)
        heading.addWidget(self.question, 1)
        heading.addWidget(self.mute)
        heading.addWidget(self.close_button)
        first = QHBoxLayout()  # narrow enough for the results column of a small window
        first.setContentsMargins(0, 0, 0, 0)
        for button in self.answers.values():
            first.addWidget(button)
        first.addWidget(self.account, 1)
        first.addWidget(self.rating)
        first.addWidget(self.more)

        self.stage = QComboBox()
        self.stage.setAccessibleName("Funnel stage")
        self.stage.addItem("Funnel stage", "")
        for stage in STAGES:
            self.stage.addItem(stage.capitalize(), stage)
        self.missing = self._line("What was missing or wrong", NOTE_CHARS)
        self.objections = self._line("Objections the customer raised", NOTE_CHARS)
        self.competitor = self._line("Competitor mentioned", COMPETITOR_CHARS)
        self.tags = _completer([], self.objections)  # the tags marketing keeps
        self.tags.setWidget(self.objections)
        self.tags.activated.connect(self._complete_tag)
        self.objections.textEdited.connect(self._suggest_tags)
        self.details = QWidget()
        second = QHBoxLayout(self.details)
        second.setContentsMargins(0, 0, 0, 0)
        for widget in (self.stage, self.missing, self.objections, self.competitor):
            second.addWidget(widget, 0 if widget is self.stage else 1)
        self.details.setVisible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addLayout(heading)
        layout.addLayout(first)
        layout.addWidget(self.details)

        for used, button in self.answers.items():
            button.clicked.connect(lambda _checked=False, u=used: self.answer(u))
        self.more.toggled.connect(self.details.setVisible)
        self.mute.clicked.connect(self.never_for_this_asset)
        self.close_button.clicked.connect(self.dismiss)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.dismiss,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)  # fmt: skip
        self.setVisible(False)

    @staticmethod
    def _line(placeholder: str, most: int) -> QLineEdit:
        line = QLineEdit()
        line.setPlaceholderText(placeholder)
        line.setAccessibleName(placeholder)
        line.setMaxLength(most)
        return line

    def ask(self, asset_id: str, title: str) -> bool:
        """Ask about this asset (unless the rep said not to); True when shown."""
        if asset_id in self._muted():
            return False
        self.asset_id = asset_id
        self.question.setText(f"Used “{title}” with a customer?")
        for line in (self.missing, self.objections, self.competitor):
            line.clear()
        self.rating.setCurrentIndex(0)
        self.stage.setCurrentIndex(0)
        self.show()
        services = self._services
        self._runner.query(lambda: (services.feedback.accounts(), services.notes.objection_tags(),
                                    [c.name for c in services.notes.competitors()]),
                           self._remembered)  # fmt: skip
        return True

    def _remembered(self, known: tuple[list[str], list[str], list[str]]) -> None:
        accounts, tags, competitors = known
        typed = self.account.currentText()
        self.account.clear()
        self.account.addItems(accounts)
        self.account.setCurrentText(typed)
        self.tags.setModel(QStringListModel(tags, self.tags))
        self.competitor.setCompleter(_completer(competitors, self.competitor))

    def _suggest_tags(self, typed: str) -> None:
        """Marketing's objection tags that the word being typed begins, offered in a
        popup; choosing one completes the word."""
        words = typed.split(" ")
        self.tags.setCompletionPrefix(words[-1])
        if words[-1] and self.tags.completionCount():
            self.tags.complete()
        else:
            self.tags.popup().hide()

    def _complete_tag(self, tag: str) -> None:
        words = self.objections.text().split(" ")
        self.objections.setText(" ".join([*words[:-1], tag]) + " ")

    def answer(self, used: Used) -> None:
        """Keep the answer with what else was filled in, off the UI thread."""
        asset_id, feedback = self.asset_id, self._services.feedback
        account, rating = self.account.currentText(), self.rating.currentData()
        stage, missing = str(self.stage.currentData() or ""), self.missing.text()
        objections, competitor = self.objections.text(), self.competitor.text()
        self.hide()
        thanks = "Thanks: your feedback reaches marketing with the next sync."
        self._runner.mutate(
            lambda: feedback.give(asset_id, used, account, stage, rating, missing, objections,
                                  competitor),
            lambda _done: self.recorded.emit(thanks),
            lambda error: show_error(self.window(), error, None),
        )  # fmt: skip

    def never_for_this_asset(self) -> None:
        QSettings().setValue(MUTED_KEY, sorted(self._muted() | {self.asset_id}))
        self.dismiss()

    def dismiss(self) -> None:
        self.hide()
        self.asset_id = ""

    @staticmethod
    def _muted() -> set[str]:
        stored = QSettings().value(MUTED_KEY, [])
        return set(stored if isinstance(stored, list) else [stored] if stored else [])
