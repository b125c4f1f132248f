"""What can be done with the selected asset: open, copy, show, export, present,
customize, design; and the usage those record."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMainWindow

from satchel.core.domain.assets import AssetDetail, FileType
from satchel.core.domain.changes import Changes
from satchel.core.domain.imports import ImportResult, ImportStatus
from satchel.core.domain.requests import RequestDetail
from satchel.core.domain.templates import Template
from satchel.core.domain.usage import UsageAction
from satchel.core.services import Services
from satchel.ui.clipboard import put_file
from satchel.ui.errors import confirm, refuse, show_error
from satchel.ui.page_view import PageCache
from satchel.ui.present_window import PRESENT_PX, PresentWindow
from satchel.ui.results_model import ResultsModel
from satchel.ui.results_view import ResultsView
from satchel.ui.save_target import ask_save_path
from satchel.ui.signed_in import SignedInUser
from satchel.ui.tasks import TaskRunner
from satchel.ui.window_actions import WindowActions

if TYPE_CHECKING:  # both load on first use (ReportLab, the designer's scene)
    from satchel.ui.customize_dialog import CustomizeDialog
    from satchel.ui.designer_dialog import DesignerDialog

log = logging.getLogger("satchel.ui")
PRESENTABLE = (FileType.PDF, FileType.PNG, FileType.JPEG, FileType.WEBP)  # drawn page by page
IMPORTABLE = "Collateral (*.pdf *.png *.jpg *.jpeg *.webp *.docx *.pptx);;All files (*)"


class AssetActions(QObject):
    """The asset commands of the window, for the asset selected in the results.

    Signals:
        handed_out(str, str): an asset (id, title) was copied, exported or generated
            from: the moment to ask the rep how it went.
    """

    handed_out = Signal(str, str)

    def __init__(self, window: QMainWindow, services: Services, runner: TaskRunner,
                 actions: WindowActions, results: ResultsView, signed_in: SignedInUser,
                 today: Callable[[], dt.date],
                 review_days: Callable[[], int] = lambda: 2) -> None:  # fmt: skip
        super().__init__(window)
        self._review_days = review_days
        self._window, self._services, self._runner = window, services, runner
        self._actions, self._results, self._signed_in = actions, results, signed_in
        self._today = today
        self._viewed = ""  # the asset whose view was last recorded
        self._previewed = ""
        self.templates_by_asset: dict[str, Template] = {}  # asset id → its newest template
        self.customize_dialog: CustomizeDialog | None = None  # the last one opened
        self.designer_dialog: DesignerDialog | None = None
        actions.open.triggered.connect(self.open_asset)
        actions.copy.triggered.connect(self.copy_asset)
        actions.reveal.triggered.connect(self.reveal_asset)
        actions.export.triggered.connect(self.export_asset)
        actions.customize.triggered.connect(self.customize)
        actions.design.triggered.connect(self.design)
        actions.new_version.triggered.connect(self.choose_new_version)
        actions.present.triggered.connect(self.present)
        self.present_window: PresentWindow | None = None
        runner.changed.connect(self.refresh)

    @property
    def _model(self) -> ResultsModel:
        return self._results.model

    def _status(self, text: str, milliseconds: int) -> None:
        self._window.statusBar().showMessage(text, milliseconds)

    # --- which actions apply -------------------------------------------------------

    def load_templates(self) -> None:
        self._runner.query(self._services.templates.list_all, self._templates_loaded)

    def _templates_loaded(self, templates: list[Template]) -> None:
        self.templates_by_asset = {t.asset_id: t for t in templates}
        self.enable()

    def enable(self) -> None:
        """Enable what applies to the selected asset and the signed-in role."""
        current = self._results.current_id()
        for action in self._actions.on_asset:
            action.setEnabled(bool(current))
        customize, design = self._actions.customize, self._actions.design
        customize.setVisible(current in self.templates_by_asset)
        customize.setEnabled(current in self.templates_by_asset)
        hit = self._model.hit_of(current)
        designable = self._signed_in.can_edit and hit is not None and hit.file_type is FileType.PDF
        design.setVisible(designable)
        design.setEnabled(designable)
        self._actions.new_version.setEnabled(self._signed_in.can_edit and bool(current))
        self._actions.present.setEnabled(hit is not None and hit.file_type in PRESENTABLE)

    def refresh(self, changes: Changes, _initiator: object = None) -> None:
        if changes.templates or changes.library_replaced:
            self.load_templates()

    # --- usage: only what a person did ------------------------------------------------

    def viewed(self, asset_id: str) -> None:
        if asset_id and asset_id != self._viewed:
            self._viewed = asset_id
            self._record(asset_id, UsageAction.VIEWED)

    def previewed(self, asset_id: str) -> None:
        if asset_id and asset_id != self._previewed:
            self._previewed = asset_id
            self._record(asset_id, UsageAction.PREVIEWED)

    def _record(self, asset_id: str, action: UsageAction) -> None:
        self._runner.mutate(
            lambda: self._services.assets.record_usage(asset_id, action),
            on_error=lambda error: log.warning("usage event not recorded: %s", error),
        )

    # --- the file itself -----------------------------------------------------------

    def _shareable(self, action: UsageAction, then: Callable[[Path], None]) -> None:
        asset_id = self._results.current_id()
        if asset_id:
            self._runner.mutate(
                lambda: self._services.assets.shareable_copy(asset_id, action),
                lambda outcome: then(outcome[0]),
                initiator=self,
            )

    def open_asset(self) -> None:
        self._shareable(UsageAction.OPENED,
                        lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))  # fmt: skip

    def copy_asset(self) -> None:
        asset_id = self._results.current_id()

        def put(path: Path) -> None:
            put_file(path)
            self._status(f"Copied {path.name} to the clipboard", 4000)
            self._handed_out(asset_id)

        self._shareable(UsageAction.COPIED, put)

    def reveal_asset(self) -> None:
        self._shareable(UsageAction.OPENED,
                        lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))))  # fmt: skip

    def export_asset(self) -> None:
        """Ask where to save a copy (the name suggested from the asset), then save it."""
        asset_id = self._results.current_id()
        if asset_id:
            self._runner.query(lambda: self._services.assets.suggested_file_name(asset_id),
                               lambda name: self._export_as(asset_id, name))  # fmt: skip

    def _export_as(self, asset_id: str, name: str) -> None:
        target = ask_save_path(self._window, "Export a Copy", name)
        if target is None:
            return

        def saved(outcome: tuple[Path, Changes]) -> None:
            self._status(f"Saved a copy as {outcome[0]}", 6000)
            self._handed_out(asset_id)

        self._runner.mutate(lambda: self._services.assets.export_copy(asset_id, target), saved,
                            initiator=self)  # fmt: skip

    def _handed_out(self, asset_id: str) -> None:
        hit = self._model.hit_of(asset_id)
        if hit is not None:
            self.handed_out.emit(asset_id, hit.title)

    # --- presenting --------------------------------------------------------------------

    def present(self) -> None:
        """The selected asset's pages full screen; its time shown recorded when it ends."""
        hit = self._model.hit_of(self._results.current_id())
        if hit is None or hit.file_type not in PRESENTABLE:
            return
        self._runner.query(lambda: self._services.assets.get(hit.id), self._present)

    def _present(self, detail: AssetDetail) -> None:
        cache = PageCache(self._services, self._runner, max_px=PRESENT_PX)
        window = PresentWindow(cache, detail.id, detail.current.sha256, detail.metadata.title,
                               detail.current.page_count)  # fmt: skip
        cache.setParent(window)
        window.presented.connect(self._presented)
        self.present_window = window
        window.showFullScreen()
        window.activateWindow()

    def _presented(self, asset_id: str, seconds: float, dwell: dict[int, float]) -> None:
        self._runner.mutate(lambda: self._services.assets.record_presentation(asset_id, seconds,
                                                                              dwell),
                            lambda _changes: self._handed_out(asset_id),
                            lambda error: show_error(self._window, error, None))  # fmt: skip

    # --- a new version of the file ---------------------------------------------------

    def choose_new_version(self) -> None:
        """Ask for the file that replaces the selected asset's, then add it."""
        asset_id = self._results.current_id()
        if not asset_id or not self._signed_in.can_edit:
            return
        stored = QSettings()
        folder = str(stored.value("import/folder", str(Path.home())))
        chosen, _ = QFileDialog.getOpenFileName(self._window, "New Version of the File", folder,
                                                IMPORTABLE)  # fmt: skip
        if chosen:
            stored.setValue("import/folder", str(Path(chosen).parent))
            self.add_version(asset_id, Path(chosen))

    def dropped_on_preview(self, asset_id: str, title: str, path: Path) -> None:
        """A file dropped on the shown asset's preview: its new version, once confirmed."""
        if not self._signed_in.can_edit:
            self._status("Only marketers and admins replace the files of assets.", 6000)
            return
        confirm(self._window, "Add a new version?",
                f"Make {path.name} the new version of “{title}”?", "Add Version",
                lambda: self.add_version(asset_id, path),
                detail="The current file stays in the asset's history, and templates "
                       "made from it keep it until they are published again.")  # fmt: skip

    def add_version(self, asset_id: str, path: Path) -> None:
        """Make `path` the asset's next version; a refusal says why, in a dialog."""
        self._status(f"Adding {path.name} as a new version…", 0)
        services = self._services

        def added(outcome: tuple[ImportResult, Changes]) -> None:
            result = outcome[0]
            if result.status is ImportStatus.REJECTED:
                self._window.statusBar().clearMessage()
                refuse(self._window, f"{path.name} was not added as a new version.", result.reason)
                return
            self._status(f"New version from {path.name}: {result.reason}", 10000)

        self._runner.job(lambda: services.assets.new_version(asset_id, path), added,
                         lambda error: show_error(self._window, error, None),
                         initiator=self)  # fmt: skip

    # --- templates -------------------------------------------------------------------

    def customize(self) -> None:
        """Open the customize window for the selected template (the titles of the
        images it offers are read first, off the UI thread)."""
        template = self.templates_by_asset.get(self._results.current_id())
        if template is not None:
            self.customize_template(template)

    def customize_template(self, template: Template, values: dict[str, str] | None = None,
                           resubmit: RequestDetail | None = None) -> None:  # fmt: skip
        """The customize window for `template` (a version), filled with `values` when a
        document is made again or a request's values change (`resubmit`)."""
        image_ids = sorted({i for spec in template.fields for i in spec.limits.image_set})
        assets = self._services.assets
        self._runner.query(
            lambda: {i: assets.get(i).metadata.title for i in image_ids},
            lambda titles: self._open_customize(template, titles, values, resubmit),
        )

    def _open_customize(self, template: Template, titles: dict[str, str],
                        values: dict[str, str] | None,
                        resubmit: RequestDetail | None = None) -> None:  # fmt: skip
        from satchel.ui.customize_dialog import CustomizeDialog  # ReportLab: on first use

        self.customize_dialog = CustomizeDialog(self._services, self._runner, template,
                                                self._signed_in.profile, self._today, titles,
                                                self._window, values=values,
                                                review_days=self._review_days(),
                                                resubmit=resubmit)  # fmt: skip
        self.customize_dialog.generated.connect(
            lambda _path: self.handed_out.emit(template.asset_id, template.title)
        )
        self.customize_dialog.open()

    def design(self) -> None:
        """Open the template designer on the selected PDF (marketers and admins)."""
        from satchel.ui.designer_dialog import DesignerDialog, DesignStart, load_design

        asset_id = self._results.current_id()
        if not asset_id or not self._signed_in.can_edit:
            return
        services, runner = self._services, self._runner

        def opened(start: DesignStart) -> None:
            self.designer_dialog = DesignerDialog(services, runner, start,
                                                  self._signed_in.profile, self._today,
                                                  self._window)  # fmt: skip
            self.designer_dialog.open()

        runner.query(lambda: load_design(services, asset_id), opened)
