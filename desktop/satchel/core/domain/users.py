"""People and roles."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Role(enum.StrEnum):
    """What a person may do."""

    REP = "rep"
    MARKETER = "marketer"
    ADMIN = "admin"


@dataclass(frozen=True)
class Profile:
    """A user's profile (used to fill templates and to sign requests)."""

    id: str
    name: str
    email: str
    role: Role
    title: str = ""
    phone: str = ""
    territory: str = ""
