"""Outcomes and progress of importing files."""

from __future__ import annotations

import enum
import threading
from dataclasses import dataclass


class ImportStatus(enum.StrEnum):
    """How one file ended."""

    IMPORTED = "imported"
    IMPORTED_WITH_WARNINGS = "imported_with_warnings"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


@dataclass(frozen=True)
class ImportResult:
    """The outcome for one file; `reason` is a sentence for rejections and duplicates."""

    path: str
    status: ImportStatus
    reason: str = ""
    asset_id: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportProgress:
    """Reported after each file: how far the batch is and what just happened."""

    done: int
    total: int
    result: ImportResult


@dataclass(frozen=True)
class ImportReport:
    """The whole batch: one result per finished file, and whether it was cancelled."""

    results: tuple[ImportResult, ...]
    cancelled: bool
    not_started: int = 0

    def count(self, status: ImportStatus) -> int:
        return sum(1 for result in self.results if result.status is status)


class CancelToken:
    """Set from any thread to stop a long operation between two safe points."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()
