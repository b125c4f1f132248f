"""Editing the profile templates are filled from: name, title, email, phone, territory, role."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from satchel.core.domain.users import Profile, Role
from satchel.core.errors import KnownError
from satchel.ui.errors import problem_label, show_error
from satchel.ui.tasks import TaskRunner

FIELDS = (("name", "Name"), ("title", "Job title"), ("email", "Email"), ("phone", "Phone"),
          ("territory", "Territory"))  # fmt: skip
Save = Callable[[dict[str, str]], object]  # a service call; raises KnownError on a refusal


class ProfileDialog(QDialog):
    """One person's profile; only administrators change roles."""

    def __init__(self, profile: Profile, can_change_role: bool, save: Save, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("profileDialog")
        self.setWindowTitle("Profile")
        self.setMinimumWidth(440)  # room for a whole email address
        self.profile = profile
        self._save, self._runner = save, runner
        self.editors: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for field, label in FIELDS:
            editor = QLineEdit(getattr(profile, field))
            editor.setObjectName(f"profile_{field}")
            editor.setAccessibleName(label)
            self.editors[field] = editor
            form.addRow(label, editor)
        self.role = QComboBox()
        self.role.setObjectName("profile_role")
        self.role.setAccessibleName("Role")
        self.role.addItems([role.value for role in Role])
        self.role.setCurrentText(profile.role.value)
        self.role.setEnabled(can_change_role)
        if not can_change_role:
            self.role.setToolTip("Only an administrator can change roles")
        form.addRow("Role", self.role)
        self.error = problem_label("profileError")
        self.buttons = buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def changes(self) -> dict[str, str]:
        changed = {field: editor.text() for field, editor in self.editors.items()
                   if editor.text() != getattr(self.profile, field)}  # fmt: skip
        if self.role.isEnabled() and self.role.currentText() != self.profile.role.value:
            changed["role"] = self.role.currentText()
        return changed

    def accept(self) -> None:
        """Save on the writer lane; close once saved, or say inline what was refused."""
        changes = self.changes()
        if not changes:
            super().accept()
            return
        self.buttons.setEnabled(False)
        self._runner.mutate(lambda: self._save(changes), self._saved, self._refused,
                            initiator=self)  # fmt: skip

    def _saved(self, _outcome: object) -> None:
        self.buttons.setEnabled(True)
        super().accept()

    def _refused(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        if not isinstance(error, KnownError):
            show_error(self, error, None)
            return
        self.error.setText(str(error))
        self.error.show()
