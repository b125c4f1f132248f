"""A screenshot of sync in the desktop: the demo as a team on a throwaway hub, the rep's
window after its sync (docs/screenshots/sync-rep.png).

Run: `uv run python -m scripts.sync_screenshot` (needs PostgreSQL 15, as the hub tests).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

from PySide6.QtCore import QSettings
from scripts.screenshots import idle, pump, save
from tests.helpers import hub_server

from satchel.core.hub import credentials
from satchel.core.services import Services
from satchel.core.services.demo_hub import seed_demo_hub
from satchel.core.services.hub import HubAdmin
from satchel.core.settings import Settings, SettingsFiles
from satchel.ui.desktop import application, create_window


def main() -> None:
    server = hub_server.start()
    folder = Path(tempfile.mkdtemp(prefix="satchel-sync-shot-"))
    try:
        report = HubAdmin(server.url()).init(("Sam Okafor", "sam.hub@kestrel-systems.example"))
        admin = server.url(str(report.admin_login).replace("@", "%40"), report.admin_password)
        seats, _ = seed_demo_hub(admin, folder / "demo")
        rep = next(seat for seat in seats if seat.role == "rep")
        app = application()
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope,
                          str(folder / "qs"))  # fmt: skip
        settings = Settings(
            SettingsFiles(folder / "user.toml", folder / "m.toml", folder / "p.toml")
        )
        services = Services.open(rep.library)
        address = services.sync.address("")
        settings.set("hub.url", credentials.with_password(address, rep.password))
        window = create_window(services, settings, None)
        window.resize(1360, 860)
        window.show()
        pump(app, 3, lambda: idle(window))
        window.sync.sync_now()
        pump(app, 60, lambda: window.sync.text.startswith("Up to date"))
        window.search_box.setText("edge gateway")
        pump(app, 10, lambda: idle(window) and window.results_model.rowCount() > 0)
        pump(app, 2)
        save(window, "sync-rep.png")
        window.close()
        services.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
