"""Building an index with several processes: Whoosh's multiprocess writer, with its
sub-writers spawned (not forked) and watched, and the merge policy for small segments."""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import multiprocessing.queues
import os
import queue
import threading

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import IndexWriter

from satchel.core import failpoints
from satchel.core.errors import KnownError
from satchel.core.search import codec, lengths, safe_pickle

# A sub-writer process imports this module to unpickle its task: the same restricted
# unpickler and codecs as the parent's, installed before it reads anything.
safe_pickle.install()
lengths.install()
codec.install()
SMALL_SEGMENT = 1000  # documents: a segment below this (or a tenth of the largest) is small


class _SpawnedSubWriter(SubWriterTask):
    """Whoosh's sub-writer process, started by spawning instead of forking: a fork copies
    whatever locks the parent's other threads hold (the desktop rebuilds in a background
    thread, and used to fall back to one process)."""

    @staticmethod
    def _Popen(process_obj):  # type: ignore[no-untyped-def]
        return multiprocessing.get_context("spawn").Process._Popen(process_obj)

    def run(self) -> None:
        _die_with_parent()
        failpoints.hit("index.subwriter")
        super().run()


def _die_with_parent() -> None:
    """End this child process as soon as its parent is gone (killed, crashed): a writer
    left alone would wait for work forever, holding its files."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="satchel-parent-watch", daemon=True).start()


class _JobQueue:
    """The parent's end of the job queue: a put that waits for room only while some
    sub-writer is alive (if they all died before reading, Whoosh's put waited forever)."""

    def __init__(self, jobs: multiprocessing.queues.Queue, writer: SpawningMpWriter) -> None:
        self.jobs, self.writer = jobs, writer

    def put(self, item: object) -> None:
        while True:
            try:
                self.jobs.put(item, timeout=0.5)
                return
            except queue.Full:
                if not any(task.is_alive() for task in self.writer.tasks):
                    raise KnownError("The search index could not be built: its writer "
                                     "processes stopped (see the log).") from None  # fmt: skip

    def close(self) -> None:
        self.jobs.close()


class SpawningMpWriter(MpWriter):
    """`MpWriter` whose sub-writers are `_SpawnedSubWriter` processes."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        spawn = multiprocessing.get_context("spawn")  # queues must match their processes
        self._jobs = spawn.Queue(self.procs * 4)
        self.jobqueue, self.resultqueue = _JobQueue(self._jobs, self), spawn.Queue()
        self.tasks: list[_SpawnedSubWriter] = self.tasks

    def _new_task(self):  # type: ignore[no-untyped-def]
        task = _SpawnedSubWriter(self.storage, self.indexname, self._jobs, self.resultqueue,
                                 self.subargs, self.multisegment)  # fmt: skip
        self.tasks.append(task)
        task.start()
        return task

    def cancel(self) -> None:
        # Whoosh's cancel only flags its copy of each task, so the processes would wait
        # for work forever (and Python waits for them at exit).
        for task in self.tasks:
            task.terminate()
        for task in self.tasks:
            task.join()
        self.tasks = []
        super().cancel()


def merge_small_segments(writer: IndexWriter, segments: list) -> list:
    """A merge policy: every segment well below the largest becomes one. (Whoosh's
    MERGE_SMALL merges the five smallest per commit, so one-edit segments piled up.)"""
    from whoosh.reading import SegmentReader

    largest = max((s.doc_count_all() for s in segments), default=0)
    small = [s for s in segments if s.doc_count_all() < max(SMALL_SEGMENT, largest // 10)]
    if len(small) < 2:
        return segments
    for segment in small:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [s for s in segments if s not in small]
