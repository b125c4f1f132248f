"""What people did: usage events and the log of searches that found little.
Never commits: the caller owns the unit of work."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from satchel.core.domain.text import clean_line
from satchel.core.storage.models import SearchLogEntry, UsageEvent


def add_usage(session: Session, event_id: str, asset_id: str, user_id: str | None,
              action: str, now: dt.datetime) -> None:  # fmt: skip
    session.add(UsageEvent(id=event_id, asset_id=asset_id, user_id=user_id, action=action,
                           at=now, created_at=now, updated_at=now))  # fmt: skip


def recently_used(session: Session, user_id: str | None, limit: int) -> list[str]:
    """Ids of the assets this person used, most recently used first."""
    last = func.max(UsageEvent.at)
    query = select(UsageEvent.asset_id).where(UsageEvent.user_id == user_id)
    query = query.group_by(UsageEvent.asset_id).order_by(last.desc()).limit(limit)
    return list(session.scalars(query))


def add_search(session: Session, entry_id: str, text: str, results: int,
               user_id: str | None, now: dt.datetime) -> None:  # fmt: skip
    session.add(SearchLogEntry(id=entry_id, query=clean_line(text, 500), results=results,
                               user_id=user_id, at=now))  # fmt: skip


def low_result_searches(session: Session) -> list[tuple[str, int, str | None]]:
    """Every logged search, oldest first: (query, results, user id)."""
    query = select(SearchLogEntry.query, SearchLogEntry.results, SearchLogEntry.user_id)
    return [(q, n, user) for q, n, user in session.execute(query.order_by(SearchLogEntry.at))]
