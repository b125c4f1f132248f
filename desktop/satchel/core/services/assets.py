"""Assets: importing, describing, and using them (files, pages, copies, usage)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from satchel.core.blobs import copy_atomically, named_copy, write_atomic
from satchel.core.domain.assets import (
    AssetDetail,
    AssetKind,
    AssetStatus,
    AssetSummary,
    FileType,
)
from satchel.core.domain.changes import Changes
from satchel.core.domain.imports import CancelToken, ImportReport, ImportResult, ImportStatus
from satchel.core.domain.metadata import apply_changes
from satchel.core.domain.permissions import Capability
from satchel.core.domain.text import safe_file_name
from satchel.core.domain.usage import UsageAction, presentation_detail
from satchel.core.errors import KnownError, NotFoundError
from satchel.core.services.context import Area
from satchel.core.storage import activity_repo, assets_repo

if TYPE_CHECKING:  # the importer loads on first use
    from satchel.core.importer import ProgressCallback

_IMPORTED = (ImportStatus.IMPORTED, ImportStatus.IMPORTED_WITH_WARNINGS)


class AssetService(Area):
    """`services.assets`."""

    def import_paths(
        self,
        paths: Iterable[Path],
        metadata: Mapping[str, str] | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> tuple[ImportReport, Changes]:
        """Import files and folders; every file ends with a status and a reason.

        Each file is committed on its own on the writer lane: run from a thread of its
        own, an import lets other writes in between its files."""
        from satchel.core.importer import Importer

        self._ctx.allow(Capability.IMPORT)
        actor = self._ctx.actor
        importer = Importer(self._ctx.library, self._ctx.parsers(), metadata or {}, progress,
                            cancel, commit_in=self._ctx.lane.run,
                            owner=actor.name if actor else "")  # fmt: skip
        report = importer.run(paths)
        added = frozenset(r.asset_id for r in report.results
                          if r.asset_id and r.status in _IMPORTED)  # fmt: skip
        self._ctx.index_changed(added)
        return report, Changes(assets_added=added)

    def new_version(self, asset_id: str, path: Path) -> tuple[ImportResult, Changes]:
        """Replace an asset's file with `path`: its next version, with what changed.
        A refused file leaves the asset as it was (the result says why)."""
        from satchel.core.importer import Importer

        self._ctx.allow(Capability.NEW_VERSION)
        importer = Importer(self._ctx.library, self._ctx.parsers(), {},
                            commit_in=self._ctx.lane.run, added_by=self._ctx.actor_id)  # fmt: skip
        result = importer.new_version(asset_id, path)
        if result.status not in _IMPORTED:
            return result, Changes()
        changed = frozenset({result.asset_id}) if result.asset_id else frozenset()
        self._ctx.index_changed(changed)
        return result, Changes(assets_changed=changed)

    def updated_since_used(self) -> list[str]:
        """Ids of assets the actor used that have a newer version since they last did,
        newest change first: what a rep is told about."""
        with self._ctx.library.db.read() as session:
            return activity_repo.updated_since_used(session, self._ctx.actor_id)

    def list_all(self, kind: AssetKind | None = None) -> list[AssetSummary]:
        """Live assets, newest first."""
        with self._ctx.library.db.read() as session:
            listed = assets_repo.list_summaries(session, kind)
        if self._ctx.sees_drafts:
            return listed
        return [a for a in listed if a.metadata.status is not AssetStatus.DRAFT]

    def get(self, asset_id: str, with_text: bool = False) -> AssetDetail:
        """One asset by id or unique id prefix."""
        with self._ctx.library.db.read() as session:
            row = assets_repo.get_row(session, asset_id)
            if row.status == AssetStatus.DRAFT and not self._ctx.sees_drafts:
                raise NotFoundError(
                    f"“{row.title}” is a draft: marketing has not published it yet."
                )
            return assets_repo.to_detail(session, row, with_text)

    def update_metadata(
        self, asset_id: str, changes: Mapping[str, str]
    ) -> tuple[AssetDetail, Changes]:
        """Validate and apply metadata edits given as text."""
        self._ctx.allow(Capability.EDIT_METADATA)
        library = self._ctx.library
        with library.db.write() as session:
            row = assets_repo.get_row(session, asset_id)
            current = assets_repo.to_detail(session, row).metadata
            updated = apply_changes(current, changes)
            if updated != current:
                assets_repo.write_metadata(session, row, updated, library.clock(), library.new_id)
                row.search_dirty = True
            session.flush()
            detail = assets_repo.to_detail(session, row)
        changed = frozenset({detail.id}) if updated != current else frozenset()
        self._ctx.index_changed(changed)
        return detail, Changes(assets_changed=changed)

    def blob_path(self, sha256: str) -> Path:
        """Where a version's file lives (read-only: never write to it)."""
        return self._ctx.library.blobs.path_for(sha256)

    def thumbnail_path(self, sha256: str) -> Path | None:
        """The cached thumbnail of a version's file, if there is one."""
        path = self._ctx.library.paths.thumbnail(sha256)
        return path if path.is_file() else None

    def thumbnail(self, sha256: str) -> Path | None:
        """The thumbnail of a version's file, drawn now when the file is on this laptop
        but its thumbnail is not (a file that came from the team hub): None when the
        file is not kept here, or cannot be drawn."""
        if (path := self.thumbnail_path(sha256)) is not None:
            return path
        library = self._ctx.library
        if not library.blobs.has(sha256) or library.read_only:
            return None
        with library.db.read() as session:
            asset = assets_repo.find_by_hash(session, sha256)
            asset_id = asset.id if asset is not None else None
        if asset_id is None:
            return None
        try:
            drawn = self.page_image(asset_id, 1, self._ctx.limits.thumbnail_px)
        except KnownError:
            return None
        if not drawn:
            return None
        write_atomic(library.paths.thumbnail(sha256), drawn)
        return library.paths.thumbnail(sha256)

    def page_image(self, asset_id: str, page: int, max_px: int) -> bytes | None:
        """Page `page` (1-based) of the current version as PNG, drawn in a parser process.

        Word and PowerPoint files get a card with that part's or slide's text (there is
        no renderer for them here).
        """
        from satchel.core.ingest.result import RejectedFile
        from satchel.core.ingest.thumbnails import text_card

        detail = self.get(asset_id)
        current = detail.current
        pool = self._ctx.parsers()
        path = self._verified_file(detail)
        future = pool.submit_render(path, current.file_type, page - 1, max_px)
        try:
            drawn = pool.result(future)
        except RejectedFile as error:
            raise KnownError(str(error)) from None
        if drawn is not None or current.file_type not in (FileType.DOCX, FileType.PPTX):
            return drawn
        # No renderer for Word and PowerPoint: a card with that slide's or part's text.
        detail = self.get(asset_id, with_text=True)  # texts only when needed
        slides = current.file_type is FileType.PPTX
        text = detail.page_texts[page - 1] if 0 < page <= len(detail.page_texts) else ""
        heading = f"{'Slide' if slides else 'Part'} {page} — {detail.metadata.title}"
        return text_card(heading, text.split("\n"), max_px, landscape=slides)

    def suggested_file_name(self, asset_id: str) -> str:
        detail = self.get(asset_id)
        return safe_file_name(detail.metadata.title, detail.current.file_type.extension)

    def _verified_file(self, detail: AssetDetail) -> Path:
        """The current version's stored file (fetched from the hub when this laptop does
        not keep it), checked against its hash."""
        what = f"“{detail.metadata.title}”"
        self._ctx.ensure_file(detail.current.sha256, what)
        return self._ctx.library.blobs.verified_path(detail.current.sha256, what)

    # --- using assets -----------------------------------------------------------

    def record_usage(self, asset_id: str, action: UsageAction,
                     detail: dict[str, object] | None = None) -> Changes:  # fmt: skip
        """Note that the actor viewed, previewed, opened, copied or exported an asset."""
        library = self._ctx.library
        if library.read_only:
            return Changes()
        with library.db.write() as session:
            activity_repo.add_usage(session, library.new_id(), asset_id, self._ctx.actor_id,
                                    action.value, library.clock(), detail)  # fmt: skip
        return Changes(usage=True)

    def record_presentation(self, asset_id: str, seconds: float,
                            dwell: dict[int, float]) -> Changes:  # fmt: skip
        """The actor presented an asset full screen for `seconds`, each page shown for
        `dwell[page]` seconds."""
        pages = self.get(asset_id).current.page_count or 1
        return self.record_usage(asset_id, UsageAction.PRESENTED,
                                 presentation_detail(seconds, dwell, pages))  # fmt: skip

    def shareable_copy(self, asset_id: str, action: UsageAction) -> tuple[Path, Changes]:
        """A copy of the current file under a readable name, for the system viewer or
        the clipboard (the blob store's own files have no names and must stay unchanged)."""
        detail = self.get(asset_id)
        current = detail.current
        folder = self._ctx.library.paths.root / "cache" / "share" / current.id
        target = folder / safe_file_name(detail.metadata.title, current.file_type.extension)
        named_copy(self._verified_file(detail), target, current.sha256)
        return target, self.record_usage(detail.id, action)

    def export_copy(self, asset_id: str, destination: Path) -> tuple[Path, Changes]:
        """Save a copy of the current file at `destination` (written whole or not at all)."""
        detail = self.get(asset_id)
        source = self._verified_file(detail)
        try:
            copy_atomically(source, destination)
        except OSError as error:
            raise KnownError(
                f"The copy could not be saved to {destination} ({error.strerror or error})."
            ) from None
        return destination, self.record_usage(detail.id, UsageAction.EXPORTED)

    def recently_used(self, limit: int = 200) -> list[str]:
        """Ids of the assets the actor used most recently, newest first."""
        with self._ctx.library.db.read() as session:
            return activity_repo.recently_used(session, self._ctx.actor_id, limit)

    def expiring_soon(self, days: int = 30) -> list[str]:
        """Ids of unretired assets that expire or are due for review within `days`
        (or already are), soonest first."""
        horizon = self._ctx.library.clock().date() + dt.timedelta(days=days)
        with self._ctx.library.db.read() as session:
            return assets_repo.due_ids(session, horizon)
