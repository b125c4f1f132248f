"""Collections: named, ordered sets of assets marketing puts together."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from satchel.core.domain.changes import Changes
from satchel.core.domain.permissions import Capability
from satchel.core.domain.text import clean_line
from satchel.core.domain.usage import CollectionInfo
from satchel.core.domain.users import Role
from satchel.core.errors import NotFoundError, ValidationError
from satchel.core.services.context import Area
from satchel.core.storage import assets_repo, collections_repo

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from satchel.core.storage.models import Collection


class CollectionService(Area):
    """`services.collections`."""

    def list_all(self) -> list[CollectionInfo]:
        """The collections the actor sees (marketing: all; reps: those shared with them)."""
        with self._ctx.library.db.read() as session:
            listed = collections_repo.list_infos(session)
        return [info for info in listed if info.visible_to(self._ctx.actor)]

    def members(self, collection_id: str) -> list[str]:
        """The collection's asset ids, in its order."""
        with self._ctx.library.db.read() as session:
            row = collections_repo.live(session, collection_id)
            if row is not None and not collections_repo.to_info(row, 0).visible_to(self._ctx.actor):
                raise NotFoundError("That collection is not shared with you.")
            return collections_repo.member_ids(session, collection_id)

    def share(self, collection_id: str, roles: Iterable[Role],
              territories: Iterable[str]) -> tuple[CollectionInfo, Changes]:  # fmt: skip
        """Whom the collection is for besides marketing: roles (reps: every rep) and
        territories (the reps there). Neither keeps it to marketing."""
        self._ctx.allow(Capability.MANAGE_COLLECTIONS)
        places = list(dict.fromkeys(clean_line(t, 60) for t in territories if t.strip()))
        chosen = sorted({Role(r).value for r in roles} | {Role.MARKETER.value, Role.ADMIN.value})
        library = self._ctx.library
        with library.db.write() as session:
            row = self._live(session, collection_id)
            row.shared_roles, row.shared_territories = chosen, places
            row.updated_at, row.dirty = library.clock(), True
            info = collections_repo.to_info(row, len(collections_repo.member_ids(session, row.id)))
        return info, Changes(collections=True)

    def create(self, name: str, asset_ids: Iterable[str],
               description: str = "") -> tuple[CollectionInfo, Changes]:  # fmt: skip
        """A named set of assets (in the given order)."""
        self._ctx.allow(Capability.MANAGE_COLLECTIONS)
        name = _name(name)
        ids = list(dict.fromkeys(asset_ids))
        library = self._ctx.library
        with library.db.write() as session:
            row = collections_repo.add(session, library.new_id, name,
                                       clean_line(description, 500), ids, library.clock())  # fmt: skip
        return collections_repo.to_info(row, len(ids)), Changes(collections=True)

    def rename(self, collection_id: str, name: str) -> Changes:
        self._ctx.allow(Capability.MANAGE_COLLECTIONS)
        name = _name(name)
        library = self._ctx.library
        with library.db.write() as session:
            row = self._live(session, collection_id)
            row.name, row.updated_at, row.dirty = name, library.clock(), True
        return Changes(collections=True)

    def delete(self, collection_id: str) -> Changes:
        """Remove the collection (its assets stay in the library)."""
        self._ctx.allow(Capability.MANAGE_COLLECTIONS)
        library = self._ctx.library
        now = library.clock()
        with library.db.write() as session:
            row = self._live(session, collection_id)
            row.deleted_at, row.updated_at, row.dirty = now, now, True
            collections_repo.remove_members(
                session, collection_id, collections_repo.member_ids(session, collection_id), now
            )
        return Changes(collections=True)

    def add_assets(self, collection_id: str, asset_ids: Iterable[str]) -> tuple[int, Changes]:
        """Append assets (those already in it stay where they are); how many were added."""
        self._ctx.allow(Capability.MANAGE_COLLECTIONS)
        library = self._ctx.library
        with library.db.write() as session:
            self._live(session, collection_id)
            # Full ids of live assets: refuses what is not there.
            ids = [assets_repo.get_row(session, a).id for a in dict.fromkeys(asset_ids)]
            added = collections_repo.add_members(session, library.new_id, collection_id, ids,
                                                 library.clock())  # fmt: skip
        return added, Changes(collections=True)

    def remove_assets(self, collection_id: str, asset_ids: Iterable[str]) -> tuple[int, Changes]:
        """Take assets out of the collection (not out of the library); how many."""
        self._ctx.allow(Capability.MANAGE_COLLECTIONS)
        library = self._ctx.library
        with library.db.write() as session:
            self._live(session, collection_id)
            removed = collections_repo.remove_members(session, collection_id,
                                                      list(asset_ids), library.clock())  # fmt: skip
        return removed, Changes(collections=True)

    def move(self, collection_id: str, asset_id: str, offset: int) -> tuple[bool, Changes]:
        """Move an asset up (negative) or down the collection's order; False at an end."""
        self._ctx.allow(Capability.MANAGE_COLLECTIONS)
        library = self._ctx.library
        with library.db.write() as session:
            self._live(session, collection_id)
            moved = collections_repo.move_member(session, collection_id, asset_id, offset,
                                                 library.clock())  # fmt: skip
        return moved, Changes(collections=True) if moved else Changes()

    @staticmethod
    def _live(session: Session, collection_id: str) -> Collection:
        row = collections_repo.live(session, collection_id)
        if row is None:
            raise NotFoundError("That collection no longer exists.")
        return row


def _name(name: str) -> str:
    cleaned = clean_line(name, 120)
    if not "".join(char for char in cleaned if char.isprintable()).strip():  # blank or invisible
        raise ValidationError(["A collection needs a name."])
    return cleaned
