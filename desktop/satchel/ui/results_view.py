"""The results: a thumbnail grid or a sortable list (one model, one selection), or an
empty state with "did you mean"."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QFont,
    QFontMetrics,
    QIcon,
    QPainter,
    QPalette,
    QPen,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListView,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from satchel.core.domain.search import SearchHit, SearchResults
from satchel.ui.results_model import HIT_ROLE, ID_ROLE, ResultsModel

ROW_HEIGHT = 50
GRID_CELL = QSize(164, 206)
ICON_SIZE = QSize(140, 140)
SNIPPET_LEAD = 30  # characters of context kept before the first match


def snippet_html(hit: SearchHit) -> str:
    """The snippet as escaped HTML on one line, matched words in bold, page first.

    On one line the text before the first match is cut short, so the match shows.
    """
    first = hit.marks[0][0] if hit.marks else 0
    last = max(0, first - SNIPPET_LEAD)
    if last:
        last = hit.snippet.find(" ", last, first) + 1 or last  # start on a word
    parts = ["…"] if last else []
    for start, end in hit.marks:
        parts.append(html.escape(hit.snippet[last:start]))
        parts.append(f"<b>{html.escape(hit.snippet[start:end])}</b>")
        last = end
    parts.append(html.escape(hit.snippet[last:]))
    page = f"p.&nbsp;{hit.page} — " if hit.page else ""
    # A relaxed search's hit says which words it lacks, struck through, as web search does.
    missing = (
        "Missing: " + " ".join(f"<s>{html.escape(word)}</s>" for word in hit.unmatched) + " — "
        if hit.unmatched
        else ""
    )
    return f"<span style='white-space:nowrap'>{missing}{page}{''.join(parts)}</span>"


class SnippetDelegate(QStyledItemDelegate):
    """Paints the title with the highlighted snippet (text is escaped: never markup)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:  # fmt: skip
        hit = index.data(HIT_ROLE)
        if hit is None:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        style = option.widget.style() if option.widget else None
        option.text = ""
        option.icon = QIcon()
        option.features &= ~QStyleOptionViewItem.ViewItemFeature.HasDecoration
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        colour = option.palette.color(role)
        width = option.rect.width() - 8
        painter.save()
        painter.setClipRect(option.rect)
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(colour)
        metrics = QFontMetrics(bold)
        title = metrics.elidedText(hit.title, Qt.TextElideMode.ElideRight, width)
        painter.drawText(option.rect.left() + 4, option.rect.top() + 4 + metrics.ascent(), title)
        document = QTextDocument()  # the snippet: escaped text, matches in bold
        document.setDefaultFont(option.font)
        document.setDocumentMargin(0)
        document.setHtml(snippet_html(hit))
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, colour)
        painter.translate(option.rect.left() + 4, option.rect.top() + 8 + metrics.height())
        painter.setClipRect(QRectF(0, 0, width, option.rect.height() - metrics.height() - 8))
        document.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:  # fmt: skip
        return QSize(400, ROW_HEIGHT)


class GridDelegate(QStyledItemDelegate):
    """A grid cell: thumbnail on top, the title centred below it."""

    def initStyleOption(self, option: QStyleOptionViewItem,
                        index: QModelIndex | QPersistentModelIndex) -> None:  # fmt: skip
        super().initStyleOption(option, index)
        option.decorationPosition = QStyleOptionViewItem.Position.Top
        option.decorationAlignment = Qt.AlignmentFlag.AlignHCenter
        option.displayAlignment = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
        option.decorationSize = ICON_SIZE
        option.features |= QStyleOptionViewItem.ViewItemFeature.WrapText

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:  # fmt: skip
        return GRID_CELL - QSize(8, 8)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:  # fmt: skip
        super().paint(painter, option, index)
        if option.state & QStyle.StateFlag.State_HasFocus:  # the style's dotted line was
            painter.save()  # lost on the selection colour: a ring in the focus colour
            pen = QPen(option.palette.color(QPalette.ColorRole.Highlight).darker(140), 2)
            painter.setPen(pen)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.drawRoundedRect(QRectF(option.rect).adjusted(1, 1, -1, -1), 4, 4)
            painter.restore()


