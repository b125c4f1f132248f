"""User profiles. Never commits: the caller owns the unit of work."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from satchel.core.domain.users import Profile, Role
from satchel.core.storage.models import User


def to_profile(row: User) -> Profile:
    return Profile(id=row.id, name=row.name, email=row.email, role=Role(row.role),
                   title=row.title, phone=row.phone, territory=row.territory)  # fmt: skip


def live_profiles(session: Session) -> list[Profile]:
    """Every live profile, by name."""
    rows = session.scalars(select(User).where(User.deleted_at.is_(None)).order_by(User.name))
    return [to_profile(row) for row in rows]


def find_live(session: Session, id_or_email: str) -> Profile | None:
    """The live profile with this id or (lower-case) email."""
    query = select(User).where(User.deleted_at.is_(None))
    row = session.scalar(query.where((User.id == id_or_email) | (User.email == id_or_email)))
    return to_profile(row) if row is not None else None


def any_live(session: Session) -> bool:
    return session.scalar(select(User.id).where(User.deleted_at.is_(None)).limit(1)) is not None


def owner(session: Session) -> Profile | None:
    """The library's first live profile: whoever made it."""
    row = session.scalar(
        select(User).where(User.deleted_at.is_(None)).order_by(User.created_at, User.id).limit(1)
    )
    return to_profile(row) if row is not None else None


def live_row(session: Session, user_id: str) -> User | None:
    row = session.get(User, user_id)
    return row if row is not None and row.deleted_at is None else None


def signature(session: Session, user_id: str | None) -> str:
    """ "Name <email>" of a user, removed ones too (records keep naming who did it)."""
    row = session.get(User, user_id) if user_id else None
    return f"{row.name} <{row.email}>" if row is not None else ""


def email_taken(session: Session, email: str, except_id: str | None = None) -> bool:
    query = select(User.id).where(User.email == email)
    if except_id is not None:
        query = query.where(User.id != except_id)
    return session.scalar(query) is not None


def count_admins(session: Session) -> int:
    query = select(func.count()).select_from(User)
    return (
        session.scalar(query.where(User.role == Role.ADMIN.value, User.deleted_at.is_(None))) or 0
    )


def count_all(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def add(session: Session, user_id: str, name: str, email: str, role: Role, now: dt.datetime,
        **contact: str) -> Profile:  # fmt: skip
    """A new profile; `contact` holds title, phone and territory."""
    row = User(id=user_id, name=name, email=email, role=role.value, created_at=now,
               updated_at=now, **contact)  # fmt: skip
    session.add(row)
    return to_profile(row)


def ids_in_territory(session: Session, territory: str) -> frozenset[str]:
    """The people (removed ones too: their records stay) of a territory, whatever the case."""
    return frozenset(session.scalars(select(User.id).where(
        func.lower(User.territory) == territory.strip().lower())))  # fmt: skip


def territories(session: Session) -> list[str]:
    """The territories people are in, as written, in order."""
    found = session.scalars(select(User.territory).distinct().where(User.territory != ""))
    return sorted(set(found), key=str.casefold)
