"""Collections: named, ordered sets of assets. Never commits: the caller owns the unit
of work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from satchel.core.domain.usage import CollectionInfo
from satchel.core.domain.users import Role
from satchel.core.storage.models import Collection, CollectionAsset


def list_infos(session: Session) -> list[CollectionInfo]:
    """Live collections by name, with how many assets each holds."""
    count = func.count(CollectionAsset.asset_id)
    live_member = (CollectionAsset.collection_id == Collection.id) & CollectionAsset.deleted_at.is_(
        None
    )
    rows = session.execute(
        select(Collection, count)
        .outerjoin(CollectionAsset, live_member)
        .where(Collection.deleted_at.is_(None))
        .group_by(Collection.id)
        .order_by(Collection.name)
    )
    return [to_info(row, members) for row, members in rows]


def to_info(row: Collection, count: int) -> CollectionInfo:
    known = {role.value for role in Role}  # a role a newer version knows is skipped
    roles = tuple(Role(r) for r in row.shared_roles or () if r in known)
    return CollectionInfo(row.id, row.name, row.description, count, roles,
                          tuple(row.shared_territories or ()))  # fmt: skip


def member_ids(session: Session, collection_id: str) -> list[str]:
    """The collection's asset ids in their order."""
    query = select(CollectionAsset.asset_id).where(
        CollectionAsset.collection_id == collection_id, CollectionAsset.deleted_at.is_(None)
    )
    return list(session.scalars(query.order_by(CollectionAsset.position)))


def add(session: Session, new_id: Callable[[], str], name: str, description: str,
        asset_ids: Sequence[str], now: dt.datetime) -> Collection:  # fmt: skip
    stamps = {"created_at": now, "updated_at": now}
    row = Collection(id=new_id(), name=name, description=description, shared_territories=[],
                     shared_roles=sorted(role.value for role in Role), **stamps)  # fmt: skip
    session.add(row)
    for position, asset_id in enumerate(asset_ids):
        session.add(CollectionAsset(id=new_id(), collection_id=row.id, asset_id=asset_id,
                                    position=position, **stamps))  # fmt: skip
    return row


def live(session: Session, collection_id: str) -> Collection | None:
    row = session.get(Collection, collection_id)
    return row if row is not None and row.deleted_at is None else None


def memberships(session: Session, collection_id: str) -> dict[str, CollectionAsset]:
    """Every membership row of a collection by asset id, removed ones too."""
    query = select(CollectionAsset).where(CollectionAsset.collection_id == collection_id)
    return {row.asset_id: row for row in session.scalars(query)}


def add_members(session: Session, new_id: Callable[[], str], collection_id: str,
                asset_ids: Sequence[str], now: dt.datetime) -> int:  # fmt: skip
    """Append assets not in the collection yet (a removed one comes back); how many."""
    rows = memberships(session, collection_id)
    live_rows = [r for r in rows.values() if r.deleted_at is None]
    position = max((r.position for r in live_rows), default=-1) + 1
    added = 0
    for asset_id in asset_ids:
        row = rows.get(asset_id)
        if row is not None and row.deleted_at is None:
            continue
        if row is None:
            session.add(CollectionAsset(id=new_id(), collection_id=collection_id,
                                        asset_id=asset_id, position=position,
                                        created_at=now, updated_at=now))  # fmt: skip
        else:  # tombstones stay rows (sync carries them): revive, at the end
            row.deleted_at, row.position, row.updated_at, row.dirty = None, position, now, True
        position += 1
        added += 1
    return added


def remove_members(session: Session, collection_id: str, asset_ids: Sequence[str],
                   now: dt.datetime) -> int:  # fmt: skip
    """Tombstone the assets' memberships; how many were in the collection."""
    removed = 0
    for asset_id, row in memberships(session, collection_id).items():
        if asset_id in asset_ids and row.deleted_at is None:
            row.deleted_at, row.updated_at, row.dirty = now, now, True
            removed += 1
    return removed


def move_member(session: Session, collection_id: str, asset_id: str, offset: int,
                now: dt.datetime) -> bool:  # fmt: skip
    """Move an asset `offset` places in the collection's order; False if it cannot."""
    rows = sorted((r for r in memberships(session, collection_id).values() if r.deleted_at is None),
                  key=lambda r: r.position)  # fmt: skip
    index = next((i for i, r in enumerate(rows) if r.asset_id == asset_id), None)
    if index is None or not 0 <= index + offset < len(rows):
        return False
    rows.insert(index + offset, rows.pop(index))
    for position, row in enumerate(rows):  # renumbered: positions stay 0…n-1
        if row.position != position:
            row.position, row.updated_at, row.dirty = position, now, True
    return True
