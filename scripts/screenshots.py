"""Screenshots of the real window on the demo library, for docs/ and the README.

Run: `uv run python -m scripts.screenshots` (offscreen; writes docs/screenshots/*.png).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pypdf import PdfWriter
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget
from reportlab.pdfgen.canvas import Canvas

from satchel.core.domain.users import Role
from satchel.core.services import Services
from satchel.core.settings import Settings, SettingsFiles
from satchel.ui.desktop import application, create_window
from satchel.ui.main_window import MainWindow
from satchel.ui.settings_dialog import SettingsDialog

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def pump(app: QApplication, seconds: float, until: Callable[[], bool] = lambda: False) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end and not until():
        app.processEvents()
        time.sleep(0.01)


def idle(window: MainWindow) -> bool:
    return not window.search.busy and window.runner.pending == 0


def save(widget: QWidget, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(OUT / name))
    print("wrote", OUT / name)


def new_pdf(title: str) -> bytes:
    """A small new document to import."""
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    canvas.setTitle(title)
    canvas.setFont("Helvetica-Bold", 20)
    canvas.drawString(60, 760, title)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def demo_library(root: Path) -> tuple[QApplication, Services]:
    """The demo library built in `root` and opened, the app made, and Qt's own settings
    kept in `root` too: what every screenshot script starts from."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(root / "qs"))
    Services.build_demo(root / "library").close()
    app = application()
    return app, Services.open(root / "library")


