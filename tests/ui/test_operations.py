"""The UI's operation helpers over a real library, with a runner that runs each task at
once on the test's thread: no threads to wait for, the results already delivered."""

from __future__ import annotations

from pathlib import Path

import pytest

from satchel.core.domain.search import SearchResults
from satchel.ui.facet_model import FacetModel
from satchel.ui.results_model import ResultsModel
from satchel.ui.search_controller import SearchController
from satchel.ui.tasks import InlineTaskRunner
from tests.conftest import open_as


@pytest.mark.usefixtures("qapp")  # the controller's timers need an application
def test_a_search_is_delivered_and_a_settled_miss_is_logged_once(demo_dir: Path) -> None:
    with open_as(demo_dir, "rep") as services:
        runner = InlineTaskRunner()
        controller = SearchController(services, runner, ResultsModel(), FacetModel(), 0)
        shown: list[SearchResults] = []
        controller.finished.connect(shown.append)

        controller.update(text="gateway")
        assert [r.query for r in shown] == ["gateway"] and shown[0].total > 0
        assert controller.results.rowCount() == shown[0].total

        controller.update(text="quantum blockchain")  # nothing: as typed, then as words
        assert shown[-1].total == 0 and runner.pending == 0
        controller._settled()  # the person paused on it
        controller._settled()  # a second timer firing does not log it again
        services.people.sign_in("mara.lindqvist@kestrel-systems.example")
        logged = [q for q, _, _ in services.search.low_result_searches()]
        assert logged.count("quantum blockchain") == 1
