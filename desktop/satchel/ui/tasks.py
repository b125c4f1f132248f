"""Background work: reads on a small pool, every write on the writer lane, long jobs on a
thread of their own, results on the UI thread."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from satchel.core.domain.changes import Changes
from satchel.core.services.lane import WriterLane

log = logging.getLogger("satchel.ui")
T = TypeVar("T")
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class TaskRunner(QObject):
    """Runs service calls off the UI thread and calls back on it.

    Worker code gets copies of data and never touches widgets. Every database write runs
    on the library's writer lane, in order; a long job (an import) runs on a thread of
    its own and sends each of its commits to the lane, so edits made meanwhile wait for
    one file, not for the whole job.

    The change bus: when a change (a `mutate` or a `job`) returns a `Changes` (alone or
    in a tuple), `changed` carries it and the object that asked for the change, after
    that task's own callback; every view refreshes from this one signal.

    Signals:
        failed(BaseException): a task without its own error callback failed.
        changed(Changes, object): a change was saved; the second value is its initiator
            (None when nobody in particular asked).
    """

    failed = Signal(object)
    changed = Signal(object, object)
    _finished = Signal(object)  # (future, on_done, on_error, initiator), from a worker thread

    def __init__(self, parent: QObject | None = None, read_workers: int = 2,
                 lane: WriterLane | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._reads = ThreadPoolExecutor(read_workers, thread_name_prefix="satchel-read")
        self._lane = lane or WriterLane()
        self._jobs = ThreadPoolExecutor(2, thread_name_prefix="satchel-job")  # import, index check
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
        return self._submit(self._reads.submit, work, on_done, on_error, None)

    def mutate(self, work: Callable[[], T], on_done: Done | None = None,
               on_error: Failed | None = None, initiator: object = None) -> Future[T]:  # fmt: skip
        """Run a change (an edit, a usage event) on the writer lane."""
        return self._submit(self._lane.submit, work, on_done, on_error, initiator)

    def job(self, work: Callable[[], T], on_done: Done | None = None,
            on_error: Failed | None = None, initiator: object = None) -> Future[T]:  # fmt: skip
        """Run a long change (an import, an index check) on a job thread; its commits
        take turns on the writer lane with the other writes."""
        return self._submit(self._jobs.submit, work, on_done, on_error, initiator)

    def _submit(self, submit: Callable[[Callable[[], T]], Future[T]], work: Callable[[], T],
                on_done: Done | None, on_error: Failed | None,
                initiator: object) -> Future[T]:  # fmt: skip
        if self._closed:  # the window is closing: late timers' work is dropped
            dropped: Future[T] = Future()
            dropped.cancel()
            return dropped
        self._pending += 1
        future = submit(work)
        future.add_done_callback(lambda f: self._finished.emit((f, on_done, on_error, initiator)))
        return future

    def _deliver(self, item: tuple[Future[Any], Done | None, Failed | None, object]) -> None:
        future, on_done, on_error, initiator = item
        self._pending -= 1
        if future.cancelled() or self._closed:
            return
        error = future.exception()
        if error is None:
            result = future.result()
            if on_done is not None:
                on_done(result)
            changes = changes_in(result)
            if changes is not None and changes.any:
                self.changed.emit(changes, initiator)
        elif on_error is not None:
            on_error(error)
        else:
            self.failed.emit(error)

    def shutdown(self) -> None:
        """Drop queued work and wait for running tasks (called when the window closes)."""
        self._closed = True
        for executor in (self._jobs, self._reads):
            executor.shutdown(wait=True, cancel_futures=True)
        self._lane.shutdown(cancel_queued=True)


class InlineTaskRunner(TaskRunner):
    """Runs each task at once on the calling thread and delivers its result before
    returning: for tests of the code that submits work, with no threads and no waiting.
    Reads and writes keep their order, as the single writer keeps it for real."""

    def _submit(self, submit: Callable[[Callable[[], T]], Future[T]], work: Callable[[], T],
                on_done: Done | None, on_error: Failed | None,
                initiator: object) -> Future[T]:  # fmt: skip
        future: Future[T] = Future()
        if self._closed:
            future.cancel()
            return future
        try:
            future.set_result(work())
        except BaseException as error:  # noqa: BLE001 - delivered to on_error like the real one
            future.set_exception(error)
        self._pending += 1
        self._deliver((future, on_done, on_error, initiator))
        return future


def changes_in(result: object) -> Changes | None:
    """The `Changes` a service call returned, alone or as part of a tuple."""
    if isinstance(result, Changes):
        return result
    if isinstance(result, tuple):
        return next((part for part in result if isinstance(part, Changes)), None)
    return None
