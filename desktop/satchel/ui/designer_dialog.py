"""The template designer: draw field boxes on a PDF's pages, set their rules, publish."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QImage, QKeyEvent, QMouseEvent, QPen, QPixmap, QWheelEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGraphicsItem,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from satchel.core.domain.assets import AssetDetail, AssetKind
from satchel.core.domain.changes import Changes
from satchel.core.domain.formula import FormulaError
from satchel.core.domain.formula import parse as parse_formula
from satchel.core.domain.templates import (
    Align,
    FieldKind,
    Policy,
    Template,
    VAlign,
    fields_to_json,
    limits_for,
)
from satchel.core.domain.users import Profile
from satchel.core.errors import KnownError
from satchel.core.services import Services
from satchel.ui.errors import confirm, problem_label, show_error
from satchel.ui.tasks import TaskRunner


@dataclass(frozen=True)
class DesignStart:
    """What the designer opens with, read off the UI thread by `load_design`."""

    asset: AssetDetail
    fields: list[dict[str, Any]]  # the newest template version's fields, or none yet
    version: int  # the newest template version's number, 0 before the first
    title: str
    images: list[tuple[str, str]]  # (asset id, title) of the library's images
    newer_file: bool = False  # the asset's file was replaced since the last publication


def load_design(services: Services, asset_id: str) -> DesignStart:
    asset = services.assets.get(asset_id)
    try:
        existing = services.templates.get(asset.id)
        fields, version = fields_to_json(existing.fields), existing.version
        title, newer = existing.title, existing.base_sha256 != asset.current.sha256
    except KnownError:  # not a template yet
        fields, version, title, newer = [], 0, asset.metadata.title, False
    images = [(a.id, a.metadata.title) for a in services.assets.list_all(AssetKind.IMAGE)]
    return DesignStart(asset, fields, version, title, images, newer)


NEWER_FILE = ("The asset has a new file since this template was published: you see the new "
              "file. Reps keep the earlier one until you publish again.")  # fmt: skip
PAGE_PX = 1400  # the page picture; the scene itself is in PDF points
MIN_SIDE = 6.0  # points: the smallest box a drag or a resize makes
HANDLE = 8.0


class FieldBox(QGraphicsRectItem):
    """One field's box, in PDF points; movable, with a resize handle at the corner."""

    def __init__(self, spec: dict[str, Any], page_height: float, on_change: Any) -> None:
        place = spec["placement"]
        super().__init__(0, 0, place["width"], place["height"])
        self.spec, self.page_height, self._on_change = spec, page_height, on_change
        self.setPos(place["x"], page_height - place["y"] - place["height"])
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable
                      | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)  # fmt: skip
        self.setPen(QPen(QColor("#1f6fbf"), 0))
        self.setBrush(QBrush(QColor(31, 111, 191, 40)))
        self.handle = QGraphicsRectItem(0, 0, HANDLE, HANDLE, self)
        self.handle.setBrush(QBrush(QColor("#1f6fbf")))
        self.handle.setPen(QPen(Qt.PenStyle.NoPen))
        self.handle.setCursor(Qt.CursorShape.SizeFDiagCursor)
        self._place_handle()
        self._resizing: QPointF | None = None

    def _place_handle(self) -> None:
        rect = self.rect()  # inside the box, so a press on it reaches the box
        self.handle.setPos(rect.width() - HANDLE, rect.height() - HANDLE)

    def sync(self) -> None:
        """Write the box's geometry back to the spec (PDF points from the bottom left)."""
        rect, pos = self.rect(), self.pos()
        self.spec["placement"].update(
            x=round(pos.x(), 1), y=round(self.page_height - pos.y() - rect.height(), 1),
            width=round(rect.width(), 1), height=round(rect.height(), 1),
        )  # fmt: skip
        self._on_change(self)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value: Any) -> Any:
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            self.sync()
        return super().itemChange(change, value)

    def mousePressEvent(self, event: Any) -> None:
        if self.handle.contains(self.handle.mapFromScene(event.scenePos())):
            self._resizing = event.scenePos()
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: Any) -> None:
        if self._resizing is not None:
            corner = self.mapFromScene(event.scenePos())
            self.setRect(0, 0, max(MIN_SIDE, corner.x()), max(MIN_SIDE, corner.y()))
            self._place_handle()
            self.sync()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: Any) -> None:
        self._resizing = None
        super().mouseReleaseEvent(event)


