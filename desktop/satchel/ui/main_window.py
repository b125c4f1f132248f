"""The library window: navigation and facets, search and results, preview and details."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QMimeData, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QGuiApplication,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from satchel.core.domain.assets import AssetDetail, FileType
from satchel.core.domain.changes import Changes
from satchel.core.domain.imports import ImportProgress, ImportReport
from satchel.core.domain.search import SearchResults
from satchel.core.domain.templates import Template
from satchel.core.domain.usage import CollectionInfo, UsageAction
from satchel.core.domain.users import Profile, Role
from satchel.core.services import Services
from satchel.core.settings import Settings
from satchel.ui.errors import message_box, show_error
from satchel.ui.facet_model import FacetModel
from satchel.ui.icons import app_icon, icon
from satchel.ui.import_controller import ImportController, ImportProgressWidget, describe
from satchel.ui.import_summary_dialog import ImportSummaryDialog, headline
from satchel.ui.metadata_form import MetadataForm
from satchel.ui.page_view import PageCache, PageView
from satchel.ui.preview_pane import PreviewPane
from satchel.ui.profile_dialog import ProfileDialog
from satchel.ui.results_model import ResultsModel
from satchel.ui.results_view import ResultsView
from satchel.ui.search_controller import SearchController
from satchel.ui.settings_dialog import SettingsDialog
from satchel.ui.tasks import TaskRunner
from satchel.ui.thumbnails import ThumbnailCache

log = logging.getLogger("satchel.ui")

ICON_PROPERTY = "satchelIcon"
NAV_LIBRARY, NAV_RECENT, NAV_EXPIRING = "library", "recent", "expiring"
SORT_LABELS = (("relevance", "Relevance"), ("newest", "Newest"), ("used", "Most used"),
               ("title", "Title"))  # fmt: skip


@dataclass
class WindowContext:
    """What the window needs, built by the composition root."""

    services: Services
    settings: Settings
    runner: TaskRunner
    user: Profile | None
    log_file: Path | None = None


class MainWindow(QMainWindow):
    """The library window.

    Signals:
        changed(Changes): a change was saved; every part refreshes from this one signal.
        user_changed(Profile): the demo user switcher changed who is acting.
    """

    changed = Signal(object)
    user_changed = Signal(object)

    def __init__(self, context: WindowContext) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowIcon(app_icon())
        self.services = context.services
        self.settings = context.settings
        self.runner = context.runner
        self.user = context.user
        self.log_file = context.log_file
        self.read_only = self.services.read_only
        self.is_demo = self.services.people.is_demo  # read once: it never changes
        self.undo_stack = QUndoStack(self)
        self.setAcceptDrops(True)
        self._viewed = ""  # the asset whose view was last recorded
        self._previewed = ""
        self.templates_by_asset: dict[str, Template] = {}  # asset id → its newest template

        self.thumbnails = ThumbnailCache(self.runner, self.services.assets.thumbnail_path, self)
        self.results_model = ResultsModel(self.thumbnails.pixmap, self)
        self.thumbnails.ready.connect(self.results_model.thumbnail_ready)
        self.facet_model = FacetModel(self)
        self.search = SearchController(
            self.services, self.runner, self.results_model, self.facet_model,
            int(self.settings.value("search.delay_ms")), self,
        )  # fmt: skip
        self.imports = ImportController(
            self.services, self.runner, lambda: str(self.settings.value("import.status")), self
        )

        self._build_actions()
        self._build_central()
        self._build_menus_and_toolbar()
        self._build_status_bar()
        self._connect()
        self._apply_role()
        self.results.set_mode(str(self.settings.value("view.mode")))
        (self.grid_action if self.results.mode == "grid" else self.list_action).setChecked(True)
        self.setWindowTitle(f"Satchel — {self.services.root.name}")
        self._restore_geometry()
        self.load_collections()
        self.load_templates()
        self.search.run_now()

    # --- construction -----------------------------------------------------------------

    def _action(self, text: str, icon_name: str | None = None,
                shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                tip: str = "") -> QAction:  # fmt: skip
        action = QAction(text, self)
        if icon_name:
            action.setIcon(icon(icon_name))
            action.setProperty(ICON_PROPERTY, icon_name)  # to recolour for light/dark
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip or text.replace("&", "").rstrip("…"))
        return action

    def _build_actions(self) -> None:
        key = QKeySequence.StandardKey
        self.import_files_action = self._action("&Import Files…", "import", "Ctrl+I",
                                                "Add files to the library")  # fmt: skip
        self.import_folder_action = self._action("Import &Folder…", "folder", "Ctrl+Shift+I",
                                                 "Add a folder and everything in it")  # fmt: skip
        self.quit_action = self._action("&Quit", "quit", key.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.find_action = self._action("&Find", "search", key.Find, "Search the library")
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(key.Undo)
        self.undo_action.setIcon(icon("undo"))
        self.undo_action.setProperty(ICON_PROPERTY, "undo")
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(key.Redo)
        self.redo_action.setIcon(icon("redo"))
        self.redo_action.setProperty(ICON_PROPERTY, "redo")
        self.grid_action = self._action("&Grid", "grid", "Ctrl+1", "Show results as thumbnails")
        self.list_action = self._action("&List", "list", "Ctrl+2", "Show results as a list")
        views = QActionGroup(self)
        for action in (self.grid_action, self.list_action):
            action.setCheckable(True)
            views.addAction(action)
        self.sort_actions: dict[str, QAction] = {}
        sorts = QActionGroup(self)
        for sort, label in SORT_LABELS:
            action = self._action(label, tip=f"Sort results by {label.lower()}")
            action.setCheckable(True)
            action.setData(sort)
            sorts.addAction(action)
            self.sort_actions[sort] = action
        self.sort_actions["relevance"].setChecked(True)
        self.hidden_action = self._action("Include &Retired and Expired",
                                          tip="Also list retired and expired assets")  # fmt: skip
        self.hidden_action.setCheckable(True)
        self.open_action = self._action("&Open", "open", "Ctrl+Return",
                                        "Open the selected asset in its usual program")  # fmt: skip
        self.export_action = self._action("&Export a Copy…", "export", key.SaveAs,
                                          "Save a copy of the selected asset")  # fmt: skip
        self.copy_action = self._action("&Copy File", "copy", "Ctrl+Shift+C",
                                        "Put the selected file on the clipboard")  # fmt: skip
        self.reveal_action = self._action("Show in &Folder", "folder", "Ctrl+Shift+R",
                                          "Show the file in the file manager")  # fmt: skip
        self.customize_action = self._action("C&ustomize…", "edit", "Ctrl+Shift+U",
                                             "Fill in this template and make a PDF")  # fmt: skip
        self.design_action = self._action("&Design Template…", "edit", "Ctrl+Shift+D",
                                          "Mark the fields reps may change on this PDF")  # fmt: skip
        self.asset_actions = [self.customize_action, self.design_action, self.open_action,
                              self.export_action, self.copy_action, self.reveal_action]  # fmt: skip
        self.settings_action = self._action("&Settings…", "settings", key.Preferences)
        if self.settings_action.shortcut().isEmpty():
            self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.profile_action = self._action("&Profile…", "profile", tip="Edit your profile")
        self.log_action = self._action("Show &Log Folder", tip="Open the folder with the logs")
        self.about_action = self._action("&About Satchel")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)

    def _build_central(self) -> None:
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName("Navigation")
        self.facets = QTreeView()
        self.facets.setObjectName("facets")
        self.facets.setAccessibleName("Filters")
        self.facets.setHeaderHidden(True)
        self.facets.setModel(self.facet_model)
        self.facets.setUniformRowHeights(True)
        facets_title = QLabel("Filters")
        facets_title.setObjectName("facetsTitle")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(6, 6, 0, 6)
        left_layout.addWidget(self.nav, 2)
        left_layout.addWidget(facets_title)
        left_layout.addWidget(self.facets, 5)

        self.search_box = QLineEdit()
        self.search_box.setObjectName("searchBox")
        self.search_box.setAccessibleName("Search the library")
        self.search_box.setPlaceholderText(
            "Search titles, text and tags — e.g. gateway datasheet, “edge gateway”, product:atlas"
        )
        self.search_box.setClearButtonEnabled(True)
        self.search_box.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.info = QLabel()
        self.info.setObjectName("resultsInfo")
        self.info.setTextFormat(Qt.TextFormat.PlainText)
        self.results = ResultsView(self.results_model)
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 6, 0, 6)
        centre_layout.addWidget(self.search_box)
        centre_layout.addWidget(self.info)
        centre_layout.addWidget(self.results, 1)

        self.page_cache = PageCache(self.services, self.runner, self)
        self.pages = PageView(self.page_cache)
        self.form = MetadataForm(self.undo_stack, self._save_metadata)
        self.preview = PreviewPane(self.pages, self.form, self.asset_actions)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        self.splitter.setSizes([230, 640, 460])
        self.setCentralWidget(self.splitter)

    def _build_menus_and_toolbar(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addActions([self.import_files_action, self.import_folder_action])
        file_menu.addSeparator()
        file_menu.addActions(self.asset_actions)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = menu.addMenu("&Edit")
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addActions([self.find_action, self.profile_action, self.settings_action])
        view_menu = menu.addMenu("&View")
        view_menu.addActions([self.grid_action, self.list_action])
        sort_menu = view_menu.addMenu("&Sort By")
        sort_menu.addActions(list(self.sort_actions.values()))
        view_menu.addAction(self.hidden_action)
        help_menu = menu.addMenu("&Help")
        help_menu.addActions([self.log_action, self.about_action])

        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addActions([self.import_files_action, self.undo_action, self.redo_action])
        toolbar.addSeparator()
        toolbar.addActions([self.grid_action, self.list_action])
        self.sort_box = QComboBox()
        self.sort_box.setObjectName("sortBox")
        self.sort_box.setAccessibleName("Sort by")
        for sort, label in SORT_LABELS:
            self.sort_box.addItem(f"Sort: {label}", sort)
        toolbar.addWidget(self.sort_box)
        toolbar.addSeparator()
        toolbar.addActions([self.profile_action, self.settings_action])
        self.user_box = QComboBox()
        self.user_box.setObjectName("userSwitcher")
        self.user_box.setAccessibleName("Acting as")
        self.user_box.setToolTip("Demo library: try the app as a rep, a marketer or an admin")
        self._user_box_action = toolbar.addWidget(self.user_box)
        self._user_box_action.setVisible(False)

    def _build_status_bar(self) -> None:
        self.summary_label = QLabel()
        self.summary_label.setObjectName("librarySummary")
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addWidget(self.summary_label, 1)
        self.progress = ImportProgressWidget()
        self.progress.hide()
        self.statusBar().addPermanentWidget(self.progress)

    def _connect(self) -> None:
        self.search_box.textChanged.connect(self.search.type_text)
        self.search_box.returnPressed.connect(self.search.run_now)
        self.find_action.triggered.connect(self.focus_search)
        self.search.finished.connect(self._results_shown)
        self.search.failed.connect(lambda error: show_error(self, error, self.log_file))
        self.results.current_changed.connect(self._select)
        self.results.activated.connect(lambda _id: self.open_action.trigger())
        self.results.suggestion_clicked.connect(self.search_box.setText)
        self.grid_action.triggered.connect(lambda: self._set_view("grid"))
        self.list_action.triggered.connect(lambda: self._set_view("list"))
        for action in self.sort_actions.values():
            action.triggered.connect(lambda _c=False, a=action: self._set_sort(a.data()))
        self.sort_box.activated.connect(lambda i: self._set_sort(self.sort_box.itemData(i)))
        self.search.results.sort_requested.connect(self._sort_indicated)
        self.hidden_action.toggled.connect(lambda on: self.search.update(include_hidden=on))
        self.nav.currentItemChanged.connect(self._navigate)
        self.open_action.triggered.connect(self.open_asset)
        self.customize_action.triggered.connect(self.customize)
        self.design_action.triggered.connect(self.design)
        self.export_action.triggered.connect(self.export_asset)
        self.copy_action.triggered.connect(self.copy_asset)
        self.reveal_action.triggered.connect(self.reveal_asset)
        self.import_files_action.triggered.connect(self._choose_files)
        self.import_folder_action.triggered.connect(self._choose_folder)
        self.imports.started.connect(self._import_started)
        self.imports.progressed.connect(self._import_progressed)
        self.imports.finished.connect(self._import_finished)
        self.imports.failed.connect(self._import_failed)
        self.progress.cancel.clicked.connect(self._cancel_import)
        self.settings_action.triggered.connect(self.open_settings)
        self.profile_action.triggered.connect(self.open_profile)
        self.user_box.activated.connect(self._switch_user)
        self.quit_action.triggered.connect(self.close)
        self.log_action.triggered.connect(self._show_logs)
        self.about_action.triggered.connect(self._about)
        self.pages.page_shown.connect(self._page_shown)
        self.runner.failed.connect(lambda error: show_error(self, error, self.log_file))
        self.changed.connect(self._refresh)
        self.form.problem.connect(lambda text: text and self.statusBar().showMessage(text, 8000))
        self._set_asset_actions(False)

    def _restore_geometry(self) -> None:
        stored = QSettings()
        geometry, state = stored.value("window/geometry"), stored.value("window/state")
        splitter = stored.value("window/splitter")
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            if isinstance(state, QByteArray):
                self.restoreState(state)
            if isinstance(splitter, QByteArray):
                self.splitter.restoreState(splitter)
        else:
            self.resize(1360, 860)

    # --- people and roles ---------------------------------------------------------------

    @property
    def can_edit(self) -> bool:
        editor = self.user is not None and self.user.role in (Role.MARKETER, Role.ADMIN)
        return editor and not self.read_only

    def _apply_role(self) -> None:
        """Marketers and admins edit and import; reps see everything read-only."""
        for action in (self.import_files_action, self.import_folder_action):
            action.setEnabled(self.can_edit)
            action.setToolTip("" if self.can_edit else (
                "The library is open read-only" if self.read_only
                else "Only marketers and admins add assets"))  # fmt: skip
        self.form.set_editable(self.can_edit)
        role = f"{self.user.name} ({self.user.role.value})" if self.user else "no profile"
        self._summary_suffix = f" · {role}" + (" · read-only" if self.read_only else "")
        self.profile_action.setEnabled(self.user is not None and not self.read_only)
        if self.is_demo:
            self._fill_user_box()
        self._update_summary()

    def _fill_user_box(self) -> None:
        self.user_box.clear()
        for profile in self.services.people.list_all():
            self.user_box.addItem(f"{profile.name} — {profile.role.value}", profile.id)
            if self.user and profile.id == self.user.id:
                self.user_box.setCurrentIndex(self.user_box.count() - 1)
        self._user_box_action.setVisible(True)

    def _switch_user(self, index: int) -> None:
        self.user = self.services.people.sign_in(self.user_box.itemData(index))
        self.undo_stack.clear()  # one person's edits are not another's to undo
        self._apply_role()
        self.user_changed.emit(self.user)
        self.statusBar().showMessage(f"Now acting as {self.user_box.itemText(index)}", 4000)
        self._refresh(Changes(users=True))

    # --- searching and browsing ------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def _results_shown(self, results: SearchResults) -> None:
        searched = self.search.state.text
        if results.total:
            count = f"{results.total:,} asset{'s' if results.total != 1 else ''}"
            note = f" — showing results for “{results.suggestion}”" if results.fuzzy else ""
            self.info.setText(count + note)
        else:
            self.info.setText("")
        self.results.show_results(results, searched, self.can_edit)
        if self.search.facets_reshaped:
            self.facets.expandAll()
        current = self.preview.detail.id if self.preview.detail else ""
        row = self.results_model.row_of(current) if current else None
        if row is not None:
            self.results.select_row(row)
        elif results.hits:
            self.results.select_row(0)
        else:  # a model reset clears the selection without saying so
            self._select("")

    def _update_summary(self) -> None:
        """The status line: library size and who is acting (not per search: it only
        changes with the library or the user)."""
        suffix = self._summary_suffix
        self.runner.query(
            self.services.care.summary,
            lambda summary: self.summary_label.setText(
                f"{summary.assets:,} assets in the library{suffix}"
            ),
        )

    def _set_view(self, mode: str) -> None:
        self.results.set_mode(mode)
        if self.settings.value("view.mode") != mode and not self.settings.is_locked("view.mode"):
            try:
                self.settings.set("view.mode", mode)
            except Exception as error:  # noqa: BLE001 - a view switch must not fail on saving
                log.warning("could not save the view mode: %s", error)

    def _set_sort(self, sort: str) -> None:
        self.sort_actions[sort].setChecked(True)
        self.sort_box.setCurrentIndex(self.sort_box.findData(sort))
        self.search.update(sort=sort)

    def _sort_indicated(self, sort: str) -> None:
        self.sort_actions[sort].setChecked(True)
        self.sort_box.setCurrentIndex(self.sort_box.findData(sort))

    def load_collections(self) -> None:
        self.runner.query(self.services.collections.list_all, self._fill_nav)

    def _fill_nav(self, collections: list[CollectionInfo]) -> None:
        current = self.nav.currentItem()
        keep = current.data(Qt.ItemDataRole.UserRole) if current else NAV_LIBRARY
        self.nav.blockSignals(True)
        self.nav.clear()
        entries = [(NAV_LIBRARY, "Library", "library"), (NAV_RECENT, "Recently used", "recent"),
                   (NAV_EXPIRING, "Expiring soon", "expiring")]  # fmt: skip
        entries += [(f"collection:{c.id}", f"{c.name} ({c.count})", "collection")
                    for c in collections]  # fmt: skip
        for key, text, icon_name in entries:
            item = QListWidgetItem(icon(icon_name), text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
            if key == keep:
                self.nav.setCurrentItem(item)
        if collections:
            header = QListWidgetItem("Collections")
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            self.nav.insertItem(3, header)
        self.nav.blockSignals(False)

    def _navigate(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        key = item.data(Qt.ItemDataRole.UserRole) if item else NAV_LIBRARY
        hidden = self.hidden_action.isChecked()
        if key == NAV_LIBRARY:
            self.search.update(scope=None, include_hidden=hidden)
            return
        days = int(self.settings.value("view.expiring_days"))
        if key == NAV_RECENT:
            work = lambda: self.services.assets.recently_used()  # noqa: E731
        elif key == NAV_EXPIRING:
            work = lambda: self.services.assets.expiring_soon(days)  # noqa: E731
        else:
            collection = key.split(":", 1)[1]
            work = lambda: self.services.collections.members(collection)  # noqa: E731
        self.runner.query(
            work,
            lambda ids: self.search.update(scope=ids, include_hidden=hidden or key == NAV_EXPIRING),
        )

    # --- the selected asset -----------------------------------------------------------------

    def _select(self, asset_id: str) -> None:
        self._set_asset_actions(bool(asset_id))
        if not asset_id:
            self.preview.show_detail(None, self._today(), None)
            return
        self.runner.query(lambda: self.services.assets.get(asset_id), self._show_detail)
        if asset_id != self._viewed:
            self._viewed = asset_id
            self._record(asset_id, UsageAction.VIEWED)

    def _show_detail(self, detail: AssetDetail) -> None:
        if detail.id != self.results.current_id():
            return  # the selection moved on meanwhile
        same = self.preview.detail is not None and self.preview.detail.id == detail.id
        thumbnail = self.thumbnails.pixmap(detail.current.sha256)
        self.preview.show_detail(detail, self._today(), thumbnail, reload_pages=not same)

    def _page_shown(self, _page: int) -> None:
        detail = self.preview.detail
        if detail and detail.id != self._previewed:
            self._previewed = detail.id
            self._record(detail.id, UsageAction.PREVIEWED)

    def _today(self) -> dt.date:
        return self.services.today()

    def _set_asset_actions(self, enabled: bool) -> None:
        for action in self.asset_actions:
            action.setEnabled(enabled)
        current = self.results.current_id()
        self.customize_action.setEnabled(enabled and current in self.templates_by_asset)
        self.customize_action.setVisible(current in self.templates_by_asset)
        row = self.results_model.row_of(current) if current else None
        hit = self.results_model.hit(row) if row is not None else None
        designable = self.can_edit and hit is not None and hit.file_type is FileType.PDF
        self.design_action.setVisible(designable)
        self.design_action.setEnabled(enabled and designable)

    def load_templates(self) -> None:
        self.runner.query(self.services.templates.list_all, self._templates_loaded)

    def _templates_loaded(self, templates: list[Template]) -> None:
        self.templates_by_asset = {t.asset_id: t for t in templates}
        self._set_asset_actions(bool(self.results.current_id()))

    def design(self) -> None:
        """Open the template designer on the selected PDF (marketers and admins)."""
        from satchel.ui.designer_dialog import DesignerDialog  # loads on first use

        asset_id = self.results.current_id()
        if not asset_id or not self.can_edit:
            return
        detail = self.services.assets.get(asset_id)
        self.designer_dialog = DesignerDialog(self.services, self.runner, detail, self)
        self.designer_dialog.changed.connect(self.changed.emit)
        self.designer_dialog.open()

    def customize(self) -> None:
        """Open the customize window for the selected template."""
        template = self.templates_by_asset.get(self.results.current_id())
        if template is None:
            return
        titles = {}
        for spec in template.fields:
            for asset_id in spec.limits.image_set:
                titles[asset_id] = self.services.assets.get(asset_id).metadata.title
        from satchel.ui.customize_dialog import CustomizeDialog  # ReportLab loads on first use

        profile = self.services.actor
        self.customize_dialog = CustomizeDialog(self.services, self.runner, template, profile,
                                                self._today, titles, self)  # fmt: skip
        self.customize_dialog.changed.connect(self.changed.emit)
        self.customize_dialog.open()

    def _record(self, asset_id: str, action: UsageAction) -> None:
        self.runner.mutate(
            lambda: self.services.assets.record_usage(asset_id, action),
            on_error=lambda error: log.warning("usage event not recorded: %s", error),
        )

    def _shareable(self, action: UsageAction, then: Callable[[Path], None]) -> None:
        asset_id = self.results.current_id()
        if asset_id:
            self.runner.mutate(
                lambda: self.services.assets.shareable_copy(asset_id, action),
                lambda outcome: (then(outcome[0]), self.changed.emit(outcome[1])),
            )

    def open_asset(self) -> None:
        self._shareable(UsageAction.OPENED,
                        lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))  # fmt: skip

    def copy_asset(self) -> None:
        def put(path: Path) -> None:
            data = QMimeData()
            data.setUrls([QUrl.fromLocalFile(str(path))])
            data.setText(str(path))
            QGuiApplication.clipboard().setMimeData(data)
            self.statusBar().showMessage(f"Copied {path.name} to the clipboard", 4000)

        self._shareable(UsageAction.COPIED, put)

    def reveal_asset(self) -> None:
        self._shareable(UsageAction.OPENED,
                        lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))))  # fmt: skip

    def export_asset(self) -> None:
        asset_id = self.results.current_id()
        if not asset_id:
            return
        name = self.services.assets.suggested_file_name(asset_id)
        stored = QSettings()
        folder = Path(str(stored.value("export/folder", str(Path.home()))))
        target, _ = QFileDialog.getSaveFileName(self, "Export a Copy", str(folder / name))
        if target:
            stored.setValue("export/folder", str(Path(target).parent))
            self.runner.mutate(
                lambda: self.services.assets.export_copy(asset_id, Path(target)),
                lambda outcome: (
                    self.statusBar().showMessage(f"Saved a copy as {outcome[0]}", 6000),
                    self.changed.emit(outcome[1]),
                ),
            )

    # --- editing ---------------------------------------------------------------------

    def _save_metadata(self, asset_id: str, changes: dict[str, str]) -> None:
        """Called by undoable commands: save in the background, then refresh."""
        self.runner.mutate(
            lambda: self.services.assets.update_metadata(asset_id, changes),
            lambda outcome: self.changed.emit(outcome[1]),
        )

    def _refresh(self, changes: Changes) -> None:
        """The one place the window reacts to saved changes."""
        if changes.users and self.user:
            self.user = next((p for p in self.services.people.list_all() if p.id == self.user.id),
                             self.user)  # fmt: skip
            self._apply_role()
        if changes.collections or changes.library_replaced:
            self.load_collections()
        if changes.templates or changes.library_replaced:
            self.load_templates()
        if changes.any:
            self.search.refresh()
        current = self.results.current_id()
        touched = changes.assets_changed | changes.assets_added
        if current and (current in touched or changes.library_replaced):
            self.runner.query(lambda: self.services.assets.get(current), self._show_detail)
        self._update_summary()

    # --- importing -------------------------------------------------------------------

    def import_paths(self, paths: list[Path]) -> None:
        if not self.can_edit:
            reason = ("The library is open read-only, so nothing can be imported." if self.read_only
                      else "Only marketers and admins add assets to the library.")  # fmt: skip
            self.statusBar().showMessage(reason, 8000)
            return
        self.imports.start(paths)

    def _choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "Import Files", str(Path.home()),
            "Collateral (*.pdf *.png *.jpg *.jpeg *.webp *.docx *.pptx);;All files (*)",
        )  # fmt: skip
        if files:
            self.import_paths([Path(f) for f in files])

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import Folder", str(Path.home()))
        if folder:
            self.import_paths([Path(folder)])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if urls and all(url.isLocalFile() for url in urls):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    def _import_started(self) -> None:
        self.progress.label.setText("Starting the import…")
        self.progress.bar.setRange(0, 0)
        self.progress.cancel.setEnabled(True)
        self.progress.show()

    def _import_progressed(self, progress: ImportProgress) -> None:
        self.progress.bar.setRange(0, progress.total)
        self.progress.bar.setValue(progress.done)
        self.progress.label.setText(describe(progress))

    def _cancel_import(self) -> None:
        self.imports.cancel()
        self.progress.cancel.setEnabled(False)
        self.progress.label.setText("Cancelling — finishing the file in hand…")

    def _import_finished(self, report: ImportReport, changes: Changes) -> None:
        self.progress.hide()
        self.changed.emit(changes)
        self.statusBar().showMessage(headline(report), 10000)
        self.last_import_summary = ImportSummaryDialog(report, self)
        self.last_import_summary.open()

    def _import_failed(self, error: BaseException) -> None:
        self.progress.hide()
        show_error(self, error, self.log_file)

    def show_import_request(self, paths: list[str]) -> None:
        """Another launch handed over files: bring the window up and import them."""
        self.showNormal()
        self.raise_()
        self.activateWindow()
        if paths:
            self.import_paths([Path(p) for p in paths])

    # --- dialogs ---------------------------------------------------------------------

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.settings, self)
        if dialog.exec():
            self.search.set_delay(int(self.settings.value("search.delay_ms")))
            self._set_view(str(self.settings.value("view.mode")))
            (self.grid_action if self.results.mode == "grid" else self.list_action).setChecked(True)

    def open_profile(self) -> None:
        if self.user is None:
            return
        user_id = self.user.id

        def save(changes: dict[str, str]) -> None:  # in the dialog: errors show inline
            _profile, saved = self.services.people.update(user_id, changes)
            self.changed.emit(saved)

        ProfileDialog(self.user, self.user.role is Role.ADMIN, save, self).exec()

    def _show_logs(self) -> None:
        if self.log_file is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_file.parent)))

    def _about(self) -> None:
        message_box(self, QMessageBox.Icon.Information, "About Satchel",
                    "Satchel — the collateral library for sales and marketing teams.",
                    f"Library: {self.services.root}").exec()  # fmt: skip

    def changeEvent(self, event: QEvent) -> None:
        """Follow the system's light/dark switch: icons are drawn in the text colour."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            for action in self.findChildren(QAction):
                name = action.property(ICON_PROPERTY)
                if isinstance(name, str):
                    action.setIcon(icon(name))

    # --- closing ---------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.imports.running:
            self.imports.cancel()
        stored = QSettings()
        stored.setValue("window/geometry", self.saveGeometry())
        stored.setValue("window/state", self.saveState())
        stored.setValue("window/splitter", self.splitter.saveState())
        super().closeEvent(event)
