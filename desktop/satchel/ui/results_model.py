"""The search results as a table model over asset ids, fetched a page at a time."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QIcon, QPixmap

from satchel.core.domain.assets import AssetStatus, FileType
from satchel.core.domain.search import SearchHit
from satchel.ui.errors import plain_tooltip
from satchel.ui.icons import icon

Index = QModelIndex | QPersistentModelIndex

HIT_ROLE = Qt.ItemDataRole.UserRole + 1  # the SearchHit (None while its page loads)
ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the asset id

DRAFT = AssetStatus.DRAFT.value
PAGE_SIZE = 100
MAX_PAGES = 40  # pages kept in memory; others are fetched again when scrolled back to

# Column header, and the search sort a click on it asks for (None: not sortable).
COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("Title", "title"),
    ("Kind", None),
    ("Product", None),
    ("Updated", "newest"),
    ("Pages", None),
)


ASSET_IDS_MIME = "application/x-satchel-asset-ids"  # one id per line


class ResultsModel(QAbstractTableModel):
    """Rows are the matches of the current search, in the order the index gave them.

    Only the row count is known up front; pages of hits arrive from the search
    service when a view asks for rows it does not have (`page_needed`). Thumbnails
    come from `thumbnail(sha256)`, which returns None until the picture is loaded.

    Signals:
        page_needed(int): page number (1-based) whose rows a view wants to show.
        sort_requested(str): a header click asked for this search sort.
    """

    page_needed = Signal(int)
    sort_requested = Signal(str)

    def __init__(self, thumbnail: Callable[[str], QPixmap | None] | None = None,
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._thumbnail = thumbnail or (lambda _sha: None)
        self._total = 0
        self._pages: OrderedDict[int, Sequence[SearchHit]] = OrderedDict()
        self._asked: set[int] = set()
        self.generation = 0
        self._placeholders: dict[FileType, QIcon] = {}
        self._draft_font = QFont()
        self._draft_font.setItalic(True)

    # --- filling --------------------------------------------------------------------

    def reset(self, total: int, first_page: Sequence[SearchHit]) -> int:
        """Start over with a new search; returns the generation later pages must quote."""
        self.beginResetModel()
        self.generation += 1
        self._total = max(total, len(first_page))
        self._pages = OrderedDict({1: tuple(first_page)}) if first_page else OrderedDict()
        self._asked = set(self._pages)
        self.endResetModel()
        return self.generation

    def add_page(self, generation: int, page: int, hits: Sequence[SearchHit]) -> None:
        """A page fetched for `generation`; ignored if a newer search replaced it."""
        if generation != self.generation:
            return
        self._pages[page] = tuple(hits)
        self._pages.move_to_end(page)
        while len(self._pages) > MAX_PAGES:
            dropped, _ = self._pages.popitem(last=False)
            self._asked.discard(dropped)
        first = (page - 1) * PAGE_SIZE
        last = min(self._total, first + PAGE_SIZE) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1))

    def page_failed(self, generation: int, page: int) -> None:
        """Let a failed page be asked for again."""
        if generation == self.generation:
            self._asked.discard(page)

    def thumbnail_ready(self, sha256: str) -> None:
        """Repaint rows showing the file whose thumbnail just loaded."""
        for page, hits in self._pages.items():
            for offset, hit in enumerate(hits):
                if hit.sha256 == sha256:
                    row = (page - 1) * PAGE_SIZE + offset
                    self.dataChanged.emit(
                        self.index(row, 0), self.index(row, 0), [Qt.ItemDataRole.DecorationRole]
                    )

    def hit(self, row: int) -> SearchHit | None:
        """The hit in `row`, asking for its page if it is not loaded."""
        if not 0 <= row < self._total:
            return None
        page, offset = divmod(row, PAGE_SIZE)
        hits = self._pages.get(page + 1)
        if hits is None:
            if page + 1 not in self._asked:
                self._asked.add(page + 1)
                self.page_needed.emit(page + 1)
            return None
        return hits[offset] if offset < len(hits) else None

    def row_of(self, asset_id: str) -> int | None:
        """The row of a loaded asset, or None."""
        for page, hits in self._pages.items():
            for offset, hit in enumerate(hits):
                if hit.id == asset_id:
                    return (page - 1) * PAGE_SIZE + offset
        return None

    def hit_of(self, asset_id: str) -> SearchHit | None:
        """The loaded hit of an asset, or None."""
        row = self.row_of(asset_id) if asset_id else None
        return self.hit(row) if row is not None else None

    # --- Qt model interface --------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:  # fmt: skip
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section][0]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled)  # fmt: skip

    def mimeTypes(self) -> list[str]:
        return [ASSET_IDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        """Dragged results carry their asset ids (onto a collection, say)."""
        ids = list(dict.fromkeys(index.data(ID_ROLE) for index in indexes if index.isValid()))
        data = QMimeData()
        data.setData(ASSET_IDS_MIME, QByteArray("\n".join(i for i in ids if i).encode()))
        return data

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.model() is not self:
            return None
        hit = self.hit(index.row())
        column = index.column()
        if role == HIT_ROLE:
            return hit
        if hit is None:
            return "…" if role == Qt.ItemDataRole.DisplayRole and column == 0 else None
        if role == ID_ROLE:
            return hit.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(hit, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return plain_tooltip(hit.title)
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return self._thumbnail(hit.sha256) or self._placeholder(hit.file_type)
        if role == Qt.ItemDataRole.FontRole and column == 0 and hit.status == DRAFT:
            return self._draft_font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _text(hit: SearchHit, column: int) -> str:
        match column:
            case 0:  # drafts only reach marketers, who must tell them from what reps see
                return f"Draft: {hit.title}" if hit.status == DRAFT else hit.title
            case 1:
                return hit.kind.value
            case 2:
                return hit.product
            case 3:
                return hit.updated_at.date().isoformat() if hit.updated_at else ""
            case _:
                return str(hit.page_count)

    def _placeholder(self, file_type: FileType) -> QIcon:
        if file_type not in self._placeholders:
            image = file_type in (FileType.PNG, FileType.JPEG, FileType.WEBP)
            self._placeholders[file_type] = icon("image" if image else "document")
        return self._placeholders[file_type]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is the search index's job: ask for the matching sort."""
        if 0 <= column < len(COLUMNS) and COLUMNS[column][1]:
            self.sort_requested.emit(COLUMNS[column][1])
