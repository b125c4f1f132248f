"""CSV files for spreadsheets: every text cell is shown as text, never run as a formula
(a cell starting with =, +, -, @, a tab or a carriage return gets a leading
apostrophe, as OWASP advises), UTF-8 with the mark Excel needs to read it so, and the
file written whole or not at all."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from satchel.core.blobs import write_atomic
from satchel.core.errors import explain_os_error

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: object) -> object:
    """A cell a spreadsheet shows as text; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]],
              failpoint: str = "csv.export") -> int:  # fmt: skip
    """Write the rows under `header`; the number of rows written."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([spreadsheet_text(value) for value in row])
        count += 1
    try:
        write_atomic(path, out.getvalue().encode("utf-8-sig"), failpoint=failpoint)
    except OSError as error:
        raise explain_os_error(error, path) from None
    return count
