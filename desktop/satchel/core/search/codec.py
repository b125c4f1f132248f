"""How Whoosh 2.7.5 (pinned) writes and reads postings, made cheaper.

- Sorted runs. While an index is written, Whoosh collects postings in memory and, past
  `limitmb`, sorts them into a temporary "run" file, merged at commit. It wrote and read
  every posting as a pickle of its own: a fifth of a 10k-asset build. A run is now
  pickled lists of `CHUNK` postings, read back one list at a time (memory stays bounded).
- Posting blocks. Whoosh pickles each block of postings with protocol 2, where every
  bytes value (a document's positions) is stored as a call to `_codecs.encode`: reading
  a block of a common word cost ~50 µs through the restricted unpickler, and a phrase
  reads every block of its words. Protocol 5 stores bytes as bytes. Readers accept
  either protocol, so indexes written before still open.
- Skipping. `skip_to` within a block stepped posting by posting through three method
  calls each; an AND of common words skips a few postings per match. It now bisects
  the block's ids, which are un-delta-coded by `itertools.accumulate` (in C) instead of
  a generator (a sparse AND reads a new block of each word for every match).
"""

from __future__ import annotations

import pickle
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from itertools import accumulate, islice
from typing import Any

from whoosh import externalsort
from whoosh.codec import whoosh3
from whoosh.matching import ReadTooFar

CHUNK = 4096


def _write_run(self: Any, f: Any, items: Iterable[Any]) -> None:
    items = iter(items)
    try:
        while chunk := list(islice(items, CHUNK)):
            pickle.dump(chunk, f, protocol=5)
    finally:
        f.close()


def _read_run(self: Any, path: str) -> Iterator[Any]:
    f = self._open_run(path)
    try:
        while True:
            try:
                chunk = externalsort.load(f)  # the restricted unpickler (safe_pickle)
            except EOFError:
                return
            yield from chunk
    finally:
        f.close()
        self._remove_run(path)


def _dumps(value: Any, protocol: int = 2) -> bytes:
    return pickle.dumps(value, protocol=5)


def _skip_to(self: Any, target: int) -> None:
    """`W3LeafMatcher.skip_to`: the first posting at or after `target`."""
    if not self.is_active():
        raise ReadTooFar
    if target <= self.id():
        return
    if target > self._maxid:  # past this block: find the block holding it, as Whoosh does
        self._skip_to_block(lambda: target > self._maxid)
        if not self.is_active():
            return
        if self._ids is None:
            self._read_ids()
    # This block's last id is >= target, so the bisection stays inside the block.
    self._i = bisect_left(self._ids, target, self._i)


def _read_ids(self: Any) -> None:
    """`W3LeafMatcher._read_ids`: the block's document numbers."""
    if self._data is None:
        self._read_data()
    ids = self._data[0]
    self._ids = ids if self._byteids else tuple(accumulate(ids))


def install() -> None:
    """Replace how runs and posting blocks are pickled, and how a leaf skips (idempotent)."""
    externalsort.SortingPool._write_run = _write_run
    externalsort.SortingPool._read_run = _read_run
    whoosh3.dumps = _dumps
    whoosh3.W3LeafMatcher.skip_to = _skip_to
    whoosh3.W3LeafMatcher._read_ids = _read_ids
