"""Lanes: one thread each, running work in the order asked.

The writer lane runs every database write. SQLite has one writer at a time; a queue of
short writes lets a long job (an import commits file by file) and a person's edit take
turns, instead of the edit waiting for the whole job: the job runs on a thread of its
own and sends each commit here.

The index lane runs every search-index update and check, so a slow index write never
holds the writer lane. Its work sends its own database writes (dirty flags, the stamp)
to the writer lane and waits for them; work on the writer lane only ever queues work
on the index lane and never waits for it, so the two cannot wait for each other.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


class WriterLane:
    """A one-thread executor that knows its own thread (started on first use)."""

    def __init__(self, name: str = "satchel-write") -> None:
        self._name = name
        self._executor: ThreadPoolExecutor | None = None
        self._thread: int | None = None
        self._start = threading.Lock()

    def submit(self, work: Callable[[], T]) -> Future[T]:
        """Queue `work` behind the writes already asked for."""
        return self._lane().submit(work)

    def run(self, work: Callable[[], T]) -> T:
        """Run `work` on the lane and wait for it; at once when already on the lane
        (a write inside a write must not wait for itself)."""
        if self.on_lane:
            return work()
        return self.submit(work).result()

    @property
    def on_lane(self) -> bool:
        return threading.get_ident() == self._thread

    def shutdown(self, cancel_queued: bool = False) -> None:
        """Finish the running write (and, unless `cancel_queued`, the queued ones)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=cancel_queued)
            self._executor = None

    def _lane(self) -> ThreadPoolExecutor:
        with self._start:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    1, thread_name_prefix=self._name, initializer=self._mark
                )
            return self._executor

    def _mark(self) -> None:
        self._thread = threading.get_ident()
