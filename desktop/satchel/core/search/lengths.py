"""Field lengths from memory instead of one file read each.

BM25 needs each matching document's field length, and Whoosh 2.7.5 (pinned) reads it
with a seek and a one-byte read per document: 16 % of the time of a common-word query,
and the same again per posting when a segment is written. The length columns (one byte
per document and field: 100 KB per field at 100k assets) are loaded into an array the
first time a segment reader needs them, and a field without lengths is remembered as
such (Whoosh asked the file system again for every posting of it).
"""

from __future__ import annotations

from array import array
from typing import Any

from whoosh.codec import whoosh3
from whoosh.util.numeric import byte_to_length

_LENGTH_FIELDS: dict[str, str] = {}  # field name -> its lengths column's name


def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
    readers = self._readers
    if fieldname not in readers:
        if not self.has_column(fieldname):
            readers[fieldname] = None  # a finished segment's files do not change
        else:
            reader = self.column_reader(fieldname, column)
            readers[fieldname] = _load(reader) if column is whoosh3.LENGTHS_COLUMN else reader
    return readers[fieldname]


def _doc_field_length(self: Any, docnum: int, fieldname: str, default: int = 0) -> int | None:
    """As Whoosh's, including its None for a length of 0, with fewer calls: this runs
    for every posting written and every document scored."""
    name = _LENGTH_FIELDS.get(fieldname) or _LENGTH_FIELDS.setdefault(
        fieldname, whoosh3._lenfield(fieldname)
    )
    lengths = self._readers.get(name, self)  # self: not looked for yet
    if lengths is self:
        lengths = _cached_reader(self, name, whoosh3.LENGTHS_COLUMN)
    if lengths is None:
        return default
    if docnum > self._doccount:
        raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
    byte = lengths[docnum] if docnum < len(lengths) else 0
    return byte_to_length(byte) if byte else None


def _load(reader: Any) -> array[int]:
    """The whole column in one read (one byte per document; documents after the last
    one written have length 0)."""
    lengths = array("B", reader._dbfile.get(reader._basepos, reader._count))
    lengths.frombytes(bytes(max(0, reader._doccount - len(lengths))))
    return lengths


def install() -> None:
    """Replace the per-document-reader's column cache and length lookup (idempotent)."""
    whoosh3.W3PerDocReader._cached_reader = _cached_reader
    whoosh3.W3PerDocReader.doc_field_length = _doc_field_length


_DECODED = [byte_to_length(byte) if byte else 0 for byte in range(256)]


def field_lengths(reader: Any, fieldname: str) -> list[int]:
    """Every document's length of one field in a segment reader, decoded once per
    segment (the relaxed search scores whole posting lists at a time)."""
    per_doc = reader._perdoc
    decoded: dict[str, list[int]] = per_doc.__dict__.setdefault("_satchel_lengths", {})
    if fieldname not in decoded:
        name = whoosh3._lenfield(fieldname)
        column = _cached_reader(per_doc, name, whoosh3.LENGTHS_COLUMN)
        decoded[fieldname] = [] if column is None else [_DECODED[byte] for byte in column]
    return decoded[fieldname]
