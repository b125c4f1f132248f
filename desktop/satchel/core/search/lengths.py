"""Field lengths from memory instead of one file read each.

BM25 needs each matching document's field length, and Whoosh 2.7.5 (pinned) reads it
with a seek and a one-byte read per document: 16 % of the time of a common-word query,
and the same again per posting when a segment is written. The length columns (one byte
per document and field: 100 KB per field at 100k assets) are loaded into an array the
first time a segment reader needs them.
"""

from __future__ import annotations

from array import array
from typing import Any

from whoosh.codec import whoosh3


def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
    readers = self._readers
    if fieldname not in readers:
        if not self.has_column(fieldname):
            return None
        reader = self.column_reader(fieldname, column)
        readers[fieldname] = _load(reader) if column is whoosh3.LENGTHS_COLUMN else reader
    return readers[fieldname]


def _load(reader: Any) -> array[int]:
    """The whole column in one read (one byte per document; documents after the last
    one written have length 0)."""
    lengths = array("B", reader._dbfile.get(reader._basepos, reader._count))
    lengths.frombytes(bytes(max(0, reader._doccount - len(lengths))))
    return lengths


def install() -> None:
    """Replace the per-document-reader's column cache (idempotent)."""
    whoosh3.W3PerDocReader._cached_reader = _cached_reader