class PageView(QGraphicsView):
    """The page in PDF points; drag on empty paper to draw a box, Ctrl+wheel to zoom,
    arrow keys to nudge the selected box (Shift: 10 points).

    Signals:
        drawn(QRectF): a new box was drawn (scene coordinates).
    """

    drawn = Signal(QRectF)

    def __init__(self, scene: QGraphicsScene) -> None:
        super().__init__(scene)
        self.setObjectName("designerPage")
        self.setAccessibleName("Template page: drag to draw a field")
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self._start: QPointF | None = None
        self._band: QGraphicsRectItem | None = None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        item = self.itemAt(event.position().toPoint())
        on_box = isinstance(item, FieldBox) or (
            item is not None and isinstance(item.parentItem(), FieldBox)
        )
        if event.button() == Qt.MouseButton.LeftButton and not on_box:
            self._start = self.mapToScene(event.position().toPoint())
            self._band = self.scene().addRect(QRectF(self._start, self._start),
                                              QPen(QColor("#c0392b"), 0))  # fmt: skip
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._start is not None and self._band is not None:
            end = self.mapToScene(event.position().toPoint())
            self._band.setRect(QRectF(self._start, end).normalized())
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._start is not None and self._band is not None:
            rect = self._band.rect()
            self.scene().removeItem(self._band)
            self._start, self._band = None, None
            if rect.width() >= MIN_SIDE and rect.height() >= MIN_SIDE:
                self.drawn.emit(rect)
            return
        super().mouseReleaseEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom(1.15 if event.angleDelta().y() > 0 else 1 / 1.15)
            return
        super().wheelEvent(event)

    def zoom(self, factor: float) -> None:
        self.scale(factor, factor)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = 10.0 if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else 1.0
        moves = {Qt.Key.Key_Left: (-step, 0), Qt.Key.Key_Right: (step, 0),
                 Qt.Key.Key_Up: (0, -step), Qt.Key.Key_Down: (0, step)}  # fmt: skip
        boxes = [i for i in self.scene().selectedItems() if isinstance(i, FieldBox)]
        if event.key() in moves and boxes:
            dx, dy = moves[event.key()]
            for box in boxes:
                box.moveBy(dx, dy)
            return
        if event.key() in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(1.15)
            return
        if event.key() == Qt.Key.Key_Minus:
            self.zoom(1 / 1.15)
            return
        super().keyPressEvent(event)


