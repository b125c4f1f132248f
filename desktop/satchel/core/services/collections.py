"""Collections: named, ordered sets of assets marketing puts together."""

from __future__ import annotations

from collections.abc import Iterable

from satchel.core.domain.changes import Changes
from satchel.core.domain.permissions import Capability
from satchel.core.domain.text import clean_line
from satchel.core.domain.usage import CollectionInfo
from satchel.core.errors import ValidationError
from satchel.core.services.context import Area
from satchel.core.storage import collections_repo


class CollectionService(Area):
    """`services.collections`."""

    def list_all(self) -> list[CollectionInfo]:
        with self._ctx.library.db.read() as session:
            return collections_repo.list_infos(session)

    def members(self, collection_id: str) -> list[str]:
        """The collection's asset ids, in its order."""
        with self._ctx.library.db.read() as session:
            return collections_repo.member_ids(session, collection_id)

    def create(self, name: str, asset_ids: Iterable[str],
               description: str = "") -> tuple[CollectionInfo, Changes]:  # fmt: skip
        """A named set of assets (in the given order)."""
        self._ctx.allow(Capability.MANAGE_COLLECTIONS)
        name = clean_line(name, 120)
        if not name:
            raise ValidationError(["A collection needs a name."])
        ids = list(dict.fromkeys(asset_ids))
        library = self._ctx.library
        with library.db.write() as session:
            row = collections_repo.add(session, library.new_id, name,
                                       clean_line(description, 500), ids, library.clock())  # fmt: skip
        info = CollectionInfo(row.id, row.name, row.description, len(ids))
        return info, Changes(collections=True)
