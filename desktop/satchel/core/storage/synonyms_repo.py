"""The library's search synonyms. Never commits: the caller owns the unit of work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from satchel.core.domain.synonyms import Synonym
from satchel.core.storage.models import SynonymRow


def live(session: Session) -> list[Synonym]:
    """The kept synonyms, in their order."""
    query = select(SynonymRow).where(SynonymRow.deleted_at.is_(None)).order_by(SynonymRow.position)
    return [Synonym(r.term, r.equivalent, r.both_ways) for r in session.scalars(query)]


def replace(session: Session, new_id: Callable[[], str], entries: Sequence[Synonym],
            now: dt.datetime) -> None:  # fmt: skip
    """Keep exactly `entries` (the old rows become tombstones, so the change syncs)."""
    for row in session.scalars(select(SynonymRow).where(SynonymRow.deleted_at.is_(None))):
        row.deleted_at, row.updated_at, row.dirty = now, now, True
    for position, entry in enumerate(entries):
        session.add(SynonymRow(id=new_id(), term=entry.term, equivalent=entry.equivalent,
                               both_ways=entry.both_ways, position=position,
                               created_at=now, updated_at=now))  # fmt: skip
