"""Collections: named, ordered sets of assets. Never commits: the caller owns the unit
of work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from satchel.core.domain.usage import CollectionInfo
from satchel.core.storage.models import Collection, CollectionAsset


def list_infos(session: Session) -> list[CollectionInfo]:
    """Live collections by name, with how many assets each holds."""
    count = func.count(CollectionAsset.asset_id)
    live_member = (CollectionAsset.collection_id == Collection.id) & CollectionAsset.deleted_at.is_(
        None
    )
    rows = session.execute(
        select(Collection.id, Collection.name, Collection.description, count)
        .outerjoin(CollectionAsset, live_member)
        .where(Collection.deleted_at.is_(None))
        .group_by(Collection.id)
        .order_by(Collection.name)
    )
    return [CollectionInfo(*row) for row in rows]


def member_ids(session: Session, collection_id: str) -> list[str]:
    """The collection's asset ids in their order."""
    query = select(CollectionAsset.asset_id).where(
        CollectionAsset.collection_id == collection_id, CollectionAsset.deleted_at.is_(None)
    )
    return list(session.scalars(query.order_by(CollectionAsset.position)))


def add(session: Session, new_id: Callable[[], str], name: str, description: str,
        asset_ids: Sequence[str], now: dt.datetime) -> Collection:  # fmt: skip
    stamps = {"created_at": now, "updated_at": now}
    row = Collection(id=new_id(), name=name, description=description, **stamps)
    session.add(row)
    for position, asset_id in enumerate(asset_ids):
        session.add(CollectionAsset(id=new_id(), collection_id=row.id, asset_id=asset_id,
                                    position=position, **stamps))  # fmt: skip
    return row
