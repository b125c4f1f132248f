"""Who may do what: one pure table of capabilities per role, checked by the services.

The UI hides what a role cannot do; the services are what refuse. A laptop's own library
is not a security boundary (its owner can edit the SQLite file): these rules make the
desktop and the CLI behave the same, and the hub enforces them on the server.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

from satchel.core.domain.users import Profile, Role
from satchel.core.errors import PermissionDeniedError


class Capability(enum.StrEnum):
    """One thing a person can be allowed to do; the value is how a sentence names it."""

    VIEW = "view and search the library"
    SEE_DRAFTS = "see assets that are not published yet"
    CUSTOMIZE = "customize templates and generate documents"
    SUBMIT_REQUESTS = "submit edit requests"
    GIVE_FEEDBACK = "give feedback from the field"
    IMPORT = "import files"
    EDIT_METADATA = "edit asset details"
    NEW_VERSION = "replace the files of assets with new versions"
    RETIRE = "retire assets"
    MANAGE_COLLECTIONS = "manage collections"
    MANAGE_SYNONYMS = "change the search synonyms"
    PUBLISH_TEMPLATES = "design and publish templates"
    DECIDE_REQUESTS = "decide edit requests"
    SEE_OTHERS_ACTIVITY = "see other people's usage and feedback"
    MANAGE_USERS = "manage users and roles"
    BACKUP = "back up the library"
    RESTORE = "restore the library from a backup"
    REPAIR = "repair the library"
    POLICY = "change the library's policy"


_EVERYONE = frozenset({Capability.VIEW, Capability.CUSTOMIZE, Capability.SUBMIT_REQUESTS,
                       Capability.GIVE_FEEDBACK})  # fmt: skip
_MARKETING = _EVERYONE | {
    Capability.SEE_DRAFTS,
    Capability.IMPORT,
    Capability.EDIT_METADATA,
    Capability.NEW_VERSION,
    Capability.RETIRE,
    Capability.MANAGE_COLLECTIONS,
    Capability.MANAGE_SYNONYMS,
    Capability.PUBLISH_TEMPLATES,
    Capability.DECIDE_REQUESTS,
    Capability.SEE_OTHERS_ACTIVITY,
}
ALLOWED: Mapping[Role, frozenset[Capability]] = {
    Role.REP: _EVERYONE,
    Role.MARKETER: _MARKETING,
    Role.ADMIN: frozenset(Capability),
}
_PLURAL = {Role.REP: "reps", Role.MARKETER: "marketers", Role.ADMIN: "admins"}
_ARTICLE = {Role.REP: "a rep", Role.MARKETER: "a marketer", Role.ADMIN: "an admin"}


def allows(role: Role, capability: Capability) -> bool:
    """Whether people with `role` may do `capability`."""
    return capability in ALLOWED[role]


def roles_for(capability: Capability) -> list[Role]:
    """The roles that may do `capability`, in the order rep, marketer, admin."""
    return [role for role in Role if allows(role, capability)]


def refusal(role: Role | None, capability: Capability) -> str:
    """ "Only marketers and admins can publish templates; you are signed in as a rep.\""""
    roles = [_PLURAL[r] for r in roles_for(capability)]
    who = roles[0] if len(roles) == 1 else ", ".join(roles[:-1]) + " and " + roles[-1]
    signed_in = f"you are signed in as {_ARTICLE[role]}" if role else "nobody is signed in"
    return f"Only {who} can {capability.value}; {signed_in}."


def require(actor: Profile | None, capability: Capability) -> None:
    """Raise `PermissionDeniedError` unless `actor` may do `capability`."""
    if actor is None or not allows(actor.role, capability):
        raise PermissionDeniedError(refusal(actor.role if actor else None, capability))


def check_role_change(actor: Profile, target: Profile, new_role: Role, admins: int) -> None:
    """The rules for changing a role: admins only, never one's own upwards, and never
    leaving the library without an admin (`admins` counts the current ones)."""
    require(actor, Capability.MANAGE_USERS)
    if new_role is target.role:
        return
    if actor.id == target.id and _rank(new_role) > _rank(target.role):
        raise PermissionDeniedError("Nobody can raise their own role; ask another admin.")
    if target.role is Role.ADMIN and admins <= 1:
        raise PermissionDeniedError(
            f"{target.name} is the library's last admin; make someone else an admin first."
        )


def _rank(role: Role) -> int:
    return list(Role).index(role)