class DesignerDialog(QDialog):
    """Marketers turn a PDF asset into a template (or a new version of one).

    Signals:
        published(object): the new Template version (the window refreshes from the
            runner's change signal, like every change).
    """

    published = Signal(object)

    def __init__(self, services: Services, runner: TaskRunner, start: DesignStart,
                 profile: Profile | None, today: Callable[[], dt.date],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        asset = start.asset
        self.setObjectName("designerDialog")
        self.setWindowTitle(f"Design template — {asset.metadata.title}")
        self.services, self.runner, self.asset = services, runner, asset
        self.profile, self.today = profile, today
        current = asset.current
        self.page_size = (float(current.width or 595), float(current.height or 842))
        self.page_count = max(1, current.page_count)
        self.fields: list[dict[str, Any]] = [dict(f) for f in start.fields]
        self.title, self.version = start.title, start.version
        self.unpublished = False  # fields changed since the dialog opened or last published
        self.picture: QGraphicsPixmapItem | None = None
        self.scene = QGraphicsScene(self)
        self.view = PageView(self.scene)
        self.view.drawn.connect(self.add_field)
        self.page = QSpinBox()
        self.page.setObjectName("designerPageNumber")
        self.page.setRange(1, self.page_count)
        self.page.setPrefix("Page ")
        self.page.valueChanged.connect(self.show_page)
        self.panel = FieldPanel(self._panel_changed, start.images)
        self.newer_file = start.newer_file
        self.status = QLabel(
            NEWER_FILE if start.newer_file else "Drag on the page to draw a field."
        )
        self.status.setObjectName("designerStatus")
        self.status.setWordWrap(True)
        self.publish_button = QPushButton("Publish Version")
        self.publish_button.setObjectName("publishTemplate")
        self.publish_button.clicked.connect(self.publish)
        trial = QPushButton("Try Values…")
        trial.setObjectName("tryValues")
        trial.clicked.connect(self.try_values)
        delete = QPushButton("Remove Field")
        delete.setObjectName("removeField")
        delete.clicked.connect(self.remove_selected)
        top = QHBoxLayout()
        top.addWidget(self.page)
        for label, factor in (("−", 1 / 1.25), ("+", 1.25)):
            button = QPushButton(label)
            button.setAccessibleName("Zoom out" if label == "−" else "Zoom in")
            button.clicked.connect(lambda _c=False, f=factor: self.view.zoom(f))
            top.addWidget(button)
        top.addStretch(1)
        left = QVBoxLayout()
        left.addLayout(top)
        left.addWidget(self.view, 1)
        right = QVBoxLayout()
        right.addWidget(self.panel, 1)
        right.addWidget(delete)
        right.addWidget(trial)
        right.addWidget(self.status)
        right.addWidget(self.publish_button)
        columns = QHBoxLayout(self)
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        self.boxes: list[FieldBox] = []
        self.trial_dialog: QDialog | None = None
        self.scene.selectionChanged.connect(self._selection_changed)
        self.resize(1200, 820)
        self.show_page(1)

    def show_page(self, number: int) -> None:
        self.picture = None  # clear() deletes it
        self.scene.clear()
        self.boxes = []
        width, height = self.page_size
        self.scene.setSceneRect(0, 0, width, height)
        paper = self.scene.addRect(
            0, 0, width, height, QPen(QColor("#999999"), 0), QBrush(Qt.GlobalColor.white)
        )
        paper.setZValue(-2)  # under the page picture, which is under the boxes
        asset_id = self.asset.id
        self.runner.query(lambda: self.services.assets.page_image(asset_id, number, PAGE_PX),
                          lambda png: self._page_drawn(number, png))  # fmt: skip
        for spec in self.fields:
            if spec["placement"]["page"] == number:
                self._add_box(spec)
        self.view.fitInView(self.scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.view.fitInView(self.scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def _page_drawn(self, number: int, png: bytes | None) -> None:
        if number != self.page.value() or not png:
            return
        pixmap = QPixmap.fromImage(QImage.fromData(png, "PNG"))
        # Held here: without a Python reference, PySide deleted the picture on the
        # first press on the page (itemAt wrapped it), so drawing a box blanked it.
        self.picture = QGraphicsPixmapItem(pixmap)
        self.picture.setScale(self.page_size[0] / pixmap.width())
        self.picture.setZValue(-1)
        self.scene.addItem(self.picture)

    def _add_box(self, spec: dict[str, Any]) -> FieldBox:
        box = FieldBox(spec, self.page_size[1], self._box_changed)
        self.scene.addItem(box)
        self.boxes.append(box)
        return box

    def add_field(self, rect: QRectF) -> None:
        """A box drawn on the page becomes a new text field, selected for editing."""
        keys = {f["key"] for f in self.fields}
        number = next(n for n in range(1, 1000) if f"field_{n}" not in keys)
        height = self.page_size[1]
        spec: dict[str, Any] = {
            "key": f"field_{number}", "label": f"Field {number}", "kind": "text",
            "policy": "self_service", "default": "", "help": "",
            "placement": {"page": self.page.value(), "x": round(rect.x(), 1),
                          "y": round(height - rect.y() - rect.height(), 1),
                          "width": round(rect.width(), 1), "height": round(rect.height(), 1)},
            "style": {"font": "sans", "size": 11, "min_size": 8, "colour": "#1a1a1a",
                      "align": "left", "leading": 1.25},
            "limits": {"required": False},
        }  # fmt: skip
        self.fields.append(spec)
        box = self._add_box(spec)
        self.scene.clearSelection()
        box.setSelected(True)
        self._panel_changed()

    def remove_selected(self) -> None:
        chosen = [b for b in self.boxes if b.isSelected()]
        for box in chosen:
            self.fields.remove(box.spec)
            self.boxes.remove(box)
            self.scene.removeItem(box)
        if chosen:
            self.panel.show_spec(None)  # removing items does not tell the selection
            self._panel_changed()

    def _selection_changed(self) -> None:
        selected = [b for b in self.boxes if b.isSelected()]
        self.panel.show_spec(selected[0].spec if len(selected) == 1 else None)

    def _box_changed(self, box: FieldBox) -> None:
        if box.isSelected():
            self.panel.show_placement(box.spec)
        self._panel_changed()

    def _panel_changed(self) -> None:
        self.unpublished = True
        self.status.setText("Unpublished changes.")

    def reject(self) -> None:
        """Close (Esc too); unpublished fields are discarded only when asked."""
        if not self.unpublished:
            super().reject()
            return
        confirm(self, "Discard unpublished fields?",
                f"Your changes to “{self.title}” are not published. Close and discard them?",
                "Discard", lambda: QDialog.reject(self))  # fmt: skip

    def try_values(self) -> None:
        """The customize form and live preview over these (unpublished) fields."""
        fields, asset_id, title = [dict(f) for f in self.fields], self.asset.id, self.title
        self.runner.query(lambda: self.services.templates.draft(asset_id, fields, title),
                          self._open_trial, lambda error: show_error(self, error, None))  # fmt: skip

    def _open_trial(self, draft: Template) -> None:
        from satchel.ui.customize_dialog import CustomizeDialog

        self.trial_dialog = CustomizeDialog(self.services, self.runner, draft, self.profile,
                                            self.today, {}, self, trial=True)  # fmt: skip
        self.trial_dialog.open()

    def publish(self) -> None:
        """Ask, saying what changes for reps, then publish the next version."""
        confirm(self, "Publish this version?",
                f"Publish version {self.version + 1} of “{self.title}”?",
                "Publish", self._publish,
                detail=publish_summary(self.fields, self.version, self.newer_file),
                safe_default=False)  # fmt: skip

    def _publish(self) -> None:
        fields, asset_id = [dict(f) for f in self.fields], self.asset.id
        title = self.title
        self.runner.mutate(
            lambda: self.services.templates.publish(asset_id, fields, title),
            self._published,
            lambda error: show_error(self, error, None),
            initiator=self,
        )

    def _published(self, outcome: tuple[Template, Changes]) -> None:
        template, _changes = outcome
        self.version, self.unpublished, self.newer_file = template.version, False, False
        self.status.setText(f"Published version {template.version} with "
                            f"{len(template.fields)} field(s).")  # fmt: skip
        self.published.emit(template)


KIND_LABELS = {
    FieldKind.TEXT: "Text (one line)", FieldKind.PARAGRAPH: "Paragraph",
    FieldKind.CHOICE: "Choice from a list", FieldKind.NUMBER: "Number",
    FieldKind.PERCENT: "Percent", FieldKind.CURRENCY: "Amount of money",
    FieldKind.DATE: "Date", FieldKind.EMAIL: "Email address", FieldKind.PHONE: "Phone number",
    FieldKind.URL: "Web address", FieldKind.IMAGE: "Image from the library",
    FieldKind.PROFILE: "From the rep's profile",
    FieldKind.COMPUTED: "Calculated from other fields",
}  # fmt: skip
NUMBER_FORMAT_LABELS = {"number": "Number", "currency": "Amount of money",
                        "percent": "Percent"}  # fmt: skip
POLICY_LABELS = {
    Policy.SELF_SERVICE: "Reps change it within the limits",
    Policy.APPROVAL: "Changes need marketing approval",
    Policy.LOCKED: "Locked: shown, never changed",
}
ALIGN_LABELS = {Align.LEFT: "Left", Align.CENTER: "Centre", Align.RIGHT: "Right"}
VALIGN_LABELS = {VAlign.TOP: "Top", VAlign.MIDDLE: "Middle",
                 VAlign.BASELINE: "On the baseline", VAlign.BOTTOM: "Bottom"}  # fmt: skip
FONT_LABELS = {"sans": "Sans", "sans-bold": "Sans bold", "sans-italic": "Sans italic",
               "sans-bold-italic": "Sans bold italic"}  # fmt: skip
PROFILE_LABELS = {"": "(none)", "name": "Name", "title": "Job title", "email": "Email",
                  "phone": "Phone", "territory": "Territory"}  # fmt: skip
# Kinds a profile value may prefill (the rep can still change it).
PREFILLED_KINDS = (FieldKind.TEXT, FieldKind.EMAIL, FieldKind.PHONE, FieldKind.PROFILE)


def publish_summary(fields: Sequence[dict[str, Any]], version: int,
                    newer_file: bool = False) -> str:  # fmt: skip
    """What publishing changes for reps, in a sentence or two."""
    counts = {"rep": 0, "approval": 0, "locked": 0, "profile": 0}
    for spec in fields:
        if spec.get("kind") == FieldKind.PROFILE:
            counts["profile"] += 1
        else:
            counts[{"locked": "locked", "approval": "approval"}.get(spec.get("policy", ""),
                                                                   "rep")] += 1  # fmt: skip
    parts = [f"{counts['rep']} they fill in within your limits",
             f"{counts['approval']} that need your approval to change",
             f"{counts['locked']} locked", f"{counts['profile']} from their profile"]  # fmt: skip
    shown = ", ".join(part for part, n in zip(parts, counts.values(), strict=True) if n)
    total = len(fields)
    lines = [f"From now on reps customize it with {total} field{'s' if total != 1 else ''}"
             f"{': ' + shown if shown else ''}."]  # fmt: skip
    if newer_file:
        lines.append("The fields move onto the asset's new file.")
    if version:
        lines.append(f"Documents already made keep version {version}.")
    else:
        lines.append("Reps see it in their templates as soon as it is published.")
    return " ".join(lines)


def _combo(labels: dict[Any, str]) -> QComboBox:
    """A choice showing words for stored values (the value is each item's data)."""
    combo = QComboBox()
    for value, label in labels.items():
        combo.addItem(label, str(value))
    return combo


def _choose(combo: QComboBox, value: str) -> None:
    combo.setCurrentIndex(max(0, combo.findData(value)))


class FieldPanel(QWidget):
    """The selected field's key, label, kind, policy, style and the limits its kind has."""

    def __init__(self, on_change: Any, images: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__()
        self._on_change = on_change
        self.spec: dict[str, Any] | None = None
        self._loading = False
        self.form = form = QFormLayout(self)
        self.key, self.label, self.default, self.help = (
            QLineEdit(),
            QLineEdit(),
            QLineEdit(),
            QLineEdit(),
        )
        self.kind = _combo(KIND_LABELS)
        self.policy = _combo(POLICY_LABELS)
        self.profile_field = _combo(PROFILE_LABELS)
        self.font = _combo(FONT_LABELS)
        self.align = _combo(ALIGN_LABELS)
        self.valign = _combo(VALIGN_LABELS)
        self.size, self.min_size = QDoubleSpinBox(), QDoubleSpinBox()
        for spin in (self.size, self.min_size):
            spin.setRange(4, 96)
            spin.setSingleStep(0.5)
        self.required = QCheckBox("Required")
        self.max_chars = QSpinBox()
        self.max_chars.setRange(0, 5000)
        self.max_chars.setSpecialValueText("no limit")
        self.choices, self.banned, self.pattern = QLineEdit(), QLineEdit(), QLineEdit()
        self.pattern_message = QLineEdit()
        # Numbers a field may carry; empty means no such limit.
        self.numbers = {key: QLineEdit() for key, _label in NUMBER_LIMITS}
        # For image fields: which of the library's images reps may choose from.
        self.images = QListWidget()
        self.images.setMaximumHeight(90)
        for asset_id, title in images:
            item = QListWidgetItem(title)  # list items show plain text
            item.setData(Qt.ItemDataRole.UserRole, asset_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.images.addItem(item)
        self.images.itemChanged.connect(lambda _item: self._store())
        # Computed fields: the formula, how its result is written, and in which currency.
        self.formula = QLineEdit()
        self.formula.setPlaceholderText("e.g. round(subtotal * discount / 100, 2)")
        self.formula.setToolTip("Numbers, the keys of number, percent, amount and computed "
                                "fields, + - * /, brackets, round(x, digits), min, max")  # fmt: skip
        self.formula_problem = problem_label("formulaProblem")
        self.number_format = _combo(NUMBER_FORMAT_LABELS)
        self.currency = QLineEdit()
        self.currency.setMaxLength(3)
        self.currency.setPlaceholderText("EUR")
        self.placement = QLabel()
        self.placement.setObjectName("fieldPlacement")
        # The widget of each limit, to show only those the field's kind has.
        self.limit_rows: dict[str, QWidget] = {
            "required": self.required, "max_chars": self.max_chars, "choices": self.choices,
            "banned_terms": self.banned, "pattern": self.pattern,
            "pattern_message": self.pattern_message, "image_set": self.images, **self.numbers,
        }  # fmt: skip
        rows = (("Key", self.key), ("Label", self.label), ("Kind", self.kind),
                ("Policy", self.policy), ("Profile value", self.profile_field),
                ("Default", self.default), ("Help", self.help),
                ("Font", self.font), ("Size", self.size), ("Smallest size", self.min_size),
                ("Alignment", self.align), ("Vertical alignment", self.valign),
                ("Formula", self.formula), ("", self.formula_problem),
                ("Written as", self.number_format), ("Currency", self.currency),
                ("", self.required), ("Max characters", self.max_chars),
                ("Choices (comma)", self.choices), ("Banned terms (comma)", self.banned),
                ("Pattern", self.pattern), ("Pattern message", self.pattern_message),
                *((label, self.numbers[key]) for key, label in NUMBER_LIMITS),
                ("Approved images", self.images), ("Box (pt)", self.placement))  # fmt: skip
        for label, widget in rows:
            widget.setObjectName(f"field_{label.split(' ')[0].lower() or 'required'}")
            widget.setAccessibleName(label or "Required")
            form.addRow(label, widget)
        self.valign.setObjectName("field_valign")
        self.formula_problem.setObjectName("formulaProblem")
        self.formula_problem.setAccessibleName("Problem with the formula")
        self.profile_field.setObjectName("field_profile")
        for line in (self.key, self.label, self.default, self.help, self.choices, self.banned,
                     self.pattern, self.pattern_message, self.formula, self.currency,
                     *self.numbers.values()):  # fmt: skip
            line.editingFinished.connect(self._store)
        for combo in (self.kind, self.policy, self.profile_field, self.font, self.align,
                      self.valign, self.number_format):  # fmt: skip
            combo.activated.connect(self._store)
        for spin in (self.size, self.min_size, self.max_chars):
            spin.valueChanged.connect(self._store)
        self.required.toggled.connect(self._store)
        self.setEnabled(False)

    def show_spec(self, spec: dict[str, Any] | None) -> None:
        self.spec = spec
        self.setEnabled(spec is not None)
        if spec is None:
            for line in (self.key, self.label, self.default, self.help):
                line.clear()
            self.placement.clear()
            return
        self._loading = True
        style, limits = spec.setdefault("style", {}), spec.setdefault("limits", {})
        self.key.setText(spec["key"])
        self.label.setText(spec["label"])
        self.default.setText(spec.get("default", ""))
        self.help.setText(spec.get("help", ""))
        _choose(self.kind, spec["kind"])
        _choose(self.policy, spec.get("policy", "self_service"))
        _choose(self.profile_field, spec.get("profile_field", ""))
        _choose(self.font, style.get("font", "sans"))
        _choose(self.align, style.get("align", "left"))
        _choose(self.valign, style.get("valign", "top"))
        self.size.setValue(style.get("size", 11))
        self.min_size.setValue(style.get("min_size", 8))
        self.formula.setText(spec.get("formula", ""))
        _choose(self.number_format, spec.get("number_format", "number"))
        self.currency.setText(spec.get("currency", ""))
        self.required.setChecked(bool(limits.get("required")))
        self.max_chars.setValue(limits.get("max_chars") or 0)
        self.choices.setText(", ".join(limits.get("choices", [])))
        self.banned.setText(", ".join(limits.get("banned_terms", [])))
        self.pattern.setText(limits.get("pattern") or "")
        self.pattern_message.setText(limits.get("pattern_message") or "")
        for key, line in self.numbers.items():
            value = limits.get(key)
            line.setText("" if value is None else f"{value:g}")
        chosen = set(limits.get("image_set", []))
        for row in range(self.images.count()):
            item = self.images.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.show_placement(spec)
        self._show_rows_for(FieldKind(spec["kind"]))
        self._loading = False

    def _show_rows_for(self, kind: FieldKind) -> None:
        """Only the limits (and settings) that mean something for this kind."""
        allowed = limits_for(kind)
        for name, widget in self.limit_rows.items():
            self.form.setRowVisible(widget, name in allowed)
        self.form.setRowVisible(self.profile_field, kind in PREFILLED_KINDS)
        typed = kind not in (FieldKind.PROFILE, FieldKind.COMPUTED)  # a rep types its value
        self.form.setRowVisible(self.policy, typed)
        self.form.setRowVisible(self.default, typed)
        for widget in (self.formula, self.formula_problem, self.number_format):
            self.form.setRowVisible(widget, kind is FieldKind.COMPUTED)
        self.form.setRowVisible(self.currency, kind in (FieldKind.CURRENCY, FieldKind.COMPUTED))
        self._check_formula(kind)

    def _check_formula(self, kind: FieldKind) -> None:
        """Say at once what is wrong with a formula (publishing would refuse it)."""
        problem = ""
        if kind is FieldKind.COMPUTED:
            try:
                parse_formula(self.formula.text())
            except FormulaError as error:
                problem = f"The formula cannot be used: {error}."
        self.formula_problem.setText(problem)
        self.formula_problem.setVisible(bool(problem))

    def show_placement(self, spec: dict[str, Any]) -> None:
        p = spec["placement"]
        self.placement.setText(f"x {p['x']:g}, y {p['y']:g}, {p['width']:g} × {p['height']:g}")

    def _store(self) -> None:
        if self._loading or self.spec is None:
            return
        spec, style, limits = self.spec, self.spec["style"], self.spec["limits"]
        kind = FieldKind(self.kind.currentData())
        spec.update(key=self.key.text().strip(), label=self.label.text().strip(),
                    default=self.default.text(), help=self.help.text(), kind=kind.value,
                    policy=self.policy.currentData())  # fmt: skip
        _set_or_drop(spec, "profile_field", (self.profile_field.currentData() or None)
                     if kind in PREFILLED_KINDS else None)  # fmt: skip
        computed = kind is FieldKind.COMPUTED
        _set_or_drop(spec, "formula", self.formula.text().strip() if computed else None)
        _set_or_drop(spec, "number_format", self.number_format.currentData() if computed else None)
        _set_or_drop(spec, "currency", (self.currency.text().strip().upper() or None)
                     if kind in (FieldKind.CURRENCY, FieldKind.COMPUTED) else None)  # fmt: skip
        style.update(font=self.font.currentData(), align=self.align.currentData(),
                     valign=self.valign.currentData(), size=self.size.value(),
                     min_size=min(self.min_size.value(), self.size.value()))  # fmt: skip
        limits["required"] = self.required.isChecked()
        _set_or_drop(limits, "max_chars", self.max_chars.value() or None)
        _set_or_drop(limits, "choices", _split(self.choices.text()))
        _set_or_drop(limits, "banned_terms", _split(self.banned.text()))
        _set_or_drop(limits, "pattern", self.pattern.text().strip() or None)
        _set_or_drop(limits, "pattern_message", self.pattern_message.text().strip() or None)
        for key, line in self.numbers.items():
            _set_or_drop(limits, key, _number(line.text(), integer=key in INTEGER_LIMITS))
        chosen = [self.images.item(row).data(Qt.ItemDataRole.UserRole)
                  for row in range(self.images.count())
                  if self.images.item(row).checkState() == Qt.CheckState.Checked]  # fmt: skip
        _set_or_drop(limits, "image_set", chosen or None)
        allowed = limits_for(kind)
        for name in [n for n in limits if n not in allowed]:  # a kind's change drops the rest
            del limits[name]
        self._show_rows_for(kind)
        self._on_change()


NUMBER_LIMITS = (("max_lines", "Max lines"), ("minimum", "Minimum"), ("maximum", "Maximum"),
                 ("step", "Step"), ("envelope_min", "Self-service from"),
                 ("envelope_max", "Self-service up to"), ("date_min_days", "Date: days from"),
                 ("date_max_days", "Date: days until"))  # fmt: skip
INTEGER_LIMITS = {"max_lines", "date_min_days", "date_max_days"}


def _number(text: str, integer: bool) -> float | int | None:
    """A limit typed in the panel; anything that is not a number means no limit."""
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return int(value) if integer else value


def _split(text: str) -> list[str] | None:
    parts = [part.strip() for part in text.split(",") if part.strip()]
    return parts or None


def _set_or_drop(values: dict[str, Any], key: str, value: object) -> None:
    if value is None:
        values.pop(key, None)
    else:
        values[key] = value
