"""The settings dialog, generated from the declared options; locked keys are disabled."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from satchel.core.errors import KnownError
from satchel.core.settings import OPTIONS, Option, Settings, Value, default_library_dir
from satchel.ui.errors import problem_label

LOCKED_NOTE = "Set by your administrator"

Editor = QCheckBox | QComboBox | QSpinBox | QLineEdit


class SettingsDialog(QDialog):
    """Edits user settings; OK saves every changed value, Cancel keeps everything."""

    def __init__(self, settings: Settings, parent: QWidget | None = None,
                 role: str = "admin") -> None:  # fmt: skip
        """Shows the settings that concern `role` (the signed-in person's)."""
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self.setMinimumWidth(520)
        self.settings = settings
        self.editors: dict[str, Editor] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.options = [option for option in OPTIONS if option.concerns(role)]
        for option in self.options:
            editor = self._editor(option, settings.value(option.key))
            if isinstance(editor, QLineEdit) and option.key == "library.path":
                editor.setPlaceholderText(f"Standard: {default_library_dir()}")
            editor.setObjectName(f"setting_{option.key}")
            editor.setAccessibleName(option.label)
            editor.setToolTip(option.description)
            locked = settings.is_locked(option.key)
            editor.setEnabled(not locked)
            self.editors[option.key] = editor
            if locked:
                field = QWidget()
                row = QVBoxLayout(field)
                row.setContentsMargins(0, 0, 0, 0)
                row.setSpacing(0)
                note = QLabel(LOCKED_NOTE)
                note.setObjectName(f"locked_{option.key}")
                note.setEnabled(False)
                row.addWidget(editor)
                row.addWidget(note)
                editor.setToolTip(f"{option.description} ({LOCKED_NOTE.lower()})")
                form.addRow(option.label, field)
            else:
                form.addRow(option.label, editor)
        self.problems = QLabel("\n".join(settings.problems))
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setWordWrap(True)
        self.problems.setVisible(bool(settings.problems))
        self.error = problem_label("settingsError")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    @staticmethod
    def _editor(option: Option, value: Value) -> Editor:
        if isinstance(option.default, bool):
            box = QCheckBox()
            box.setChecked(bool(value))
            return box
        if option.choices:
            combo = QComboBox()
            combo.addItems(list(option.choices))
            combo.setCurrentText(str(value))
            return combo
        if isinstance(option.default, int):
            spin = QSpinBox()
            spin.setRange(option.minimum or 0, option.maximum or 1_000_000)
            spin.setValue(int(value))
            return spin
        line = QLineEdit(str(value))
        line.setClearButtonEnabled(True)
        return line

    def value_of(self, key: str) -> Value:
        editor = self.editors[key]
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QComboBox):
            return editor.currentText()
        if isinstance(editor, QSpinBox):
            return editor.value()
        return editor.text().strip()

    def accept(self) -> None:
        try:
            for option in self.options:
                if self.settings.is_locked(option.key):
                    continue
                value = self.value_of(option.key)
                if value != self.settings.value(option.key):
                    self.settings.set(option.key, value)
        except KnownError as error:
            self.error.setText(str(error))
            self.error.show()
            return
        super().accept()
