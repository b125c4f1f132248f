"""Edit requests as a table: the rep's own, or marketing's queue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from satchel.core.domain.requests import RequestState, RequestSummary

Index = QModelIndex | QPersistentModelIndex
SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 1  # the RequestSummary

COLUMNS = ("Template", "For", "Requested by", "State", "Submitted", "Due")
OVERDUE_COLOUR = QColor("#b3261e")


def age_words(submitted: dt.datetime | None, now: dt.datetime) -> str:
    """ "3 h ago", "2 days ago": how long a request has waited."""
    if submitted is None:
        return ""
    hours = max(0, int((now - submitted).total_seconds() // 3600))
    if hours < 1:
        return "just now"
    if hours < 24:
        return f"{hours} h ago"
    days = hours // 24
    return f"{days} day{'s' if days != 1 else ''} ago"


def due_words(summary: RequestSummary) -> str:
    if summary.state is not RequestState.SUBMITTED or summary.due_at is None:
        return ""
    local = summary.due_at.astimezone()
    return ("Overdue since " if summary.overdue else "By ") + f"{local:%a %d %b, %H:%M}"


class RequestsModel(QAbstractTableModel):
    """Rows are requests in the order the service gave them; unread ones are bold,
    overdue ones red."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[RequestSummary] = []
        self.now = dt.datetime.now(dt.UTC)
        self._bold = QFont()
        self._bold.setBold(True)

    def reset(self, rows: Sequence[RequestSummary], now: dt.datetime | None = None) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.now = now or dt.datetime.now(dt.UTC)
        self.endResetModel()

    def row_of(self, request_id: str) -> int:
        return next((n for n, r in enumerate(self.rows) if r.id == request_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:  # fmt: skip
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        summary = self.rows[index.row()]
        if role == SUMMARY_ROLE:
            return summary
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(summary, index.column())
        if role == Qt.ItemDataRole.FontRole and summary.news:
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole and summary.overdue and index.column() == 5:
            return QBrush(OVERDUE_COLOUR)
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0 and summary.newer_version:
            return f"Version {summary.newer_version} of this template exists now."
        return None

    def _text(self, s: RequestSummary, column: int) -> str:
        round_words = f" (round {s.round})" if s.round > 1 else ""
        return (
            s.template_title,
            s.customer,
            s.requester,
            s.state_words.capitalize() + round_words,
            age_words(s.submitted_at, self.now),
            due_words(s),
        )[column]
