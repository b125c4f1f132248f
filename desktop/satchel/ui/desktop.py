"""Starting the desktop app: Qt application, single instance, library, window."""

from __future__ import annotations

import gc
import getpass
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from satchel.core.domain.imports import CancelToken
from satchel.core.domain.users import Role
from satchel.core.services import Services
from satchel.core.settings import Settings
from satchel.logs import setup_logging
from satchel.ui.errors import install_hooks
from satchel.ui.icons import app_icon
from satchel.ui.main_window import MainWindow, WindowContext
from satchel.ui.open_library import open_library
from satchel.ui.single_instance import SingleInstance
from satchel.ui.tasks import TaskRunner

log = logging.getLogger("satchel.ui")
APP_ID = "io.satchel.Satchel"
# Set by the benchmark: say when the window is first painted and first interactive,
# then quit.
STARTUP_PROBE = "SATCHEL_STARTUP_PROBE"


def application(argv: Sequence[str] = ()) -> QApplication:
    """The QApplication, named so QSettings and the desktop entry find us."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else "satchel", *argv])
    app.setApplicationName("Satchel")
    app.setOrganizationName("Satchel")
    app.setApplicationDisplayName("Satchel")
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    return app


def create_window(services: Services, settings: Settings, log_file: Path | None,
                  user_id: str | None = None) -> MainWindow:  # fmt: skip
    """The main window over open services, acting as `user_id`, else the remembered
    (or a new) profile."""
    library_id = services.library_id
    stored = QSettings()
    # A library that meets a hub opens as the person it syncs as.
    remembered = user_id or services.sync.identity() or stored.value(f"users/{library_id}")
    user = services.people.acting_user(
        remembered if isinstance(remembered, str) else None,
        Role(str(settings.value("profile.default_role"))),
        getpass.getuser(),
    )
    runner = TaskRunner(lane=services.writer_lane)
    window = MainWindow(
        WindowContext(services, settings, runner, user, services.people.is_demo, log_file)
    )
    runner.setParent(window)
    # What start-up created (libraries' modules, the window) lives all session: moving it
    # out of the collector's generations keeps full collections from pausing typing
    # (one took 88 ms on a 10k library).
    gc.freeze()
    window.user_changed.connect(lambda profile: stored.setValue(f"users/{library_id}", profile.id))
    return window


def run(library: Path, demo_root: Path | None, read_only: bool, files: Sequence[Path]) -> int:
    """Open the window on `library` (or build the demo in `demo_root`) until it closes."""
    log_file = setup_logging()
    app = application()
    install_hooks(log_file)
    settings = Settings.default()
    for problem in settings.problems:
        log.warning("settings: %s", problem)
    instance = None
    if demo_root is None:
        instance = SingleInstance(library, app)
        if not instance.acquire():
            handed = instance.send([str(p.resolve()) for p in files])
            if handed.answered and handed.refusal:
                print(f"satchel: {handed.refusal}", file=sys.stderr)
                return 1
            if handed.answered:
                log.info("handed %d file(s) to the running Satchel", len(files))
                return 0
            log.warning("another Satchel holds the instance lock but did not answer")
    if demo_root is not None:
        services = Services.build_demo(demo_root)
    else:
        opened = open_library(library, read_only)
        if opened is None:
            return 1
        services = opened
    services.care.keep_backups(int(settings.value("backups.keep")))
    try:
        window = create_window(services, settings, log_file)
        if instance is not None:
            instance.handler = window.show_import_request
        window.show()
        if files:
            window.import_paths(list(files))
        if os.environ.get(STARTUP_PROBE):
            _StartupProbe(window)
        index_check = CancelToken()  # repair or rebuild in the background; stopped on quit
        window.runner.job(lambda: services.search.ensure_index(cancel=index_check))
        code = app.exec()
        index_check.cancel()
        window.runner.shutdown()
        return code
    finally:
        services.close()
        if instance is not None:
            instance.release()


class _StartupProbe(QObject):
    """Prints "painted" after the window's first paint and "interactive" once the first
    results are shown, then closes the window (for the cold-start benchmark)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._painted = False
        window.installEventFilter(self)
        window.search.finished.connect(self._interactive)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True
            QTimer.singleShot(0, lambda: print("painted", flush=True))
        return False

    def _interactive(self, _results: object) -> None:
        QTimer.singleShot(0, self._done)

    def _done(self) -> None:
        import psutil  # only the benchmark asks

        rss = psutil.Process().memory_info().rss / 2**20
        print(f"interactive rss_mb={rss:.0f}", flush=True)
        self._window.close()
