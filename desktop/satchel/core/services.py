"""The use cases: the only API the UI and the CLI call. One unit of work per call."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from satchel.core import check as integrity
from satchel.core.domain.assets import AssetDetail, AssetKind, AssetSummary, FileType
from satchel.core.domain.changes import Changes
from satchel.core.domain.imports import CancelToken, ImportReport, ImportStatus
from satchel.core.domain.metadata import apply_changes
from satchel.core.domain.search import SORTS, SearchHit, SearchResults
from satchel.core.domain.text import clean_line
from satchel.core.domain.users import Profile, Role
from satchel.core.errors import KnownError, ValidationError
from satchel.core.importer import Importer, ProgressCallback
from satchel.core.ingest.limits import ImportLimits
from satchel.core.ingest.worker import ParserPool
from satchel.core.library import Library, random_id, utc_now
from satchel.core.search import documents as search_documents
from satchel.core.search.analysis import fold
from satchel.core.search.index import IndexDamagedError
from satchel.core.search.keeper import STAMP_KEY, SearchKeeper
from satchel.core.search.query import parse as parse_query
from satchel.core.search.schema import FACETS
from satchel.core.search.snippets import best_snippet, plain_snippet
from satchel.core.search.snippets import matcher as snippet_matcher
from satchel.core.storage import assets_repo, backup
from satchel.core.storage.models import Asset, AssetVersion, LibraryInfo, SearchLogEntry, User

log = logging.getLogger("satchel.services")

CheckReport = integrity.CheckReport


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
        return services

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
        a rebuild is needed; the desktop runs it in the background at start-up.
        """
        token = cancel or CancelToken()
        return self._keeper().ensure(progress, lambda: token.cancelled)

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
        except (OSError, IndexDamagedError, KnownError):
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
        user_id: str | None = None,
    ) -> SearchResults:
        """Ranked results with snippets; facet counts over every match; "did you mean"."""
        if sort not in SORTS:
            raise ValidationError([f"Sort by one of: {', '.join(SORTS)}."])
        parsed = parse_query(text, as_you_type=as_you_type)
        keeper = self._keeper()
        keeper.ensure()
        options = {"sort": sort, "page": page, "page_size": page_size,
                   "include_hidden": include_hidden or "status" in parsed.filters,
                   "today": self.library.clock().date(), "with_facets": with_facets}  # fmt: skip
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
            self._log_search(text, raw.total, user_id)
        labels = self._labels() if with_facets else {}
        facets = {
            name: tuple(
                (labels.get(name, {}).get(value, value), count)
                for value, count in counts.most_common()
            )
            for name, counts in raw.facets.items()
        }
        return SearchResults(text, tuple(hits), raw.total, page, page_size, facets,
                             raw.suggestion, raw.fuzzy, raw.exact)  # fmt: skip

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

    def _log_search(self, text: str, results: int, user_id: str | None) -> None:
        if self.library.read_only:
            return
        with self.library.db.write() as session:
            session.add(SearchLogEntry(id=self.library.new_id(), query=clean_line(text, 500),
                                       results=results, user_id=user_id, at=self.library.clock()))  # fmt: skip

    def low_result_searches(self) -> list[tuple[str, int, str | None]]:
        """Logged searches that found little or nothing: (query, results, user id)."""
        with self.library.db.read() as session:
            rows = session.execute(
                select(
                    SearchLogEntry.query, SearchLogEntry.results, SearchLogEntry.user_id
                ).order_by(SearchLogEntry.at)
            )
            return [tuple(row) for row in rows]  # type: ignore[misc]

    def _parsers(self) -> ParserPool:
        """The parser processes, started on first use and kept for later imports."""
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
        self._require_writable()
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
        self._require_writable()
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

    # --- people -----------------------------------------------------------------

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
        """Create a user profile."""
        self._require_writable()
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
        """Verify database and blobs; with `repair`, remove orphans and leftovers."""
        if repair:
            self._require_writable()
        return integrity.check_library(self.library, repair)

    def backup(self) -> Path:
        """A verified snapshot in the library's backups folder (older ones rotated)."""
        self._require_writable()
        return backup.snapshot(
            self.library.paths.database,
            self.library.paths.backups,
            self.library.clock(),
            self.library.backup_keep,
        )

    def list_backups(self) -> list[Path]:
        return backup.list_snapshots(self.library.paths.backups)

    def restore(self, snapshot: Path) -> tuple[Path, Changes]:
        """Replace the database with a verified snapshot; the current state is backed up first.

        Returns the path of the safety backup taken before restoring.
        """
        self._require_writable()
        backup.verify_snapshot(snapshot)
        safety = self.backup()
        self.library.db.dispose()  # no pooled connection may outlive the old contents
        backup.copy_into(snapshot, self.library.paths.database)
        self.library.migrate()  # an older snapshot is brought to this version's schema
        with self.library.db.write() as session:  # the index no longer matches: rebuild it
            session.merge(LibraryInfo(key=STAMP_KEY, value="restored"))
        if self._search is not None:
            self._search.close()
            self._search = None
        self._facet_labels = None
        return safety, Changes(library_replaced=True)

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
