"""Bulk import: stage → parse in a child process → commit, one transaction per file.

A file is either wholly in the library (blob, rows, thumbnail) or not at all: the
blob is renamed into place before the database commit, so a crash in between leaves
only an orphan blob that `check --repair` removes; a rejected file is discarded from
staging and leaves no trace.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import stat
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from satchel.core.blobs import StagedFile, write_atomic
from satchel.core.domain.assets import AssetKind, AssetMetadata, AssetStatus, FileType
from satchel.core.domain.imports import (
    CancelToken,
    ImportProgress,
    ImportReport,
    ImportResult,
    ImportStatus,
)
from satchel.core.domain.metadata import MAX_TITLE, apply_changes
from satchel.core.domain.text import clean_line, has_hidden_characters
from satchel.core.domain.versions import VersionChange, compare, describe
from satchel.core.errors import KnownError, explain_os_error, is_environmental
from satchel.core.ingest.language import detect_language, release_language_model
from satchel.core.ingest.result import ParsedFile, RejectedFile
from satchel.core.ingest.worker import ParserPool
from satchel.core.library import Library
from satchel.core.storage import assets_repo
from satchel.core.storage.models import Asset, AssetVersion, PageText

log = logging.getLogger("satchel.ingest")

ProgressCallback = Callable[[ImportProgress], None]

_JUNK_FILES = {"thumbs.db", "desktop.ini", ".ds_store"}
_JUNK_TITLES = (
    "untitled",
    "microsoft word - ",
    "microsoft powerpoint - ",
    "powerpoint presentation",
)


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files given directly, plus every file inside given folders (recursive, sorted).

    Inside folders, hidden files, system junk and symbolic links are skipped; a path
    given explicitly is always attempted so the person gets an answer for it.
    """
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            for folder, subfolders, names in os.walk(path):
                subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
                for name in sorted(names):
                    candidate = Path(folder) / name
                    if name.startswith(".") or name.lower() in _JUNK_FILES:
                        continue
                    if candidate.is_symlink():
                        continue
                    files.append(candidate)
        else:
            files.append(path)
    return files


def guess_kind(parsed: ParsedFile) -> AssetKind:
    """A first guess the marketer can correct."""
    if parsed.file_type in (FileType.PNG, FileType.JPEG, FileType.WEBP):
        return AssetKind.IMAGE
    if parsed.file_type is FileType.PPTX:
        return AssetKind.DECK
    return AssetKind.ONE_PAGER if parsed.page_count == 1 else AssetKind.BROCHURE


def choose_title(parsed: ParsedFile, file_name: str) -> tuple[str, list[str]]:
    """Document metadata, else first heading, else the file name; cleaned for display."""
    warnings: list[str] = []
    for candidate in (parsed.metadata_title, parsed.heading, Path(file_name).stem, file_name):
        candidate = candidate.strip("\x00 \t\r\n")  # C-string leftovers from some producers
        title = clean_line(candidate, MAX_TITLE)
        if len(title) < 2 or title.lower().startswith(_JUNK_TITLES):
            continue
        if has_hidden_characters(candidate):
            warnings.append(
                "The title contained control or text-direction characters; they were removed."
            )
        return title, warnings
    return "Untitled", warnings


@dataclass
class _Pending:
    path: Path
    staged: StagedFile
    future: Future[ParsedFile] | None  # None: same content as an earlier file in the batch


