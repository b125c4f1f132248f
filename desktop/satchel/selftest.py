"""`satchel --self-test`: every native piece exercised in the running build, one line
each, exit 1 on any failure — so a missing hidden import or library in a packaged build
fails CI, not a customer's rollout.

Each check does real work in a temporary folder (renders, parses in a child process,
writes and reopens an index, vacuums a database); none reads the user's library.
"""

from __future__ import annotations

import io
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

Check = Callable[[Path], str]


def _sample_pdf() -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    from satchel.core.render.fonts import font_name

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(300, 200))
    canvas.setFont(font_name("sans-bold"), 24)
    canvas.drawString(20, 100, "Satchel self-test Ünïcödé")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def check_qt(_: Path) -> str:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication.instance() or QApplication(["satchel-self-test"])  # kept alive below
    label = QLabel("Satchel")
    label.resize(120, 40)
    label.setAutoFillBackground(True)
    palette = label.palette()
    palette.setColor(label.backgroundRole(), QColor(Qt.GlobalColor.red))
    label.setPalette(palette)
    image = label.grab().toImage()
    if image.isNull() or image.pixelColor(2, 2) != QColor(Qt.GlobalColor.red):
        raise RuntimeError("the window was not painted")
    return f"Qt {_qt_version()} platform “{app.platformName()}”, a window painted"


def _qt_version() -> str:
    from PySide6 import __version__

    return __version__


def check_pdfium(_: Path) -> str:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(_sample_pdf())
    try:
        image = pdf[0].render(scale=1).to_pil()
    finally:
        pdf.close()
    if image.getextrema()[0][0] == 255:
        raise RuntimeError("the rendered page is blank")
    return f"pypdfium2 {pypdfium2.version.PYPDFIUM_INFO} rendered a page ({image.width}×{image.height})"


def check_reportlab(_: Path) -> str:
    import reportlab
    from reportlab.lib import rl_accel

    if rl_accel.fp_str.__module__ != "_rl_accel":  # the pure-Python fallback is 2× slower
        raise RuntimeError("ReportLab's C accelerator (rl-accel) is not loaded")
    size = len(_sample_pdf())
    return f"ReportLab {reportlab.Version} with rl-accel and the bundled fonts ({size:,} bytes)"


def check_pillow(_: Path) -> str:
    import PIL
    from PIL import Image, features

    image = Image.new("RGB", (8, 8), (10, 120, 200))
    formats = []
    for name in ("PNG", "JPEG", "WEBP"):
        buffer = io.BytesIO()
        image.save(buffer, name)
        buffer.seek(0)
        with Image.open(buffer) as decoded:
            decoded.load()
        formats.append(name)
    return f"Pillow {PIL.__version__} decodes {', '.join(formats)} (webp: {features.check('webp')})"


def check_parser(folder: Path) -> str:
    from satchel.core.ingest.limits import ImportLimits
    from satchel.core.ingest.worker import ParserPool

    path = folder / "sample.pdf"
    path.write_bytes(_sample_pdf())
    limits = ImportLimits(seconds_per_file=60, memory_mb=1024)
    with ParserPool(limits, workers=1) as pool:
        parsed = pool.result(pool.submit(path))
    if parsed.page_count != 1 or "self-test" not in " ".join(parsed.pages):
        raise RuntimeError(f"the child read {parsed.page_count} pages and no text")
    return f"a parser child process read a PDF (limits: {limits.seconds_per_file:g} s, {limits.memory_mb:,} MB)"


def check_whoosh(folder: Path) -> str:
    from whoosh import index
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.qparser import QueryParser

    from satchel.core.search import index as search_index  # installs the restricted unpickler

    search_index.check_whoosh()
    schema = Schema(id=ID(stored=True, unique=True), content=TEXT)
    writer = index.create_in(folder, schema).writer()
    writer.add_document(id="1", content="predictive maintenance gateway")
    writer.commit()
    reopened = index.open_dir(folder)  # its table of contents is unpickled here
    with reopened.searcher() as searcher:
        hits = len(searcher.search(QueryParser("content", reopened.schema).parse("gateway")))
    if hits != 1:
        raise RuntimeError(f"the index found {hits} documents instead of 1")
    return "Whoosh wrote, reopened through the restricted unpickler and searched an index"


def check_sqlite(folder: Path) -> str:
    path = folder / "self-test.db"
    connection = sqlite3.connect(path)
    try:
        mode = connection.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT")
        connection.execute("INSERT INTO t (name) VALUES ('a')")
        connection.commit()
        connection.execute("VACUUM INTO ?", (str(folder / "copy.db"),))
    finally:
        connection.close()
    if mode != "wal":
        raise RuntimeError(f"WAL is not available (journal mode {mode})")
    return f"SQLite {sqlite3.sqlite_version}: WAL, STRICT tables, VACUUM INTO"


def check_psycopg(_: Path) -> str:
    try:
        import psycopg
    except ImportError:
        return "psycopg not in this build (the hub extra); the team hub is unavailable"
    return f"psycopg {psycopg.__version__} ({psycopg.pq.__impl__}, libpq {psycopg.pq.version()})"


CHECKS: tuple[tuple[str, Check], ...] = (
    ("Qt", check_qt), ("PDF rendering", check_pdfium), ("ReportLab", check_reportlab),
    ("Images", check_pillow), ("Parser process", check_parser), ("Search", check_whoosh),
    ("SQLite", check_sqlite), ("Hub driver", check_psycopg),
)  # fmt: skip


def run(out: Callable[[str], None] = print) -> int:
    """Run every check; 0 when all passed, 1 otherwise."""
    failed = 0
    for name, check in CHECKS:
        with tempfile.TemporaryDirectory(prefix="satchel-self-test-") as temp:
            try:
                detail = check(Path(temp))
            except Exception as error:  # noqa: BLE001 - every failure is one line, then exit 1
                failed += 1
                out(f"FAIL {name}: {type(error).__name__}: {error}")
                continue
        out(f"ok   {name}: {detail}")
    out("Self-test passed." if not failed else f"Self-test failed: {failed} of {len(CHECKS)}.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(run())
