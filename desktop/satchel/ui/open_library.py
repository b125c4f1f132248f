"""Opening a library for the window; every way it can fail ends in a dialog with choices."""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from satchel.core.errors import (
    DamagedLibraryError,
    DiskFullError,
    KnownError,
    LibraryLocationError,
    LibraryLockedError,
    NewerSchemaError,
)
from satchel.core.services import Services

log = logging.getLogger("satchel.ui")


class Choice(enum.Enum):
    """What the person can do when a library does not open."""

    READ_ONLY = "Open Read-Only"
    RESTORE = "Restore a Backup…"
    OTHER = "Choose Another Library…"
    QUIT = "Quit"


def choices_for(error: KnownError, has_backups: bool) -> list[Choice]:
    """The sensible ways on from each failure."""
    if isinstance(error, LibraryLockedError):
        return [Choice.READ_ONLY, Choice.OTHER, Choice.QUIT]
    if isinstance(error, DamagedLibraryError):
        return [*([Choice.RESTORE] if has_backups else []), Choice.OTHER, Choice.QUIT]
    return [Choice.OTHER, Choice.QUIT]


def headline(error: KnownError) -> str:
    if isinstance(error, LibraryLockedError):
        return "This library is already open in another Satchel."
    if isinstance(error, DamagedLibraryError):
        return "The library is damaged."
    if isinstance(error, LibraryLocationError):
        return "The library cannot live in this folder."
    if isinstance(error, NewerSchemaError):
        return "This library needs a newer Satchel."
    if isinstance(error, DiskFullError):
        return "The disk holding the library is full."
    return "The library could not be opened."


def failure_box(error: KnownError, choices: list[Choice],
                parent: QWidget | None = None) -> tuple[QMessageBox, dict[object, Choice]]:  # fmt: skip
    """The dialog for one failure, and which button means which choice."""
    box = QMessageBox(parent)
    box.setObjectName("openFailure")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Satchel")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(headline(error))
    box.setInformativeText(str(error))
    buttons: dict[object, Choice] = {}
    for choice in choices:
        role = (QMessageBox.ButtonRole.RejectRole if choice is Choice.QUIT
                else QMessageBox.ButtonRole.AcceptRole)  # fmt: skip
        button = box.addButton(choice.value, role)
        button.setObjectName(choice.name.lower())
        buttons[button] = choice
    box.setDefaultButton(next(iter(buttons)))  # type: ignore[arg-type]
    return box, buttons


Ask = Callable[[KnownError, list[Choice]], Choice]


def ask_with_dialog(error: KnownError, choices: list[Choice]) -> Choice:
    box, buttons = failure_box(error, choices)
    box.exec()
    return buttons.get(box.clickedButton(), Choice.QUIT)


def pick_folder() -> Path | None:
    folder = QFileDialog.getExistingDirectory(None, "Choose a Library Folder", str(Path.home()))
    return Path(folder) if folder else None


def pick_backup(backups: list[Path]) -> Path | None:
    names = [path.name for path in backups]
    name, ok = QInputDialog.getItem(None, "Restore a Backup",
                                    "Replace the damaged database with this backup (the damaged "
                                    "file is kept beside it):", names, 0, False)  # fmt: skip
    return backups[names.index(name)] if ok and name in names else None


def open_library(
    library: Path,
    read_only: bool = False,
    ask: Ask = ask_with_dialog,
    choose_folder: Callable[[], Path | None] = pick_folder,
    choose_backup: Callable[[list[Path]], Path | None] = pick_backup,
) -> Services | None:
    """Open `library` (creating it if new); on failure ask what to do. None means quit."""
    while True:
        try:
            return Services.open(library, create=not read_only, read_only=read_only)
        except KnownError as error:
            log.warning("library %s did not open: %s", library, error)
            backups = Services.backups_of(library) if isinstance(error, DamagedLibraryError) else []
            choice = ask(error, choices_for(error, bool(backups)))
        if choice is Choice.RESTORE:
            snapshot = choose_backup(backups)
            if snapshot is None:
                continue
            try:
                Services.restore_library(library, snapshot)
                continue
            except KnownError as restore_error:
                choice = ask(restore_error, [Choice.OTHER, Choice.QUIT])
        if choice is Choice.QUIT:
            return None
        if choice is Choice.READ_ONLY:
            read_only = True
        elif choice is Choice.OTHER:
            folder = choose_folder()
            if folder is not None:
                library, read_only = folder, False
