"""The insights page (marketers and admins): for a period, how much collateral is used,
the wastebasket with one-click Retire, Set Review Date and Ask Owner, what is used most,
influence on won accounts, request turnaround and the values asked for outside the
limits, content demand, and the field's notes and objections. Charts where people would
rather look than read, each with its numbers a click away; every panel exports CSV.

The figures are computed off the UI thread (services.insights); the charts come from the
plotting path the meeting pack uses too, and load matplotlib the first time the page is
shown, never at start-up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QDate, QEvent, Qt, Signal
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from satchel.core.domain.changes import Changes
from satchel.core.domain.insights import (
    Filters,
    Insights,
    Period,
    Utilization,
    counted,
    percent,
)
from satchel.core.services import Services
from satchel.core.services.csv_files import write_csv
from satchel.core.services.insights import Colours, counts_chart, new_figure, utilization_chart
from satchel.ui.errors import show_error
from satchel.ui.save_target import ask_save_path
from satchel.ui.tasks import TaskRunner

PERIODS = (("Last 7 days", 7), ("Last 30 days", 30), ("Last 90 days", 90), ("Custom", 0))
FILTERS = (("product", "Every product"), ("kind", "Every kind"),
           ("territory", "Every territory"), ("campaign", "Every campaign"))  # fmt: skip
Rows = list[list[object]]


def palette_colours() -> Colours:
    """The charts' colours from the window's palette: they follow light and dark."""
    palette = QGuiApplication.palette()
    return Colours(text=palette.color(QPalette.ColorRole.WindowText).name(),
                   muted=palette.color(QPalette.ColorRole.PlaceholderText).name(),
                   background=palette.color(QPalette.ColorRole.Base).name(),
                   accent=palette.color(QPalette.ColorRole.Highlight).name())  # fmt: skip


class Panel(QGroupBox):
    """One panel: an optional chart, a table of its numbers, and Export CSV."""

    def __init__(self, title: str, columns: Sequence[str], chart_height: float = 0,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(title, parent)
        self.setObjectName(f"panel{''.join(w.capitalize() for w in title.split())}")
        self.columns = list(columns)
        self.rows: Rows = []
        self.chart_height = chart_height
        self.canvas: Any = None  # a FigureCanvasQTAgg, made on the first draw
        self.note = QLabel()
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, len(self.columns))
        self.table.setHorizontalHeaderLabels(self.columns)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(150)
        self.numbers = QPushButton("Show the &Numbers" if chart_height else "")
        self.numbers.setCheckable(True)
        self.numbers.setVisible(bool(chart_height))
        self.numbers.toggled.connect(self.table.setVisible)
        self.export = QPushButton("Export CSV…")
        self.export.setObjectName(f"{self.objectName()}Export")
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.numbers)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.export)
        self.body = QVBoxLayout(self)
        self.body.addWidget(self.note)
        self.body.addWidget(self.table, 1)
        self.body.addLayout(self.buttons)
        self.table.setVisible(not chart_height)

    def show_rows(self, rows: Rows, note: str = "") -> None:
        self.rows = rows
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.table.setRowCount(len(rows))
        for number, values in enumerate(rows):
            for column, value in enumerate(values):
                item = QTableWidgetItem("" if value is None else str(value))
                if isinstance(value, int | float):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(number, column, item)

    def draw(self, paint: Callable[[Any, Colours], None]) -> None:
        """Draw the chart with `paint(figure, colours)` on this panel's canvas."""
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        colours = palette_colours()
        figure = new_figure(5.2, self.chart_height, colours)
        paint(figure, colours)
        canvas = FigureCanvasQTAgg(figure)
        canvas.setMinimumHeight(int(self.chart_height * 96))
        if self.canvas is not None:
            self.body.replaceWidget(self.canvas, canvas)
            self.canvas.deleteLater()
        else:
            self.body.insertWidget(0, canvas)
        self.canvas = canvas


