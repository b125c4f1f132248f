"""Search over a real Whoosh index built from a real library."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from satchel.core.domain.users import Role
from satchel.core.services import Services
from tests.helpers.library import build


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Services, dict[str, str]]]:
    root = tmp_path_factory.mktemp("search")
    services, ids = build(root / "library", root / "sources")
    yield services, ids
    services.close()


def found(library: tuple[Services, dict[str, str]], query: str, **options: object) -> list[str]:
    services, ids = library
    names = {v: k for k, v in ids.items()}
    return [names[h.id] for h in services.search.find(query, **options).hits]  # type: ignore[arg-type]


def test_words_are_anded_and_ranked_title_first(library) -> None:  # type: ignore[no-untyped-def]
    assert found(library, "edge gateway")[0] == "atlas"
    assert set(found(library, "vibration battery", page_size=1)) == {"beacon"}
    # No asset has both: the relaxed search shows those with one, each saying which not.
    services, _ids = library
    results = services.search.find("vibration hospital")
    assert results.relaxed and results.hits
    assert all(len(hit.unmatched) == 1 for hit in results.hits)
    assert set(found(library, "vibration hospital")) == {"beacon", "hospital"}


def test_phrase_or_and_exclusion(library) -> None:  # type: ignore[no-untyped-def]
    assert set(found(library, '"edge gateway"')) == {"atlas"}  # not "gateway at the edge"
    # Tags keep no word positions: a quoted phrase there means its words, in any order.
    assert found(library, 'tags:"gateway edge"') == ["atlas"]
    assert set(found(library, "brauerei OR hospital")) == {"brewery", "hospital"}
    assert "hospital" not in found(library, "gateway -hospital")
    assert "hospital" in found(library, "gateway")


def test_field_filters_and_dates(library) -> None:  # type: ignore[no-untyped-def]
    assert set(found(library, "product:atlas")) == {"atlas", "brewery"}
    assert set(found(library, 'kind:"case study"')) == {"brewery", "hospital", "tokyo"}
    assert set(found(library, 'kind:"case study" product:cirrus')) == {"hospital"}
    assert found(library, "expires:2027-12") == ["prices"]
    assert found(library, "expires:..2026-01-01") == []  # the expired one stays hidden
    assert found(library, "title:brochure") == ["atlas"]


def test_normalisation(library) -> None:  # type: ignore[no-untyped-def]
    assert found(library, "Uberblick") == ["brewery"]
    assert found(library, "resume") == ["brewery"]
    assert found(library, "RÉSUMÉ") == ["brewery"]
    assert found(library, "gateways")[0] == "atlas"  # stemming
    assert found(library, "X-200") == ["atlas"]
    assert found(library, "x-200") == ["atlas"]
    assert found(library, "物流") == ["tokyo"]  # CJK substring of the title
    assert found(library, "センター") == ["tokyo"]
    assert found(library, "日本") == ["tokyo"]  # CJK tag


@pytest.mark.parametrize(
    "query",
    ["(((", '"unclosed', "AND", "OR", "*", "x" * 5000, "gate\x00way\x1b[31m", "-", ":", "kind:",
     '""', "updated:notadate", "a" * 60 + " b", "\u202e\u200b", "title:(", "-(-(-(", "+++",
     'tags:"two words"', 'summary:"no positions here"'],
)  # fmt: skip
def test_malformed_queries_never_raise(library, query: str) -> None:  # type: ignore[no-untyped-def]
    services, _ = library
    results = services.search.find(query)
    assert results.total >= 0
    services.search.find(query, as_you_type=True)


def test_as_you_type_treats_the_last_word_as_a_prefix(library) -> None:  # type: ignore[no-untyped-def]
    services, _ = library
    assert found(library, "vib", as_you_type=True) == ["beacon"]
    assert "atlas" in found(library, "edge gate", as_you_type=True)
    assert "beacon" not in found(library, "vib ", as_you_type=True)  # a space ends the word
    assert "beacon" not in found(library, "vib")  # not a prefix outside as-you-type
    hit = services.search.find("vibr", as_you_type=True).hits[0]
    assert hit.snippet[hit.marks[0][0] : hit.marks[0][1]].lower().startswith("vibr")


def test_typos_get_results_and_a_suggestion(library) -> None:  # type: ignore[no-untyped-def]
    services, _ = library
    results = services.search.find("brochre")
    assert results.fuzzy and results.suggestion == "brochure"
    assert [h.title for h in results.hits][:1] == ["Atlas X-200 edge gateway brochure"]
    assert services.search.find("vibraton sensors").suggestion == "vibration sensors"
    assert services.search.find("gateway").suggestion is None


def test_snippets_name_the_page_and_mark_the_words(library) -> None:  # type: ignore[no-untyped-def]
    services, _ = library
    (hit,) = services.search.find("buffers").hits
    assert hit.page == 3
    marked = [hit.snippet[s:e] for s, e in hit.marks]
    assert marked == ["buffers"]
    title_only = services.search.find("brochure").hits[0]
    assert title_only.snippet  # no body match: the start of the text


def test_facets_sorting_and_pages(library) -> None:  # type: ignore[no-untyped-def]
    services, _ = library
    results = services.search.find("gateway")
    facets = dict(results.facets["kind"])
    assert facets == {"brochure": 1, "case study": 1}
    assert dict(results.facets["product"]) == {"Atlas": 1, "Cirrus": 1}
    titles = [
        h.title for h in services.search.find("gateway OR sensor OR price", sort="title").hits
    ]
    assert titles == sorted(titles, key=str.casefold)
    first = services.search.find("gateway OR sensor OR price", page_size=2, page=1)
    second = services.search.find("gateway OR sensor OR price", page_size=2, page=2)
    assert first.total == second.total == 4
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}


def test_retired_and_expired_are_hidden_unless_asked(library) -> None:  # type: ignore[no-untyped-def]
    assert not {"old", "expired"} & set(found(library, "flyer OR promo"))
    assert {"old", "expired"} <= set(found(library, "flyer OR promo", include_hidden=True))
    assert found(library, "status:retired") == ["old"]


def test_low_result_searches_are_recorded_only_when_asked(library) -> None:  # type: ignore[no-untyped-def]
    services, _ = library
    user, _ = services.people.add("Riley Rep", "riley@example.com", Role.REP)
    owner = services.actor
    services.people.sign_in(user.id)  # the search log names whoever searched
    found = services.search.find("quantum blockchain")  # a read: it writes nothing
    services.search.find("quantu", as_you_type=True)
    services.people.sign_in(owner.id)  # reading others' searches is for marketers and admins
    assert services.search.low_result_searches() == []
    services.people.sign_in(user.id)
    assert services.search.record_low_result("quantum blockchain", found.total).search_log
    assert not services.search.record_low_result("flyer", 3).any  # found enough
    services.people.sign_in(owner.id)
    assert services.search.low_result_searches() == [("quantum blockchain", 0, user.id)]
