"""Parsing in child processes with a time limit and a memory cap per file.

A file that hangs a parser is killed at its deadline; one that eats memory hits the
address-space cap (Linux/BSD) and fails or dies there. Either way only the child
goes, the pool starts a fresh one, and the importing process carries on.
"""

from __future__ import annotations

import logging
import multiprocessing
import sys
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TypeVar

from pebble import ProcessExpired, ProcessPool

from satchel.core.domain.assets import FileType
from satchel.core.ingest.limits import ImportLimits
from satchel.core.ingest.pages import render_page
from satchel.core.ingest.parse import parse_file
from satchel.core.ingest.result import ParsedFile, RejectedFile

log = logging.getLogger("satchel.ingest")
T = TypeVar("T")


def _init_child(memory_mb: int) -> None:
    """Runs in each parser process before any file: cap its address space."""
    if sys.platform.startswith(("linux", "freebsd", "openbsd")):
        import resource

        limit = memory_mb << 20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    logging.getLogger("pypdf").setLevel(logging.ERROR)


def _parse_in_child(path: str, limits: ImportLimits, suffix: str) -> ParsedFile:
    return _guarded(lambda: parse_file(Path(path), limits, suffix), limits)


def _render_in_child(path: str, file_type: str, index: int, max_px: int,
                     limits: ImportLimits) -> bytes | None:  # fmt: skip
    return _guarded(
        lambda: render_page(Path(path), FileType(file_type), index, max_px, limits), limits
    )


def _guarded(work: Callable[[], T], limits: ImportLimits) -> T:
    """Run `work`, turning every failure into `RejectedFile` with a plain reason."""
    try:
        return work()
    except MemoryError:
        raise RejectedFile(
            f"Reading the file needed more than the {limits.memory_mb:,} MB of memory "
            "Satchel allows per file; it may be damaged or built to exhaust memory."
        ) from None
    except RejectedFile:
        raise
    except Exception as error:  # noqa: BLE001 - any parser bug must end as a rejection
        detail = str(error).strip() or type(error).__name__
        raise RejectedFile(
            f"The file could not be read; it may be damaged ({detail[:200]})."
        ) from None


class ParserPool:
    """A small pool of parser processes; `submit` returns a future of `ParsedFile`."""

    def __init__(self, limits: ImportLimits, workers: int = 2) -> None:
        self.limits = limits
        self.workers = max(1, workers)
        self.closed = False
        # spawn: a forked child would inherit the parent's threads and open database.
        self._pool = ProcessPool(
            max_workers=self.workers,
            initializer=_init_child,
            initargs=(limits.memory_mb,),
            context=multiprocessing.get_context("spawn"),
        )

    def submit(self, path: Path, suffix: str = "") -> Future[ParsedFile]:
        """Schedule one file (`suffix`: its name's, for a refusal to mention); the future
        fails after the per-file time limit."""
        return self._pool.schedule(
            _parse_in_child, args=(str(path), self.limits, suffix),
            timeout=self.limits.seconds_per_file,
        )  # fmt: skip

    def submit_render(self, path: Path, file_type: FileType, index: int,
                      max_px: int) -> Future[bytes | None]:  # fmt: skip
        """Schedule drawing one page as PNG (see `pages.render_page`)."""
        return self._pool.schedule(
            _render_in_child,
            args=(str(path), file_type.value, index, max_px, self.limits),
            timeout=self.limits.seconds_per_file,
        )

    def result(self, future: Future[T]) -> T:
        """Wait for a job; every failure becomes `RejectedFile` with a plain reason."""
        try:
            return future.result()
        except RejectedFile:
            raise
        except FutureTimeout:
            raise RejectedFile(
                f"Reading the file took longer than {self.limits.seconds_per_file:g} seconds, "
                "so it was stopped; it may be damaged or built to stall readers."
            ) from None
        except BrokenProcessPool:
            log.exception("parser pool broken")
            raise RejectedFile(
                "Satchel's file reader could not start, so the file was not read; "
                "see the log for details."
            ) from None
        except ProcessExpired as error:
            log.warning("parser process died: %s", error)
            raise RejectedFile(
                f"The reader stopped while opening the file (it needed more than "
                f"{self.limits.memory_mb:,} MB of memory or crashed); it may be damaged "
                "or built to exhaust memory."
            ) from None

    def close(self, cancel: bool = False) -> None:
        """Stop the pool; with `cancel`, kill work in progress at once."""
        if self.closed:
            return
        self.closed = True
        if cancel:
            self._pool.stop()
        else:
            self._pool.close()
        self._pool.join()

    def __enter__(self) -> ParserPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(cancel=exc[0] is not None)