class InsightsPage(QWidget):
    """`told(str)`: a sentence for the status line after an action."""

    told = Signal(str)

    def __init__(self, services: Services, runner: TaskRunner, unused_days: Callable[[], int],
                 review_days: Callable[[], int], parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("insightsPage")
        self.services, self.runner = services, runner
        self._unused_days, self._review_days = unused_days, review_days
        self.insights: Insights | None = None
        self._asked = Filters()  # the filters of the figures last asked for
        self._weeks: list[tuple[Period, Utilization]] = []
        self._loading = 0
        self.period_box = QComboBox()
        self.period_box.setObjectName("insightsPeriod")
        self.period_box.setAccessibleName("Period")
        for label, days in PERIODS:
            self.period_box.addItem(label, days)
        self.period_box.setCurrentIndex(2)
        today = QDate.currentDate()
        self.first, self.last = QDateEdit(today.addDays(-29)), QDateEdit(today)
        for edit, name in ((self.first, "First day"), (self.last, "Last day")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
            edit.setEnabled(False)
            edit.dateChanged.connect(self.refresh)
        self.period_box.currentIndexChanged.connect(self._period_chosen)
        self.headline = QLabel()
        self.headline.setObjectName("insightsHeadline")
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.headline.setWordWrap(True)
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.headline.setFont(font)
        top = QHBoxLayout()
        top.addWidget(QLabel("Period:"))
        for widget in (self.period_box, self.first, self.last):
            top.addWidget(widget)
        top.addStretch(1)
        self.pack_button = QPushButton("Export &Meeting Pack…")
        self.pack_button.setObjectName("exportPack")
        self.pack_button.setToolTip(
            "The period's insights as a PDF for the sales–marketing meeting"
        )
        self.pack_button.clicked.connect(self.export_pack)
        top.addWidget(self.pack_button)
        self.filter_boxes: dict[str, QComboBox] = {}
        narrowing = QHBoxLayout()
        narrowing.addWidget(QLabel("Of:"))
        for name, every in FILTERS:
            box = QComboBox()
            box.setObjectName(f"insightsFilter{name.capitalize()}")
            box.setAccessibleName(f"Filter by {name}")
            box.addItem(every, "")
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            box.currentIndexChanged.connect(self.refresh)
            self.filter_boxes[name] = box
            narrowing.addWidget(box)
        narrowing.addStretch(1)
        self._choices_loaded = False

        self.utilization = Panel("Collateral used", ("Week", "Used", "Published", "Share"), 2.2)
        self.wastebasket = Panel("Wastebasket", ("Asset", "Owner", "Why", "Since", "Documents"))
        self.top = Panel("Used most", ("Asset", "Uses", "People", "Ratings", "Rating"))
        self.influence = Panel("Influence on won accounts",
                               ("Asset", "Won with", "Accounts with", "Won without",
                                "Accounts without"))  # fmt: skip
        self.requests = Panel("Requests", ("Template", "Field", "Value", "Times", "Where"))
        self.demand = Panel("Content demand", ("Looked for", "People", "Searches", "Requests",
                                               "+1s"))  # fmt: skip
        self.competitors = Panel("Field notes by competitor", ("Competitor", "Notes"), 2.0)
        self.objections = Panel("Objections by tag", ("Tag", "Feedback"), 2.0)
        self.campaigns = Panel("Campaigns coming", ("Campaign", "Launch", "Ready", "Late"))
        self.panels = (self.utilization, self.wastebasket, self.top, self.influence,
                       self.requests, self.demand, self.competitors, self.objections,
                       self.campaigns)  # fmt: skip
        for panel in self.panels:
            panel.export.clicked.connect(lambda _c=False, p=panel: self.export_csv(p))
        self.retire = QPushButton("&Retire")
        self.retire.setObjectName("retireAsset")
        self.review_on = QDateEdit(QDate.currentDate().addDays(90))
        self.review_on.setCalendarPopup(True)
        self.review_on.setDisplayFormat("yyyy-MM-dd")
        self.review_on.setAccessibleName("Review date")
        self.set_review = QPushButton("Set Re&view Date")
        self.set_review.setObjectName("setReviewDate")
        self.ask_owner = QPushButton("As&k Owner")
        self.ask_owner.setObjectName("askOwner")
        self.ask_owner.setToolTip("Copies a note to the asset's owner to the clipboard")
        for position, widget in enumerate((self.retire, self.review_on, self.set_review,
                                           self.ask_owner)):  # fmt: skip
            self.wastebasket.buttons.insertWidget(position, widget)
        self.retire.clicked.connect(self.retire_asset)
        self.set_review.clicked.connect(self.set_review_date)
        self.ask_owner.clicked.connect(self.copy_owner_note)
        self.wastebasket.table.itemSelectionChanged.connect(self._wasted_selected)
        self._wasted_selected()

        grid = QGridLayout()
        for number, panel in enumerate(self.panels):
            grid.addWidget(panel, number // 2, number % 2)
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.addWidget(self.headline)
        content_layout.addLayout(grid)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(top)
        layout.addLayout(narrowing)
        layout.addWidget(scroll, 1)
        runner.changed.connect(self._changed)

    # --- loading ------------------------------------------------------------------

    def period(self) -> Period:
        days = int(self.period_box.currentData())
        if days:
            return Period.last_days(days, self.services.today())
        first, last = self.first.date().toPython(), self.last.date().toPython()
        return Period(min(first, last), max(first, last))  # type: ignore[type-var]

    def filters(self) -> Filters:
        chosen = {name: str(box.currentData() or "") for name, box in self.filter_boxes.items()}
        return Filters(**chosen)

    def _load_choices(self) -> None:
        """The filters' values, read when the page is first shown and after changes."""
        self._choices_loaded = True
        self.runner.query(self.services.insights.filter_choices, self._offer_choices,
                          lambda error: show_error(self, error, None))  # fmt: skip

    def _offer_choices(self, choices: dict[str, list[tuple[str, str]]]) -> None:
        for name, box in self.filter_boxes.items():
            kept = box.currentData()
            box.blockSignals(True)
            while box.count() > 1:
                box.removeItem(1)
            for label, value in choices.get(name, []):
                box.addItem(label, value)
            box.setCurrentIndex(max(0, box.findData(kept)))
            box.blockSignals(False)
        if any(box.currentData() for box in self.filter_boxes.values()) and \
                self.filters() != self._asked:  # fmt: skip
            self.refresh()  # a chosen value is gone (a campaign cancelled): every one again

    def _period_chosen(self) -> None:
        custom = not self.period_box.currentData()
        self.first.setEnabled(custom)
        self.last.setEnabled(custom)
        self.refresh()

    def refresh(self) -> None:
        if not self.isVisible() and self.insights is not None:
            return  # loaded again when shown
        self._loading += 1
        token, period, filters = self._loading, self.period(), self.filters()
        self._asked = filters
        unused, review = self._unused_days(), self._review_days()
        insights = self.services.insights
        self.headline.setText("Working out the figures…")
        self.runner.query(lambda: insights.all(period, unused, review, filters),
                          lambda found: self._show(token, found),
                          lambda error: self._failed(token, error))  # fmt: skip

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._choices_loaded:
            self._load_choices()
        self.refresh()

    def _failed(self, token: int, error: BaseException) -> None:
        if token == self._loading:
            self.headline.setText("The figures could not be worked out.")
            show_error(self, error, None)

    def _show(self, token: int, found: Insights) -> None:
        if token != self._loading:
            return
        weeks = found.weekly
        self.insights = found
        period, turn = found.period, found.turnaround
        self.headline.setText(
            found.utilization.headline(period) + (f" {found.of}." if found.of else "")
        )
        self.utilization.show_rows(
            [[week.words(), use.used, use.published, percent(use.rate)] for week, use in weeks],
            f"{percent(found.utilization.rate)} used over {period.words()}.")  # fmt: skip
        self._weeks = weeks
        self.wastebasket.show_rows(
            [[w.title, w.owner, w.reason, w.since.isoformat() if w.since else "never used",
              w.generated] for w in found.wastebasket],
            f"{counted(len(found.wastebasket), 'asset', 'assets')} unused, stale or expired.")  # fmt: skip
        self._wasted_selected()
        self.top.show_rows([[u.title, u.uses, u.reach, u.ratings,
                             f"{u.rating:.1f}" if u.rating is not None else "—"]
                            for u in found.top_assets])  # fmt: skip
        shown = [f for f in found.influence if f.shown]
        self.influence.show_rows(
            [[f.title, f.won_with, f.decided_with, f.won_without, f.decided_without]
             for f in found.influence],
            (shown[0].words() if shown else "Too few accounts with a recorded outcome to "
             "compare yet (5 a side are needed).") + " A correlation, not a cause.")  # fmt: skip
        hours = "—" if turn.median_hours is None else f"{turn.median_hours:.1f} h"
        suggestions = [c.suggestion(period) for c in found.requested_changes]
        self.requests.show_rows(
            [[c.template, c.field, c.value, c.times,
              ", ".join(f"{place or '—'} {times}" for place, times in c.territories)]
             for c in found.requested_changes],
            "\n".join([f"{turn.decided} decided, median {hours}, first pass "
                       f"{percent(turn.first_pass_rate)}; {turn.waiting} waiting, "
                       f"{turn.overdue} overdue.", *(s for s in suggestions if s)]))  # fmt: skip
        self.demand.show_rows([[d.phrase, d.people, d.searches, d.asks, d.plus_ones]
                               for d in found.demand])  # fmt: skip
        for panel, items in ((self.competitors, found.competitors),
                             (self.objections, found.objections)):  # fmt: skip
            panel.show_rows([[name, count] for name, count in items])
        self.campaigns.show_rows(
            [[c.campaign.name, c.campaign.launch.isoformat(), c.summary(),
              ", ".join(f"{p.title} (due {p.item.due.isoformat() if p.item.due else '?'})"
                        for p in c.late)] for c in found.campaigns],
            "" if found.campaigns else "No launches in the next 90 days.")  # fmt: skip
        self.draw_charts()

    def draw_charts(self) -> None:
        """The charts of the figures shown, in the palette's colours."""
        if self.insights is None:
            return
        weeks, found = self._weeks, self.insights
        self.utilization.draw(lambda figure, colours: utilization_chart(figure, weeks, colours))
        for panel, items, title in ((self.competitors, found.competitors, "Field notes"),
                                    (self.objections, found.objections, "Objections")):  # fmt: skip
            panel.draw(lambda figure, colours, i=items, t=title: counts_chart(figure, i[:8], t,
                                                                              colours))  # fmt: skip

    def changeEvent(self, event: QEvent) -> None:
        """The system switched light/dark: the charts are drawn again in its colours."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.draw_charts()

    def _changed(self, changes: Changes, _initiator: object) -> None:
        """An edit, a decision, feedback or a sync shows at once (usage alone does not:
        every view records one)."""
        touched = (changes.assets_added or changes.assets_changed or changes.assets_removed
                   or changes.feedback or changes.requests or changes.library_replaced)  # fmt: skip
        if changes.feedback or changes.assets_added or changes.assets_changed:
            self._choices_loaded = False  # a campaign, product or kind may be new
            if self.isVisible():
                self._load_choices()
        if self.isVisible() and touched:
            self.refresh()

    # --- acting on the wastebasket --------------------------------------------------

    def _wasted(self) -> Any:
        selected = self.wastebasket.table.selectionModel().selectedRows()
        if not selected or self.insights is None:
            return None
        return self.insights.wastebasket[selected[0].row()]

    def _wasted_selected(self) -> None:
        chosen = self._wasted() is not None
        for widget in (self.retire, self.set_review, self.ask_owner):
            widget.setEnabled(chosen)

    def retire_asset(self) -> None:
        if (wasted := self._wasted()) is not None:
            self._edit(wasted.asset_id, {"status": "retired"},
                       f"“{wasted.title}” is retired: reps no longer see it.")  # fmt: skip

    def set_review_date(self) -> None:
        if (wasted := self._wasted()) is not None:
            day = self.review_on.date().toString("yyyy-MM-dd")
            self._edit(wasted.asset_id, {"review_on": day},
                       f"“{wasted.title}” is to be reviewed on {day}.")  # fmt: skip

    def _edit(self, asset_id: str, changes: dict[str, str], sentence: str) -> None:
        self.runner.mutate(lambda: self.services.assets.update_metadata(asset_id, changes),
                           lambda _done: self.told.emit(sentence),
                           lambda error: show_error(self, error, None))  # fmt: skip

    def copy_owner_note(self) -> None:
        if (wasted := self._wasted()) is not None:
            since = f"since {wasted.since.isoformat()}" if wasted.since else "at all"
            what = {"unused": f"has not been used {since}", "stale": f"was due for review {since}",
                    "expired": f"expired {since}"}[wasted.reason]  # fmt: skip
            QGuiApplication.clipboard().setText(
                f"Hello {wasted.owner or 'there'}, “{wasted.title}” {what}. Keep it, update it "
                "or retire it?")  # fmt: skip
            self.told.emit(f"A note to {wasted.owner or 'the owner'} is on the clipboard.")

    # --- the pack and CSV ------------------------------------------------------------

    def export_pack(self) -> None:
        period = self.period()
        target = ask_save_path(self, "Export Meeting Pack", f"meeting-pack-{period.last}.pdf",
                               "PDF files (*.pdf)")  # fmt: skip
        if target is None:
            return
        unused, review, filters = self._unused_days(), self._review_days(), self.filters()
        self.pack_button.setEnabled(False)
        self.told.emit("Making the meeting pack…")

        def done(pages: int) -> None:
            self.pack_button.setEnabled(True)
            self.told.emit(f"Meeting pack written to {target} ({pages} pages).")

        def failed(error: BaseException) -> None:
            self.pack_button.setEnabled(True)
            show_error(self, error, None)

        self.runner.query(lambda: self.services.insights.pack(period, target, unused, review,
                                                              filters),
                          done, failed)  # fmt: skip

    # --- CSV ------------------------------------------------------------------------

    def export_csv(self, panel: Panel) -> None:
        name = f"{panel.title().lower().replace(' ', '-')}-{dt.date.today().isoformat()}.csv"
        target = ask_save_path(self, "Export CSV", name, "CSV files (*.csv)")
        if target is not None:
            header, rows = panel.columns, [list(row) for row in panel.rows]
            self.runner.query(lambda: write_csv(target, header, rows),
                              lambda count: self.told.emit(f"{count} rows written to {target}."),
                              lambda error: show_error(self, error, None))  # fmt: skip
