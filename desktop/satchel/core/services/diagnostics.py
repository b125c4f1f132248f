"""A diagnostics bundle for support: versions, platform, settings (secrets removed), the
last logs, the integrity check's figures, and the sizes of the database and the index —
nothing from the library's content (no titles, no text, no file names of assets).
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from satchel.core.errors import KnownError
from satchel.core.paths import LibraryPaths
from satchel.core.services.facade import Services
from satchel.core.settings import Settings

LOG_BYTES = 1_000_000  # the end of each log file
# user:password@ in addresses, and key=value secrets in text.
_URL_SECRET = re.compile(r"(://[^:/@\s]*):[^@\s]*@")
_KEY_SECRET = re.compile(r"(?i)\b(password|passwd|pwd|token|secret|apikey|api_key)=\S+")


def redact(text: str) -> str:
    """`text` without passwords in addresses or key=value secrets."""
    return _KEY_SECRET.sub(r"\1=***", _URL_SECRET.sub(r"\1:***@", text))


def _size(path: Path) -> tuple[int, int]:
    """(files, bytes) under `path`."""
    if path.is_file():
        return 1, path.stat().st_size
    files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else []
    return len(files), sum(p.stat().st_size for p in files)


def sizes(root: Path) -> dict[str, dict[str, int]]:
    paths = LibraryPaths(root)
    database = sum(_size(Path(f"{paths.database}{suffix}"))[1] for suffix in ("", "-wal"))
    return {name: {"files": count, "bytes": size} for name, (count, size) in {
        "database": (1 if paths.database.exists() else 0, database),
        "index": _size(paths.index), "blobs": _size(paths.blobs),
        "thumbnails": _size(paths.thumbnails),
    }.items()}  # fmt: skip


def _check(root: Path) -> dict[str, Any]:
    """The integrity check's figures (its sentences can name assets, so only counts)."""
    try:
        with Services.open(root, read_only=True) as services:
            report = services.care.check()
    except KnownError as error:
        return {"opened": False, "reason": redact(str(error))}
    return {"opened": True, "ok": report.ok, "problems": len(report.problems),
            "leftovers": len(report.garbage), "blobs_checked": report.blobs_checked,
            "blobs_bad": report.blobs_bad}  # fmt: skip


def write_bundle(target: Path, library: Path, about: Mapping[str, Any], log_file: Path,
                 settings: Settings | None = None) -> list[str]:  # fmt: skip
    """Write the bundle to `target` (a .zip); returns the names it holds."""
    settings = settings or Settings.default()
    effective = [{"key": row.key, "value": redact(str(row.value)) if isinstance(row.value, str)
                  else row.value, "source": row.source, "locked": row.locked}
                 for row in settings.effective()]  # fmt: skip
    parts: dict[str, str] = {
        "about.json": json.dumps(dict(about), indent=2, ensure_ascii=False),
        "settings.json": json.dumps(
            {"settings": effective, "problems": settings.problems}, indent=2, ensure_ascii=False
        ),
        "check.json": json.dumps(_check(library), indent=2),
        "sizes.json": json.dumps(sizes(library), indent=2),
    }
    for log in sorted(log_file.parent.glob(f"{log_file.name}*")):
        with open(log, "rb") as handle:
            handle.seek(max(0, log.stat().st_size - LOG_BYTES))
            parts[f"logs/{log.name}"] = redact(handle.read().decode("utf-8", "replace"))
    try:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as bundle:
            for name, text in parts.items():
                bundle.writestr(name, text)
    except OSError as error:
        raise KnownError(f"The bundle could not be written to {target} "
                         f"({error.strerror or error}).") from None  # fmt: skip
    return list(parts)
