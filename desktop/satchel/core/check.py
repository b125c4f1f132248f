"""Library integrity check and repair: database, blobs, leftovers from crashes."""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from satchel.core.library import Library
from satchel.core.storage.database import open_read_only
from satchel.core.storage.models import Asset, AssetVersion, Blob

log = logging.getLogger("satchel.check")


@dataclass
class CheckReport:
    """Problems found (sentences), harmless leftovers, and what repair did.

    Leftovers of interrupted work (orphan blobs, staging files) are garbage, not damage:
    the library is consistent with them, and `--repair` reclaims the space.
    """

    problems: list[str] = field(default_factory=list)
    garbage: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    blobs_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def check_library(library: Library, repair: bool = False) -> CheckReport:
    """Verify the database and every blob; with `repair`, delete orphans and leftovers."""
    report = CheckReport()
    _check_database(library, report)
    with library.db.read() as session:
        blobs = {row.sha256: row.size for row in session.scalars(select(Blob))}
        half_assets = list(
            session.scalars(
                select(Asset.id).where(~Asset.versions.any(), Asset.deleted_at.is_(None))
            )
        )
        referenced = set(session.scalars(select(AssetVersion.blob_sha256)))
    for asset_id in half_assets:
        report.problems.append(f"Asset {asset_id} has no file version.")
    for sha256, size in sorted(blobs.items()):
        path = library.blobs.path_for(sha256)
        report.blobs_checked += 1
        if not path.is_file():
            used = " (used by an asset)" if sha256 in referenced else ""
            report.problems.append(f"The file for blob {sha256[:12]} is missing{used}.")
        elif path.stat().st_size != size or library.blobs.hash_file(path) != sha256:
            report.problems.append(f"The file for blob {sha256[:12]} is damaged (content changed).")
    orphans = [path for name, path in library.blobs.iter_hashes() if name not in blobs]
    leftovers = list(library.blobs.iter_staging())
    thumbs = (
        [p for p in library.paths.thumbnails.rglob("*") if p.is_file()]
        if library.paths.thumbnails.is_dir()
        else []
    )
    stale_thumbs = [p for p in thumbs if p.stem not in blobs]
    _handle(report, repair, orphans, "Files in the blob store that no asset uses")
    _handle(report, repair, leftovers, "Unfinished files left by an interrupted import")
    _handle(report, repair, stale_thumbs, "Thumbnails of files no longer in the library")
    return report


def _handle(report: CheckReport, repair: bool, paths: list[Path], what: str) -> None:
    if not paths:
        return
    if repair:
        for path in paths:
            path.unlink(missing_ok=True)
        report.repaired.append(f"{what}: {len(paths)} removed.")
    else:
        report.garbage.append(f"{what}: {len(paths)} (check --repair removes them).")


def _check_database(library: Library, report: CheckReport) -> None:
    connection = open_read_only(library.paths.database)
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
