"""Logging to a rotating file in the platform log folder."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from satchel.core.paths import log_dir


def setup_logging(folder: Path | None = None, level: int = logging.INFO) -> Path:
    """Send `satchel.*` logs to satchel.log; returns the log file's path."""
    root = logging.getLogger()
    for existing in root.handlers:  # already set up in this process
        if getattr(existing, "satchel", None):
            return Path(existing.satchel)  # type: ignore[attr-defined]
    folder = folder or log_dir()
    path = folder / "satchel.log"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.NullHandler()
    handler.satchel = str(path)  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    return path
