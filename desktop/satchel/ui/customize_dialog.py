"""Customize a template: a form from its fields, checks as you type, a live preview."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import (
    QDate,
    QEvent,
    QLocale,
    QObject,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices, QImage, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from satchel.core.domain.changes import Changes
from satchel.core.domain.requests import RequestDetail
from satchel.core.domain.templates import (
    FieldIssue,
    FieldKind,
    FieldSpec,
    Policy,
    Severity,
    Template,
    suggested_file_name,
)
from satchel.core.domain.users import Profile
from satchel.core.services import Services
from satchel.core.services.templates import computed_texts, field_issues, prefilled
from satchel.ui.clipboard import put_file
from satchel.ui.document_preview import DocumentPreview
from satchel.ui.errors import ERROR_STYLE, confirm, show_error
from satchel.ui.save_target import ask_save_path
from satchel.ui.submit_request_dialog import SubmitRequestDialog
from satchel.ui.tasks import TaskRunner

PREVIEW_PX = 900
PREVIEW_DELAY_MS = 250
APPROVAL_STYLE = "color: #b9770e"
OK_STYLE = "color: #1e8449"


class DateEditor(QDateEdit):
    """A date in the locale's format, typed or picked from a calendar that offers the
    field's window only. Its lowest date reads "Choose a date": no date yet. (The
    window is not the editor's range: Qt refuses to type a day through an out-of-range
    intermediate, and the form's check says what is allowed.)"""

    NO_DATE = QDate(2000, 1, 1)

    def __init__(self, spec: FieldSpec, today: dt.date) -> None:
        super().__init__()
        limits = spec.limits
        self.first = QDate(today + dt.timedelta(days=limits.date_min_days or 0))
        self.setDateRange(self.NO_DATE, QDate(2999, 12, 31))
        self.setSpecialValueText("Choose a date")
        self.setCalendarPopup(True)
        if limits.date_max_days is not None:
            self.calendarWidget().setDateRange(
                self.first, QDate(today + dt.timedelta(days=limits.date_max_days)))  # fmt: skip
        short = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
        self.setDisplayFormat(short if "yyyy" in short else short.replace("yy", "yyyy"))
        try:
            self.setDate(QDate(dt.date.fromisoformat(spec.default)))
        except ValueError:
            self.setDate(self.NO_DATE)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Typing a digit over "Choose a date" starts a date at the first allowed day,
        typed over section by section (Qt does not type into its special text)."""
        if self.date() == self.NO_DATE and event.text().isdigit():
            self.setDate(self.first)
            self.setSelectedSection(self.sectionAt(0))
        super().keyPressEvent(event)

    def iso(self) -> str:
        """The chosen day as YYYY-MM-DD, or "" before one is chosen."""
        day = self.date()
        return "" if day == self.NO_DATE else day.toString(Qt.DateFormat.ISODate)


Editor = QLineEdit | QPlainTextEdit | QComboBox | DateEditor


class CustomizeDialog(QDialog):
    """One template, the rep's values and the document they make.

    Checks run on every keystroke with the same rules the service applies (they are
    pure and fast); the preview is drawn off the UI thread once typing pauses.

    Signals:
        submitted(str): a request (this id) was sent to marketing or approved at once.
        generated(str): a PDF was saved at this path (what it recorded reaches the
            window through the runner's change signal).
    """

    generated = Signal(str)
    submitted = Signal(str)  # a request (its id) was sent

    def __init__(self, services: Services, runner: TaskRunner, template: Template,
                 profile: Profile | None, today: Callable[[], dt.date],
                 image_titles: dict[str, str], parent: QWidget | None = None,
                 trial: bool = False, values: Mapping[str, str] | None = None,
                 review_days: int = 2, resubmit: RequestDetail | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("customizeDialog")
        self.setWindowTitle(f"Customize — {template.title}")
        self.services, self.runner, self.template = services, runner, template
        self.profile, self.today, self.trial = profile, today, trial
        self.review_days, self.resubmit = review_days, resubmit  # resubmit: its next round
        self.submit_dialog: SubmitRequestDialog | None = None
        self.editors: dict[str, Editor] = {}
        self.hints: dict[str, QLabel] = {}
        self.issues: list[FieldIssue] = []
        # A field's refusal shows once the rep has changed or left it, or asked for
        # the PDF: an empty form is not a list of errors.
        self.touched: set[str] = set()
        self.show_all = False
        self.kept_values: dict[str, str] | None = None  # as last generated or submitted
        self._preview_asked = 0
        self._preview_running = False
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)  # labels above fields
        for spec in template.fields:
            form.addRow(self._label(spec), self._field(spec, image_titles))
        panel = QWidget()
        column = QVBoxLayout(panel)
        column.addLayout(form)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(panel)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(420)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from field to field
        self.preview = DocumentPreview("Drawing the preview…", "customizePreview",
                                       "Preview of the document", (360, 480))  # fmt: skip
        self.status = QLabel()
        self.status.setObjectName("customizeStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.generate_button = QPushButton("Generate PDF…")
        self.generate_button.setObjectName("generatePdf")
        self.generate_button.setDefault(True)
        self.generate_button.clicked.connect(self.generate)
        self.submit_button = QPushButton("Submit for Approval")
        self.submit_button.setObjectName("submitForApproval")
        self.submit_button.setToolTip("Send these values to marketing to decide")
        if resubmit is not None:
            self.submit_button.setText("Submit Next Round")
            self.setWindowTitle(f"Change values — {template.title} for {resubmit.summary.customer}")
        self.submit_button.clicked.connect(self.submit)
        self.generate_button.setVisible(not trial)  # an unpublished draft makes no documents
        self.submit_button.setVisible(not trial)
        if trial:
            self.setWindowTitle(f"Try values — {template.title} (not published)")
        self.open_button = QPushButton("Open PDF")
        self.open_button.setObjectName("openGenerated")
        self.copy_button = QPushButton("Copy PDF")
        self.copy_button.setObjectName("copyGenerated")
        self.copy_button.setToolTip("Put the saved PDF on the clipboard (paste it into an email)")
        for button in (self.open_button, self.copy_button):
            button.hide()
        self.open_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(self.last_saved))
        )
        self.copy_button.clicked.connect(self._copy_saved)
        self.last_saved = ""
        close = QPushButton("Close")
        close.setObjectName("closeCustomize")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.copy_button)
        buttons.addWidget(self.submit_button)
        buttons.addWidget(self.generate_button)
        buttons.addWidget(close)
        columns = QHBoxLayout()
        columns.addWidget(scroll, 2)
        columns.addWidget(self.preview, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addLayout(buttons)
        self._debounce = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._debounce.timeout.connect(self._draw_preview)
        self.resize(1100, 760)
        self.initial_values = self.values()  # unchanged, Close asks nothing
        if values:  # regenerating a document: its values, kept already by that document
            self.fill(values)
            self.touched.update(values)
            self.kept_values = self.values()
        first = next((e for e in self.editors.values() if e.isEnabled()), None)
        if first is not None:
            first.setFocus()  # typing starts in the first field the rep can change
        self.check()
        self._draw_preview()

    # --- the form -----------------------------------------------------------------

    @staticmethod
    def _label(spec: FieldSpec) -> QLabel:
        label = QLabel(spec.label + (" *" if spec.limits.required else ""))
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setToolTip(spec.help)
        return label

    def _field(self, spec: FieldSpec, image_titles: dict[str, str]) -> QWidget:
        editor: Editor
        key = spec.key
        if spec.kind is FieldKind.PARAGRAPH:
            editor = QPlainTextEdit(spec.default)
            editor.setTabChangesFocus(True)
            editor.setFixedHeight(84)
            editor.textChanged.connect(lambda: self._changed(key))
        elif spec.kind is FieldKind.DATE:
            editor = DateEditor(spec, self.today())
            editor.dateChanged.connect(lambda _day: self._changed(key))
        elif spec.kind in (FieldKind.CHOICE, FieldKind.IMAGE):
            editor = QComboBox()
            if spec.kind is FieldKind.IMAGE:
                editor.addItem("(none)", "")
                for asset_id in spec.limits.image_set:
                    editor.addItem(image_titles.get(asset_id, asset_id[:8]), asset_id)
            else:
                for choice in spec.limits.choices:
                    editor.addItem(choice, choice)
            editor.setCurrentIndex(max(0, editor.findData(spec.default)))
            editor.currentIndexChanged.connect(lambda _index: self._changed(key))
        else:
            editor = QLineEdit(prefilled(spec, self.profile))
            editor.setPlaceholderText(spec.help or _PLACEHOLDERS.get(spec.kind, ""))
            editor.textChanged.connect(lambda _text: self._changed(key))
        editor.installEventFilter(self)  # leaving a field touches it
        fixed = spec.policy is Policy.LOCKED or spec.kind in (FieldKind.PROFILE,
                                                              FieldKind.COMPUTED)  # fmt: skip
        editor.setEnabled(not fixed)
        editor.setObjectName(f"value_{spec.key}")
        editor.setAccessibleName(spec.label)
        editor.setToolTip(spec.help)
        self.editors[spec.key] = editor
        hint = QLabel()
        hint.setObjectName(f"hint_{spec.key}")
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setWordWrap(True)
        self.hints[spec.key] = hint
        if fixed:
            hint.setText(_FIXED_HINTS.get(spec.kind, "Set by marketing"))
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 4)
        column.setSpacing(1)
        column.addWidget(editor)
        column.addWidget(hint)
        return box

    def fill(self, values: Mapping[str, str]) -> None:
        """Put values into the editors (fields the rep cannot change keep theirs)."""
        for key, value in values.items():
            editor = self.editors.get(key)
            if editor is None or not editor.isEnabled():
                continue
            if isinstance(editor, DateEditor):
                try:
                    editor.setDate(QDate(dt.date.fromisoformat(value)))
                except ValueError:
                    continue
            elif isinstance(editor, QComboBox):
                editor.setCurrentIndex(max(0, editor.findData(value)))
            elif isinstance(editor, QPlainTextEdit):
                editor.setPlainText(value)
            else:
                editor.setText(value)

    def values(self) -> dict[str, str]:
        """What the rep entered (fields they cannot change are left out)."""
        values = {}
        for spec in self.template.fields:
            editor = self.editors[spec.key]
            if not editor.isEnabled():
                continue
            if isinstance(editor, DateEditor):
                values[spec.key] = editor.iso()
            elif isinstance(editor, QComboBox):
                values[spec.key] = str(editor.currentData() or "")
            elif isinstance(editor, QPlainTextEdit):
                values[spec.key] = editor.toPlainText()
            else:
                values[spec.key] = editor.text()
        return values

    def _changed(self, key: str) -> None:
        self.touched.add(key)
        self.check()
        self._debounce.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            key = next((k for k, e in self.editors.items() if e is watched), None)
            if key is not None and key not in self.touched:
                self.touched.add(key)
                self.check()
        return super().eventFilter(watched, event)

    def check(self) -> None:
        """Inline checks: a counter and the first issue (or "fits") under each field;
        computed fields show their results as they will print."""
        values = self.values()
        self.issues = field_issues(self.template, values, self.profile, self.today())
        by_field: dict[str, FieldIssue] = {}
        for issue in self.issues:
            by_field.setdefault(issue.field, issue)
        for key, text in computed_texts(self.template, values, self.profile).items():
            editor, hint = self.editors[key], self.hints[key]
            assert isinstance(editor, QLineEdit)
            editor.setText(text)
            issue = by_field.get(key)
            hint.setText(issue.message if issue else _FIXED_HINTS[FieldKind.COMPUTED])
            hint.setStyleSheet("" if issue is None else (
                ERROR_STYLE if issue.severity is Severity.ERROR else APPROVAL_STYLE))  # fmt: skip
        for spec in self.template.fields:
            if not self.editors[spec.key].isEnabled():
                continue
            issue, hint = by_field.get(spec.key), self.hints[spec.key]
            counter = _counter(spec, values.get(spec.key, ""))
            if (issue is not None and issue.severity is Severity.ERROR
                    and not self._shows_errors(spec.key)):  # fmt: skip
                hint.setText(counter)  # not "fits": it is not filled in yet
                hint.setStyleSheet("")
            elif issue is None:
                envelope = _envelope_hint(spec)
                hint.setText(
                    " · ".join(p for p in (counter, "fits" if counter else "", envelope) if p)
                )
                hint.setStyleSheet(OK_STYLE if counter else "")
            else:
                hint.setText(" · ".join(p for p in (counter, issue.message) if p))
                error = issue.severity is Severity.ERROR
                hint.setStyleSheet(ERROR_STYLE if error else APPROVAL_STYLE)
        errors = sum(1 for i in self.issues if i.severity is Severity.ERROR)
        shown = sum(1 for i in self.issues
                    if i.severity is Severity.ERROR and self._shows_errors(i.field))  # fmt: skip
        approvals = sum(1 for i in self.issues if i.severity is Severity.NEEDS_APPROVAL)
        # A next round may also bring values back inside the limits (approved at once).
        self.submit_button.setEnabled(approvals > 0 or self.resubmit is not None)
        if errors and not shown:
            self.status.setText("Fill in the fields marked * to make the PDF.")
            self.status.setStyleSheet("")
        elif errors:
            self.status.setText(f"{shown} value{'s' if shown != 1 else ''} to fix before the "
                                "PDF can be made.")  # fmt: skip
            self.status.setStyleSheet(ERROR_STYLE)
        elif approvals:
            self.status.setText("Some values need marketing approval: the PDF is a DRAFT until "
                                "they are approved.")  # fmt: skip
            self.status.setStyleSheet(APPROVAL_STYLE)
        else:
            self.status.setText("Ready: everything is within marketing's limits.")
            self.status.setStyleSheet(OK_STYLE)

    def _shows_errors(self, key: str) -> bool:
        return self.show_all or key in self.touched or key not in self.editors

    def _refuse_if_errors(self) -> bool:
        """Show every refusal and go to the first refused field; True if there was one."""
        self.show_all = True
        self.check()
        refused = [i.field for i in self.issues if i.severity is Severity.ERROR]
        if not refused:
            return False
        editor = self.editors.get(refused[0])
        if editor is not None:
            editor.setFocus()
        return True

    def reject(self) -> None:
        """Close; typed values that no document or draft keeps are discarded only
        when the rep says so."""
        values = self.values()
        if self.trial or values in (self.initial_values, self.kept_values):
            super().reject()
            return
        confirm(self, "Discard your values?",
                "The values you typed are not in any PDF or draft yet. Close and discard them?",
                "Discard", lambda: QDialog.reject(self))  # fmt: skip

    # --- preview and output --------------------------------------------------------

    @property
    def preview_busy(self) -> bool:
        return self._preview_running or self._debounce.isActive()

    def _draw_preview(self) -> None:
        if self._preview_running:  # one at a time; the newest values follow
            self._debounce.start()
            return
        self._preview_running = True
        self._preview_asked += 1
        values, template = self.values(), self.template
        self.runner.query(
            lambda: QImage.fromData(self.services.templates.preview(template, values, PREVIEW_PX), "PNG"),
            self._show_preview,
            self._preview_failed,
        )  # fmt: skip

    def _show_preview(self, image: QImage) -> None:
        self._preview_running = False
        self.preview.setToolTip("")
        self.preview.set_image(image)

    def _preview_failed(self, error: BaseException) -> None:
        self._preview_running = False
        self.preview.show_text(str(error))

    def generate(self) -> None:
        """Save the PDF (recorded in the library), then offer to open it."""
        if self._refuse_if_errors():
            return
        target = ask_save_path(self, "Save the PDF",
                               suggested_file_name(self.template, self.values()), "PDF (*.pdf)")  # fmt: skip
        if target is None:
            return
        values, template = self.values(), self.template
        self.generate_button.setEnabled(False)

        def make() -> tuple[Path, bool, Changes]:
            made, changes = self.services.templates.generate(template.id, values, template.version)
            return (
                self.services.templates.save_document(made.pdf, Path(target)),
                made.draft,
                changes,
            )

        self.runner.mutate(make, lambda outcome: self._saved(outcome, values), self._save_failed,
                           initiator=self)  # fmt: skip

    def submit(self) -> None:
        """Ask for the account and a note, then send the request to marketing."""
        if self._refuse_if_errors():
            return
        reasons = [i.message for i in self.issues if i.severity is Severity.NEEDS_APPROVAL]
        due = self.services.requests.review_due(self.review_days) if reasons else None
        previous = self.resubmit
        self.submit_dialog = SubmitRequestDialog(
            reasons, due, self.review_days, self,
            previous.summary.customer if previous else "", previous.note if previous else "",
        )  # fmt: skip
        if previous is not None:
            self.submit_dialog.customer_edit.setReadOnly(True)  # a round keeps its account
        self.submit_dialog.accepted.connect(self._send)
        self.submit_dialog.open()

    def _send(self) -> None:
        assert self.submit_dialog is not None
        customer, note = self.submit_dialog.customer, self.submit_dialog.note
        values, template, previous = self.values(), self.template, self.resubmit
        self.submit_button.setEnabled(False)

        def send() -> tuple[RequestDetail, Changes]:
            if previous is not None:
                return self.services.requests.resubmit(previous.request.id, values, note)
            return self.services.requests.submit(template.id, values, customer, note,
                                                 template.version)  # fmt: skip

        self.runner.mutate(send, lambda sent: self._submitted(sent[0], values),
                           self._save_failed, initiator=self)  # fmt: skip

    def _submitted(self, detail: RequestDetail, values: dict[str, str]) -> None:
        self.kept_values = values
        self.resubmit = None
        if detail.can_generate_final:
            self.status.setText("Approved at once: every value is inside the limits. Make the "
                                "final PDF from Requests.")  # fmt: skip
            self.status.setStyleSheet(OK_STYLE)
        else:
            self.status.setText(f"Sent to marketing for {detail.summary.customer or 'review'}; "
                                "the decision appears in Requests.")  # fmt: skip
            self.status.setStyleSheet(APPROVAL_STYLE)
        self.submitted.emit(detail.request.id)

    def _saved(self, outcome: tuple[Path, bool, Changes], values: dict[str, str]) -> None:
        path, draft, _changes = outcome
        self.kept_values = values
        self.generate_button.setEnabled(True)
        state = "a DRAFT (values await approval)" if draft else "ready to send"
        self.status.setText(f"Saved {path.name}, {state}.")
        self.status.setStyleSheet(APPROVAL_STYLE if draft else OK_STYLE)
        self.last_saved = str(path)
        self.open_button.show()
        self.copy_button.show()
        self.generated.emit(str(path))

    def _copy_saved(self) -> None:
        put_file(self.last_saved)
        self.status.setText(f"Copied {Path(self.last_saved).name} to the clipboard.")

    def _save_failed(self, error: BaseException) -> None:
        self.generate_button.setEnabled(True)
        self.check()
        show_error(self, error, None)


_PLACEHOLDERS = {
    FieldKind.EMAIL: "name@example.com",
    FieldKind.URL: "https://…",
    FieldKind.PHONE: "+1 412 555 0100",
}


_FIXED_HINTS = {FieldKind.PROFILE: "From your profile",
                FieldKind.COMPUTED: "Calculated from the values above"}  # fmt: skip


def _counter(spec: FieldSpec, value: str) -> str:
    """ "12/60 characters" where a limit exists."""
    if spec.limits.max_chars:
        return f"{len(value)}/{spec.limits.max_chars} characters"
    if spec.limits.max_words:
        return f"{len(value.split())}/{spec.limits.max_words} words"
    return ""


def _envelope_hint(spec: FieldSpec) -> str:
    limits = spec.limits
    unit = " %" if spec.kind is FieldKind.PERCENT else ""
    if limits.envelope_max is not None:
        return f"above {limits.envelope_max:g}{unit} needs approval"
    if spec.policy is Policy.APPROVAL:
        return "changes need approval"
    return ""
