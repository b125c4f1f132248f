"""What people did: usage events and the log of searches that found little.
Never commits: the caller owns the unit of work."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from satchel.core.domain.text import clean_line
from satchel.core.domain.usage import UsageAction
from satchel.core.storage.models import Asset, AssetVersion, SearchLogEntry, UsageEvent


def add_usage(session: Session, event_id: str, asset_id: str, user_id: str | None,
              action: str, now: dt.datetime, detail: dict[str, Any] | None = None) -> None:  # fmt: skip
    session.add(UsageEvent(id=event_id, asset_id=asset_id, user_id=user_id, action=action,
                           at=now, detail=detail or {}, created_at=now,
                           updated_at=now))  # fmt: skip


def recently_used(session: Session, user_id: str | None, limit: int) -> list[str]:
    """Ids of the assets this person used, most recently used first."""
    last = func.max(UsageEvent.at)
    query = select(UsageEvent.asset_id).where(UsageEvent.user_id == user_id)
    query = query.group_by(UsageEvent.asset_id).order_by(last.desc()).limit(limit)
    return list(session.scalars(query))


# Put in front of a customer, not only looked at.
_USES = (UsageAction.OPENED, UsageAction.COPIED, UsageAction.EXPORTED)


def updated_since_used(session: Session, user_id: str | None) -> list[str]:
    """Live assets this person used (opened, copied, exported) whose current version
    came after anything they did with it, newest version first."""
    mine = (
        select(UsageEvent.asset_id,
               func.max(UsageEvent.at).label("last_seen"),
               func.max(case((UsageEvent.action.in_(_USES), 1), else_=0)).label("used"))
        .where(UsageEvent.user_id == user_id)
        .group_by(UsageEvent.asset_id)
        .subquery()
    )  # fmt: skip
    newest = (
        select(AssetVersion.asset_id, func.max(AssetVersion.created_at).label("added"))
        .where(AssetVersion.number > 1)
        .group_by(AssetVersion.asset_id)
        .subquery()
    )
    query = (
        select(mine.c.asset_id)
        .join(newest, newest.c.asset_id == mine.c.asset_id)
        .join(Asset, Asset.id == mine.c.asset_id)
        .where(mine.c.used == 1, mine.c.last_seen < newest.c.added, Asset.deleted_at.is_(None))
        .order_by(newest.c.added.desc())
    )
    return list(session.scalars(query))


def add_search(session: Session, entry_id: str, text: str, results: int,
               user_id: str | None, now: dt.datetime) -> None:  # fmt: skip
    session.add(SearchLogEntry(id=entry_id, query=clean_line(text, 500), results=results,
                               user_id=user_id, at=now))  # fmt: skip


def low_result_searches(session: Session) -> list[tuple[str, int, str | None]]:
    """Every logged search, oldest first: (query, results, user id)."""
    query = select(SearchLogEntry.query, SearchLogEntry.results, SearchLogEntry.user_id)
    return [(q, n, user) for q, n, user in session.execute(query.order_by(SearchLogEntry.at))]
