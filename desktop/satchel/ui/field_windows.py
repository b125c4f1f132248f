"""The window's ways back to marketing besides the feedback bar: ask for collateral that
does not exist, log a field note, and the lists of notes, objections and requests. One
of each is open at a time; each says what it did on the status line."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QWidget

from satchel.core.services import Services
from satchel.ui.ask_dialog import AskDialog
from satchel.ui.field_dialog import FieldDialog
from satchel.ui.note_dialog import NoteDialog
from satchel.ui.tasks import TaskRunner

TOLD_KEY = "asks/fulfilled_told"  # the requests whose fulfilment this computer has told of


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

    def tell_fulfilled(self) -> None:
        """Say once, on this computer, that an asset someone asked for (or +1'd) is
        published now."""
        if self._services.actor is None:
            return
        services = self._services

        def published() -> list[tuple[str, str]]:
            return [(view.ask.id, services.assets.get(str(view.answer.body["asset_id"])).metadata.title)
                    for view in services.asks.fulfilled() if view.answer is not None]  # fmt: skip

        self._runner.query(published, self._fulfilled, lambda _error: None)

    def _fulfilled(self, published: list[tuple[str, str]]) -> None:
        stored = QSettings()
        told = set(str(stored.value(TOLD_KEY, "") or "").split())
        new = [(ask_id, title) for ask_id, title in published if ask_id not in told]
        if not new:
            return
        titles = ", ".join(f"“{title}”" for _, title in new[:3])
        more = f" and {len(new) - 3} more" if len(new) > 3 else ""
        self.told.emit(f"Marketing made what you asked for: {titles}{more} is in the library now.")
        stored.setValue(TOLD_KEY, " ".join(sorted(told | {ask_id for ask_id, _ in new})))

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
