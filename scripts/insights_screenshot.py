"""Screenshots of the insights page on the demo library (with its quarter of field
data), in the light palette and a dark one, for docs/ and the README.

Run: `uv run python -m scripts.insights_screenshot` (offscreen; writes
docs/screenshots/insights-light.png and docs/screenshots/insights-dark.png).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QColor, QPalette
from scripts.screenshots import demo_library, demo_window, idle, pump, save

from satchel.core.domain.usage import UsageAction
from satchel.core.domain.users import Role


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#202124"), (QPalette.ColorRole.Base, "#2b2c2f"),
                         (QPalette.ColorRole.AlternateBase, "#303134"),
                         (QPalette.ColorRole.WindowText, "#e8eaed"), (QPalette.ColorRole.Text, "#e8eaed"),
                         (QPalette.ColorRole.Button, "#303134"), (QPalette.ColorRole.ButtonText, "#e8eaed"),
                         (QPalette.ColorRole.Highlight, "#8ab4f8"),
                         (QPalette.ColorRole.HighlightedText, "#202124"),
                         (QPalette.ColorRole.PlaceholderText, "#9aa0a6")):  # fmt: skip
        palette.setColor(role, QColor(colour))
    return palette


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        app, services = demo_library(root)
        app.setStyle("Fusion")
        people = services.people.list_all()
        reps = [p for p in people if p.role is Role.REP]
        assets = services.assets.list_all()
        for number, asset in enumerate(assets[:18]):  # some of the collateral in use
            services.people.sign_in(reps[number % len(reps)].id)
            for _ in range(1 + number % 4):
                services.assets.record_usage(asset.id, UsageAction.COPIED)
        for query in ("dairy case study", "Case studies dairy", "ROI calculator", "brewery deck"):
            services.search.record_low_result(query, 0)
        marketer = next(p for p in people if p.role is Role.MARKETER)
        window = demo_window(services, root, marketer.id, (1500, 1000))
        window.show_insights(True)
        page = window.insights_page
        assert page is not None
        pump(app, 30, lambda: idle(window) and page.insights is not None)
        pump(app, 2)
        save(window, "insights-light.png")
        app.setPalette(dark_palette())
        pump(app, 5, lambda: idle(window))
        pump(app, 2)
        save(window, "insights-dark.png")
        window.close()
        services.close()


if __name__ == "__main__":
    main()
