"""Help: the keyboard shortcuts (read off the window's own actions), a short guide for
each role, and the About box with versions and licences."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from satchel.about import components, satchel_version
from satchel.core.settings import resources_dir

# Keys that belong to a widget rather than to a menu action.
WIDGET_KEYS = (
    ("Results", "Arrow keys", "Move through the results"),
    ("Results", "Enter", "Open the selected asset"),
    ("Results", "Tab", "On to the facets, the actions and the pages"),
    ("Pages", "Page Up / Page Down, ← / →", "Previous or next page"),
    ("Pages", "Home / End", "First or last page"),
    ("Details", "Ctrl+Z", "Undo your typing, then the last saved change"),
    ("Designer", "Arrow keys (Shift: 10 points)", "Nudge the selected field"),
    ("Designer", "+ / −, Ctrl+wheel", "Zoom"),
    ("Dialogs", "Esc", "Close (you are asked before typed values are lost)"),
)
GUIDES = (("rep", "Field reps"), ("marketer", "Marketers"), ("admin", "Administrators"))


def shortcut_rows(actions: Iterable[QAction]) -> list[tuple[str, str, str]]:
    """(where, keys, what) for every action with a shortcut, then the widgets' keys."""
    rows = []
    for action in actions:
        keys = action.shortcut()
        if keys.isEmpty():
            continue
        text = keys.toString(QKeySequence.SequenceFormat.NativeText)
        rows.append(("Window", text, action.text().replace("&", "").rstrip("…")))
    return sorted(set(rows), key=lambda row: row[2]) + list(WIDGET_KEYS)


class ShortcutsDialog(QDialog):
    def __init__(self, actions: Iterable[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard Shortcuts")
        rows = shortcut_rows(actions)
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels(["Where", "Keys", "Does"])
        for number, row in enumerate(rows):
            for column, text in enumerate(row):
                self.table.setItem(number, column, QTableWidgetItem(text))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(_close_button(self))
        self.resize(620, 560)


class GuideDialog(QDialog):
    """The short user guides, one tab per role, opened on the reader's own."""

    def __init__(self, role: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("guideDialog")
        self.setWindowTitle("Satchel User Guide")
        self.tabs = QTabWidget()
        for key, title in GUIDES:
            page = QTextBrowser()
            page.setObjectName(f"guide_{key}")
            page.setOpenLinks(False)
            page.setMarkdown((resources_dir() / "guides" / f"{key}.md").read_text("utf-8"))
            self.tabs.addTab(page, title)
        self.tabs.setCurrentIndex(next((n for n, (k, _t) in enumerate(GUIDES) if k == role), 0))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(_close_button(self))
        self.resize(640, 600)


def about_text() -> tuple[str, str]:
    """(headline, detail) for the About box."""
    lines = [f"{c.name} {c.version} — {c.licence}" if c.licence else f"{c.name} {c.version}"
             for c in components()]  # fmt: skip
    headline = (f"Satchel {satchel_version()} — the collateral library for sales and marketing "
                "teams. Licensed under the GPL, version 3 or later.")  # fmt: skip
    return headline, "Built with:\n" + "\n".join(lines)


def _close_button(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.rejected.connect(dialog.reject)
    return buttons