def demo_window(services: Services, root: Path, user_id: str,
                size: tuple[int, int] = (1400, 880)) -> MainWindow:  # fmt: skip
    """The window over the demo library as `user_id`, shown, its first search done."""
    window = create_window(services, Settings(SettingsFiles(root / "user.toml", None, None)),
                           None, user_id)  # fmt: skip
    window.resize(*size)
    window.show()
    pump(QApplication.instance(), 30, lambda: window.search.last is not None and idle(window))  # type: ignore[arg-type]
    return window


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        app, services = demo_library(root)
        (root / "machine").mkdir()
        (root / "machine" / "policy.toml").write_text('"backups.keep" = 30\n')
        files = SettingsFiles(root / "user.toml", None, root / "machine" / "policy.toml")
        people = services.people.list_all()
        marketer = next(p.id for p in people if p.role is Role.MARKETER)
        rep = next(p.id for p in people if p.role is Role.REP)
        window = create_window(services, Settings(files), None, marketer)
        window.resize(1400, 880)
        window.show()
        pump(app, 30, lambda: window.search.last is not None and idle(window))
        pump(app, 2)  # thumbnails and the first page
        save(window, "main-grid.png")

        window.search_box.setText("datasheet for the edge gateway")
        pump(app, 10, lambda: idle(window) and window.search.state.text.endswith("gateway"))
        window.actions.list.trigger()
        pump(app, 2)
        save(window, "main-list.png")

        window.search_box.setText("predict failures")
        pump(app, 10, lambda: idle(window) and window.search.state.text == "predict failures")
        hits = window.search.last.hits  # type: ignore[union-attr]
        window.results.select_row(next(n for n, h in enumerate(hits) if h.file_type.value == "pdf"))
        pump(app, 5, lambda: idle(window))
        shown = window.results.current_id()
        longer = root / "with-references.pdf"  # its new version: one page more
        writer = PdfWriter(clone_from=services.assets.blob_path(
            services.assets.get(shown).current.sha256))  # fmt: skip
        writer.add_blank_page()
        writer.write(longer)
        window.asset_actions.add_version(shown, longer)
        pump(app, 20, lambda: idle(window) and window.preview.changed.isVisible())
        pump(app, 2)
        save(window.preview, "preview.png")

        source = root / "to-import"
        source.mkdir()
        current = services.assets.get(window.results.current_id()).current
        pdf = services.assets.blob_path(current.sha256)
        (source / "Cirrus brochure (copy).pdf").write_bytes(pdf.read_bytes())
        (source / "Harbour crane retrofit.pdf").write_bytes(new_pdf("Harbour crane retrofit"))
        (source / "Cold-chain monitoring.pdf").write_bytes(new_pdf("Cold-chain monitoring"))
        (source / "Q3 results.pdf").write_bytes(pdf.read_bytes()[:400])
        (source / "notes.txt").write_text("Not collateral.")
        window.import_paths([source])
        pump(app, 60, lambda: hasattr(window, "last_import_summary"))
        pump(app, 1)
        save(window.last_import_summary, "import-summary.png")
        window.last_import_summary.close()

        window.search_box.setText("price quote")
        pump(app, 10, lambda: idle(window) and window.search.state.text == "price quote")
        pump(app, 1)
        window.actions.design.trigger()
        pump(app, 10, lambda: window.asset_actions.designer_dialog is not None)
        designer = window.asset_actions.designer_dialog
        assert designer is not None
        pump(app, 10, lambda: len(designer.scene.items()) > len(designer.boxes) * 2 + 1)
        amount = next(b for b in designer.boxes if b.spec["key"] == "discount_amount")
        amount.setSelected(True)  # a computed field: its formula and limits
        pump(app, 1)
        save(designer, "designer.png")
        designer.done(0)

        switcher = window.signed_in.switcher
        switcher.setCurrentIndex(switcher.findData(rep))
        switcher.activated.emit(switcher.currentIndex())
        pump(app, 10, lambda: idle(window) and window.user is not None and window.user.id == rep)
        window.search_box.setText("price quote")
        pump(app, 10, lambda: idle(window) and window.search.state.text == "price quote")
        pump(app, 1)
        window.actions.customize.trigger()
        pump(app, 10, lambda: window.asset_actions.customize_dialog is not None)
        customize = window.asset_actions.customize_dialog
        assert customize is not None
        customize.editors["customer"].setText("Harlow Foods Ltd.")  # type: ignore[union-attr]
        customize.editors["quote_number"].setText("Q-2026-0042")  # type: ignore[union-attr]
        customize.editors["qty_0"].setText("4")  # type: ignore[union-attr]
        customize.editors["qty_1"].setText("120")  # type: ignore[union-attr]
        customize.editors["qty_2"].setText("240")  # type: ignore[union-attr]
        customize.editors["discount"].setText("20")  # type: ignore[union-attr]
        customize.editors["note"].setPlainText("This is guaranteed to pay back in a year.")  # type: ignore[union-attr]
        pump(app, 20, lambda: not customize.preview_busy)
        pump(app, 1)
        save(customize, "customize.png")
        customize.editors["discount"].setText("12.5")  # type: ignore[union-attr]
        customize.editors["note"].setPlainText("Includes commissioning.")  # type: ignore[union-attr]
        customize.fill({"valid_until": (services.today() + dt.timedelta(days=30)).isoformat()})
        pump(app, 2)
        customize.submit()
        pump(app, 5, lambda: customize.submit_dialog is not None)
        ask = customize.submit_dialog
        assert ask is not None
        ask.customer_edit.setText("Harlow Foods renewal")
        ask.note_edit.setPlainText("Three-year renewal; they compare us with Falcon.")
        pump(app, 1)
        save(ask, "submit-request.png")
        ask.done(0)
        customize.done(0)  # close() would ask before dropping the typed values

        window.open_requests()
        mine = window.requests_dialog
        assert mine is not None
        pump(app, 10, lambda: idle(window) and mine.detail is not None)
        fabrikam = next(
            n for n, r in enumerate(mine.model.rows) if r.customer == "Fabrikam Packaging"
        )
        mine.table.selectRow(fabrikam)
        pump(app, 10, lambda: idle(window) and mine.detail is not None
             and mine.detail.summary.customer == "Fabrikam Packaging")  # fmt: skip
        pump(app, 3, lambda: mine.preview.picture is not None)
        pump(app, 1)
        save(mine, "my-requests.png")
        mine.done(0)

        quote = next(t for t in services.templates.list_all() if t.title.startswith("Price"))
        due = (services.today() + dt.timedelta(days=30)).isoformat()
        for customer, number, discount in (("Harlow Foods Ltd.", "Q-2026-0042", "5"),
                                           ("Müller Getränke", "Q-2026-0043", "12.5")):  # fmt: skip
            window.services.templates.generate(quote.id, {
                "customer": customer, "quote_number": number, "discount": discount,
                "valid_until": due})  # fmt: skip
        window.open_documents()
        documents = window.documents_dialog
        assert documents is not None
        pump(app, 5, lambda: documents.table.rowCount() == 2)
        pump(app, 1)
        save(documents, "documents.png")
        documents.done(0)

        switcher.setCurrentIndex(switcher.findData(marketer))
        switcher.activated.emit(switcher.currentIndex())
        pump(app, 10, lambda: idle(window) and window.user is not None
             and window.user.id == marketer)  # fmt: skip
        window.open_requests()
        queue = window.requests_dialog
        assert queue is not None
        pump(app, 10, lambda: idle(window) and queue.detail is not None)
        northwind = next(n for n, r in enumerate(queue.model.rows)
                         if r.customer == "Northwind Foods" and r.template_title.startswith("Price"))  # fmt: skip
        queue.table.selectRow(northwind)
        pump(app, 10, lambda: idle(window) and queue.detail is not None
             and queue.detail.summary.customer == "Northwind Foods")  # fmt: skip
        discount = next(r for r in range(queue.values.rowCount())
                        if queue.values.item(r, 0).text() == "Discount")  # fmt: skip
        queue.values.item(discount, 3).setText("11")
        queue.comment.setPlainText("11 % for three years; 12.5 % only with a five-year term.")
        pump(app, 5, lambda: idle(window) and not queue._preview_timer.isActive())
        pump(app, 1)
        save(queue, "review-queue.png")
        queue.done(0)

        places = window.navigation.places
        kit = next(r for r in range(places.count()) if places.item(r).text().startswith("DACH"))
        places.setCurrentRow(kit)
        window.navigation.share_collection()
        pump(app, 5, lambda: window.navigation.share_dialog is not None)
        share = window.navigation.share_dialog
        assert share is not None
        pump(app, 1)
        save(share, "share.png")
        share.done(0)

        window.edit_synonyms()
        pump(app, 5, lambda: window.synonyms_dialog is not None)
        synonyms = window.synonyms_dialog
        assert synonyms is not None
        pump(app, 1)
        save(synonyms, "synonyms.png")
        synonyms.done(0)

        window.actions.about.trigger()
        pump(app, 1)
        save(window.about_box, "about.png")
        window.about_box.done(0)

        dialog = SettingsDialog(window.settings, window)
        dialog.show()
        pump(app, 1)
        save(dialog, "settings.png")
        dialog.close()

        window.close()
        window.runner.shutdown()
        services.close()
        window.deleteLater()
        pump(app, 0.2)


if __name__ == "__main__":
    main()
