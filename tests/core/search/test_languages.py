"""Each asset's words are stemmed in its own language (English, German, Spanish, by the
Snowball project's stemmers), and a query in the languages the library holds: a German
plural finds the singular in German text, a Spanish one in Spanish text, and an English
query is not given German stems. Real PDFs imported into a real library and index."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from whoosh import query as wq

from satchel.core.search import bm25
from satchel.core.search.query import parse
from satchel.core.search.stopwords import query_languages
from satchel.core.services import Services
from tests.conftest import TEST_LIMITS, open_as
from tests.helpers.files import pdf_of_pages, write

GERMAN = [
    "Wartungsvertrag für Ihre Anlagen: wir prüfen jede Maschine zweimal im Jahr.",
    "Der Vertrag gilt für alle Standorte und wird jährlich verlängert.",
    "Die neuen Moden der Fertigung verlangen eine schnelle Wartung.",
]
SPANISH = [
    "Nuestra solución para el mantenimiento de las plantas de producción.",
    "La solución funciona con todas las máquinas de la fábrica y sus sensores.",
]
ENGLISH = [
    "Modern maintenance contracts for every plant and every machine on the line.",
    "The contract covers all sites and renews every year.",
]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    folder = tmp_path_factory.mktemp("languages")
    files = folder / "files"
    files.mkdir()
    for name, pages in (("wartung", GERMAN), ("solucion", SPANISH), ("contracts", ENGLISH)):
        write(files / f"{name}.pdf", pdf_of_pages(pages, title=name))
    with open_as(folder / "library", create=True, limits=TEST_LIMITS, workers=2) as services:
        services.assets.import_paths([files], {"status": "published"})
        yield services


def found(services: Services, text: str) -> list[str]:
    return [hit.title for hit in services.search.find(text).hits]


def test_each_asset_has_the_language_detected_at_import(library: Services) -> None:
    languages = {a.metadata.title: a.metadata.language for a in library.assets.list_all()}
    assert languages == {"wartung": "de", "solucion": "es", "contracts": "en"}


def test_a_german_plural_finds_the_singular_in_german_text(library: Services) -> None:
    assert found(library, "Wartungsverträge") == ["wartung"]
    assert found(library, "Verträgen") == ["wartung"]  # German endings, not English ones


def test_a_spanish_plural_finds_the_singular_in_spanish_text(library: Services) -> None:
    assert found(library, "soluciones") == ["solucion"]


def test_an_english_query_gets_no_german_stems(library: Services) -> None:
    # German stems "modern" and "Moden" alike (mod); an English query keeps "modern".
    assert found(library, "the modern contracts")[0] == "contracts"
    assert "wartung" not in found(library, "the modern contracts")
    # With nothing saying which language, English stems alone: every asset holds them.
    assert [(c.words, c.language) for c in parse("modern", languages=("en", "de")).groups[0]] == [
        (["modern"], "en")
    ]
    assert found(library, "modern") == ["contracts"]


def test_a_german_query_gets_english_stems_beside_its_own(library: Services) -> None:
    parsed = parse("für Maschinen", languages=("en", "de", "es"))
    machines = parsed.groups[1]
    assert [(c.words, c.language, c.added) for c in machines] == [
        (["maschin"], "de", False),
        (["maschinen"], "en", True),
    ]
    assert found(library, "für Maschinen") == ["wartung"]  # "Maschine" on its first page


def test_a_word_alone_is_stemmed_in_english_which_every_asset_holds(library: Services) -> None:
    # Nothing says "Anlagen" is German: its English stem (anlagen) is looked up, and the
    # German asset holds it beside its German one (anlag).
    assert found(library, "Anlagen") == ["wartung"]


def test_accents_still_fold(library: Services) -> None:
    assert found(library, "solucion") == found(library, "solución") == ["solucion"]


@pytest.mark.parametrize(
    ("text", "languages"),
    [
        ("datasheet for the edge gateway", ("en",)),
        ("Wartungsvertrag für Maschinen", ("de", "en")),
        ("Überblick", ("de", "en")),  # a letter only German writes
        ("soluciones para la industria", ("es", "en")),
        ("gateway", ("en",)),  # no evidence: English, whose stems every asset holds
    ],
)
def test_a_query_is_stemmed_in_the_languages_it_may_be_in(
    text: str, languages: tuple[str, ...]
) -> None:
    assert query_languages(text, ("de", "en", "es")) == languages


def test_a_library_in_one_language_stems_queries_in_it_alone() -> None:
    assert query_languages("für die Wartung", ("en",)) == ("en",)
    assert query_languages("anything", ()) == ("en",)
    assert query_languages("anything", ("de", "es")) == ("de", "es")  # no English to fall back on


def test_the_relaxed_scores_are_the_ranking_scores(library: Services) -> None:
    """The block-at-a-time BM25 of the relaxed search equals Whoosh's with the same idf,
    so a relaxed page ranks as the search of every word does."""
    index = library.search._ctx.keeper().index
    searcher = index._search()
    ours = bm25.term_scores(searcher, "content", "contract")
    assert ours, "the English asset holds the word"
    theirs = {hit.docnum: hit.score for hit in searcher.search(wq.Term("content", "contract"))}
    assert ours.keys() == theirs.keys()
    assert all(abs(ours[d] - theirs[d]) < 1e-4 * max(1.0, theirs[d]) for d in ours)


def test_a_word_only_the_page_text_holds_is_not_corrected(library: Services) -> None:
    """The "did you mean" vocabulary is titles and openings; a word further in is no typo."""
    results = library.search.find("renews")
    assert results.hits and not results.fuzzy and results.suggestion is None
