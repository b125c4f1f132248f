"""The insights page, driven by keys and clicks on a demo library: marketing opens it
with Ctrl+3 in place of the results, reads the figures and charts, acts on the
wastebasket and exports a panel as CSV; a rep has no such page."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from satchel.core.domain.campaigns import CampaignItem
from satchel.core.domain.usage import UsageAction
from satchel.core.domain.users import Profile, Role
from satchel.ui.insights_page import InsightsPage
from satchel.ui.main_window import MainWindow
from tests.ui.conftest import WindowFactory


def open_page(qtbot: QtBot, window: MainWindow) -> InsightsPage:
    window.show()
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    page = window.insights_page
    assert page is not None
    qtbot.waitUntil(lambda: page.isVisible() and page.insights is not None
                    and window.runner.pending == 0, timeout=20_000)  # fmt: skip
    return page


def marketers_window(make_window: WindowFactory) -> tuple[MainWindow, Profile, Profile]:
    """A marketer's window on the demo, the marketer and one of the reps."""
    window = make_window(Role.MARKETER)
    marketer = window.services.actor
    assert marketer is not None
    rep = next(p for p in window.services.people.list_all() if p.role is Role.REP)
    return window, marketer, rep


def test_marketing_reads_the_figures_and_acts_on_the_wastebasket(
    qtbot: QtBot, make_window: WindowFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window, marketer, rep = marketers_window(make_window)
    services = window.services
    assets = services.assets.list_all()
    services.people.sign_in(rep.id)
    for asset in assets[:3]:
        services.assets.record_usage(asset.id, UsageAction.COPIED)
    services.notes.note("Acme $\\frac{", "30 % off")  # a hostile name: drawn as it is
    services.people.sign_in(marketer.id)
    page = open_page(qtbot, window)
    assert not window.preview.isVisible() and not window.results.isVisible()
    assert page.headline.text().endswith("of your collateral was not used in the last 90 days "
                                         f"({page.insights.utilization.published - 3} of "
                                         f"{page.insights.utilization.published}).")  # fmt: skip
    assert page.utilization.canvas is not None and page.competitors.canvas is not None
    assert page.competitors.table.item(0, 0).text() == "Acme $\\frac{"
    assert not page.competitors.table.isVisible()
    qtbot.mouseClick(page.competitors.numbers, Qt.MouseButton.LeftButton)
    assert page.competitors.table.isVisible()  # the numbers a click away

    # The demo's assets were added months ago and most were never used: the wastebasket.
    wasted = page.insights.wastebasket
    assert wasted and page.wastebasket.table.rowCount() == len(wasted)
    first = wasted[0]
    page.wastebasket.table.selectRow(0)
    page.review_on.setDate(QDate(2027, 6, 30))
    qtbot.mouseClick(page.set_review, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "reviewed on 2027-06-30" in window.statusBar().currentMessage(),
                    timeout=10_000)  # fmt: skip
    assert services.assets.get(first.asset_id).metadata.review_on.isoformat() == "2027-06-30"
    qtbot.waitUntil(lambda: window.runner.pending == 0 and page.insights is not None,
                    timeout=10_000)  # fmt: skip
    page.wastebasket.table.selectRow(0)
    qtbot.mouseClick(page.ask_owner, Qt.MouseButton.LeftButton)
    chosen = page.insights.wastebasket[0]
    assert chosen.title in QGuiApplication.clipboard().text()
    qtbot.mouseClick(page.retire, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "is retired" in window.statusBar().currentMessage(), timeout=10_000)
    assert services.assets.get(chosen.asset_id).metadata.status.value == "retired"

    target = tmp_path / "used.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.waitUntil(lambda: window.runner.pending == 0, timeout=10_000)
    qtbot.mouseClick(page.top.export, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(target.exists, timeout=10_000)
    with target.open(newline="", encoding="utf-8-sig") as read:  # with the BOM Excel needs
        rows = list(csv.reader(read))
    assert rows[0] == ["Asset", "Uses", "People", "Ratings", "Rating"]
    assert sorted(int(row[1]) for row in rows[1:]) == [1, 1, 1]

    pack = tmp_path / "pack.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(pack), ""))
    qtbot.mouseClick(page.pack_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Meeting pack written" in window.statusBar().currentMessage(),
                    timeout=30_000)  # fmt: skip
    assert pack.read_bytes().startswith(b"%PDF") and page.pack_button.isEnabled()

    window.actions.grid.trigger()  # Ctrl+1: back to the results
    assert window.results.isVisible() and window.preview.isVisible() and not page.isVisible()


def test_a_rep_has_no_insights_page(make_window: WindowFactory) -> None:
    window = make_window()
    assert not window.actions.insights.isVisible()
    window.actions.insights.trigger()  # even by its key: the services refuse
    assert window.insights_page is None or not window.insights_page.isVisible()


def test_the_filters_narrow_the_page_and_the_campaigns_panel_shows_readiness(
    qtbot: QtBot, make_window: WindowFactory
) -> None:
    window, marketer, rep = marketers_window(make_window)
    services = window.services
    assets = services.assets.list_all()
    services.people.sign_in(rep.id)
    services.assets.record_usage(assets[0].id, UsageAction.COPIED)
    services.people.sign_in(marketer.id)
    launch = dt.date.today() + dt.timedelta(days=20)
    services.campaigns.save("Dairy push kit", launch, items=[
        CampaignItem(asset_id=assets[0].id), CampaignItem(asset_id=assets[1].id)])  # fmt: skip
    page = open_page(qtbot, window)
    campaign_box = page.filter_boxes["campaign"]
    qtbot.waitUntil(lambda: campaign_box.count() == 2, timeout=10_000)
    assert page.campaigns.table.item(0, 0).text() == "Dairy push kit"
    assert page.campaigns.table.item(0, 2).text() == "2 of 2 ready"
    campaign_box.setCurrentIndex(1)  # the campaign's two assets, one of them used
    qtbot.waitUntil(lambda: window.runner.pending == 0 and page.insights is not None
                    and page.insights.utilization.published == 2, timeout=20_000)  # fmt: skip
    assert page.headline.text() == ("50 % of your collateral was not used in the last 90 days "
                                    "(1 of 2). Campaign Dairy push kit.")  # fmt: skip
    territory = page.filter_boxes["territory"]
    assert rep.territory == "Midwest"
    territory.setCurrentIndex(territory.findText("Midwest"))  # and the rep's territory
    qtbot.waitUntil(lambda: window.runner.pending == 0 and page.insights is not None
                    and page.insights.of == "Territory Midwest, campaign Dairy push kit",
                    timeout=20_000)  # fmt: skip
    assert page.insights.utilization.used == 1  # the rep's copy
    campaign_box.setCurrentIndex(0)
    territory.setCurrentIndex(0)
    qtbot.waitUntil(lambda: window.runner.pending == 0 and page.insights is not None
                    and page.insights.utilization.published > 2, timeout=20_000)  # fmt: skip
    assert page.insights.of == ""
