"""The window's ways back to marketing besides the feedback bar: ask for collateral that
does not exist, log a field note, and the lists of notes, objections and requests. One
of each is open at a time; each says what it did on the status line."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from satchel.core.services import Services
from satchel.ui.ask_dialog import AskDialog
from satchel.ui.field_dialog import FieldDialog
from satchel.ui.note_dialog import NoteDialog
from satchel.ui.tasks import TaskRunner


class FieldWindows(QObject):
    """`told(str)`: what was kept, for the status line. `selected` gives the selected
    asset's (id, title), or None, for the note to be about."""

    told = Signal(str)

    def __init__(self, window: QWidget, services: Services, runner: TaskRunner,
                 marketing: Callable[[], bool],
                 selected: Callable[[], tuple[str, str] | None]) -> None:  # fmt: skip
        super().__init__(window)
        self._window, self._services, self._runner = window, services, runner
        self._marketing, self._selected = marketing, selected
        self.ask_dialog: AskDialog | None = None
        self.note_dialog: NoteDialog | None = None
        self.lists: FieldDialog | None = None
        self._lists_for: tuple[bool, str | None] = (False, None)  # whose lists are open

    def ask_marketing(self, need: str = "") -> None:
        """A content request, prefilled with what was searched for."""
        self.ask_dialog = AskDialog(self._services, self._runner, need.strip(), self._window)
        self.ask_dialog.sent.connect(self.told)
        self.ask_dialog.open()

    def log_note(self) -> None:
        self.note_dialog = NoteDialog(self._services, self._runner, self._selected(),
                                      self._window)  # fmt: skip
        self.note_dialog.sent.connect(self.told)
        self.note_dialog.open()

    def open_lists(self) -> None:
        """The lists, as the signed-in person sees them (made again after a switch)."""
        marketing = self._marketing()
        person = (marketing, self._services.actor.id if self._services.actor else None)
        if self.lists is None or self._lists_for != person:
            self._lists_for = person
            if self.lists is not None:
                self.lists.close()
            self.lists = FieldDialog(self._services, self._runner, marketing, self._window)
            self.lists.told.connect(self.told)
            self.lists.notes.new_note.connect(self.log_note)
            self.lists.asks.new_ask.connect(self.ask_marketing)
        else:
            self.lists.refresh()
        self.lists.show()
        self.lists.raise_()
        self.lists.activateWindow()
