"""Who acts in the window, and what their role lets the window offer: the demo's user
switcher and the profile dialog."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from satchel.core.domain import permissions
from satchel.core.domain.changes import Changes
from satchel.core.domain.permissions import Capability
from satchel.core.domain.users import Profile, Role
from satchel.core.services import Services
from satchel.ui.profile_dialog import ProfileDialog
from satchel.ui.tasks import TaskRunner


class SignedInUser(QObject):
    """The acting profile as the window knows it. The services decide what it may do;
    this only hides and disables what the role cannot do, with the same table.

    Signals:
        switched(Profile): the demo's switcher made someone else the actor.
        updated(): the profile (or its role) is new: show what it may do.
    """

    switched = Signal(object)
    updated = Signal()

    def __init__(self, services: Services, runner: TaskRunner, profile: Profile | None,
                 is_demo: bool, parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._services, self._runner = services, runner
        self.profile = profile
        self.read_only = services.read_only
        self.is_demo = is_demo
        self.switcher = QComboBox()
        self.switcher.setObjectName("userSwitcher")
        self.switcher.setAccessibleName("Acting as")
        self.switcher.setToolTip("Demo library: try the app as a rep, a marketer or an admin")
        # Filled once the profiles are read: grow with them, not with the empty box.
        self.switcher.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.switcher.activated.connect(self._switch)
        runner.changed.connect(self.refresh)

    def may(self, capability: Capability) -> bool:
        return self.profile is not None and permissions.allows(self.profile.role, capability)

    @property
    def can_edit(self) -> bool:
        """Import and edit asset details (marketers and admins, in a writable library)."""
        return self.may(Capability.EDIT_METADATA) and not self.read_only

    @property
    def can_decide(self) -> bool:
        """Decide edit requests (marketers and admins, in a writable library)."""
        return self.may(Capability.DECIDE_REQUESTS) and not self.read_only

    @property
    def description(self) -> str:
        role = f"{self.profile.name} ({self.profile.role.value})" if self.profile else "no profile"
        return role + (" · read-only" if self.read_only else "")

    def load_switcher(self) -> None:
        """Fill the demo's user switcher (the window shows it only in a demo library)."""
        if self.is_demo:
            self._runner.query(self._services.people.list_all, self._fill_switcher)

    def _fill_switcher(self, profiles: list[Profile]) -> None:
        self.switcher.clear()
        for profile in profiles:
            self.switcher.addItem(f"{profile.name} — {profile.role.value}", profile.id)
            if self.profile and profile.id == self.profile.id:
                self.switcher.setCurrentIndex(self.switcher.count() - 1)

    def _switch(self, index: int) -> None:
        user_id = self.switcher.itemData(index)
        # On the writer lane: writes asked for before the switch still run as before.
        self._runner.mutate(lambda: self._services.people.sign_in(user_id), self._switched)

    def _switched(self, profile: Profile) -> None:
        self.profile = profile
        self.updated.emit()
        self.switched.emit(profile)

    def refresh(self, changes: Changes, _initiator: object = None) -> None:
        if self.profile is not None and (changes.users or changes.library_replaced):
            user_id = self.profile.id
            self._runner.query(lambda: self._services.people.find(user_id), self._reloaded)

    def _reloaded(self, profile: Profile) -> None:
        self.profile = profile
        self.updated.emit()
        self.load_switcher()

    def edit_profile(self, parent: QWidget) -> None:
        """The profile dialog; it saves on the writer lane and shows a refusal inline."""
        if self.profile is None:
            return
        user_id, people = self.profile.id, self._services.people
        dialog = ProfileDialog(self.profile, self.profile.role is Role.ADMIN,
                               lambda changes: people.update(user_id, changes),
                               self._runner, parent)  # fmt: skip
        dialog.open()
        self.profile_dialog = dialog
