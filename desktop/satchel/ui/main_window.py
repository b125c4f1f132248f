"""The library window, a frame: navigation and facets, search and results, preview and
details. The commands live in window_actions, the places in navigation, what can be
done with an asset in asset_actions, and who acts in signed_in."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from satchel.core.domain.assets import AssetDetail
from satchel.core.domain.changes import Changes
from satchel.core.domain.imports import ImportReport
from satchel.core.domain.permissions import Capability, allows
from satchel.core.domain.requests import RequestDetail, RequestNews
from satchel.core.domain.search import SearchResults
from satchel.core.domain.synonyms import Synonym
from satchel.core.domain.templates import Template
from satchel.core.domain.users import Profile
from satchel.core.services import Services
from satchel.core.services.sync import Conflict
from satchel.core.settings import Settings
from satchel.ui.asset_actions import IMPORTABLE, AssetActions
from satchel.ui.conflicts_dialog import ConflictsDialog
from satchel.ui.documents_dialog import DocumentsDialog
from satchel.ui.errors import message_box, show_error
from satchel.ui.facet_model import FacetModel
from satchel.ui.feedback_bar import FeedbackBar
from satchel.ui.field_windows import FieldWindows
from satchel.ui.help_dialogs import GuideDialog, ShortcutsDialog, about_text
from satchel.ui.icons import app_icon, icon
from satchel.ui.import_controller import ImportController, ImportProgressWidget
from satchel.ui.import_summary_dialog import ImportSummaryDialog, headline
from satchel.ui.insights_page import InsightsPage
from satchel.ui.metadata_form import MetadataForm
from satchel.ui.navigation import NavigationPanel
from satchel.ui.outcome_bar import OutcomeBar
from satchel.ui.page_view import PageCache, PageView
from satchel.ui.preview_pane import PreviewPane
from satchel.ui.requests_dialog import RequestsDialog
from satchel.ui.results_model import ResultsModel
from satchel.ui.results_view import ResultsView
from satchel.ui.search_controller import SearchController
from satchel.ui.settings_dialog import SettingsDialog
from satchel.ui.signed_in import SignedInUser
from satchel.ui.sync_controller import SyncController
from satchel.ui.synonyms_dialog import SynonymsDialog
from satchel.ui.tasks import TaskRunner
from satchel.ui.thumbnails import ThumbnailCache
from satchel.ui.window_actions import WindowActions, sort_box

log = logging.getLogger("satchel.ui")


@dataclass
class WindowContext:
    """What the window needs, built by the composition root (which also resolved who
    acts and whether the library is the demo: the window itself calls no service on
    the UI thread)."""

    services: Services
    settings: Settings
    runner: TaskRunner
    user: Profile | None
    is_demo: bool = False
    log_file: Path | None = None


class MainWindow(QMainWindow):
    """The library window. Every view refreshes from the runner's one change signal.

    Signals:
        user_changed(Profile): the demo user switcher changed who is acting.
    """

    user_changed = Signal(object)

    def __init__(self, context: WindowContext) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowIcon(app_icon())
        self.services = context.services
        self.settings = context.settings
        self.runner = context.runner
        self.log_file = context.log_file
        self.undo_stack = QUndoStack(self)
        self.help_dialog: QDialog | None = None  # the last Help window opened
        self.about_box: QMessageBox | None = None
        self.documents_dialog: DocumentsDialog | None = None
        self.synonyms_dialog: SynonymsDialog | None = None
        self.requests_dialog: RequestsDialog | None = None
        self.conflicts_dialog: ConflictsDialog | None = None
        self.news: list[RequestNews] = []  # request steps the person has not seen
        self.setAcceptDrops(True)
        self.signed_in = SignedInUser(self.services, self.runner, context.user,
                                      context.is_demo, self)  # fmt: skip

        self.thumbnails = ThumbnailCache(self.runner, self.services.assets.thumbnail, self)
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
        self.actions = WindowActions(self, self.undo_stack)
        self.sync = SyncController(self.services, self.runner, self.settings, self.signed_in,
                                   self)  # fmt: skip
        self._build_central()
        self.asset_actions = AssetActions(self, self.services, self.runner, self.actions,
                                          self.results, self.signed_in,
                                          self.services.today, self.review_days)  # fmt: skip
        self.sort_box = sort_box()
        self._user_entry = self.actions.install(self.sort_box, self.signed_in.switcher)
        self._user_entry.setVisible(self.signed_in.is_demo)
        self._build_status_bar()
        self._connect()
        self._apply_role()
        self.actions.sync.setEnabled(bool(self.sync.url))
        self.results.set_mode(str(self.settings.value("view.mode")))
        (self.actions.grid if self.results.mode == "grid" else self.actions.list).setChecked(True)
        # The library's name: the platform adds the application's ("lib — Satchel").
        self.setWindowTitle(self.services.root.name)
        self._restore_geometry()
        self.navigation.load_collections()
        self.asset_actions.load_templates()
        self.signed_in.load_switcher()
        self.search.run_now()
        self._tell_new_versions()
        self.load_news()
        self.outcome_bar.refresh()
        self.field.tell_fulfilled()

    @property
    def user(self) -> Profile | None:
        return self.signed_in.profile

    # --- construction -----------------------------------------------------------------

    def _build_central(self) -> None:
        self.navigation = NavigationPanel(
            self.services, self.runner, self.facet_model,
            lambda: int(self.settings.value("view.expiring_days")),
        )  # fmt: skip
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
        self.feedback_bar = FeedbackBar(self.services, self.runner)
        centre_layout.addWidget(self.feedback_bar)
        self.outcome_bar = OutcomeBar(self.services, self.runner,
                                      int(self.settings.value("feedback.outcome_days")))  # fmt: skip
        centre_layout.addWidget(self.outcome_bar)

        self.page_cache = PageCache(self.services, self.runner, self)
        self.pages = PageView(self.page_cache)
        self.form = MetadataForm(self.undo_stack, self._save_metadata)
        self.preview = PreviewPane(self.pages, self.form, self.actions.on_asset)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.navigation)
        self.centre_stack = QStackedWidget()  # the results, or the insights page
        self.centre_stack.addWidget(centre)
        self.insights_page: InsightsPage | None = None
        self.splitter.addWidget(self.centre_stack)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        self.splitter.setSizes([230, 640, 460])
        self.setCentralWidget(self.splitter)

    def _build_status_bar(self) -> None:
        self.summary_label = QLabel()
        self.summary_label.setObjectName("librarySummary")
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)
        self.statusBar().addWidget(self.summary_label, 1)
        self.progress = ImportProgressWidget()
        self.progress.follow(self.imports)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.sync.status)

    def _connect(self) -> None:
        actions = self.actions
        self.search_box.textChanged.connect(self.search.type_text)
        self.search_box.returnPressed.connect(self.search.run_now)
        actions.find.triggered.connect(self.focus_search)
        self.search.finished.connect(self._results_shown)
        self.search.failed.connect(lambda error: show_error(self, error, self.log_file))
        self.results.current_changed.connect(self._select)
        self.results.chosen.connect(lambda asset_id: self.asset_actions.viewed(asset_id))
        self.results.activated.connect(lambda _id: actions.open.trigger())
        self.results.suggestion_clicked.connect(self.search_box.setText)
        self.field = FieldWindows(self, self.services, self.runner, self._sees_field_records,
                                  self._selected_asset)  # fmt: skip
        self.field.told.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.results.ask_clicked.connect(self.field.ask_marketing)
        actions.ask.triggered.connect(lambda: self.field.ask_marketing(self.search_box.text()))
        actions.note.triggered.connect(self.field.log_note)
        actions.field.triggered.connect(self.field.open_lists)
        actions.grid.triggered.connect(lambda: self._set_view("grid"))
        actions.list.triggered.connect(lambda: self._set_view("list"))
        actions.insights.toggled.connect(self.show_insights)
        for action in actions.sort.values():
            action.triggered.connect(lambda _c=False, a=action: self._set_sort(a.data()))
        self.sort_box.activated.connect(lambda i: self._set_sort(self.sort_box.itemData(i)))
        self.search.results.sort_requested.connect(self._sort_indicated)
        actions.hidden.toggled.connect(lambda on: self.search.update(include_hidden=on))
        self.navigation.scope_chosen.connect(self._scope_chosen)
        actions.import_files.triggered.connect(self._choose_files)
        actions.import_folder.triggered.connect(self._choose_folder)
        self.imports.finished.connect(self._import_finished)
        self.imports.failed.connect(lambda error: show_error(self, error, self.log_file))
        actions.settings.triggered.connect(self.open_settings)
        actions.sync.triggered.connect(self.sync.sync_now)
        actions.conflicts.triggered.connect(self.open_conflicts)
        self.sync.conflicts_chosen.connect(self.open_conflicts)
        self.asset_actions.handed_out.connect(self.feedback_bar.ask)
        self.feedback_bar.recorded.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.outcome_bar.recorded.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.sync.searchable.connect(lambda: self._refresh(Changes(library_replaced=True)))
        self.sync.state.connect(lambda _text: actions.sync.setEnabled(bool(self.sync.url)))
        actions.profile.triggered.connect(lambda: self.signed_in.edit_profile(self))
        actions.quit.triggered.connect(self.close)
        actions.log.triggered.connect(self._show_logs)
        actions.about.triggered.connect(self._about)
        actions.guide.triggered.connect(self._guide)
        actions.documents.triggered.connect(self.open_documents)
        actions.requests.triggered.connect(lambda: self.open_requests())
        self.navigation.requests_button.clicked.connect(lambda: self.open_requests())
        actions.synonyms.triggered.connect(self.edit_synonyms)
        actions.add_to_collection.triggered.connect(self.add_to_collection)
        actions.remove_from_collection.triggered.connect(self.remove_from_collection)
        actions.move_up.triggered.connect(lambda: self.move_in_collection(-1))
        actions.move_down.triggered.connect(lambda: self.move_in_collection(1))
        actions.shortcuts.triggered.connect(self._shortcuts)
        self.pages.turned.connect(self._page_turned)
        self.runner.failed.connect(lambda error: show_error(self, error, self.log_file))
        self.runner.changed.connect(self._refresh)
        self.signed_in.updated.connect(self._apply_role)
        self.signed_in.switched.connect(self._user_switched)
        self._form_refusal = ""  # the form's refusal shown in the status bar
        self.form.problem.connect(self._form_problem)
        self.asset_actions.enable()

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

    # --- who acts ---------------------------------------------------------------------

    def _apply_role(self) -> None:
        """Marketers and admins edit and import; reps see everything read-only."""
        can_edit, read_only = self.signed_in.can_edit, self.signed_in.read_only
        for action in (self.actions.import_files, self.actions.import_folder):
            action.setEnabled(can_edit)
            action.setToolTip("" if can_edit else (
                "The library is open read-only" if read_only
                else "Only marketers and admins add assets"))  # fmt: skip
        self.form.set_editable(can_edit)
        self.navigation.set_editable(can_edit)
        for action in (self.actions.add_to_collection, self.actions.remove_from_collection,
                       self.actions.move_up, self.actions.move_down,
                       self.actions.synonyms, self.actions.conflicts):  # fmt: skip
            action.setEnabled(can_edit)
        self.actions.profile.setEnabled(self.user is not None and not read_only)
        marketing = self._sees_field_records()
        self.actions.insights.setVisible(marketing)
        if not marketing:
            self.show_insights(False)
        self.asset_actions.enable()
        self._update_summary()

    def _user_switched(self, profile: Profile) -> None:
        self.undo_stack.clear()  # one person's edits are not another's to undo
        self.user_changed.emit(profile)
        self.statusBar().showMessage(f"Now acting as {profile.name} ({profile.role.value})", 4000)
        self.search.refresh()  # what a role may see differs
        self.navigation.load_collections()  # and the collections shared with them
        self._tell_new_versions()
        self.load_news()
        self.outcome_bar.refresh()
        self.field.tell_fulfilled()

    def _tell_new_versions(self) -> None:
        """Reps hear once they are in when assets they used have a new version."""

        def tell(ids: list[str]) -> None:
            if ids:
                many = len(ids) != 1
                self.statusBar().showMessage(
                    f"{len(ids)} asset{'s' if many else ''} you used "
                    f"{'have' if many else 'has'} a new version: see New versions on the left.",
                    15000)  # fmt: skip

        self.runner.query(self.services.assets.updated_since_used, tell)

    # --- searching and browsing ------------------------------------------------------------

    def focus_search(self) -> None:
        self.show_insights(False)
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def _results_shown(self, results: SearchResults) -> None:
        searched = self.search.state.text
        if results.total:
            count = f"{results.total:,} asset{'s' if results.total != 1 else ''}"
            note = f" — showing results for “{results.suggestion}”" if results.fuzzy else ""
            if results.relaxed:
                note += " — showing results for most of your words"
            self.info.setText(count + note)
        else:
            self.info.setText("")
        self.results.show_results(results, searched, self.signed_in.can_edit)
        if self.search.facets_reshaped:
            self.navigation.facets.expandAll()
        current = self.preview.detail.id if self.preview.detail else ""
        row = self.results_model.row_of(current) if current else None
        if row is not None:
            self.results.select_row(row)
        elif results.hits:
            self.results.select_row(0)
        else:  # a model reset clears the selection without saying so
            self._select("")

    def _scope_chosen(self, ids: object, lists_expired: bool) -> None:
        self.show_insights(False)
        hidden = self.actions.hidden.isChecked() or lists_expired
        self.search.update(scope=ids, include_hidden=hidden)

    def _update_summary(self) -> None:
        """The status line: library size and who is acting (not per search: it only
        changes with the library or the user)."""
        suffix = " · " + self.signed_in.description
        self.runner.query(
            self.services.care.summary,
            lambda summary: self.summary_label.setText(
                f"{summary.assets:,} assets in the library{suffix}"
            ),
        )

    def show_insights(self, on: bool) -> None:
        """The insights page in place of the results and the preview (marketing's)."""
        if on and not self._sees_field_records():
            self.statusBar().showMessage("Insights are for marketers and admins.", 4000)
            on = False
        if on and self.insights_page is None:
            self.insights_page = InsightsPage(
                self.services, self.runner, lambda: int(self.settings.value("insights.unused_days")),
                self.review_days, self)  # fmt: skip
            self.insights_page.told.connect(lambda text: self.statusBar().showMessage(text, 6000))
            self.centre_stack.addWidget(self.insights_page)
        self.centre_stack.setCurrentWidget(self.insights_page if on and self.insights_page
                                           else self.centre_stack.widget(0))  # fmt: skip
        self.preview.setVisible(not on)
        self.actions.insights.setChecked(on)

    def _set_view(self, mode: str) -> None:
        self.show_insights(False)
        self.results.set_mode(mode)
        if self.settings.value("view.mode") != mode and not self.settings.is_locked("view.mode"):
            try:
                self.settings.set("view.mode", mode)
            except Exception as error:  # noqa: BLE001 - a view switch must not fail on saving
                log.warning("could not save the view mode: %s", error)

    def _set_sort(self, sort: str) -> None:
        self._sort_indicated(sort)
        self.search.update(sort=sort)

    def _sort_indicated(self, sort: str) -> None:
        self.actions.sort[sort].setChecked(True)
        self.sort_box.setCurrentIndex(self.sort_box.findData(sort))

    # --- the selected asset -----------------------------------------------------------------

    def _select(self, asset_id: str) -> None:
        self.asset_actions.enable()
        if not asset_id:
            self.preview.show_detail(None, self.services.today(), None)
            return
        self.runner.query(lambda: self.services.assets.get(asset_id), self._show_detail)

    def _show_detail(self, detail: AssetDetail) -> None:
        if detail.id != self.results.current_id():
            return  # the selection moved on meanwhile
        same = self.preview.detail is not None and self.preview.detail.id == detail.id
        thumbnail = self.thumbnails.pixmap(detail.current.sha256)
        hit = self.results_model.hit_of(detail.id)
        self.preview.show_detail(detail, self.services.today(), thumbnail, reload_pages=not same,
                                 page=(hit.page or 1) if hit else 1)  # fmt: skip

    def _page_turned(self, _page: int) -> None:
        if self.preview.detail:
            self.asset_actions.previewed(self.preview.detail.id)

    def _form_problem(self, text: str) -> None:
        """A refused value in the status bar too, until a later edit or asset clears it."""
        if text:
            self.statusBar().showMessage(text, 8000)
        elif self.statusBar().currentMessage() == self._form_refusal:
            self.statusBar().clearMessage()
        self._form_refusal = text

    def _save_metadata(self, asset_id: str, changes: dict[str, str]) -> None:
        """Called by undoable commands: save on the writer lane; views refresh from the
        change it returns."""
        self.runner.mutate(lambda: self.services.assets.update_metadata(asset_id, changes),
                           initiator=self.form)  # fmt: skip

    def _refresh(self, changes: Changes, _initiator: object = None) -> None:
        """What the frame shows of a saved change (the panels refresh themselves). A usage
        event or a logged search changes nothing shown: no search runs again for one."""
        touched = changes.assets_changed | changes.assets_added
        listed = touched or changes.assets_removed or changes.library_replaced
        if listed or changes.users:
            self.search.refresh()
        current = self.results.current_id()
        if current and (current in touched or changes.library_replaced):
            self.runner.query(lambda: self.services.assets.get(current), self._show_detail)
        if listed:
            self._update_summary()
        if changes.requests:
            self.load_news(tell=False)
        if changes.users or changes.library_replaced:  # another person, or a sync's news
            self.outcome_bar.refresh()
            self.field.tell_fulfilled()

    # --- importing -------------------------------------------------------------------

    def import_paths(self, paths: list[Path]) -> str:
        """Start importing `paths`; "" if it started, else the reason it cannot."""
        if not self.signed_in.can_edit:
            reason = ("The library is open read-only, so nothing can be imported."
                      if self.signed_in.read_only
                      else "Only marketers and admins add assets to the library.")  # fmt: skip
            self.statusBar().showMessage(reason, 8000)
            return reason
        self.imports.start(paths)
        return ""

    def _choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Import Files", str(Path.home()), IMPORTABLE)
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
        """Files dropped are imported; one file on the shown asset's preview is its new
        version instead."""
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if not paths:
            return
        event.acceptProposedAction()
        shown = self.preview.detail
        over = self.preview.rect().contains(self.preview.mapFrom(self, event.position().toPoint()))
        if shown is not None and over and len(paths) == 1 and paths[0].is_file():
            self.asset_actions.dropped_on_preview(shown.id, shown.metadata.title, paths[0])
        else:
            self.import_paths(paths)

    def _import_finished(self, report: ImportReport) -> None:
        self.statusBar().showMessage(headline(report), 10000)
        self.last_import_summary = ImportSummaryDialog(report, self)
        self.last_import_summary.show_imported.connect(self.show_only)
        self.last_import_summary.open()

    def show_only(self, asset_ids: tuple[str, ...]) -> None:
        """List just these assets (the ones an import added), until a place is chosen."""
        places = self.navigation.places
        places.blockSignals(True)  # no place is chosen: not "Library" either
        places.setCurrentRow(-1)
        places.blockSignals(False)
        self.search.update(scope=asset_ids, include_hidden=self.actions.hidden.isChecked())
        self.statusBar().showMessage(f"Showing the {len(asset_ids)} imported asset"
                                     f"{'s' if len(asset_ids) != 1 else ''}; choose Library "
                                     "to see everything.", 10000)  # fmt: skip

    def show_import_request(self, paths: list[str]) -> str:
        """Another launch handed over files: bring the window up and import them; ""
        if the import started (or there was nothing to import), else why not."""
        self.showNormal()
        self.raise_()
        self.activateWindow()
        return self.import_paths([Path(p) for p in paths]) if paths else ""

    # --- dialogs ---------------------------------------------------------------------

    def open_settings(self) -> None:
        role = self.user.role.value if self.user else "rep"
        dialog = SettingsDialog(self.settings, self, role)
        if dialog.exec():
            self.search.set_delay(int(self.settings.value("search.delay_ms")))
            self._set_view(str(self.settings.value("view.mode")))
            (self.actions.grid if self.results.mode == "grid" else self.actions.list).setChecked(
                True
            )
            self.sync.configure()
            self.actions.sync.setEnabled(bool(self.sync.url))

    def open_conflicts(self) -> None:
        """Edits made here that the hub also changed: mine or theirs, field by field."""

        def show(conflicts: list[Conflict]) -> None:
            if not conflicts:
                self.statusBar().showMessage("No edits wait for a choice.", 6000)
                return
            self.conflicts_dialog = ConflictsDialog(self.services, self.runner, conflicts, self)
            self.conflicts_dialog.accepted.connect(self.sync.conflicts_resolved)
            self.conflicts_dialog.open()

        self.runner.query(self.services.sync.conflicts, show)

    def _show_logs(self) -> None:
        if self.log_file is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_file.parent)))

    def _about(self) -> None:
        headline, built_with = about_text()
        self.about_box = message_box(self, QMessageBox.Icon.Information, "About Satchel",
                                     headline, f"Library: {self.services.root}\n\n{built_with}")  # fmt: skip
        self.about_box.open()

    def add_to_collection(self) -> None:
        """Put the selected asset in a collection the person picks (or a new one)."""
        asset_id = self.results.current_id()
        if not asset_id or not self.signed_in.can_edit:
            return
        collections = self.navigation.collections
        new = "A new collection…"
        names = [c.name for c in collections] + [new]
        name, ok = QInputDialog.getItem(self, "Add to Collection", "Collection:", names, 0, False)
        if not ok:
            return
        services = self.services.collections
        if name == new:
            name, ok = QInputDialog.getText(self, "New Collection", "Name of the collection:")
            if ok and name.strip():
                self.runner.mutate(lambda: services.create(name, [asset_id]),
                                   on_error=lambda error: show_error(self, error, self.log_file))  # fmt: skip
            return
        chosen = collections[names.index(name)]
        self.runner.mutate(lambda: services.add_assets(chosen.id, [asset_id]),
                           lambda outcome: self.statusBar().showMessage(
                               f"Added to {chosen.name}" if outcome[0] else
                               f"Already in {chosen.name}", 4000),
                           lambda error: show_error(self, error, self.log_file))  # fmt: skip

    def move_in_collection(self, offset: int) -> None:
        """Move the selected asset earlier (-1) or later (1) in the collection shown."""
        asset_id, collection = self.results.current_id(), self.navigation.current_collection()
        if asset_id and collection is not None and self.signed_in.can_edit:
            self.runner.mutate(lambda: self.services.collections.move(collection.id, asset_id, offset),
                               on_error=lambda error: show_error(self, error, self.log_file))  # fmt: skip

    def remove_from_collection(self) -> None:
        """Take the selected asset out of the collection being shown."""
        asset_id, collection = self.results.current_id(), self.navigation.current_collection()
        if not asset_id or not self.signed_in.can_edit:
            return
        if collection is None:
            self.statusBar().showMessage("Choose a collection first: the asset is removed "
                                         "from the one shown.", 6000)  # fmt: skip
            return
        self.runner.mutate(lambda: self.services.collections.remove_assets(collection.id, [asset_id]),
                           lambda _outcome: self.statusBar().showMessage(
                               f"Removed from {collection.name}", 4000),
                           lambda error: show_error(self, error, self.log_file))  # fmt: skip

    def _sees_field_records(self) -> bool:
        """Marketers and admins see everyone's notes and objections; a rep their own."""
        actor = self.services.actor
        return actor is not None and allows(actor.role, Capability.SEE_OTHERS_ACTIVITY)

    def _selected_asset(self) -> tuple[str, str] | None:
        hit = self.results_model.hit_of(self.results.current_id())
        return (hit.id, hit.title) if hit is not None else None

    def edit_synonyms(self) -> None:
        """The search synonyms, for marketers and admins (read first, off the UI thread)."""
        if not self.signed_in.can_edit:
            return

        def opened(entries: list[Synonym]) -> None:
            self.synonyms_dialog = SynonymsDialog(self.services, self.runner, entries, self)
            self.synonyms_dialog.accepted.connect(
                lambda: self.statusBar().showMessage("Synonyms saved; searches use them now.",
                                                     6000))  # fmt: skip
            self.synonyms_dialog.open()

        self.runner.query(self.services.search.synonyms, opened)

    def open_documents(self) -> None:
        self.documents_dialog = DocumentsDialog(self.services, self.runner, self)
        self.documents_dialog.regenerate.connect(
            lambda record: self.asset_actions.customize_template(record.template, record.values)
        )
        self.documents_dialog.open()

    # --- requests ------------------------------------------------------------------------

    def review_days(self) -> int:
        return int(self.settings.value("requests.review_days"))

    def load_news(self, tell: bool = True) -> None:
        """The Requests button counts unseen steps; on sign-in the newest is told."""

        def show(news: list[RequestNews]) -> None:
            self.news = news
            count = len(news)
            self.actions.requests.setText(f"&Requests ({count})" if count else "&Requests…")
            place = "Review queue" if self.signed_in.can_decide else "My requests"
            self.navigation.requests_button.setText(f"{place} · {count} new" if count else place)
            self.actions.requests.setToolTip(
                "\n".join(n.text for n in news[-5:]) if news else "Your requests and the queue"
            )
            if tell and news:
                more = f" (and {count - 1} more)" if count > 1 else ""
                self.statusBar().showMessage(f"{news[-1].text}{more}: see Requests.", 15000)

        if self.user is not None:
            self.runner.query(self.services.requests.news, show, lambda _error: None)

    def open_requests(self, view: str = "") -> None:
        """The rep's requests; a marketer with news lands on the queue."""
        can_decide = self.signed_in.can_decide
        if not view:
            view = "queue" if can_decide else "mine"
        self.requests_dialog = RequestsDialog(self.services, self.runner, self.review_days(),
                                              can_decide, self, view)  # fmt: skip
        self.requests_dialog.change_values.connect(self._change_request)
        self.requests_dialog.finished.connect(lambda _result: self._news_seen())
        self.requests_dialog.open()

    def _news_seen(self) -> None:
        if self.news and not self.services.read_only:
            last = self.news[-1].sequence
            self.runner.mutate(lambda: self.services.requests.mark_news_seen(last))

    def _change_request(self, detail: RequestDetail) -> None:
        def opened(template: Template) -> None:
            values = dict(detail.request.approved_values or detail.request.values)
            self.asset_actions.customize_template(template, values, resubmit=detail)

        request = detail.request
        self.runner.query(lambda: self.services.templates.get(request.template_id,
                                                              request.template_version),
                          opened)  # fmt: skip

    def _guide(self) -> None:
        self.help_dialog = GuideDialog(self.user.role.value if self.user else "rep", self)
        self.help_dialog.open()

    def _shortcuts(self) -> None:
        self.help_dialog = ShortcutsDialog(self.findChildren(QAction), self)
        self.help_dialog.open()

    def changeEvent(self, event: QEvent) -> None:
        """Follow the system's light/dark switch: icons are drawn in the text colour."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.actions.recolour()

    # --- closing ---------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.imports.running:
            self.imports.cancel()
        self.sync.stop()
        stored = QSettings()
        stored.setValue("window/geometry", self.saveGeometry())
        stored.setValue("window/state", self.saveState())
        stored.setValue("window/splitter", self.splitter.saveState())
        super().closeEvent(event)
