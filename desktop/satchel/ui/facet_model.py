"""Facet filters as a two-level tree: facets, then their values with live counts."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from satchel.core.domain.search import FACETS

Index = QModelIndex | QPersistentModelIndex

FACET_LABELS = {
    "kind": "Kind",
    "product": "Product",
    "audience": "Audience",
    "funnel_stage": "Funnel stage",
    "region": "Region",
    "language": "Language",
    "status": "Status",
    "owner": "Owner",
}
_TOP = 0xFFFFFFFF  # internal id of top-level rows; a value row stores its facet's row
MAX_VALUES = 15  # the most common values of each facet (a chosen one is always kept)


class FacetModel(QAbstractItemModel):
    """Checkable facet values: values of one facet OR together (brochures or datasheets),
    facets AND together; a chosen facet's other values keep counting what they would add.

    Signals:
        filters_changed(dict): facet name → tuple of chosen values, after a click.
    """

    filters_changed = Signal(dict)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._facets: list[tuple[str, tuple[tuple[str, int], ...]]] = []
        self.selected: dict[str, tuple[str, ...]] = {}

    def set_counts(self, counts: Mapping[str, tuple[tuple[str, int], ...]]) -> bool:
        """New counts for the current query; a chosen value stays listed even at zero.

        Returns True if the tree changed shape (a view must expand it again)."""
        facets = []
        for name in FACETS:
            values = list(counts.get(name, ()))[:MAX_VALUES]
            listed = {value for value, _ in values}
            values[:0] = [(c, 0) for c in self.selected.get(name, ()) if c not in listed]
            if values:
                facets.append((name, tuple(values)))
        if [(n, [v for v, _ in vs]) for n, vs in facets] == [
            (n, [v for v, _ in vs]) for n, vs in self._facets
        ]:  # same values: only the counts changed, keep the tree as it is
            self._facets = facets
            for row in range(len(facets)):
                parent = self.index(row, 0)
                if self.rowCount(parent):
                    last = self.rowCount(parent) - 1
                    self.dataChanged.emit(self.index(0, 0, parent), self.index(last, 0, parent))
            return False
        self.beginResetModel()
        self._facets = facets
        self.endResetModel()
        return True

    def clear_selection(self) -> None:
        if self.selected:
            self.selected = {}
            self._changed_all()
            self.filters_changed.emit({})

    def _changed_all(self) -> None:
        for row in range(len(self._facets)):
            parent = self.index(row, 0)
            if self.rowCount(parent):
                last = self.rowCount(parent) - 1
                self.dataChanged.emit(self.index(0, 0, parent), self.index(last, 0, parent))

    # --- Qt model interface --------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _TOP)
        return self.createIndex(row, column, parent.row())

    def parent(self, child: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid() or child.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(child.internalId(), 0, _TOP)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._facets)
        if parent.internalId() == _TOP and parent.column() == 0:
            return len(self._facets[parent.row()][1])
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == _TOP:
            return Qt.ItemFlag.ItemIsEnabled
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemIsSelectable
        )

    def _value(self, index: Index) -> tuple[str, str, int]:
        name, values = self._facets[index.internalId()]
        value, count = values[index.row()]
        return name, value, count

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if index.internalId() == _TOP:
            name = self._facets[index.row()][0]
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return FACET_LABELS[name]
            return None
        name, value, count = self._value(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{value}  ({count:,})"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{FACET_LABELS[name]} {value}, {count} assets"
        if role == Qt.ItemDataRole.CheckStateRole:
            chosen = value in self.selected.get(name, ())
            return Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.UserRole:
            return (name, value)
        return None

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            not index.isValid()
            or index.internalId() == _TOP
            or role != Qt.ItemDataRole.CheckStateRole
        ):
            return False
        name, facet_value, _count = self._value(index)
        checked = Qt.CheckState(value) == Qt.CheckState.Checked  # type: ignore[call-overload]
        chosen = self.selected.get(name, ())
        if checked == (facet_value in chosen):
            return False
        chosen = (*chosen, facet_value) if checked else tuple(c for c in chosen if c != facet_value)
        if chosen:
            self.selected[name] = chosen
        else:
            del self.selected[name]
        self._changed_all()
        self.filters_changed.emit(dict(self.selected))
        return True
