"""Background work: reads on a small pool, every write on one worker, results on the UI thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

log = logging.getLogger("satchel.ui")
T = TypeVar("T")
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class TaskRunner(QObject):
    """Runs service calls off the UI thread and calls back on it.

    Worker code gets copies of data and never touches widgets. One executor with a
    single worker owns every database write, so writes never race each other.

    Signals:
        failed(BaseException): a task without its own error callback failed.
    """

    failed = Signal(object)
    _finished = Signal(object)  # (future, on_done, on_error), emitted on a worker thread

    def __init__(self, parent: QObject | None = None, read_workers: int = 2) -> None:
        super().__init__(parent)
        self._reads = ThreadPoolExecutor(read_workers, thread_name_prefix="satchel-read")
        self._writes = ThreadPoolExecutor(1, thread_name_prefix="satchel-write")
        self._pending = 0
        self._closed = False
        self._finished.connect(self._deliver)  # queued: the slot runs on the UI thread

    @property
    def pending(self) -> int:
        """Tasks submitted whose callbacks have not run yet."""
        return self._pending

    def query(self, work: Callable[[], T], on_done: Done | None = None,
              on_error: Failed | None = None) -> Future[T]:  # fmt: skip
        """Run a read (search, load a page) on the read pool."""
        return self._submit(self._reads, work, on_done, on_error)

    def mutate(self, work: Callable[[], T], on_done: Done | None = None,
               on_error: Failed | None = None) -> Future[T]:  # fmt: skip
        """Run a change (import, edit, usage event) on the single writer."""
        return self._submit(self._writes, work, on_done, on_error)

    def _submit(self, executor: ThreadPoolExecutor, work: Callable[[], T],
                on_done: Done | None, on_error: Failed | None) -> Future[T]:  # fmt: skip
        if self._closed:  # the window is closing: late timers' work is dropped
            dropped: Future[T] = Future()
            dropped.cancel()
            return dropped
        self._pending += 1
        future = executor.submit(work)
        future.add_done_callback(lambda f: self._finished.emit((f, on_done, on_error)))
        return future

    def _deliver(self, item: tuple[Future[Any], Done | None, Failed | None]) -> None:
        future, on_done, on_error = item
        self._pending -= 1
        if future.cancelled() or self._closed:
            return
        error = future.exception()
        if error is None:
            if on_done is not None:
                on_done(future.result())
        elif on_error is not None:
            on_error(error)
        else:
            self.failed.emit(error)

    def shutdown(self) -> None:
        """Drop queued work and wait for running tasks (called when the window closes)."""
        self._closed = True
        for executor in (self._reads, self._writes):
            executor.shutdown(wait=True, cancel_futures=True)


class InlineTaskRunner(TaskRunner):
    """Runs each task at once on the calling thread and delivers its result before
    returning: for tests of the code that submits work, with no threads and no waiting.
    Reads and writes keep their order, as the single writer keeps it for real."""

    def _submit(self, executor: ThreadPoolExecutor, work: Callable[[], T],
                on_done: Done | None, on_error: Failed | None) -> Future[T]:  # fmt: skip
        future: Future[T] = Future()
        if self._closed:
            future.cancel()
            return future
        try:
            future.set_result(work())
        except BaseException as error:  # noqa: BLE001 - delivered to on_error like the real one
            future.set_exception(error)
        self._pending += 1
        self._deliver((future, on_done, on_error))
        return future
