"""The desktop's side of sync: rounds in the background and on Sync Now, and a status
bar that always says where the laptop stands (offline, syncing n of m, up to date as of
HH:MM, or needs attention: with the reason and what fixes it)."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QInputDialog, QLineEdit, QToolButton, QWidget

from satchel.core.domain.changes import Changes
from satchel.core.services import Services
from satchel.core.services.hub import HubAdmin
from satchel.core.services.sync import SyncReport
from satchel.core.settings import Settings
from satchel.ui.signed_in import SignedInUser
from satchel.ui.tasks import TaskRunner

FIRST_ROUND_MS = 3000  # after start-up, once the window has painted

# What a failed round's sentence says, and the fix the status bar offers for it.
ATTENTION = (
    ("refused the login", "the hub refused your password: choose Sync Now to sign in again"),
    ("needs your password", "sign in to the hub: choose Sync Now"),
    ("could not be verified", "the hub's certificate is not trusted: ask your administrator"),
    ("was upgraded", "the hub was upgraded: update Satchel to sync again"),
)


def describe_failure(error: BaseException) -> tuple[str, bool]:
    """(what the status bar says, whether a password would fix it)."""
    text = str(error)
    if "cannot be reached" in text:
        return "Offline: changes are kept and sent when the hub is back", False
    for needle, fix in ATTENTION:
        if needle in text:
            return f"Needs attention: {fix}", "password" in needle or "login" in needle
    return f"Needs attention: {text}", False


@dataclass(frozen=True)
class Outcome:
    """A round as the status bar reports it (read on the job thread)."""

    report: SyncReport
    refused: list[str]  # everything the hub refused so far, with its reasons
    conflicts: int  # edited assets the hub also changed, waiting for a choice
    address: str  # where the library syncs from now on


class SyncController(QObject):
    """Runs sync rounds as jobs; `status` is the status bar's button.

    Signals:
        state(str): the status text changed.
        progressed(int, int): revisions pulled of those to pull (from a worker thread,
            delivered queued).
        searchable(): a big pull's titles can be searched (its full text follows).
    """

    state = Signal(str)
    progressed = Signal(int, int)
    indexed = Signal(int, int)
    fetched = Signal(int, int)
    conflicts_chosen = Signal()  # the status said edits conflict, and was clicked
    searchable = Signal()

    def __init__(self, services: Services, runner: TaskRunner, settings: Settings,
                 signed_in: SignedInUser, parent: QWidget) -> None:  # fmt: skip
        super().__init__(parent)
        self._services, self._runner, self._settings = services, runner, settings
        self._signed_in, self._parent = signed_in, parent
        self._running = False
        self._stop = threading.Event()
        self._password = ""  # asked this session when no keyring keeps it
        self._needs_password = False
        self._conflicts = 0
        self.url = ""  # where this library syncs, see configure
        self.text = ""
        self.status = QToolButton()
        self.status.setObjectName("syncStatus")
        self.status.setAutoRaise(True)
        self.status.setAccessibleName("Team hub sync")
        self.status.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.status.clicked.connect(self._clicked)
        self.progressed.connect(self._progressed, Qt.ConnectionType.QueuedConnection)
        self.indexed.connect(self._indexing, Qt.ConnectionType.QueuedConnection)
        self.fetched.connect(self._fetching, Qt.ConnectionType.QueuedConnection)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.sync_now)
        self.configure()

    def _address(self) -> str:
        """The administrator's hub when the policy locks it, else the hub and login
        this library syncs as, else the hub.url setting."""
        configured = str(self._settings.value("hub.url")).strip()
        if self._settings.is_locked("hub.url"):
            return configured
        return self._services.sync.address(configured)

    def configure(self) -> None:
        """Follow the settings: no hub, no button and no timer."""
        self.url = self._address()
        self.status.setVisible(bool(self.url))
        minutes = int(self._settings.value("hub.sync_minutes"))
        self._timer.stop()
        if self.url:
            self._set("Not synced yet: choose to sync now" if not self.text else self.text)
            if minutes > 0:
                self._timer.start(minutes * 60_000)
            QTimer.singleShot(FIRST_ROUND_MS, self._first_round)

    def _first_round(self) -> None:
        if self.url and not self._running and int(self._settings.value("hub.sync_minutes")):
            self.sync_now()

    def sync_now(self) -> None:
        if not self.url or self._running or self._services.read_only:
            return
        self._running = True
        self._stop.clear()
        self._set("Syncing…")
        url, password = self.url, self._password
        self._runner.job(lambda: self._round(url, password), self._done, self._failed)

    def stop(self) -> None:
        """Stop after the page being applied (the window is closing)."""
        self._stop.set()
        self._timer.stop()

    def _round(self, url: str, password: str) -> tuple[Outcome, Changes]:
        """On the job thread: the round, and what the status bar then says."""
        keep_all, collections = self._settings.kept_files()
        sync = self._services.sync
        report = sync.now(url, progress=self.progressed.emit, stop=self._stop.is_set,
                          password=password, keep_all=keep_all, keep_collections=collections,
                          indexing=self.indexed.emit, files=self.fetched.emit)  # fmt: skip
        outcome = Outcome(report, sync.status().refused, len(sync.conflicts()),
                          self._address())  # fmt: skip
        changes = Changes(assets_changed=frozenset(report.assets_changed),
                          requests=bool(report.events or report.pushed or report.refused),
                          users=report.pulled > 0)  # fmt: skip
        return outcome, changes

    def _progressed(self, done: int, total: int) -> None:
        if self._running and total > 0:
            self._set(f"Syncing {done:,} of {total:,}")

    def _fetching(self, done: int, total: int) -> None:
        if self._running and total > 0:
            self._set(f"Fetching files: {done:,} of {total:,}")

    def _indexing(self, done: int, total: int) -> None:
        if done == 0:  # the titles are in the index: what the window lists can show them
            self.searchable.emit()
        if self._running and total > 0:
            self._set(f"Titles searchable; full text: {min(done, total):,} of {total:,} assets")

    def _done(self, result: tuple[Outcome, Changes]) -> None:
        outcome, _ = result
        self._running = False
        self.url = outcome.address  # the library now keeps the address it synced as
        actor = self._services.actor
        if actor is not None and self._signed_in.profile is not None:
            self._signed_in.profile = actor  # it now carries the hub's id
        when = dt.datetime.now().strftime("%H:%M")
        self._conflicts = outcome.conflicts
        if outcome.refused:
            count = len(outcome.refused)
            self._set(f"Needs attention: the hub refused {count} change{'s' * (count != 1)} "
                      "(see Requests); up to date as of " + when)  # fmt: skip
            self.status.setToolTip("\n".join(outcome.refused[-10:]))
        elif self._conflicts:
            self._set(f"Needs attention: {self._conflicts} edited asset(s) also changed on "
                      f"the hub: choose to resolve; up to date as of {when}")  # fmt: skip
        else:
            self._set(f"Up to date as of {when}")
            self.status.setToolTip("Choose to sync with the team hub now")

    def conflicts_resolved(self) -> None:
        self._runner.query(lambda: len(self._services.sync.conflicts()), self._resolved)

    def _resolved(self, left: int) -> None:
        self._conflicts = left
        if not left and self.text.startswith("Needs attention: ") and "edited" in self.text:
            self._set("Resolved: your choices go to the hub with the next sync")

    def _failed(self, error: BaseException) -> None:
        self._running = False
        text, self._needs_password = describe_failure(error)
        self._set(text)
        self.status.setToolTip(str(error))

    def _clicked(self) -> None:
        if self._needs_password:
            self.sign_in()
        elif self._conflicts:
            self.conflicts_chosen.emit()
        else:
            self.sync_now()

    def sign_in(self) -> None:
        """Ask the hub password, keep it in the keyring (or, without one, for this
        session only), and sync."""
        login = self._services.sync.login(self.url)
        password, ok = QInputDialog.getText(
            self._parent, "Sign in to the team hub",
            f"Password for {login} on the team hub:", QLineEdit.EchoMode.Password)  # fmt: skip
        if not ok or not password:
            return
        self._running = True  # no round starts while the login is checked
        self._set("Signing in to the team hub…")
        # The library keeps the address it syncs as (not the settings, which another
        # library on this computer may meet the hub with as another person).
        url = self.url
        self._runner.job(lambda: HubAdmin.login(url, login, password)[2],
                         lambda kept: self._signed_in_as(password, kept), self._failed)  # fmt: skip

    def _signed_in_as(self, password: str, kept: bool) -> None:
        self._running = False
        self._password = "" if kept else password
        if not kept:
            self.status.setToolTip("No keyring on this computer: the password is kept until "
                                   "Satchel closes, and asked again next time.")  # fmt: skip
        self._needs_password = False
        self.sync_now()

    def _set(self, text: str) -> None:
        self.text = text
        self.status.setText(text)
        self.state.emit(text)
