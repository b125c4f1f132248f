"""Printing results for people and as JSON for scripts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import sys
from pathlib import Path
from typing import Any, TextIO

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def plain(value: Any) -> Any:
    """Dataclasses, enums, dates and paths as JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    return value


def print_json(value: Any, out: TextIO | None = None) -> None:
    """One JSON document on stdout."""
    json.dump(plain(value), out or sys.stdout, ensure_ascii=False, indent=2)
    (out or sys.stdout).write("\n")


def safe(text: str) -> str:
    """Text from documents, made harmless for a terminal (no escape sequences)."""
    return "".join(ch if ch.isprintable() or ch == " " else "�" for ch in text)