class ResultsView(QStackedWidget):
    """Grid, list and empty state over one `ResultsModel`.

    Signals:
        current_changed(str): the selected asset id ("" when nothing is selected).
        chosen(str): the person selected this asset (a click or a key), not the window
            selecting the first result for them.
        activated(str): an asset was double-clicked or Enter was pressed on it.
        suggestion_clicked(str): the "did you mean" suggestion was clicked.
        ask_clicked(str): "Ask marketing for this" was clicked, with the query.
    """

    current_changed = Signal(str)
    chosen = Signal(str)
    activated = Signal(str)
    suggestion_clicked = Signal(str)
    ask_clicked = Signal(str)

    def __init__(self, model: ResultsModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.grid = QListView()
        self.grid.setObjectName("resultsGrid")
        self.grid.setAccessibleName("Results as thumbnails")
        # A wrapping list, not IconMode: icon mode lays out every item one by one (a
        # 10k-item reset stalled the window ~100 ms); a list with uniform item sizes
        # places cells arithmetically. The delegate puts the thumbnail above the title.
        self.grid.setViewMode(QListView.ViewMode.ListMode)
        self.grid.setFlow(QListView.Flow.LeftToRight)
        self.grid.setWrapping(True)
        self.grid.setResizeMode(QListView.ResizeMode.Adjust)
        self.grid.setMovement(QListView.Movement.Static)
        self.grid.setUniformItemSizes(True)
        # Lay 100k cells out a batch at a time between events, not in one go after a reset.
        self.grid.setLayoutMode(QListView.LayoutMode.Batched)
        self.grid.setBatchSize(2000)
        self.grid.setItemDelegate(GridDelegate(self.grid))
        self.grid.setGridSize(GRID_CELL)
        self.grid.setIconSize(ICON_SIZE)
        self.grid.setWordWrap(True)
        self.grid.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.grid.setModel(model)

        self.table = QTableView()
        self.table.setObjectName("resultsList")
        self.table.setAccessibleName("Results as a list")
        self.table.setModel(model)
        self.table.setSelectionModel(self.grid.selectionModel())  # one selection for both
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list; arrows move in it
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setItemDelegateForColumn(0, SnippetDelegate(self.table))
        # No column first: enabling sorting sorts by the indicated column at once, which
        # asked the search for title order while "Sort: Relevance" was shown.
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setIconSize(QSize(0, 0))
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform rows: fast at 100k
        rows.setDefaultSectionSize(ROW_HEIGHT)
        rows.hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 100), (2, 110), (3, 90), (4, 50)):
            header.resizeSection(column, width)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)

        self.empty = QWidget()
        self.empty.setObjectName("emptyState")
        layout = QVBoxLayout(self.empty)
        layout.addStretch(1)
        self.empty_label = QLabel()
        self.empty_label.setTextFormat(Qt.TextFormat.PlainText)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.suggestion = QPushButton()
        self.suggestion.setObjectName("didYouMean")
        self.suggestion.setFlat(True)
        self.suggestion.setCursor(Qt.CursorShape.PointingHandCursor)
        self.suggestion.clicked.connect(lambda: self.suggestion_clicked.emit(self._suggested))
        # Nothing exists for it: the search becomes a content request, prefilled.
        self.ask = QPushButton("Ask marketing for this…")
        self.ask.setObjectName("askMarketing")
        self.ask.setToolTip("Nothing in the library fits: tell marketing what you need.")
        self.ask.clicked.connect(lambda: self.ask_clicked.emit(self._searched_for))
        layout.addWidget(self.empty_label)
        layout.addWidget(self.suggestion, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.ask, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(2)
        self._suggested = self._searched_for = ""

        for view in (self.grid, self.table):  # results drag out (onto a collection)
            view.setDragEnabled(True)
            view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
            view.setDefaultDropAction(Qt.DropAction.CopyAction)
        for widget in (self.grid, self.table, self.empty):
            self.addWidget(widget)
        self.grid.selectionModel().currentRowChanged.connect(self._current_row_changed)
        for view in (self.grid, self.table):
            view.activated.connect(lambda index: self.activated.emit(index.data(ID_ROLE) or ""))
            # A click on the row the window selected for the person is their choice too.
            view.clicked.connect(lambda index: self.chosen.emit(index.data(ID_ROLE) or ""))
        self._mode = "grid"
        self._selecting = False  # select_row at work: the window chose, not the person

    @property
    def mode(self) -> str:
        return self._mode

    def set_mode(self, mode: str) -> None:
        """Show results as "grid" or "list" (the selection is kept)."""
        self._mode = mode
        if self.currentWidget() is not self.empty:
            self.setCurrentWidget(self.grid if mode == "grid" else self.table)
        current = self.grid.selectionModel().currentIndex()
        if current.isValid():
            self.active_view().scrollTo(current)

    def active_view(self) -> QAbstractItemView:
        return self.grid if self._mode == "grid" else self.table

    def show_results(self, results: SearchResults, searched_for: str, can_import: bool) -> None:
        """Switch between the views and the empty state after a search."""
        if results.total:
            self.setCurrentWidget(self.grid if self._mode == "grid" else self.table)
            return
        if searched_for.strip():
            what = f"Nothing matches “{searched_for}”."
        elif can_import:
            what = "Nothing here yet. Drop files or folders here, or use File → Import, to add collateral."
        else:
            what = "Nothing here yet."
        self.empty_label.setText(what)
        self._suggested = results.suggestion or ""
        self.suggestion.setVisible(bool(self._suggested))
        self.suggestion.setText(f"Did you mean “{self._suggested}”?")
        self._searched_for = searched_for.strip()
        self.ask.setVisible(bool(self._searched_for))
        self.setCurrentWidget(self.empty)

    def select_row(self, row: int) -> None:
        """Select a row for the person (not recorded as their choice)."""
        index = self.model.index(row, 0)
        self._selecting = True
        try:
            self.grid.selectionModel().setCurrentIndex(
                index,
                self.grid.selectionModel().SelectionFlag.ClearAndSelect
                | self.grid.selectionModel().SelectionFlag.Rows,
            )
        finally:
            self._selecting = False

    def current_id(self) -> str:
        index = self.grid.selectionModel().currentIndex()
        return (index.data(ID_ROLE) or "") if index.isValid() else ""

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        asset_id = (current.data(ID_ROLE) or "") if current.isValid() else ""
        self.current_changed.emit(asset_id)
        if asset_id and not self._selecting:
            self.chosen.emit(asset_id)
