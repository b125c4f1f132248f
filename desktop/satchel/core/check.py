"""Library integrity check and repair: database, blobs, leftovers from crashes.

A repair never deletes: what it takes out goes to a dated folder under `quarantine/`,
kept `QUARANTINE_DAYS` days, and it refuses to act at all on a database that does not
look like this library's (another id, another schema, a blob store it does not know).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from satchel.core.disk import human_size
from satchel.core.domain.text import clean_line
from satchel.core.errors import KnownError
from satchel.core.library import Library
from satchel.core.storage import backup, migrate
from satchel.core.storage.models import (
    Asset,
    AssetVersion,
    Blob,
    GeneratedDocument,
    TemplateVersion,
)

log = logging.getLogger("satchel.check")

QUARANTINE_DAYS = 30
# Crash leftovers are a handful of files; a database that does not know most of the
# blob store is the wrong database, and "repairing" would take the library's files.
MAX_ORPHAN_SHARE = 0.25
ORPHANS_ALWAYS_PLAUSIBLE = 3


@dataclass
class CheckReport:
    """Problems found (sentences), harmless leftovers, and what repair did.

    Leftovers of interrupted work (orphan blobs, staging files, partial backups) are
    garbage, not damage: the library is consistent with them, and `--repair` moves
    them to the quarantine folder.
    """

    problems: list[str] = field(default_factory=list)
    garbage: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    blobs_checked: int = 0
    blobs_bad: int = 0  # of those checked, missing or damaged
    quarantine_files: int = 0
    quarantine_bytes: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Leftovers:
    what: str
    paths: list[Path]


def check_library(library: Library, repair: bool = False) -> CheckReport:
    """Verify the database and every blob; with `repair`, quarantine orphans and leftovers."""
    report = CheckReport()
    _check_database(library, report)
    with library.db.read() as session:
        blobs = {row.sha256: row.size for row in session.scalars(select(Blob).where(Blob.stored))}
        known = set(session.scalars(select(Blob.sha256)))  # kept here or not
        half_assets = list(
            session.scalars(
                select(Asset.id).where(~Asset.versions.any(), Asset.deleted_at.is_(None))
            )
        )
        owners = _owners_of_files(session)
    for asset_id in half_assets:
        report.problems.append(f"Asset {asset_id} has no file version.")
    for sha256, size in sorted(blobs.items()):
        path = library.blobs.path_for(sha256)
        report.blobs_checked += 1
        what = _named(sha256, owners.get(sha256, []))
        if not path.is_file():
            report.problems.append(f"{what} is missing.")
            report.blobs_bad += 1
        elif path.stat().st_size != size or library.blobs.hash_file(path) != sha256:
            report.problems.append(f"{what} is damaged (its content changed).")
            report.blobs_bad += 1
    on_disk = list(library.blobs.iter_hashes())
    orphans = [path for name, path in on_disk if name not in known]
    thumbs = (
        [p for p in library.paths.thumbnails.rglob("*") if p.is_file()]
        if library.paths.thumbnails.is_dir()
        else []
    )
    leftovers = [
        _Leftovers("Files in the blob store that no asset uses", orphans),
        _Leftovers(
            "Unfinished files left by an interrupted import", list(library.blobs.iter_staging())
        ),
        _Leftovers(
            "Thumbnails of files no longer in the library",
            [p for p in thumbs if p.stem not in known],
        ),
        _Leftovers(
            "Unfinished backups left by an interrupted backup",
            backup.partial_snapshots(library.paths.backups),
        ),
        _Leftovers(
            "Unfinished copies left by an interrupted restore",
            backup.restoring_leftovers(library.paths.database),
        ),
    ]
    leftovers = [item for item in leftovers if item.paths]
    if repair and leftovers:
        _refuse_foreign_database(library, len(orphans), len(on_disk))
        folder = _quarantine_folder(library)
        for item in leftovers:
            for path in item.paths:
                _move_into(path, library.paths.root, folder)
            report.repaired.append(
                f"{item.what}: {len(item.paths)} moved to {folder.relative_to(library.paths.root)}."
            )
    else:
        report.garbage.extend(
            f"{item.what}: {len(item.paths)} (check --repair moves them to the quarantine folder)."
            for item in leftovers
        )
    if repair:
        _purge_quarantine(library)
    _measure_quarantine(library, report)
    return report


def _refuse_foreign_database(library: Library, orphans: int, on_disk: int) -> None:
    """Raise unless the database is plainly this library's own."""
    folder_id, db_id = library.folder_id(), library.info("library_id")
    revision = migrate.current_revision(library.db.engine)
    reason = ""
    if db_id is None:
        reason = "the database has no library id"
    elif folder_id is not None and folder_id != db_id:
        reason = (
            f"the database belongs to another library ({db_id[:8]}, the folder is {folder_id[:8]})"
        )
    elif revision != migrate.head_revision():
        reason = f"the database has schema {revision}, not {migrate.head_revision()}"
    elif orphans > ORPHANS_ALWAYS_PLAUSIBLE and orphans > MAX_ORPHAN_SHARE * on_disk:
        reason = (f"the database knows only {on_disk - orphans} of the {on_disk} stored files, "
                  "which is not what an interrupted import leaves")  # fmt: skip
    if reason:
        raise KnownError(
            f"The repair was not done, because {reason}. Nothing was moved. If the library "
            "was moved or restored, open it once with Satchel and check it again; otherwise "
            "restore a backup."
        )


