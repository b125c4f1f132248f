"""The use cases: the only API the UI and the CLI call. One unit of work per call.

`Services` (facade.py) opens a library and composes one service per area; each area
is its own module, and the queries behind it live in `core/storage/*_repo.py`.
"""

from satchel.core.check import CheckReport, quarantine_line, verdict_line
from satchel.core.services.care import LibrarySummary
from satchel.core.services.facade import Services

__all__ = ["CheckReport", "LibrarySummary", "Services", "quarantine_line", "verdict_line"]
