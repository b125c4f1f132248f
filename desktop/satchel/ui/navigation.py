"""The left panel: where to look (the library, recently used, expiring soon, the
collections) and the facet filters."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from satchel.core.domain.changes import Changes
from satchel.core.domain.usage import CollectionInfo
from satchel.core.domain.users import Role
from satchel.core.services import Services
from satchel.ui.errors import confirm, plain_tooltip, show_error
from satchel.ui.facet_model import FacetModel
from satchel.ui.icons import icon
from satchel.ui.results_model import ASSET_IDS_MIME
from satchel.ui.share_dialog import ShareDialog
from satchel.ui.tasks import TaskRunner

NAV_LIBRARY, NAV_RECENT, NAV_EXPIRING = "library", "recent", "expiring"
NAV_UPDATED = "updated"  # assets the person used that have a new version since


class NavigationPanel(QWidget):
    """The places to browse and the filters over the current results.

    Signals:
        scope_chosen(object, bool): the asset ids to search within (None: the whole
            library), and whether the place lists expired assets (expiring soon does).
    """

    scope_chosen = Signal(object, bool)

    def __init__(self, services: Services, runner: TaskRunner, facet_model: FacetModel,
                 expiring_days: Callable[[], int], parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._services, self._runner = services, runner
        self._expiring_days = expiring_days
        self.places = QListWidget()
        self.places.setObjectName("navigation")
        self.places.setAccessibleName("Navigation")
        self.facets = QTreeView()
        self.facets.setObjectName("facets")
        self.facets.setAccessibleName("Filters")
        self.facets.setHeaderHidden(True)
        self.facets.setModel(facet_model)
        self.facets.setUniformRowHeights(True)
        title = QLabel("Filters")
        title.setObjectName("facetsTitle")
        self.requests_button = QPushButton("My requests")  # the window sets its words
        self.requests_button.setObjectName("navigationRequests")
        self.requests_button.setIcon(icon("requests"))
        self.requests_button.setStyleSheet("text-align: left; padding: 4px 8px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addWidget(self.requests_button)
        layout.addWidget(self.places, 2)
        layout.addWidget(title)
        layout.addWidget(self.facets, 5)
        self.places.currentItemChanged.connect(self._navigate)
        runner.changed.connect(self.refresh)
        self.collections: list[CollectionInfo] = []
        # Marketers' collection commands: the places' context menu and keys on them.
        self.new_action = QAction("New Collection…", self)
        self.rename_action = QAction("Rename Collection…", self, shortcut=QKeySequence("F2"))
        self.delete_action = QAction("Delete Collection…", self,
                                     shortcut=QKeySequence(QKeySequence.StandardKey.Delete))  # fmt: skip
        self.share_action = QAction(
            "Share Collection…", self, shortcut=QKeySequence("Ctrl+Shift+H")
        )
        self.share_dialog: ShareDialog | None = None
        for action, handler in ((self.new_action, self.new_collection),
                                (self.rename_action, self.rename_collection),
                                (self.share_action, self.share_collection),
                                (self.delete_action, self.delete_collection)):  # fmt: skip
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(handler)
            self.places.addAction(action)
        self.places.setAcceptDrops(True)  # results dropped on a collection join it
        self.places.viewport().installEventFilter(self)
        self.places.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.places.customContextMenuRequested.connect(self._menu)
        self.set_editable(False)

    def set_editable(self, editable: bool) -> None:
        """Whether the person may make and change collections (marketers, admins)."""
        self._editable = editable
        for action in (self.new_action, self.rename_action, self.share_action,
                       self.delete_action):  # fmt: skip
            action.setEnabled(editable)

    def current_collection(self) -> CollectionInfo | None:
        item = self.places.currentItem()
        return self._collection_of(item)

    def _collection_of(self, item: QListWidgetItem | None) -> CollectionInfo | None:
        key = item.data(Qt.ItemDataRole.UserRole) if item else ""
        wanted = key.split(":", 1)[1] if isinstance(key, str) and ":" in key else ""
        return next((c for c in self.collections if c.id == wanted), None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Dragged results over a collection: accepted (for editors), added on drop."""
        kinds = (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop)
        if watched is not self.places.viewport() or event.type() not in kinds:
            return super().eventFilter(watched, event)
        assert isinstance(event, QDropEvent)  # enter and move events are drop events too
        target = self._collection_at(event.position().toPoint())
        ids = bytes(event.mimeData().data(ASSET_IDS_MIME).data()).decode().split()
        if not (self._editable and target is not None and ids):
            event.ignore()
            return True
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        if event.type() == QEvent.Type.Drop:
            self._change(lambda: self._services.collections.add_assets(target.id, ids)[1])
        return True

    def _collection_at(self, point: QPoint) -> CollectionInfo | None:
        return self._collection_of(self.places.itemAt(point))

    def _menu(self, position: QPoint) -> None:
        if not self._editable:
            return
        menu = QMenu(self)
        menu.addAction(self.new_action)
        if self.current_collection() is not None:
            menu.addActions([self.rename_action, self.share_action, self.delete_action])
        menu.popup(self.places.mapToGlobal(position))

    def new_collection(self) -> None:
        name, ok = QInputDialog.getText(self, "New Collection", "Name of the collection:")
        if ok and name.strip():
            self._change(lambda: self._services.collections.create(name, [])[1])

    def rename_collection(self) -> None:
        collection = self.current_collection()
        if collection is None or not self._editable:
            return
        name, ok = QInputDialog.getText(self, "Rename Collection", "New name:",
                                        text=collection.name)  # fmt: skip
        if ok and name.strip() and name != collection.name:
            self._change(lambda: self._services.collections.rename(collection.id, name))

    def share_collection(self) -> None:
        """Choose whom the current collection is for (the territories people work in
        are offered, read off the UI thread first)."""
        collection = self.current_collection()
        if collection is None or not self._editable:
            return

        def opened(territories: list[str]) -> None:
            def share(roles: list[Role], places: list[str]) -> None:
                self._change(lambda: self._services.collections.share(collection.id, roles,
                                                                      places)[1])  # fmt: skip

            self.share_dialog = ShareDialog(collection, territories, share, self)
            self.share_dialog.open()

        self._runner.query(lambda: [p.territory for p in self._services.people.list_all()],
                           opened)  # fmt: skip

    def delete_collection(self) -> None:
        collection = self.current_collection()
        if collection is None or not self._editable:
            return
        confirm(self, "Delete collection?",
                f"Delete the collection “{collection.name}”? Its {collection.count} assets "
                "stay in the library.", "Delete",
                lambda: self._change(lambda: self._services.collections.delete(collection.id)))  # fmt: skip

    def _change(self, work: Callable[[], Changes]) -> None:
        self._runner.mutate(work, on_error=lambda error: show_error(self, error, None))

    def load_collections(self) -> None:
        self._runner.query(self._services.collections.list_all, self._fill)

    def refresh(self, changes: Changes, _initiator: object = None) -> None:
        if changes.collections or changes.library_replaced:
            self.load_collections()

    def _fill(self, collections: list[CollectionInfo]) -> None:
        self.collections = collections
        current = self.places.currentItem()
        keep = current.data(Qt.ItemDataRole.UserRole) if current else NAV_LIBRARY
        self.places.blockSignals(True)
        self.places.clear()
        entries = [(NAV_LIBRARY, "Library", "library"), (NAV_RECENT, "Recently used", "recent"),
                   (NAV_UPDATED, "New versions", "import"),
                   (NAV_EXPIRING, "Expiring soon", "expiring")]  # fmt: skip
        entries += [(f"collection:{c.id}", f"{c.name} ({c.count})", "collection")
                    for c in collections]  # fmt: skip
        for key, text, icon_name in entries:
            item = QListWidgetItem(icon(icon_name), text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            shared = self._collection_of(item)
            if shared is not None:
                item.setToolTip(plain_tooltip(f"{shared.description}\n{shared.shared_with()}"
                                              .strip()))  # fmt: skip
            if key == NAV_UPDATED:
                item.setToolTip("Assets you used that have a new version since you last did")
            self.places.addItem(item)
            if key == keep:
                self.places.setCurrentItem(item)
        if collections:
            header = QListWidgetItem("Collections")
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            self.places.insertItem(len(entries) - len(collections), header)
        self.places.blockSignals(False)
        if isinstance(keep, str) and keep.startswith("collection:"):
            if self.places.currentItem() is None:  # it was deleted: back to the library
                self.places.setCurrentRow(0)
            else:
                self._navigate(self.places.currentItem())  # its members may have changed

    def _navigate(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        key = item.data(Qt.ItemDataRole.UserRole) if item else NAV_LIBRARY
        if key == NAV_LIBRARY:
            self.scope_chosen.emit(None, False)
            return
        assets, collections = self._services.assets, self._services.collections
        if key == NAV_RECENT:
            work = assets.recently_used
        elif key == NAV_UPDATED:
            work = assets.updated_since_used
        elif key == NAV_EXPIRING:
            days = self._expiring_days()
            work = lambda: assets.expiring_soon(days)  # noqa: E731
        else:
            collection = key.split(":", 1)[1]
            work = lambda: collections.members(collection)  # noqa: E731
        self._runner.query(work, lambda ids: self.scope_chosen.emit(ids, key == NAV_EXPIRING))
