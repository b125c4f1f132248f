"""The right-hand pane: pages, metadata, versions and status of the selected asset."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from satchel.core.domain.assets import AssetDetail
from satchel.core.domain.versions import describe
from satchel.ui.metadata_form import MetadataForm
from satchel.ui.page_view import PageView


def plain_label(object_name: str, bold: bool = False) -> QLabel:
    """A label for untrusted text (titles, file names): never interpreted as markup."""
    label = QLabel()
    label.setObjectName(object_name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if bold:
        font = label.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        label.setFont(font)
    return label


def status_line(detail: AssetDetail, today: dt.date) -> str:
    """Status, expiry and review in words ("Published · expires in 12 days")."""
    meta = detail.metadata
    parts = [meta.status.value.capitalize()]
    for date, word in ((meta.expires_on, "expires"), (meta.review_on, "review due")):
        if date is None:
            continue
        days = (date - today).days
        if days < 0:
            parts.append(f"{'expired' if word == 'expires' else 'review overdue'} since {date}")
        elif days == 0:
            parts.append(f"{word} today")
        else:
            parts.append(f"{word} {date} (in {days} days)")
    return " · ".join(parts)


def versions_text(detail: AssetDetail) -> str:
    """The history, newest first: each file, who added it and what it changed."""
    lines = []
    for version in reversed(detail.versions):
        size = f"{version.size / 1024:,.0f} KB" if version.size < 1 << 20 else (
            f"{version.size / (1 << 20):,.1f} MB")  # fmt: skip
        pages = f"{version.page_count} page{'s' if version.page_count != 1 else ''}"
        by = f" — {version.added_by}" if version.added_by else ""
        lines.append(
            f"Version {version.number} — {version.created_at:%Y-%m-%d %H:%M} UTC{by}\n"
            f"  {version.original_name} · {version.file_type.value.upper()} · {pages} · {size}"
        )
        if version.change is not None:
            lines.append(f"  Changed: {describe(version.change)}")
        lines += [f"  ⚠ {warning}" for warning in version.warnings]
    return "\n".join(lines)


def newest_change(detail: AssetDetail) -> str:
    """ "Version 2, 2026-12-02: 3 pages (was 2); …" when the file was replaced."""
    current = detail.current
    if current.change is None:
        return ""
    return f"Version {current.number}, {current.created_at:%Y-%m-%d}: {describe(current.change)}"


class PreviewPane(QWidget):
    """Shows one asset; its actions (open, export, copy, show in folder) are shared QActions."""

    def __init__(self, pages: PageView, form: MetadataForm, actions: list[QAction],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("previewPane")
        self.pages = pages
        self.form = form
        self.title = plain_label("previewTitle", bold=True)
        self.facts = plain_label("previewFacts")
        self.status = plain_label("previewStatus")
        self.tags = plain_label("previewTags")
        self.changed = plain_label("previewChanged")  # what the newest version changed
        toolbar = ActionRow(actions)
        self.versions = plain_label("previewVersions")
        self.versions.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("previewTabs")
        self.tabs.addTab(_scrolling(form), "Details")
        self.tabs.addTab(_scrolling(self.versions), "Versions")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("previewSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(pages)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.placeholder = QLabel("Select an asset to see its pages and details.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.facts)
        layout.addWidget(self.status)
        layout.addWidget(self.tags)
        layout.addWidget(self.changed)
        layout.addWidget(toolbar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.placeholder, 1)
        self._body = [self.title, self.facts, self.status, self.tags, self.changed, toolbar,
                      splitter]  # fmt: skip
        self.detail: AssetDetail | None = None
        self.show_detail(None, dt.date.today(), None)

    def show_detail(self, detail: AssetDetail | None, today: dt.date,
                    thumbnail: QPixmap | None, reload_pages: bool = True,
                    page: int = 1) -> None:  # fmt: skip
        """Show an asset (None: nothing selected) at `page` (where its snippet is from).
        `reload_pages` False keeps the page view where it is (after a metadata edit)."""
        self.detail = detail
        for widget in self._body:
            widget.setVisible(detail is not None)
        self.placeholder.setVisible(detail is None)
        self.form.show_detail(detail)
        if detail is None:
            self.pages.clear()
            return
        meta, current = detail.metadata, detail.current
        self.title.setText(meta.title)
        facts = [meta.kind.value, meta.product, meta.audience, meta.language.upper(),
                 f"{current.page_count} page{'s' if current.page_count != 1 else ''}",
                 current.file_type.value.upper()]  # fmt: skip
        self.facts.setText(" · ".join(part for part in facts if part))
        self.status.setText(status_line(detail, today))
        self.tags.setText("Tags: " + ", ".join(meta.tags) if meta.tags else "")
        self.tags.setVisible(bool(meta.tags))
        self.changed.setText(newest_change(detail))
        self.changed.setVisible(bool(self.changed.text()))
        self.versions.setText(versions_text(detail))
        if reload_pages or not self.pages.shows(current.sha256):  # its file was replaced
            self.pages.show_asset(detail.id, current.sha256, current.page_count, thumbnail, page)


class ActionRow(QWidget):
    """The selected asset's actions as buttons Tab reaches, all of them always shown:
    with their words while they fit, as icons with tooltips when the pane is narrow
    (a toolbar hid the last ones behind an overflow menu)."""

    def __init__(self, actions: list[QAction]) -> None:
        super().__init__()
        self.setObjectName("assetActions")
        self.buttons: list[QToolButton] = []
        self._probe = QToolButton()
        self._probe.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._probe.setAutoRaise(True)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        for action in actions:
            button = QToolButton()
            button.setDefaultAction(action)  # its words, icon and enabled state
            action.changed.connect(lambda b=button, a=action: self._follow(b, a))
            button.setVisible(action.isVisible())  # not followed by a lone button
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            button.setAutoRaise(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            self.buttons.append(button)
            row.addWidget(button)
        row.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def _follow(self, button: QToolButton, action: QAction) -> None:
        if button.isHidden() == action.isVisible():
            button.setVisible(action.isVisible())
            self._fit()

    def _fit(self) -> None:
        shown = [b for b in self.buttons if not b.isHidden()]
        needed = sum(self._worded_width(b) + 2 for b in shown)
        worded = Qt.ToolButtonStyle.ToolButtonTextBesideIcon
        style = worded if needed <= self.width() else Qt.ToolButtonStyle.ToolButtonIconOnly
        for button in shown:
            if button.toolButtonStyle() != style:  # a change asks for layout again
                button.setToolButtonStyle(style)

    def _worded_width(self, button: QToolButton) -> int:
        """The button's width with its words, measured on a button never shown."""
        self._probe.setIcon(button.icon())
        self._probe.setText(button.text())
        return self._probe.sizeHint().width()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # an action was shown or hidden
            self._fit()
        return super().event(event)


def _scrolling(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area
