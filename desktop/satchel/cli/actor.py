"""Who a command acts as (`--user`, the profile.user setting, the only user)."""

from __future__ import annotations

import getpass

from satchel.core.domain.users import Role
from satchel.core.errors import ValidationError
from satchel.core.services import Services
from satchel.core.settings import Settings


def sign_in(services: Services, email: str | None) -> None:
    """Who a command acts as: --user, else the profile.user setting, else the library's
    only user; a new library gets its owner's profile, as in the desktop."""
    email = email or str(Settings.default().value("profile.user"))
    if email:
        services.people.sign_in(email)
        return
    users = services.people.list_all()
    if len(users) > 1:
        listed = "\n".join(f"  {p.email} ({p.role.value})" for p in users)
        raise ValidationError(
            [f"This library has several users: say which with --user EMAIL.\n{listed}"]
        )
    role = Role(str(Settings.default().value("profile.default_role")))
    services.people.acting_user(None, role, getpass.getuser())
