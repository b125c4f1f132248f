"""The use cases: the only API the UI and the CLI call. One unit of work per call."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Collection as Many
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from satchel.core import check as integrity
from satchel.core.blobs import BlobStore, copy_atomically, write_atomic
from satchel.core.disk import explain_os_error
from satchel.core.domain import permissions
from satchel.core.domain.assets import AssetDetail, AssetKind, AssetSummary, FileType
from satchel.core.domain.changes import Changes
from satchel.core.domain.imports import CancelToken, ImportReport, ImportStatus
from satchel.core.domain.metadata import apply_changes
from satchel.core.domain.permissions import Capability
from satchel.core.domain.search import SORTS, SearchHit, SearchResults
from satchel.core.domain.text import clean_line, safe_file_name
from satchel.core.domain.usage import CollectionInfo, UsageAction
from satchel.core.domain.users import Profile, Role
from satchel.core.errors import KnownError, NotFoundError, ValidationError
from satchel.core.ingest.limits import ImportLimits
from satchel.core.library import Library, random_id, utc_now
from satchel.core.paths import LibraryPaths
from satchel.core.search import documents as search_documents
from satchel.core.search.analysis import fold
from satchel.core.search.index import IndexDamagedError
from satchel.core.search.keeper import STAMP_KEY, SearchKeeper
from satchel.core.search.query import parse as parse_query
from satchel.core.search.schema import FACETS
from satchel.core.search.snippets import best_snippet, plain_snippet
from satchel.core.search.snippets import matcher as snippet_matcher
from satchel.core.storage import assets_repo, backup
from satchel.core.storage.models import (
    Asset,
    AssetVersion,
    Collection,
    CollectionAsset,
    LibraryInfo,
    SearchLogEntry,
    UsageEvent,
    User,
)

if TYPE_CHECKING:  # parsers and renderers load on first use: the window opens without them
    from types import ModuleType

    from satchel.core.domain.templates import FieldIssue, Template
    from satchel.core.importer import ProgressCallback
    from satchel.core.ingest.worker import ParserPool
    from satchel.core.restore import RestoreOutcome
    from satchel.core.templating import Generated, SavedCustomization, Verification

log = logging.getLogger("satchel.services")

CheckReport = integrity.CheckReport
quarantine_line = integrity.quarantine_line


@dataclass(frozen=True)
class LibrarySummary:
    """Counts for a status line or `satchel --demo` before the window exists."""

    path: Path
    assets: int
    by_kind: dict[str, int]
    users: int
    read_only: bool


class Services:
    """Use cases over one open library."""

    def __init__(self, library: Library, limits: ImportLimits | None = None, workers: int = 0):
        self.library = library
        self.limits = limits or ImportLimits()
        self.workers = workers or max(1, min(4, os.cpu_count() or 1))
        self._pool: ParserPool | None = None
        self._search: SearchKeeper | None = None
        self._facet_labels: dict[str, dict[str, str]] | None = None
        self.actor: Profile | None = None  # who every call runs for; see sign_in

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
    def build_demo(cls, root: Path, *, limits: ImportLimits | None = None) -> Services:
        """Build the demo library in the empty or new folder `root` and return it open.

        The build is deterministic (seeded ids, a fixed clock); afterwards the library
        runs on the real clock like any other.
        """
        from satchel.core.demo.builder import DemoClock, populate, seeded_ids

        if root.exists() and (not root.is_dir() or any(root.iterdir())):
            raise KnownError(f"{root} is not empty; the demo library needs a new or empty folder.")
        services = cls.open(
            root, create=True, limits=limits, clock=DemoClock(), new_id=seeded_ids()
        )
        try:
            populate(services, root)
        except BaseException:
            services.close()
            raise
        services.library.clock, services.library.new_id = utc_now, random_id
        services.actor = None  # the composition root signs in whoever uses it
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
            services._index_after_restore()
        return outcome

    # --- search -----------------------------------------------------------------

    def _keeper(self) -> SearchKeeper:
        if self._search is None:
            self._search = SearchKeeper(self.library)
        return self._search

    def ensure_index(
        self, progress: Callable[[int], None] | None = None, cancel: CancelToken | None = None
    ) -> str:
        """Check the index against the database and repair or rebuild it as needed.

        Returns what was done ("ok", "rebuilt (damaged, 40 assets)", …). Slow only when
        a rebuild is needed; the desktop runs it in the background at start-up. This is
        also where a library that has grown fourfold gets its common words chosen again.
        """
        token = cancel or CancelToken()
        return self._keeper().ensure(progress, lambda: token.cancelled, regrow=True)

    def reindex(
        self, progress: Callable[[int], None] | None = None, cancel: CancelToken | None = None
    ) -> str:
        """Rebuild the index from the database into a new folder and swap it in."""
        token = cancel or CancelToken()
        return self._keeper().rebuild(progress, lambda: token.cancelled)

    def _index(self, changed: frozenset[str]) -> None:
        """Bring changed assets into the index right after the commit.

        Changed rows carry `search_dirty` from their own transaction, so indexing the
        dirty rows covers them; a failure is logged and leaves them dirty for the next
        search or `ensure_index` to repair, so the change itself is never lost.
        """
        self._facet_labels = None
        if not changed or self.library.read_only:
            return
        try:
            self._keeper().ensure()
        except Exception:
            log.exception("indexing changed assets failed; they stay marked for repair")

    def search(
        self,
        text: str,
        *,
        sort: str = "relevance",
        page: int = 1,
        page_size: int = 20,
        include_hidden: bool = False,
        as_you_type: bool = False,
        with_facets: bool = True,
        filters: Mapping[str, str] | None = None,
        scope: Many[str] | None = None,
    ) -> SearchResults:
        """Ranked results with snippets; facet counts over every match; "did you mean".

        An empty query lists every asset (browsing); `filters` are facet values as
        shown in the facet counts; `scope` narrows to those asset ids.
        """
        if sort not in SORTS:
            raise ValidationError([f"Sort by one of: {', '.join(SORTS)}."])
        parsed = parse_query(text, as_you_type=as_you_type)
        for name, value in (filters or {}).items():
            if name not in FACETS:
                raise ValidationError([f"There is no filter called {name!r}."])
            parsed.filters[name] = fold(value)
        keeper = self._keeper()
        keeper.ensure(wait=not keeper.index.is_open)
        options = {"sort": sort, "page": page, "page_size": page_size,
                   "include_hidden": include_hidden or "status" in parsed.filters,
                   "today": self.library.clock().date(), "with_facets": with_facets,
                   "match_all": True, "only_ids": scope}  # fmt: skip
        try:
            raw = keeper.index.search(parsed, **options)
        except IndexDamagedError as error:  # damage found only when reading: rebuild, retry
            log.warning("search index failed (%s); rebuilding", error)
            keeper.recover()
            raw = keeper.index.search(parsed, **options)
        words = parsed.highlight_terms() | parsed.prefixes()
        if raw.fuzzy and raw.suggestion:  # mark the words the typos were taken to mean
            words |= parse_query(raw.suggestion).highlight_terms()
        hits = self._hits(raw.ids, raw.scores, snippet_matcher(words))
        if not as_you_type and raw.total <= 2 and text.strip():
            self._log_search(text, raw.total)
        labels = self._labels() if with_facets else {}
        facets = {
            name: tuple(
                (labels.get(name, {}).get(value, value), count)
                for value, count in counts.most_common()
            )
            for name, counts in raw.facets.items()
        }
        return SearchResults(text, tuple(hits), raw.total, page, page_size, facets,
                             raw.suggestion, raw.fuzzy)  # fmt: skip

    def _hits(
        self, ids: list[str], scores: list[float], pattern: re.Pattern[str] | None
    ) -> list[SearchHit]:
        if not ids:
            return []
        hits = []
        with self.library.db.read() as session:
            rows = {
                row.id: row
                for row in session.scalars(
                    select(Asset)
                    .where(Asset.id.in_(ids))
                    .options(selectinload(Asset.versions).selectinload(AssetVersion.blob))
                )
            }
            texts = search_documents.page_texts(session, ids)
            for asset_id, score in zip(ids, scores, strict=True):
                row = rows.get(asset_id)
                if row is None or row.deleted_at is not None:  # gone since it was indexed
                    continue
                pages = texts.get(asset_id, [])
                snippet = best_snippet(pages, pattern) or (
                    plain_snippet(pages[0][1], pages[0][0]) if pages else None
                )
                hits.append(
                    SearchHit(
                        id=row.id,
                        title=row.title,
                        kind=AssetKind(row.kind),
                        file_type=FileType(row.versions[-1].blob.file_type),
                        score=score,
                        snippet=snippet.text if snippet else row.summary[:200],
                        marks=snippet.marks if snippet else (),
                        page=snippet.page if snippet else None,
                        updated_at=row.updated_at,
                        product=row.product,
                        status=row.status,
                        expires_on=row.expires_on,
                        page_count=row.versions[-1].page_count,
                        sha256=row.versions[-1].blob.sha256,
                    )
                )
        return hits

    def _labels(self) -> dict[str, dict[str, str]]:
        """Facet values as written (the index keeps them folded)."""
        if self._facet_labels is None:
            labels: dict[str, dict[str, str]] = {}
            with self.library.db.read() as session:
                for name in FACETS:
                    column = getattr(Asset, name)
                    values = session.scalars(select(column).distinct().where(column.is_not(None)))
                    labels[name] = {fold(v): v for v in values if v}
            self._facet_labels = labels
        return self._facet_labels

    def note_settled_search(self, text: str, results: int) -> Changes:
        """Record a search typed as-you-type once the person stopped typing, if it found
        little (as-you-type searches are not recorded keystroke by keystroke)."""
        if results <= 2 and text.strip():
            return self._log_search(text, results)
        return Changes()

    def _log_search(self, text: str, results: int) -> Changes:
        if self.library.read_only:
            return Changes()
        with self.library.db.write() as session:
            session.add(SearchLogEntry(id=self.library.new_id(), query=clean_line(text, 500),
                                       results=results, user_id=self._actor_id,
                                       at=self.library.clock()))  # fmt: skip
        return Changes(search_log=True)

    def low_result_searches(self) -> list[tuple[str, int, str | None]]:
        """Logged searches that found little or nothing: (query, results, user id)."""
        self._require(Capability.SEE_OTHERS_ACTIVITY)
        with self.library.db.read() as session:
            rows = session.execute(
                select(
                    SearchLogEntry.query, SearchLogEntry.results, SearchLogEntry.user_id
                ).order_by(SearchLogEntry.at)
            )
            return [tuple(row) for row in rows]  # type: ignore[misc]

    def _parsers(self) -> ParserPool:
        """The parser processes, started on first use and kept for later imports."""
        from satchel.core.ingest.worker import ParserPool

        if self._pool is None or self._pool.closed:
            self._pool = ParserPool(self.limits, self.workers)
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
        if self._search is not None:
            self._search.close()
        self.library.close()

    def __enter__(self) -> Services:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- assets -----------------------------------------------------------------

    def import_paths(
        self,
        paths: Iterable[Path],
        metadata: Mapping[str, str] | None = None,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> tuple[ImportReport, Changes]:
        """Import files and folders; every file ends with a status and a reason."""
        from satchel.core.importer import Importer

        self._require(Capability.IMPORT)
        importer = Importer(self.library, self._parsers(), metadata or {}, progress, cancel)
        report = importer.run(paths)
        added = frozenset(
            r.asset_id
            for r in report.results
            if r.asset_id
            and r.status in (ImportStatus.IMPORTED, ImportStatus.IMPORTED_WITH_WARNINGS)
        )
        self._index(added)
        return report, Changes(assets_added=added)

    def list_assets(self, kind: AssetKind | None = None) -> list[AssetSummary]:
        """Live assets, newest first."""
        with self.library.db.read() as session:
            return assets_repo.list_summaries(session, kind)

    def get_asset(self, asset_id: str, with_text: bool = False) -> AssetDetail:
        """One asset by id or unique id prefix."""
        with self.library.db.read() as session:
            row = assets_repo.get_row(session, asset_id)
            return assets_repo.to_detail(session, row, with_text)

    def update_metadata(
        self, asset_id: str, changes: Mapping[str, str]
    ) -> tuple[AssetDetail, Changes]:
        """Validate and apply metadata edits given as text."""
        self._require(Capability.EDIT_METADATA)
        with self.library.db.write() as session:
            row = assets_repo.get_row(session, asset_id)
            current = assets_repo.to_detail(session, row).metadata
            updated = apply_changes(current, changes)
            if updated != current:
                assets_repo.write_metadata(
                    session, row, updated, self.library.clock(), self.library.new_id
                )
                row.search_dirty = True
            session.flush()
            detail = assets_repo.to_detail(session, row)
        changed = frozenset({detail.id}) if updated != current else frozenset()
        self._index(changed)
        return detail, Changes(assets_changed=changed)

    def blob_path(self, sha256: str) -> Path:
        """Where a version's file lives (read-only: never write to it)."""
        return self.library.blobs.path_for(sha256)

    def thumbnail_path(self, sha256: str) -> Path | None:
        """The cached thumbnail of a version's file, if there is one."""
        path = self.library.paths.thumbnail(sha256)
        return path if path.is_file() else None

    def page_image(self, asset_id: str, page: int, max_px: int) -> bytes | None:
        """Page `page` (1-based) of the current version as PNG, drawn in a parser process.

        Word and PowerPoint files get a card with that part's or slide's text (there is
        no renderer for them here).
        """
        from satchel.core.ingest.result import RejectedFile
        from satchel.core.ingest.thumbnails import text_card

        detail = self.get_asset(asset_id)
        current = detail.current
        pool = self._parsers()
        path = self.library.blobs.verified_path(current.sha256, f"“{detail.metadata.title}”")
        future = pool.submit_render(path, current.file_type, page - 1, max_px)
        try:
            drawn = pool.result(future)
        except RejectedFile as error:
            raise KnownError(str(error)) from None
        if drawn is not None or current.file_type not in (FileType.DOCX, FileType.PPTX):
            return drawn
        # No renderer for Word and PowerPoint: a card with that slide's or part's text.
        detail = self.get_asset(asset_id, with_text=True)  # texts only when needed
        slides = current.file_type is FileType.PPTX
        text = detail.page_texts[page - 1] if 0 < page <= len(detail.page_texts) else ""
        heading = f"{'Slide' if slides else 'Part'} {page} — {detail.metadata.title}"
        return text_card(heading, text.split("\n"), max_px, landscape=slides)

    # --- using assets -----------------------------------------------------------

    def record_usage(self, asset_id: str, action: UsageAction) -> Changes:
        """Note that the actor viewed, previewed, opened, copied or exported an asset."""
        if self.library.read_only:
            return Changes()
        now = self.library.clock()
        with self.library.db.write() as session:
            session.add(UsageEvent(id=self.library.new_id(), asset_id=asset_id,
                                   user_id=self._actor_id, action=action.value, at=now,
                                   created_at=now, updated_at=now))  # fmt: skip
        return Changes(usage=True)

    def shareable_copy(self, asset_id: str, action: UsageAction) -> Path:
        """A copy of the current file under a readable name, for the system viewer or
        the clipboard (the blob store's own files have no names and must stay unchanged)."""
        detail = self.get_asset(asset_id)
        current = detail.current
        folder = self.library.paths.root / "cache" / "share" / current.id
        target = folder / safe_file_name(detail.metadata.title, current.file_type.extension)
        source = self.library.blobs.verified_path(current.sha256, f"“{detail.metadata.title}”")
        if not target.is_file() or BlobStore.hash_file(target) != current.sha256:
            folder.mkdir(parents=True, exist_ok=True)
            copy_atomically(source, target)
        self.record_usage(detail.id, action)
        return target

    def export_copy(self, asset_id: str, destination: Path) -> Path:
        """Save a copy of the current file at `destination` (written whole or not at all)."""
        detail = self.get_asset(asset_id)
        source = self.library.blobs.verified_path(detail.current.sha256,
                                                  f"“{detail.metadata.title}”")  # fmt: skip
        try:
            copy_atomically(source, destination)
        except OSError as error:
            raise KnownError(
                f"The copy could not be saved to {destination} ({error.strerror or error})."
            ) from None
        self.record_usage(detail.id, UsageAction.EXPORTED)
        return destination

    def suggested_file_name(self, asset_id: str) -> str:
        detail = self.get_asset(asset_id)
        return safe_file_name(detail.metadata.title, detail.current.file_type.extension)

    def recently_used(self, limit: int = 200) -> list[str]:
        """Ids of the assets the actor used most recently, newest first."""
        with self.library.db.read() as session:
            last = func.max(UsageEvent.at)
            query = select(UsageEvent.asset_id).group_by(UsageEvent.asset_id)
            query = query.where(UsageEvent.user_id == self._actor_id)
            return list(session.scalars(query.order_by(last.desc()).limit(limit)))

    def expiring_soon(self, days: int = 30) -> list[str]:
        """Ids of unretired assets that expire or are due for review within `days`
        (or already are), soonest first."""
        horizon = self.library.clock().date() + dt.timedelta(days=days)
        due = func.min(func.coalesce(Asset.expires_on, "9999-12-31"),
                       func.coalesce(Asset.review_on, "9999-12-31"))  # fmt: skip
        with self.library.db.read() as session:
            return list(
                session.scalars(
                    select(Asset.id)
                    .where(Asset.deleted_at.is_(None), Asset.status != "retired")
                    .where((Asset.expires_on <= horizon) | (Asset.review_on <= horizon))
                    .order_by(due, Asset.title)
                )
            )

    def list_collections(self) -> list[CollectionInfo]:
        with self.library.db.read() as session:
            count = func.count(CollectionAsset.asset_id)
            rows = session.execute(
                select(Collection.id, Collection.name, Collection.description, count)
                .outerjoin(
                    CollectionAsset,
                    (CollectionAsset.collection_id == Collection.id)
                    & CollectionAsset.deleted_at.is_(None),
                )
                .where(Collection.deleted_at.is_(None))
                .group_by(Collection.id)
                .order_by(Collection.name)
            )
            return [CollectionInfo(*row) for row in rows]

    def collection_assets(self, collection_id: str) -> list[str]:
        with self.library.db.read() as session:
            return list(
                session.scalars(
                    select(CollectionAsset.asset_id)
                    .where(
                        CollectionAsset.collection_id == collection_id,
                        CollectionAsset.deleted_at.is_(None),
                    )
                    .order_by(CollectionAsset.position)
                )
            )

    def create_collection(self, name: str, asset_ids: Iterable[str],
                          description: str = "") -> tuple[CollectionInfo, Changes]:  # fmt: skip
        """A named set of assets (in the given order)."""
        self._require(Capability.MANAGE_COLLECTIONS)
        name = clean_line(name, 120)
        if not name:
            raise ValidationError(["A collection needs a name."])
        now = self.library.clock()
        stamps = {"created_at": now, "updated_at": now}
        ids = list(dict.fromkeys(asset_ids))
        with self.library.db.write() as session:
            row = Collection(id=self.library.new_id(), name=name,
                             description=clean_line(description, 500), **stamps)  # fmt: skip
            session.add(row)
            for position, asset_id in enumerate(ids):
                session.add(CollectionAsset(id=self.library.new_id(), collection_id=row.id,
                                            asset_id=asset_id, position=position, **stamps))  # fmt: skip
        return CollectionInfo(row.id, row.name, row.description, len(ids)), Changes(
            collections=True
        )

    # --- templates --------------------------------------------------------------

    @property
    def _templating(self) -> ModuleType:
        from satchel.core import templating  # ReportLab and pypdf load on first use

        return templating

    def list_templates(self) -> list[Template]:
        """The newest version of every template."""
        return self._templating.list_templates(self.library)  # type: ignore[no-any-return]

    def get_template(self, template_id: str, version: int | None = None) -> Template:
        return self._templating.get_template(self.library, template_id, version)  # type: ignore[no-any-return]

    def publish_template(self, asset_id: str, fields: object,
                         title: str | None = None) -> tuple[Template, Changes]:  # fmt: skip
        """Publish a new version of the template over a PDF asset (fields as JSON values);
        earlier customizations keep the version they were made with."""
        self._require(Capability.PUBLISH_TEMPLATES)
        template = self._templating.publish(self.library, asset_id, fields, title, self._actor_id)
        return template, Changes(templates=True)

    def check_values(self, template_id: str, values: Mapping[str, str]) -> list[FieldIssue]:
        """Every problem with the values, without rendering (inline checks as a rep types)."""
        from satchel.core.render.validate import validate

        template = self.get_template(template_id)
        return validate(template, values, self.actor, self.library.clock().date())

    def generate(self, template_id: str, values: Mapping[str, str],
                 version: int | None = None, request_id: str = "",
                 record: bool = True) -> tuple[Generated, Changes]:  # fmt: skip
        """Validate and render a customized PDF for the actor; recorded and kept unless
        `record` is False. Refused values raise `ValidationError` listing each."""
        self._require(Capability.CUSTOMIZE, writes=record)
        template = self.get_template(template_id, version)
        made = self._templating.generate(self.library, template, values, self.actor,
                                         self.limits, request_id, record)  # fmt: skip
        return made, Changes(documents=frozenset({made.id}) if record else frozenset())

    @staticmethod
    def save_document(pdf: bytes, path: Path) -> Path:
        """Write a generated PDF where the person asked, whole or not at all."""
        try:
            write_atomic(path, pdf, failpoint="render.output")
        except OSError as error:
            raise explain_os_error(error, path) from None
        return path

    def preview(self, template: Template, values: Mapping[str, str], max_px: int) -> bytes:
        """Page 1 of the document these values make with `template` (published, or a
        draft from `draft_template`), as PNG; refused values show the field's default
        meanwhile, and nothing is recorded."""
        from satchel.core.render.raster import page_png

        pdf = self._templating.preview(self.library, template, values, self.actor, self.limits)
        return page_png(pdf, 1, max_px)

    def draft_template(self, asset_id: str, fields: object, title: str) -> Template:
        """Field specs not yet published, over a PDF asset: for trying values in the
        designer (checked like a publication, stored nowhere)."""
        self._require(Capability.PUBLISH_TEMPLATES, writes=False)
        return self._templating.draft(self.library, asset_id, fields, title)  # type: ignore[no-any-return]

    def save_customization(self, template: Template,
                           values: Mapping[str, str]) -> tuple[SavedCustomization, Changes]:  # fmt: skip
        """Keep the actor's values that need approval as a draft until the request
        workflow decides."""
        self._require(Capability.SUBMIT_REQUESTS)
        saved = self._templating.save_customization(self.library, template, values, self.actor)
        return saved, Changes(customizations=frozenset({saved.id}))

    def list_customizations(self) -> list[SavedCustomization]:
        """The actor's kept customizations, newest first."""
        return self._templating.list_customizations(self.library, self._actor_id)  # type: ignore[no-any-return]

    def verify(self, pdf: bytes) -> Verification:
        """Whether `pdf` is an unmodified Satchel output of this library, and of what."""
        return self._templating.verify(self.library, pdf)  # type: ignore[no-any-return]

    # --- people -----------------------------------------------------------------

    def find_user(self, user: str) -> Profile:
        """The profile with this id or email."""
        wanted = user.strip().lower()
        found = next((p for p in self.list_users() if wanted in (p.id, p.email)), None)
        if found is None:
            raise NotFoundError(f"There is no user {user} in this library.")
        return found

    def sign_in(self, user: str) -> Profile:
        """Make the profile with this id or email the actor of every later call (the
        composition root resolves who that is; services never guess)."""
        self.actor = self.find_user(user)
        return self.actor

    @property
    def _actor_id(self) -> str | None:
        return self.actor.id if self.actor else None

    def may(self, capability: Capability) -> bool:
        """Whether the actor's role allows `capability` (the UI hides what it does not)."""
        return self.actor is not None and permissions.allows(self.actor.role, capability)

    def require(self, capability: Capability) -> None:
        """Raise `PermissionDeniedError` unless the actor may do `capability`."""
        permissions.require(self.actor, capability)

    def _require(self, capability: Capability, writes: bool = True) -> None:
        """Refuse, before any work, what the actor's role may not do (and any change to
        a read-only library)."""
        if writes:
            self._require_writable()
        permissions.require(self.actor, capability)

    def add_user(
        self,
        name: str,
        email: str,
        role: Role,
        *,
        title: str = "",
        phone: str = "",
        territory: str = "",
    ) -> tuple[Profile, Changes]:
        """Create a user profile (admins; anyone may create a new library's first one,
        its owner)."""
        self._require_writable()
        if self.list_users():
            self._require(Capability.MANAGE_USERS)
        name, email = clean_line(name, 120), clean_line(email, 254).lower()
        if not name or "@" not in email:
            raise ValidationError(["A user needs a name and an email address."])
        now = self.library.clock()
        with self.library.db.write() as session:
            if session.scalar(select(User).where(User.email == email)):
                raise ValidationError([f"A user with the email {email} already exists."])
            row = User(
                id=self.library.new_id(),
                name=name,
                email=email,
                role=role.value,
                title=clean_line(title, 120),
                phone=clean_line(phone, 40),
                territory=clean_line(territory, 80),
                created_at=now,
                updated_at=now,
            )
            session.add(row)
        return _profile(row), Changes(users=True)

    def update_profile(self, user_id: str, changes: Mapping[str, str]) -> tuple[Profile, Changes]:
        """Edit a profile: name, title, email, phone, territory, role (all as text).
        Everyone edits their own contact details; other profiles and every role change
        are for admins (never raising one's own role, never removing the last admin)."""
        self._require_writable()
        if self.actor is None or self.actor.id != user_id or "role" in changes:
            self._require(Capability.MANAGE_USERS)
        limits = {"name": 120, "title": 120, "email": 254, "phone": 40, "territory": 80}
        problems = [f"A profile has no field {key!r}." for key in changes
                    if key not in limits and key != "role"]  # fmt: skip
        values = {key: clean_line(value, limits[key]) for key, value in changes.items()
                  if key in limits}  # fmt: skip
        if "name" in values and not values["name"]:
            problems.append("The name cannot be empty.")
        if "email" in values:
            values["email"] = values["email"].lower()
            if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", values["email"]):
                problems.append(f"{values['email'] or 'An empty address'} is not an email address.")
        if "phone" in values and re.search(r"[^0-9+()./ -]", values["phone"]):
            problems.append("A phone number may hold digits, spaces and + ( ) . / - only.")
        if "role" in changes:
            try:
                values["role"] = Role(changes["role"].strip().lower()).value
            except ValueError:
                problems.append(f"The role must be one of: {', '.join(r.value for r in Role)}.")
        if problems:
            raise ValidationError(problems)
        with self.library.db.write() as session:
            row = session.get(User, user_id)
            if row is None or row.deleted_at is not None:
                raise NotFoundError("That user no longer exists.")
            if "email" in values and session.scalar(
                select(User.id).where(User.email == values["email"], User.id != user_id)
            ):
                raise ValidationError([f"Another user already has the email {values['email']}."])
            if "role" in values:
                admins = session.scalar(select(func.count()).select_from(User).where(
                    User.role == Role.ADMIN.value, User.deleted_at.is_(None))) or 0  # fmt: skip
                assert self.actor is not None  # _require above
                permissions.check_role_change(self.actor, _profile(row), Role(values["role"]),
                                              admins)  # fmt: skip
            for key, value in values.items():
                setattr(row, key, value)
            row.updated_at, row.dirty = self.library.clock(), True
        profile = _profile(row)
        if self.actor is not None and self.actor.id == profile.id:
            self.actor = profile
        return profile, Changes(users=True)

    def acting_user(self, preferred_id: str | None, default_role: Role,
                    login: str) -> Profile | None:  # fmt: skip
        """Sign in whoever uses this library on the desktop: the remembered profile, else
        the demo's rep, else the library's owner (its first profile); a new library gets
        one for `login` with `default_role`. None only for an empty read-only library."""
        users = self.list_users()
        chosen = next((p for p in users if p.id == preferred_id), None)
        if chosen is None and self.is_demo:
            chosen = next((p for p in users if p.role is Role.REP), None)
        if chosen is None and users:
            chosen = self._owner()
        if chosen is None and not self.library.read_only:
            chosen, _ = self.add_owner(login, default_role)
        if chosen is not None:
            self.actor = chosen
        return chosen

    def add_owner(self, login: str, role: Role) -> tuple[Profile, Changes]:
        """The first profile of a new library, for the person who made it."""
        name = clean_line(login, 60) or "Me"
        email = re.sub(r"[^a-z0-9._-]", "", name.lower()) or "me"
        return self.add_user(name, f"{email}@localhost", role)

    def _owner(self) -> Profile | None:
        with self.library.db.read() as session:
            row = session.scalar(select(User).where(User.deleted_at.is_(None))
                                 .order_by(User.created_at, User.id).limit(1))  # fmt: skip
            return _profile(row) if row is not None else None

    @property
    def is_demo(self) -> bool:
        """A demo library (the desktop offers a user switcher to try each role)."""
        return self.library.info("demo") == "1"

    def mark_demo(self) -> Changes:
        """Mark the library as a demo (the desktop then offers the user switcher)."""
        self._require(Capability.POLICY)
        with self.library.db.write() as session:
            session.merge(LibraryInfo(key="demo", value="1"))
        return Changes(users=True)

    def list_users(self) -> list[Profile]:
        with self.library.db.read() as session:
            rows = session.scalars(
                select(User).where(User.deleted_at.is_(None)).order_by(User.name)
            )
            return [_profile(row) for row in rows]

    # --- library care -----------------------------------------------------------

    def summary(self) -> LibrarySummary:
        with self.library.db.read() as session:
            kinds = dict(
                session.execute(  # type: ignore[arg-type]
                    select(Asset.kind, func.count())
                    .where(Asset.deleted_at.is_(None))
                    .group_by(Asset.kind)
                ).all()
            )
            users = session.scalar(select(func.count()).select_from(User)) or 0
        return LibrarySummary(
            self.library.paths.root, sum(kinds.values()), kinds, users, self.library.read_only
        )

    def check(self, repair: bool = False) -> CheckReport:
        """Verify database and blobs; with `repair`, quarantine orphans and leftovers."""
        if repair:
            self._require(Capability.REPAIR)
        return integrity.check_library(self.library, repair)

    def backup(self) -> Path:
        """A verified snapshot in the library's backups folder (older ones rotated)."""
        self._require(Capability.BACKUP)
        return backup.snapshot(
            self.library.paths.database,
            self.library.paths.backups,
            self.library.clock(),
            self.library.backup_keep,
        )

    def list_backups(self) -> list[Path]:
        return backup.list_snapshots(self.library.paths.backups)

    def restore(self, snapshot: Path) -> tuple[RestoreOutcome, Changes]:
        """Replace the database with a verified snapshot; the current state is backed up
        first (see `restore_database`)."""
        from satchel.core.restore import restore_database

        self._require(Capability.RESTORE)
        backup.verify_snapshot(snapshot)
        self.library.db.dispose()  # no pooled connection may outlive the old contents
        outcome = restore_database(self.library.paths, snapshot, self.library.clock(),
                                   self.library.backup_keep)  # fmt: skip
        self.library.migrate()  # an older snapshot is brought to this version's schema
        self._index_after_restore()
        return outcome, Changes(library_replaced=True)

    def _index_after_restore(self) -> None:
        """The index no longer matches the database: mark it for a rebuild."""
        with self.library.db.write() as session:
            session.merge(LibraryInfo(key=STAMP_KEY, value="restored"))
        if self._search is not None:
            self._search.close()
            self._search = None
        self._facet_labels = None

    def _require_writable(self) -> None:
        if self.library.read_only:
            raise KnownError("This library is open read-only, so it cannot be changed.")


def _profile(row: User) -> Profile:
    return Profile(
        id=row.id,
        name=row.name,
        email=row.email,
        role=Role(row.role),
        title=row.title,
        phone=row.phone,
        territory=row.territory,
    )
