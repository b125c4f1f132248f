"""Screenshots of a search that finds nothing turned into a request to marketing (with a
+1 offered for one asked before), and of the outcome question under the results, on
the demo library, for docs/ and the README.

Run: `uv run python -m scripts.field_screenshot` (offscreen; writes
docs/screenshots/ask-marketing.png and docs/screenshots/outcome-bar.png).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from scripts.screenshots import idle, pump, save

from satchel.core.domain.users import Role
from satchel.core.services import Services
from satchel.core.settings import Settings, SettingsFiles
from satchel.ui.desktop import application, create_window


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(root / "qs"))
        Services.build_demo(root / "library").close()
        app = application()
        services = Services.open(root / "library")
        people = services.people.list_all()
        admin = next(p for p in people if p.role is Role.ADMIN)
        services.people.sign_in(admin.email)  # a colleague asked before
        services.asks.ask("A German case study for breweries", language="de", deals=3)
        rep = next(p for p in people if p.role is Role.REP)
        window = create_window(services, Settings(SettingsFiles(root / "user.toml", None, None)),
                               None, rep.id)  # fmt: skip
        window.resize(1400, 880)
        window.show()
        pump(app, 30, lambda: window.search.last is not None and idle(window))
        window.search_box.setText("brewery case study in German")
        pump(app, 10, lambda: idle(window) and bool(window.search.state.text))
        window.search_box.setText("Fallstudie Brauerei Hopfenkühlung")
        pump(app, 10, lambda: idle(window) and window.results.ask.isVisible())
        window.results.ask.click()
        pump(app, 5, lambda: idle(window))
        dialog = window.ask_dialog
        assert dialog is not None
        dialog.need.setPlainText("A German case study for breweries: hop cooling")
        dialog.audience.setText("Brewmasters, plant managers")
        dialog.language.setCurrentIndex(2)
        dialog.region.setText("DACH")
        dialog.deals.setValue(2)
        dialog.look_for_similar()
        pump(
            app,
            5,
            lambda: idle(window) and dialog.similar.count() > 0 and not dialog._typing.isActive(),
        )
        dialog.similar.setCurrentRow(0)
        pump(app, 2)
        save(dialog, "ask-marketing.png")
        dialog.reject()
        for asset, account in zip(services.assets.list_all()[:2], ("Northwind Foods",
                                                                  "Harlow Dairy"), strict=False):  # fmt: skip
            services.feedback.give(asset.id, "yes", account=account)
        window.outcome_bar._after_days = 0  # as if two weeks had passed
        window.search_box.setText("case study")
        window.outcome_bar.refresh()
        pump(app, 10, lambda: idle(window) and window.outcome_bar.isVisible())
        save(window, "outcome-bar.png")
        window.close()
        services.close()


if __name__ == "__main__":
    main()
