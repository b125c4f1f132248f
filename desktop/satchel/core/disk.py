"""Plain words for what the operating system says about disks (full, failing, read-only)."""

from __future__ import annotations

import shutil
from pathlib import Path

from satchel.core.errors import DiskFullError


def free_bytes(folder: Path) -> int | None:
    """Free space on the disk holding `folder` (or its nearest existing parent)."""
    for candidate in (folder, *folder.parents):
        try:
            return shutil.disk_usage(candidate).free
        except OSError:
            continue
    return None


def human_size(size: int) -> str:
    """1536 → '1.5 KB' (decimal units, as file managers show)."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} TB"  # pragma: no cover - the loop returns at GB


def disk_full(folder: Path) -> DiskFullError:
    """The sentence for a full disk, with what is free."""
    free = free_bytes(folder)
    shown = f"{human_size(free)} free" if free is not None else "no space left"
    return DiskFullError(
        f"The disk holding {folder} is full ({shown}). Free some space; nothing was changed."
    )


def require_space(folder: Path, needed: int) -> None:
    """Refuse work that needs `needed` bytes on `folder`'s disk before it starts."""
    free = free_bytes(folder)
    if free is not None and free < needed:
        raise DiskFullError(
            f"The disk holding {folder} has {human_size(free)} free, and this needs about "
            f"{human_size(needed)}. Free some space; nothing was changed."
        )
