"""Editing an asset's metadata in place, validated, with undo and redo."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QUndoCommand, QUndoStack, QWheelEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from satchel.core.domain.assets import AssetDetail, AssetKind, AssetStatus, FunnelStage
from satchel.core.domain.metadata import apply_changes, as_text
from satchel.core.errors import ValidationError
from satchel.ui.errors import problem_label

# field → (label, editor kind, choices)
FIELDS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("title", "Title", "line", ()),
    ("summary", "Summary", "text", ()),
    ("kind", "Kind", "choice", tuple(k.value for k in AssetKind)),
    ("status", "Status", "choice", tuple(s.value for s in AssetStatus)),
    ("product", "Product", "line", ()),
    ("audience", "Audience", "line", ()),
    ("funnel_stage", "Funnel stage", "choice", ("", *(f.value for f in FunnelStage))),
    ("region", "Region", "line", ()),
    ("language", "Language", "line", ()),
    ("tags", "Tags", "line", ()),
    ("owner", "Owner", "line", ()),
    ("expires_on", "Expires on", "line", ()),
    ("review_on", "Review on", "line", ()),
)
PLACEHOLDERS = {
    "tags": "comma-separated, e.g. ota, security",
    "expires_on": "YYYY-MM-DD",
    "review_on": "YYYY-MM-DD",
    "language": "e.g. en, de, pt-BR",
}

Save = Callable[[str, dict[str, str]], None]  # asset id, {field: text}


class EditMetadata(QUndoCommand):
    """One field of one asset changed from `old` to `new` (both as text)."""

    def __init__(self, save: Save, asset_id: str, field: str, old: str, new: str,
                 label: str) -> None:  # fmt: skip
        super().__init__(f"Change {label.lower()}")
        self._save, self.asset_id, self.field = save, asset_id, field
        self.old, self.new = old, new

    def redo(self) -> None:
        self._save(self.asset_id, {self.field: self.new})

    def undo(self) -> None:
        self._save(self.asset_id, {self.field: self.old})


class MetadataForm(QWidget):
    """The metadata of one asset: editable for marketers and admins, plain text for
    reps (and read-only libraries).

    An edit is checked with the same rules the service applies before it becomes an
    undoable command; a refused value shows its reason and the field goes back.
    Ctrl+Z in a field undoes its typing not yet saved, then the saved changes, like
    Edit → Undo (the field used to swallow the key and do nothing).

    Signals:
        problem(str): a value was refused (the sentence says why); "" clears it.
    """

    problem = Signal(str)

    def __init__(self, undo_stack: QUndoStack, save: Save, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack
        self._save = save
        self._detail: AssetDetail | None = None
        self._shown: dict[str, str] = {}
        self._loading = False
        self.editors: dict[str, QLineEdit | QPlainTextEdit | QComboBox] = {}
        self.texts: dict[str, QLabel] = {}  # what a reader sees instead of the editors
        self._editable = True
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        for field, label, kind, choices in FIELDS:
            editor: QLineEdit | QPlainTextEdit | QComboBox
            if kind == "choice":
                editor = _WheelOnFocusCombo()
                editor.addItems(list(choices))
                editor.activated.connect(lambda _i, f=field: self._commit(f))
            elif kind == "text":
                editor = _SummaryEdit(lambda f=field: self._commit(f))
                editor.setTabChangesFocus(True)
                editor.setFixedHeight(72)
            else:
                editor = QLineEdit()
                editor.setPlaceholderText(PLACEHOLDERS.get(field, ""))
                editor.editingFinished.connect(lambda f=field: self._commit(f))
            editor.setObjectName(f"meta_{field}")
            editor.setAccessibleName(label)
            editor.installEventFilter(self)
            self.editors[field] = editor
            text = QLabel()
            text.setObjectName(f"text_{field}")
            text.setTextFormat(Qt.TextFormat.PlainText)  # titles and tags are untrusted
            text.setWordWrap(True)
            text.setAccessibleName(label)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                         | Qt.TextInteractionFlag.TextSelectableByKeyboard)  # fmt: skip
            self.texts[field] = text
            text.hide()
            cell = QWidget()  # the editor or the text: a hidden one takes no room
            stack = QVBoxLayout(cell)
            stack.setContentsMargins(0, 0, 0, 0)
            stack.addWidget(editor)
            stack.addWidget(text)
            layout.addRow(label, cell)
        self.message = problem_label("metadataProblem")
        layout.addRow(self.message)
        self.problem.connect(self._show_problem)

    def set_editable(self, editable: bool) -> None:
        """Editors for those who may change metadata; the values as text for the rest."""
        for editor in self.editors.values():
            if isinstance(editor, QComboBox):
                editor.setEnabled(editable)
            else:
                editor.setReadOnly(not editable)
            editor.setVisible(editable)
        for text in self.texts.values():
            text.setVisible(not editable)
        self._editable = editable

    @property
    def editable(self) -> bool:
        return self._editable

    def show_detail(self, detail: AssetDetail | None) -> None:
        """Show an asset's values (after a selection or a saved edit)."""
        self._detail = detail
        self._shown = as_text(detail.metadata) if detail else {}
        self._loading = True
        try:
            for field, editor in self.editors.items():
                value = self._shown.get(field, "")
                if isinstance(editor, QComboBox):
                    editor.setCurrentIndex(max(0, editor.findText(value)))
                elif isinstance(editor, QPlainTextEdit):
                    if editor.toPlainText() != value:
                        editor.setPlainText(value)
                elif editor.text() != value:
                    editor.setText(value)
                    editor.setCursorPosition(0)
                self.texts[field].setText(value or "—")
        finally:
            self._loading = False
        self.problem.emit("")

    def _value(self, field: str) -> str:
        editor = self.editors[field]
        if isinstance(editor, QComboBox):
            return editor.currentText()
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText()
        return editor.text()

    def _commit(self, field: str) -> None:
        if self._loading or self._detail is None:
            return
        editor = self.editors[field]
        if not isinstance(editor, QComboBox) and editor.isReadOnly():
            return
        old, new = self._shown.get(field, ""), self._value(field)
        if new == old:
            return
        try:
            apply_changes(self._detail.metadata, {field: new})
        except ValidationError as error:
            self.show_detail(self._detail)  # put the field back (this clears the message)
            self.problem.emit(" ".join(error.problems))
            return
        self._shown[field] = new
        if not isinstance(editor, QComboBox):
            _forget_typing(editor)  # from now on Ctrl+Z takes back the saved change
        self.problem.emit("")  # an earlier refusal no longer applies
        label = next(label for f, label, _k, _c in FIELDS if f == field)
        self.undo_stack.push(EditMetadata(self._save, self._detail.id, field, old, new, label))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Undo and Redo keys in a field: the field's own unsaved typing first, then
        the window's undo stack."""
        if event.type() not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return super().eventFilter(watched, event)
        assert isinstance(event, QKeyEvent)
        field = next((f for f, e in self.editors.items() if e is watched), None)
        undo, redo = event.matches(QKeySequence.StandardKey.Undo), event.matches(
            QKeySequence.StandardKey.Redo)  # fmt: skip
        if field is None or not (undo or redo) or self._typing(field):
            return super().eventFilter(watched, event)
        event.accept()  # ours, not the window's shortcut (which would not reach us here)
        if event.type() == QEvent.Type.KeyPress:
            (self.undo_stack.undo if undo else self.undo_stack.redo)()
        return True

    def _typing(self, field: str) -> bool:
        """Whether a field holds typing not saved yet (its own undo applies)."""
        editor = self.editors[field]
        if isinstance(editor, QComboBox):
            return False
        return self._value(field) != self._shown.get(field, "")

    def _show_problem(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))


def _forget_typing(editor: QLineEdit | QPlainTextEdit) -> None:
    """Clear a field's own undo history (its typing is saved as an undoable command)."""
    if isinstance(editor, QPlainTextEdit):
        editor.document().clearUndoRedoStacks()
    else:
        cursor = editor.cursorPosition()
        editor.setText(editor.text())  # setText starts a new history
        editor.setCursorPosition(cursor)


class _WheelOnFocusCombo(QComboBox):
    """A choice the mouse wheel changes only once it has focus: scrolling the Details
    panel over it scrolls the panel (the wheel used to change and save the value)."""

    def __init__(self) -> None:
        super().__init__()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel does not give focus

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # to the scroll area around the form


class _SummaryEdit(QPlainTextEdit):
    """A multi-line field that saves when focus leaves it."""

    def __init__(self, on_done: Callable[[], None]) -> None:
        super().__init__()
        self._on_done = on_done

    def focusOutEvent(self, event: object) -> None:
        super().focusOutEvent(event)  # type: ignore[arg-type]
        self._on_done()
