"""A screenshot of the question a rep gets after handing an asset out (the feedback bar,
its details open), on the demo library, for docs/ and the README.

Run: `uv run python -m scripts.feedback_screenshot` (offscreen; writes
docs/screenshots/feedback-bar.png).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from scripts.screenshots import demo_library, demo_window, idle, pump, save

from satchel.core.domain.users import Role


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        app, services = demo_library(root)
        rep = next(p.id for p in services.people.list_all() if p.role is Role.REP)
        window = demo_window(services, root, rep)
        window.search_box.setText("case study")
        pump(app, 10, lambda: idle(window) and window.search.state.text == "case study")
        window.results.select_row(0)
        pump(app, 5, lambda: idle(window))
        hit = window.results_model.hit_of(window.results.current_id())
        assert hit is not None
        window.feedback_bar.ask(hit.id, hit.title)
        pump(app, 2, lambda: idle(window))
        bar = window.feedback_bar
        bar.account.setCurrentText("Northwind Foods")
        bar.rating.setCurrentIndex(4)
        bar.more.setChecked(True)
        bar.stage.setCurrentIndex(3)
        bar.objections.setText("Needs an IT security review first")
        bar.competitor.setText("Acme Edge")
        pump(app, 2)
        save(window, "feedback-bar.png")
        window.close()
        services.close()


if __name__ == "__main__":
    main()
