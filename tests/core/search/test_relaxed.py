"""Queries as people type them: stop words are not required, and when every word together
finds less than a page, the assets that match most of the words follow, each saying which
words it lacks. Phrases, filters and exclusions are never relaxed. On the demo library."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from satchel.cli.main import main
from satchel.core.domain.search import SearchResults
from satchel.core.services import Services
from tests.conftest import DEMO_USERS, copy_library, open_as


@pytest.fixture(scope="module")
def demo(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    with open_as(copy_library(demo_template, tmp_path_factory.mktemp("relaxed")), "rep") as opened:
        yield opened


def titles(results: SearchResults) -> list[str]:
    return [hit.title for hit in results.hits]


def test_stop_words_are_not_required(demo: Services) -> None:
    keywords = demo.search.find("edge gateway datasheet")
    asked = demo.search.find("datasheet for the edge gateway")
    assert [h.id for h in asked.hits] == [h.id for h in keywords.hits]
    assert asked.hits[0].title == "Atlas X-200 Datasheet" and not asked.hits[0].unmatched
    assert all(not {"for", "the"} & set(hit.unmatched) for hit in asked.hits)


def test_a_natural_question_finds_the_case_study(demo: Services) -> None:
    results = demo.search.find("case study about reducing downtime in food plants")
    assert results.relaxed and results.total > 1
    first = results.hits[0]
    assert first.title.startswith("How Harlow Foods cut unplanned downtime")
    assert first.unmatched == ("reducing",)  # it says "cut"
    assert results.unmatched == ("reducing",)  # no hit on the page has it
    assert all(len(h.unmatched) >= len(first.unmatched) for h in results.hits)


def test_a_full_match_is_never_behind_the_relaxed_ones_it_beat(demo: Services) -> None:
    strict = demo.search.find("gateway datasheet", page_size=3)  # a full page: not relaxed
    relaxed = demo.search.find("gateway datasheet")
    assert not strict.relaxed and relaxed.relaxed and relaxed.total > strict.total
    assert relaxed.hits[0].title == strict.hits[0].title and not relaxed.hits[0].unmatched
    complete = {h.id for h in relaxed.hits if not h.unmatched}
    assert complete == {h.id for h in demo.search.find("gateway datasheet", page_size=50).hits
                        if not h.unmatched}  # fmt: skip
    assert len(complete) == demo.search.find("gateway datasheet", page_size=3).total


def test_only_stop_words_are_required_then(demo: Services) -> None:
    for text in ("the", "for the"):
        results = demo.search.find(text)
        assert results.total > 0 and not results.relaxed


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        ('"edge gateway" quantumflux', '"edge gateway"'),  # a phrase stays required
        ("gateway quantumflux product:beacon", "product:beacon"),  # a filter stays
        ("datasheet quantumflux -atlas", "datasheet -atlas"),  # an exclusion stays
        ("title:datasheet quantumflux", "title:datasheet"),  # a named field stays
    ],
)
def test_phrases_filters_exclusions_and_fields_are_never_relaxed(
    demo: Services, query: str, kept: str
) -> None:
    relaxed = demo.search.find(query, page_size=50)
    allowed = {h.id for h in demo.search.find(kept, page_size=50).hits}
    assert relaxed.hits and relaxed.unmatched == ("quantumflux",)
    assert {h.id for h in relaxed.hits} <= allowed


def test_a_filter_alone_never_stands_in_for_the_words(demo: Services) -> None:
    """One word among German assets is that word, not every German asset."""
    strict = demo.search.find("gateway", filters={"language": "de"}, page_size=50)
    assert not strict.relaxed and 0 < strict.total < 20
    assert strict.total == demo.search.find("gateway language:de", page_size=50).total
    two = demo.search.find("gateway quantumflux product:atlas", page_size=50)
    assert all(hit.unmatched == ("quantumflux",) for hit in two.hits)


def test_values_of_one_facet_or_together(demo: Services) -> None:
    either = demo.search.find("sensor", filters={"language": ("de", "es")}, page_size=50)
    one = [demo.search.find("sensor", filters={"language": v}).total for v in ("de", "es")]
    assert either.total == sum(one) and all(one)
    assert either.total == demo.search.find("sensor language:de language:es").total
    # The chosen facet still counts every language; the others count what is listed.
    languages = dict(either.facets["language"])
    assert languages["en"] > 0 and languages["de"] == one[0] and languages["es"] == one[1]
    assert sum(dict(either.facets["kind"]).values()) == either.total


def test_as_you_type_is_never_relaxed(demo: Services) -> None:
    typed = demo.search.find("gateway datasheet quantumflux cas", as_you_type=True)
    assert not typed.relaxed and typed.total == 0


def test_search_json_says_relaxed_and_unmatched(
    demo_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["--library", str(demo_dir), "--user", DEMO_USERS["rep"],
                 "search", "--json", "case", "study", "about", "downtime", "in", "breweries"])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0, captured.err
    out = json.loads(captured.out)
    assert code == 0 and out["relaxed"] is True
    assert out["results"] and all(isinstance(r["unmatched"], list) for r in out["results"])
    assert "in" not in {w for r in out["results"] for w in r["unmatched"]}


def test_a_page_big_enough_holds_every_relaxed_match(demo: Services) -> None:
    """Scores stay positive where the index still counts replaced versions of assets in
    a word's frequency: every match ranks, none falls off the page."""
    results = demo.search.find("beacon datasheet", page_size=100)
    assert results.relaxed and results.total > 20
    assert len(results.hits) == results.total
    assert all(hit.score > 0 for hit in results.hits)