def _quarantine_folder(library: Library) -> Path:
    stamp = library.clock().astimezone(dt.UTC).strftime("%Y%m%d-%H%M%S")
    folder = library.paths.quarantine / stamp
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _move_into(path: Path, root: Path, folder: Path) -> None:
    """Move a file into the quarantine folder, keeping its path inside the library."""
    target = folder / path.relative_to(root)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(path, target)


def _purge_quarantine(library: Library) -> None:
    """Drop quarantine folders older than QUARANTINE_DAYS."""
    horizon = library.clock().timestamp() - QUARANTINE_DAYS * 86_400
    folder = library.paths.quarantine
    for dated in sorted(folder.iterdir()) if folder.is_dir() else ():
        if dated.is_dir() and dated.stat().st_mtime < horizon:
            shutil.rmtree(dated, ignore_errors=True)
            log.info("purged quarantine folder %s", dated)


def _measure_quarantine(library: Library, report: CheckReport) -> None:
    folder = library.paths.quarantine
    files = [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
    report.quarantine_files = len(files)
    report.quarantine_bytes = sum(p.stat().st_size for p in files)


def verdict_line(report: CheckReport) -> str:
    """The check's last line: sound or not, and how many stored files passed."""
    if report.ok:
        return f"The library is sound. All {report.blobs_checked} stored files verified."
    good = report.blobs_checked - report.blobs_bad
    verb = "is" if report.blobs_bad == 1 else "are"
    files = (f" {report.blobs_bad} of {report.blobs_checked} stored files {verb} missing or "
             f"damaged; the other {good} verified." if report.blobs_bad
             else f" All {report.blobs_checked} stored files verified.")  # fmt: skip
    return f"The library has problems.{files}"


def quarantine_line(report: CheckReport) -> str | None:
    """'Quarantine: 3 files, 1.2 MB (…)', or None when it is empty."""
    if not report.quarantine_files:
        return None
    return (f"Quarantine: {report.quarantine_files} files, {human_size(report.quarantine_bytes)} "
            f"(what repairs took out, kept {QUARANTINE_DAYS} days).")  # fmt: skip


def _owners_of_files(session: Session) -> dict[str, list[str]]:
    """What each stored file is, in words, by its hash: asset versions and documents."""
    owners: dict[str, list[str]] = {}
    versions = select(AssetVersion.blob_sha256, Asset.title, AssetVersion.number).join(Asset)
    for sha256, title, number in session.execute(versions):
        owners.setdefault(sha256, []).append(f"“{clean_line(title, 80)}” version {number}")
    documents = select(GeneratedDocument.output_sha256, TemplateVersion.title,
                       GeneratedDocument.created_at).join(TemplateVersion)  # fmt: skip
    for sha256, title, made in session.execute(documents):
        owners.setdefault(sha256, []).append(
            f"a document made from “{clean_line(title, 80)}” on {made:%Y-%m-%d}")  # fmt: skip
    return owners


def _named(sha256: str, owners: list[str]) -> str:
    """ "The file of “Cirrus CX Datasheet” version 2 (blob 3fa4…)"."""
    if not owners:
        return f"The stored file {sha256[:12]} (used by nothing)"
    more = f" and {len(owners) - 2} more" if len(owners) > 2 else ""
    return f"The file of {' and '.join(owners[:2])}{more} (blob {sha256[:12]})"


def _check_database(library: Library, report: CheckReport) -> None:
    connection = library.db.raw_connection()  # read-only media: immutable, as the library
    try:
        rows = [r[0] for r in connection.execute("PRAGMA integrity_check")]
        if rows != ["ok"]:
            report.problems.extend(f"Database: {row}" for row in rows[:20])
        broken = connection.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            report.problems.append(f"Database: {len(broken)} rows point at rows that do not exist.")
    except sqlite3.DatabaseError as error:
        report.problems.append(f"The database cannot be read: {error}.")
    finally:
        connection.close()