class Importer:
    """Runs one batch; construct per batch."""

    def __init__(
        self,
        library: Library,
        pool: ParserPool,
        overrides: Mapping[str, str],
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
        commit_in: Callable[[Callable[[], ImportResult]], ImportResult] = lambda commit: commit(),
        owner: str = "",
        added_by: str | None = None,
    ) -> None:
        self.library = library
        self._commit_in = commit_in  # each file's commit runs through this (the writer lane)
        self.pool = pool
        self.limits = pool.limits
        # Validate the requested metadata once, before touching any file.
        apply_changes(AssetMetadata(title="-"), overrides)
        self.overrides = dict(overrides)
        self.owner = owner  # who imports: the new assets' owner unless overrides say
        self.added_by = added_by  # their user id, recorded on each version
        self.progress = progress
        self.cancel = cancel or CancelToken()
        self._results: list[ImportResult] = []
        self._seen: dict[str, ImportResult] = {}  # outcome per content hash in this batch
        self._batch_hashes: set[str] = set()
        self._total = 0

    def run(self, paths: Iterable[Path]) -> ImportReport:
        files = expand(paths)
        self._total = len(files)
        window: deque[_Pending] = deque()
        queue = deque(files)
        pool = self.pool
        try:
            while (queue or window) and not self.cancel.cancelled:
                # Keep a few files in flight so every parser process stays busy.
                while queue and len(window) < 2 * pool.workers:
                    pending = self._start(pool, queue.popleft())
                    if pending is not None:
                        window.append(pending)
                if window:
                    self._finish(pool, window.popleft())
        except BaseException:
            self.cancel.cancel()
            raise
        finally:
            for pending in window:
                if pending.future is not None:
                    pending.future.cancel()
                pending.staged.discard()
            if self.cancel.cancelled:  # kill parsers still chewing on abandoned files
                pool.close(cancel=True)
            release_language_model()  # ~80 MB, held for a batch only
        not_started = self._total - len(self._results)
        return ImportReport(tuple(self._results), self.cancel.cancelled, not_started)

    def _report(self, result: ImportResult) -> None:
        self._results.append(result)
        if self.progress is not None:
            self.progress(ImportProgress(len(self._results), self._total, result))

    def _reject(self, path: Path, reason: str) -> None:
        self._report(ImportResult(str(path), ImportStatus.REJECTED, reason))

    def _same_as_earlier(self, pending: _Pending) -> ImportResult:
        earlier = self._seen.get(pending.staged.sha256)
        path = str(pending.path)
        if earlier is None or earlier.status is ImportStatus.REJECTED:
            reason = (
                earlier.reason if earlier else "The file with the same content was not imported."
            )
            return ImportResult(path, ImportStatus.REJECTED, reason)
        reason = f"Same content as {Path(earlier.path).name}, imported just before."
        return ImportResult(path, ImportStatus.DUPLICATE, reason, earlier.asset_id)

    def _start(self, pool: ParserPool, path: Path) -> _Pending | None:
        try:
            staged = self._stage(path)
        except KnownError as error:
            self._reject(path, str(error))
            return None
        if staged.sha256 in self._batch_hashes:
            staged.discard()  # decided when the earlier file is done (results stay in order)
            return _Pending(path, staged, None)
        with self.library.db.read() as session:
            existing = assets_repo.find_by_hash(session, staged.sha256)
            found = (existing.id, existing.title) if existing else None
        if found is not None:
            staged.discard()
            reason = f"Already in the library as “{found[1]}”."
            self._report(ImportResult(str(path), ImportStatus.DUPLICATE, reason, found[0]))
            return None
        self._batch_hashes.add(staged.sha256)
        return _Pending(path, staged, pool.submit(staged.path, path.suffix))

    def _stage(self, path: Path) -> StagedFile:
        try:
            info = path.stat()
        except FileNotFoundError:
            raise KnownError("There is no such file or folder.") from None
        except OSError as error:
            raise KnownError(f"The file cannot be read ({error.strerror}).") from None
        if not stat.S_ISREG(info.st_mode):
            raise KnownError("This is not a regular file (it may be a device or a pipe).")
        if info.st_size == 0:
            raise KnownError("The file is empty.")
        limit = self.limits.max_file_mb << 20
        if info.st_size > limit:
            raise KnownError(
                f"The file is larger than {self.limits.max_file_mb} MB, the most Satchel imports."
            )
        try:
            with open(path, "rb") as source:
                return self.library.blobs.stage(source, limit)
        except PermissionError:
            raise KnownError("You do not have permission to read this file.") from None
        except OSError as error:
            if is_environmental(error):  # our disk: full, failing, read-only
                raise explain_os_error(error, self.library.paths.root) from None
            raise KnownError(f"The file could not be copied ({error.strerror}).") from None

    def _finish(self, pool: ParserPool, pending: _Pending) -> None:
        if pending.future is None:
            self._report(self._same_as_earlier(pending))
            return
        self._seen[pending.staged.sha256] = result = self._outcome(pool, pending)
        self._report(result)

    def _outcome(self, pool: ParserPool, pending: _Pending) -> ImportResult:
        def rejected(reason: str) -> ImportResult:
            return ImportResult(str(pending.path), ImportStatus.REJECTED, reason)

        try:
            parsed = pool.result(pending.future)  # type: ignore[arg-type]
        except RejectedFile as error:
            pending.staged.discard()
            return rejected(str(error))
        language = detect_language(parsed.pages)  # here, not on the writer lane
        try:
            return self._commit_in(lambda: self._commit(pending, parsed, language))
        except KnownError as error:
            return rejected(str(error))
        except OSError as error:
            return rejected(str(explain_os_error(error, self.library.paths.root)))

    def _recorded(self, sha256: str) -> bool:
        """Whether the database holds the blob (when unsure: yes, so the file is kept;
        an orphan is only garbage, a missing file is loss)."""
        try:
            with self.library.db.read() as session:
                return assets_repo.find_by_hash(session, sha256) is not None
        except Exception:  # noqa: BLE001 - the database failing is why we are here
            return True

    def _commit(self, pending: _Pending, parsed: ParsedFile, language: str) -> ImportResult:
        library = self.library
        title, title_warnings = choose_title(parsed, pending.path.name)
        warnings = tuple(title_warnings + parsed.warnings)
        defaults = AssetMetadata(title=title, kind=guess_kind(parsed), status=AssetStatus.DRAFT,
                                 language=language, owner=self.owner)  # fmt: skip
        metadata = apply_changes(defaults, self.overrides)
        asset_id = library.new_id()

        def rows(session: Session, now: dt.datetime) -> None:
            asset = Asset(id=asset_id, created_at=now, updated_at=now, tag_links=[])
            session.add(asset)
            assets_repo.write_metadata(session, asset, metadata, now, library.new_id)
            self._add_version(session, asset, 1, pending, parsed, warnings, now)

        self._store(pending.staged, parsed, rows)
        status = ImportStatus.IMPORTED_WITH_WARNINGS if warnings else ImportStatus.IMPORTED
        return ImportResult(str(pending.path), status, "", asset_id, warnings)

    def _store(self, staged: StagedFile, parsed: ParsedFile,
               rows: Callable[[Session, dt.datetime], None]) -> None:  # fmt: skip
        """Put the file in place, then its rows in one transaction; on failure no trace."""
        library = self.library
        had_blob = library.blobs.has(staged.sha256)
        try:
            library.blobs.commit(staged)
            if parsed.thumbnail_png:
                write_atomic(library.paths.thumbnail(staged.sha256), parsed.thumbnail_png)
            now = library.clock()
            with library.db.write() as session:
                assets_repo.ensure_blob(session, staged.sha256, staged.size, parsed.file_type, now)
                rows(session, now)
        except BaseException:
            staged.discard()
            if not had_blob and not self._recorded(staged.sha256):  # no trace of a file
                # that did not make it in (a failure after the commit keeps it: it is in)
                library.blobs.path_for(staged.sha256).unlink(missing_ok=True)
                library.paths.thumbnail(staged.sha256).unlink(missing_ok=True)
            raise

    def _add_version(self, session: Session, asset: Asset, number: int, pending: _Pending,
                     parsed: ParsedFile, warnings: tuple[str, ...], now: dt.datetime,
                     change: VersionChange | None = None) -> None:  # fmt: skip
        version = AssetVersion(
            id=self.library.new_id(),
            asset=asset,
            number=number,
            blob_sha256=pending.staged.sha256,
            original_name=clean_line(pending.path.name, 255),
            page_count=parsed.page_count,
            width=parsed.width,
            height=parsed.height,
            warnings=list(warnings),
            added_by=self.added_by,
            changes=change.to_json() if change else None,
            created_at=now,
            updated_at=now,
        )
        session.add(version)
        session.flush()  # page_texts has no ORM relationship to order the inserts
        session.add_all(
            PageText(version_id=version.id, page=number, text=text)
            for number, text in enumerate(parsed.pages, start=1)
            if text.strip()
        )

    # --- a new version of one asset -------------------------------------------------

    def new_version(self, asset_id: str, path: Path) -> ImportResult:
        """Replace an asset's file: the new file becomes its next version, the earlier
        ones stay (templates drawn over them keep them until republished)."""
        self._total = 1
        try:
            self._report(self._commit_in(self._version_commit(asset_id, path)))
        except (KnownError, RejectedFile) as error:
            self._reject(path, str(error))
        except OSError as error:
            self._reject(path, str(explain_os_error(error, self.library.paths.root)))
        return self._results[-1]

    def _version_commit(self, asset_id: str, path: Path) -> Callable[[], ImportResult]:
        """Stage, check and parse the new file; the step returned stores it (on the
        writer lane)."""
        staged = self._stage(path)
        pending = _Pending(path, staged, None)
        try:
            with self.library.db.read() as session:
                row = assets_repo.get_row(session, asset_id)
                current = row.versions[-1]
                same_as = assets_repo.find_by_hash(session, staged.sha256)
                if staged.sha256 == current.blob_sha256:
                    raise KnownError(f"This is the file of “{row.title}” as it is now "
                                     f"(version {current.number}): nothing would change.")  # fmt: skip
                if same_as is not None and same_as.id != row.id:
                    raise KnownError(f"This file is already in the library as “{same_as.title}”.")
                before = assets_repo.page_texts(session, current.id)
                asset_id, number, pages_before = row.id, current.number + 1, current.page_count
            parsed = self.pool.result(self.pool.submit(staged.path, path.suffix))
        except (KnownError, RejectedFile):
            staged.discard()
            raise
        after = dict(enumerate(parsed.pages, start=1))
        change = compare(before, after, pages_before, parsed.page_count)
        warnings = tuple(parsed.warnings)

        def rows(session: Session, now: dt.datetime) -> None:
            asset = assets_repo.get_row(session, asset_id)
            if asset.versions[-1].number != number - 1:
                raise KnownError("Someone added a version of this asset meanwhile; try again.")
            self._add_version(session, asset, number, pending, parsed, warnings, now, change)
            asset.updated_at, asset.dirty, asset.search_dirty = now, True, True

        def commit() -> ImportResult:
            self._store(staged, parsed, rows)
            status = ImportStatus.IMPORTED_WITH_WARNINGS if warnings else ImportStatus.IMPORTED
            return ImportResult(str(path), status, describe(change), asset_id, warnings)

        return commit
