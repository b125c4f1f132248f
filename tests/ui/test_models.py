"""Every Qt model passes qtmodeltester, filled from a real search."""

from __future__ import annotations

from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from satchel.ui.facet_model import FacetModel
from satchel.ui.results_model import PAGE_SIZE, ResultsModel
from tests.ui.conftest import WindowFactory, wait_idle


def test_results_model(
    qtmodeltester: ModelTester, qtbot: QtBot, make_window: WindowFactory
) -> None:
    window = make_window()
    qtmodeltester.check(window.results_model)
    window.search_box.setText("gateway")
    wait_idle(qtbot, window)
    qtmodeltester.check(window.results_model)


def test_results_model_fetches_pages_lazily(qtmodeltester: ModelTester, qtbot: QtBot,
                                            make_window: WindowFactory) -> None:  # fmt: skip
    window = make_window()
    hits = window.search.last.hits  # type: ignore[union-attr]
    model = ResultsModel()
    asked: list[int] = []
    model.page_needed.connect(asked.append)
    generation = model.reset(PAGE_SIZE * 3 + 5, hits[:PAGE_SIZE])
    qtmodeltester.check(model)
    assert model.rowCount() == PAGE_SIZE * 3 + 5
    assert model.index(PAGE_SIZE * 2 + 1, 0).data() == "…"
    assert asked == [3]
    model.add_page(generation, 3, hits[:5])
    assert model.index(PAGE_SIZE * 2 + 1, 0).data() == hits[1].title
    model.add_page(generation - 1, 4, hits[:5])  # an answer to an older search is ignored
    assert model.index(PAGE_SIZE * 3 + 1, 0).data() == "…"
    qtmodeltester.check(model)


def test_facet_model(qtmodeltester: ModelTester, qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window()
    qtmodeltester.check(window.facet_model)
    model = FacetModel()
    model.set_counts(window.search.last.facets)  # type: ignore[union-attr]
    qtmodeltester.check(model)
    model.selected = {"language": ("de",)}
    model.set_counts({"kind": (("brochure", 3),)})  # the chosen value stays, at zero
    qtmodeltester.check(model)
    assert model.rowCount() == 2
