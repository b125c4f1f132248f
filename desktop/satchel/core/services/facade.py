"""`Services`: opens and closes a library and composes the services by area."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from satchel.core.domain.users import Profile
from satchel.core.errors import KnownError
from satchel.core.ingest.limits import ImportLimits
from satchel.core.library import Library, random_id, utc_now
from satchel.core.paths import LibraryPaths
from satchel.core.services.asks import AsksService
from satchel.core.services.assets import AssetService
from satchel.core.services.campaigns import CampaignService
from satchel.core.services.care import CareService
from satchel.core.services.collections import CollectionService
from satchel.core.services.context import Context
from satchel.core.services.documents import DocumentService
from satchel.core.services.feedback import FeedbackService
from satchel.core.services.field_export import FieldExportService
from satchel.core.services.field_notes import FieldNotesService
from satchel.core.services.insights import InsightsService
from satchel.core.services.lane import WriterLane
from satchel.core.services.people import PeopleService
from satchel.core.services.requests import RequestService
from satchel.core.services.search import SearchService
from satchel.core.services.sync import SyncService
from satchel.core.services.templates import TemplateService
from satchel.core.storage import backup

if TYPE_CHECKING:
    from satchel.core.restore import RestoreOutcome


class Services:
    """The use cases over one open library, by area: `assets`, `search`, `collections`,
    `templates`, `documents`, `people`, `care`, `requests`, `sync`, and the field's
    `feedback`, `notes` and `asks`, marketing's `campaigns`, and `insights` on them. Every call runs for the
    signed-in `actor`."""

    def __init__(self, library: Library, limits: ImportLimits | None = None, workers: int = 0):
        workers = workers or max(1, min(4, os.cpu_count() or 1))
        self._ctx = context = Context(library, limits or ImportLimits(), workers)
        self.assets = AssetService(context)
        self.search = SearchService(context)
        self.collections = CollectionService(context)
        self.templates = TemplateService(context)
        self.documents = DocumentService(context)
        self.people = PeopleService(context)
        self.care = CareService(context)
        self.requests = RequestService(context)
        self.sync = SyncService(context)
        self.feedback = FeedbackService(context)
        self.notes = FieldNotesService(context)  # the competition, heard in the field
        self.asks = AsksService(context)  # content requests and sales initiatives
        self.campaigns = CampaignService(context)  # launches and the collateral they need
        self.field_export = FieldExportService(context)
        self.insights = InsightsService(context)  # what marketing learns from the records

    @classmethod
    def open(
        cls,
        root: Path,
        *,
        limits: ImportLimits | None = None,
        workers: int = 0,
        **library_options: Any,
    ) -> Services:
        """Open the library at `root`; `library_options` go to `Library.open` (create,
        read_only, clock, new_id, backup_keep), which says what can go wrong."""
        return cls(Library.open(root, **library_options), limits, workers)

    @classmethod
    def build_demo(cls, root: Path, *, limits: ImportLimits | None = None,
                   history: bool = True, field: bool = True) -> Services:  # fmt: skip
        """Build the demo library in the empty or new folder `root` and return it open,
        with nobody signed in; `history`: a dozen edit requests of the days before;
        `field`: a quarter of feedback, outcomes, notes and content requests.

        The build is deterministic (seeded ids, a fixed clock); afterwards the library
        runs on the real clock like any other.
        """
        from satchel.core.demo.builder import DemoClock, populate, seeded_ids
        from satchel.core.demo.field import add_field_history
        from satchel.core.demo.requests import HistoryClock, add_history

        if root.exists() and (not root.is_dir() or any(root.iterdir())):
            raise KnownError(f"{root} is not empty; the demo library needs a new or empty folder.")
        services = cls.open(
            root, create=True, limits=limits, clock=DemoClock(), new_id=seeded_ids()
        )
        library = services._ctx.library
        try:
            populate(services, root)
            if history:
                library.clock = moments = HistoryClock(utc_now())
                add_history(services, moments)
            if field:
                library.clock = moments = HistoryClock(utc_now())
                add_field_history(services, moments)
        except BaseException:
            services.close()
            raise
        library.clock, library.new_id = utc_now, random_id
        services._ctx.actor = None  # the composition root signs in whoever uses it
        return services

    @staticmethod
    def backups_of(root: Path) -> list[Path]:
        """Snapshots kept in a library folder, newest first (usable when it cannot open)."""
        return sorted(backup.list_snapshots(LibraryPaths(root).backups), reverse=True)

    @classmethod
    def restore_library(cls, root: Path, snapshot: Path, keep: int = 10) -> RestoreOutcome:
        """Restore a library that is not open, even one whose database is damaged
        (truncated, a zeroed header, damaged pages): what a person does when it will
        not open. The state before is backed up, or kept beside if too damaged for that;
        then the library is opened once to bring the snapshot to this version's schema."""
        from satchel.core.restore import restore_closed_library

        outcome = restore_closed_library(root, snapshot, utc_now(), keep)
        with cls.open(root, backup_keep=keep) as services:
            services.care.mark_index_stale()
        return outcome

    # --- the open library --------------------------------------------------------

    @property
    def actor(self) -> Profile | None:
        """Who every call runs for (see `people.sign_in`)."""
        return self._ctx.actor

    @property
    def root(self) -> Path:
        return self._ctx.library.paths.root

    @property
    def read_only(self) -> bool:
        return self._ctx.library.read_only

    @property
    def library_id(self) -> str:
        """The library's own id (its folder path for a library made before ids)."""
        return self._ctx.library.info("library_id") or str(self.root)

    @property
    def writer_lane(self) -> WriterLane:
        """The one thread every write runs on (see lane.py): the desktop's task runner
        sends its writes here, so they take turns with an import's commits."""
        return self._ctx.lane

    def today(self) -> dt.date:
        """The library clock's date (the demo build runs on a fixed one)."""
        return self._ctx.library.clock().date()

    def close(self) -> None:
        self._ctx.close()

    def __enter__(self) -> Services:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
