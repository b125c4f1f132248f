"""Screenshots of the field's ways back to marketing on the demo library (with its
quarter of field data), for docs/ and the README: a search that finds nothing turned
into a request (a +1 offered for one asked before), the outcome question under the
results, a field note, marketing's lists of notes and requests, and Present.

Run: `uv run python -m scripts.field_screenshot` (offscreen; writes ask-marketing.png,
outcome-bar.png, field-note.png, field-notes.png, content-requests.png,
initiatives.png, campaigns.png and present.png in docs/screenshots/).
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
        people = services.people.list_all()
        admin = next(p for p in people if p.role is Role.ADMIN)
        services.people.sign_in(admin.email)  # a colleague asked before
        services.asks.ask("A German case study for breweries", language="de", deals=3)
        rep = next(p for p in people if p.role is Role.REP)
        window = demo_window(services, root, rep.id)
        window.search_box.setText("brewery case study in German")
        pump(app, 10, lambda: idle(window) and bool(window.search.state.text))
        window.search_box.setText("Fallstudie Brauerei Hopfenkühlung")
        pump(app, 10, lambda: idle(window) and window.results.ask.isVisible())
        window.results.ask.click()
        pump(app, 5, lambda: idle(window))
        dialog = window.field.ask_dialog
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
        window.search_box.setText("case study")
        window.outcome_bar.refresh()  # the demo's accounts used weeks ago
        pump(app, 10, lambda: idle(window) and window.outcome_bar.isVisible())
        save(window, "outcome-bar.png")

        window.field.log_note()
        note = window.field.note_dialog
        assert note is not None
        pump(app, 5, lambda: idle(window) and note.competitor.count() > 0)
        note.competitor.setEditText("Acme")
        note.claim.setPlainText("Offered a free 60-day pilot if they sign before March")
        note.account.setText("Alpine Bottling")
        note.about_asset.setChecked(True)
        pump(app, 1)
        save(note, "field-note.png")
        note.reject()

        marketer = next(p for p in people if p.role is Role.MARKETER)
        services.people.sign_in(marketer.id)  # the lists follow who is signed in
        window.field.open_lists()
        lists = window.field.lists
        assert lists is not None
        pump(app, 10, lambda: idle(window) and len(lists.notes.rows) > 0)
        lists.notes.table.selectRow(1)
        pump(app, 1)
        save(lists, "field-notes.png")
        lists.tabs.setCurrentWidget(lists.asks)
        pump(app, 5, lambda: idle(window) and len(lists.asks.rows) > 0)
        lists.asks.table.selectRow(0)
        pump(app, 1)
        save(lists, "content-requests.png")
        lists.tabs.setCurrentWidget(lists.initiatives)
        pump(app, 5, lambda: idle(window) and len(lists.initiatives.rows) > 0)
        pump(app, 1)
        save(lists, "initiatives.png")
        lists.tabs.setCurrentWidget(lists.campaigns)
        pump(app, 5, lambda: idle(window) and len(lists.campaigns.rows) > 0)
        lists.campaigns.table.selectRow(1)  # the launch with a late piece
        pump(app, 1)
        save(lists, "campaigns.png")
        lists.close()

        window.search_box.setText("Atlas X-200 brochure")
        pump(app, 10, lambda: idle(window) and window.actions.present.isEnabled())
        window.asset_actions.present()
        pump(app, 10, lambda: window.asset_actions.present_window is not None)
        shown = window.asset_actions.present_window
        assert shown is not None
        shown.resize(1280, 720)
        pump(
            app, 10, lambda: shown.image.pixmap() is not None and not shown.image.pixmap().isNull()
        )
        pump(app, 1)
        save(shown, "present.png")
        shown.close()
        pump(app, 5, lambda: idle(window))
        window.close()
        services.close()


if __name__ == "__main__":
    main()
