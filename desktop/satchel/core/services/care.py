"""Looking after the library: its summary, integrity check and repair, backups."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from satchel.core import check as integrity
from satchel.core.domain.changes import Changes
from satchel.core.domain.permissions import Capability
from satchel.core.search.keeper import STAMP_KEY
from satchel.core.services.context import Area
from satchel.core.storage import assets_repo, backup, users_repo

if TYPE_CHECKING:
    from satchel.core.restore import RestoreOutcome

CheckReport = integrity.CheckReport


@dataclass(frozen=True)
class LibrarySummary:
    """Counts for a status line or `satchel --demo` before the window exists."""

    path: Path
    assets: int
    by_kind: dict[str, int]
    users: int
    read_only: bool


class CareService(Area):
    """`services.care`."""

    def summary(self) -> LibrarySummary:
        library = self._ctx.library
        with library.db.read() as session:
            kinds = assets_repo.counts_by_kind(session)
            users = users_repo.count_all(session)
        return LibrarySummary(library.paths.root, sum(kinds.values()), kinds, users,
                              library.read_only)  # fmt: skip

    def check(self, repair: bool = False) -> CheckReport:
        """Verify database and blobs; with `repair`, quarantine orphans and leftovers."""
        if repair:
            self._ctx.allow(Capability.REPAIR)
        return integrity.check_library(self._ctx.library, repair)

    def backup(self) -> Path:
        """A verified snapshot in the library's backups folder (older ones rotated)."""
        self._ctx.allow(Capability.BACKUP)
        paths = self._ctx.library.paths
        return backup.snapshot(paths.database, paths.backups, self._ctx.library.clock(),
                               self._ctx.library.backup_keep)  # fmt: skip

    def keep_backups(self, count: int) -> None:
        """How many snapshots rotation keeps (a setting, applied to this session)."""
        self._ctx.library.backup_keep = count

    def list_backups(self) -> list[Path]:
        return backup.list_snapshots(self._ctx.library.paths.backups)

    def restore(self, snapshot: Path) -> tuple[RestoreOutcome, Changes]:
        """Replace the database with a verified snapshot; the current state is backed up
        first (see `restore_database`, which verifies the snapshot before anything)."""
        from satchel.core.restore import restore_database

        self._ctx.allow(Capability.RESTORE)
        library = self._ctx.library
        library.db.dispose()  # no pooled connection may outlive the old contents
        outcome = restore_database(library.paths, snapshot, library.clock(),
                                   library.backup_keep)  # fmt: skip
        library.migrate()  # an older snapshot is brought to this version's schema
        self.mark_index_stale()
        return outcome, Changes(library_replaced=True)

    def mark_index_stale(self) -> None:
        """The index no longer matches the database: mark it for a rebuild."""
        self._ctx.library.set_info(STAMP_KEY, "restored")
        self._ctx.forget_index()
