"""People: who acts, their profiles and roles."""

from __future__ import annotations

import re
from collections.abc import Mapping

from satchel.core.domain import permissions
from satchel.core.domain.changes import Changes
from satchel.core.domain.permissions import Capability
from satchel.core.domain.text import clean_line
from satchel.core.domain.users import Profile, Role
from satchel.core.errors import NotFoundError, ValidationError
from satchel.core.services.context import Area
from satchel.core.storage import users_repo

_LIMITS = {"name": 120, "title": 120, "email": 254, "phone": 40, "territory": 80}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class PeopleService(Area):
    """`services.people`."""

    def list_all(self) -> list[Profile]:
        with self._ctx.library.db.read() as session:
            return users_repo.live_profiles(session)

    def find(self, user: str) -> Profile:
        """The profile with this id or email."""
        with self._ctx.library.db.read() as session:
            found = users_repo.find_live(session, user.strip().lower())
        if found is None:
            raise NotFoundError(f"There is no user {user} in this library.")
        return found

    # --- who acts ----------------------------------------------------------------

    def sign_in(self, user: str) -> Profile:
        """Make the profile with this id or email the actor of every later call (the
        composition root resolves who that is; services never guess)."""
        self._ctx.actor = self.find(user)
        return self._ctx.actor

    def may(self, capability: Capability) -> bool:
        """Whether the actor's role allows `capability` (the UI hides what it does not)."""
        actor = self._ctx.actor
        return actor is not None and permissions.allows(actor.role, capability)

    def require(self, capability: Capability) -> None:
        """Raise `PermissionDeniedError` unless the actor's role allows `capability`."""
        permissions.require(self._ctx.actor, capability)

    def acting_user(self, preferred_id: str | None, default_role: Role,
                    login: str) -> Profile | None:  # fmt: skip
        """Sign in whoever uses this library on the desktop: the remembered profile, else
        the demo's rep, else the library's owner (its first profile); a new library gets
        one for `login` with `default_role`. None only for an empty read-only library."""
        users = self.list_all()
        chosen = next((p for p in users if p.id == preferred_id), None)
        if chosen is None and self.is_demo:
            chosen = next((p for p in users if p.role is Role.REP), None)
        if chosen is None and users:
            with self._ctx.library.db.read() as session:
                chosen = users_repo.owner(session)
        if chosen is None and not self._ctx.library.read_only:
            chosen, _ = self.add_owner(login, default_role)
        if chosen is not None:
            self._ctx.actor = chosen
        return chosen

    @property
    def is_demo(self) -> bool:
        """A demo library (the desktop offers a user switcher to try each role)."""
        return self._ctx.library.info("demo") == "1"

    def mark_demo(self) -> Changes:
        """Mark the library as a demo (the desktop then offers the user switcher)."""
        self._ctx.allow(Capability.POLICY)
        self._ctx.library.set_info("demo", "1")
        return Changes(users=True)

    # --- profiles ----------------------------------------------------------------

    def add(self, name: str, email: str, role: Role, *, title: str = "", phone: str = "",
            territory: str = "") -> tuple[Profile, Changes]:  # fmt: skip
        """Create a user profile (admins; anyone may create a new library's first one,
        its owner)."""
        self._ctx.allow_writes()
        with self._ctx.library.db.read() as session:
            anyone = users_repo.any_live(session)
        if anyone:
            self._ctx.allow(Capability.MANAGE_USERS)
        name, email = clean_line(name, 120), clean_line(email, 254).lower()
        if not name or "@" not in email:
            raise ValidationError(["A user needs a name and an email address."])
        library = self._ctx.library
        now = library.clock()
        with library.db.write() as session:
            if users_repo.email_taken(session, email):
                raise ValidationError([f"A user with the email {email} already exists."])
            profile = users_repo.add(session, library.new_id(), name, email, role, now,
                                     title=clean_line(title, 120), phone=clean_line(phone, 40),
                                     territory=clean_line(territory, 80))  # fmt: skip
        return profile, Changes(users=True)

    def add_owner(self, login: str, role: Role) -> tuple[Profile, Changes]:
        """The first profile of a new library, for the person who made it."""
        name = clean_line(login, 60) or "Me"
        email = re.sub(r"[^a-z0-9._-]", "", name.lower()) or "me"
        return self.add(name, f"{email}@localhost", role)

    def update(self, user_id: str, changes: Mapping[str, str]) -> tuple[Profile, Changes]:
        """Edit a profile: name, title, email, phone, territory, role (all as text).
        Everyone edits their own contact details; other profiles and every role change
        are for admins (never raising one's own role, never removing the last admin)."""
        self._ctx.allow_writes()
        actor = self._ctx.actor
        if actor is None or actor.id != user_id or "role" in changes:
            self._ctx.allow(Capability.MANAGE_USERS)
        values = _checked_profile_values(changes)
        library = self._ctx.library
        with library.db.write() as session:
            row = users_repo.live_row(session, user_id)
            if row is None:
                raise NotFoundError("That user no longer exists.")
            if "email" in values and users_repo.email_taken(session, values["email"], user_id):
                raise ValidationError([f"Another user already has the email {values['email']}."])
            if "role" in values:
                assert actor is not None  # allow() above
                permissions.check_role_change(actor, users_repo.to_profile(row),
                                              Role(values["role"]),
                                              users_repo.count_admins(session))  # fmt: skip
            for key, value in values.items():
                setattr(row, key, value)
            row.updated_at, row.dirty = library.clock(), True
        profile = users_repo.to_profile(row)
        if actor is not None and actor.id == profile.id:
            self._ctx.actor = profile
        return profile, Changes(users=True)


def _checked_profile_values(changes: Mapping[str, str]) -> dict[str, str]:
    """Profile edits cleaned and checked; every problem at once as a `ValidationError`."""
    problems = [f"A profile has no field {key!r}." for key in changes
                if key not in _LIMITS and key != "role"]  # fmt: skip
    values = {key: clean_line(value, _LIMITS[key]) for key, value in changes.items()
              if key in _LIMITS}  # fmt: skip
    if "name" in values and not values["name"]:
        problems.append("The name cannot be empty.")
    if "email" in values:
        values["email"] = values["email"].lower()
        if not _EMAIL.fullmatch(values["email"]):
            problems.append(f"{values['email'] or 'An empty address'} is not an email address.")
    if "phone" in values and re.search(r"[^0-9+()./ -]", values["phone"]):
        problems.append("A phone number may hold digits, spaces and + ( ) . / - only.")
    if "role" in changes:
        try:
            values["role"] = Role(changes["role"].strip().lower()).value
        except ValueError:
            problems.append(f"The role must be one of: {', '.join(r.value for r in Role)}.")
    if problems:
        raise ValidationError(problems)
    return values
