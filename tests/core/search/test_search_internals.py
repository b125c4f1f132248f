"""Our replacements for parts of Whoosh give Whoosh's answers: common-word pairs,
skipping within a block, sorted runs written in chunks, blocks pickled anew."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from whoosh import index as windex
from whoosh import query as wq
from whoosh.fields import ID, TEXT, Schema

from satchel.core.search import pairs
from satchel.core.search.analysis import text_analyzer
from satchel.core.search.index import IndexDoc, SearchIndex
from satchel.core.search.phrase import Phrase, PhraseMatcher
from satchel.core.search.query import parse
from satchel.core.search.schema import build_schema

# Five words nearly every document has, two that few have (so phrases mix both kinds),
# among many others, as in real text.
COMMON = ["north", "gateway", "edge", "sensor", "plant"]
RARE = ["quokka", "zephyr"]
OTHERS = [f"word{n}" for n in range(400)]


def _texts(count: int, seed: int = 3, others: bool = True) -> list[str]:
    rng = random.Random(seed)
    words = COMMON + RARE + (OTHERS if others else [])
    weights = [60] * len(COMMON) + [2] * len(RARE) + [1] * (len(words) - len(COMMON) - len(RARE))
    return [" ".join(rng.choices(words, weights, k=rng.randint(5, 60))) for _ in range(count)]


def test_common_words_are_those_most_documents_have() -> None:
    texts = _texts(400)
    assert pairs.choose_common(texts) == frozenset(["north", "gateway", "edg", "sensor", "plant"])
    assert pairs.choose_common(texts[: pairs.MIN_SAMPLE - 1]) == frozenset()  # too few to tell


def test_text_of_few_words_gets_fewer_common_words() -> None:
    """Made of the seven words only, text pairs nearly everything: pairing all five
    common words would add more postings than the budget allows."""
    few = _texts(400, others=False)
    chosen = pairs.choose_common(few)
    assert 0 < len(chosen) < len(COMMON)
    assert chosen < pairs.choose_common(_texts(400))  # the most frequent ones are kept


def test_pairs_are_adjacent_common_words_as_the_content_field_indexes_them() -> None:
    tokenizer = pairs.PairTokenizer(["predict", "mainten", "plan"])
    found = tokenizer.pairs("Predictive maintenance planning; maintenance, then 東京 planning")
    # Punctuation does not part words (nor does it for positions); "then" and "東京" do.
    assert found == ["predict mainten", "mainten plan", "plan mainten"]
    assert tokenizer.pairs("maintenance quokka planning") == []


@pytest.mark.parametrize("with_pairs", [False, True], ids=["positions", "pairs"])
def test_phrases_find_what_whooshs_own_phrase_query_finds(tmp_path: Path, with_pairs: bool) -> None:
    """Our phrase matcher against Whoosh's span-based Phrase, over documents made of a
    few words so that repeats, reversed orders and near misses are common; with pairs,
    a two-word phrase of common words is its pair's term."""
    texts = _texts(300)
    common = pairs.choose_common(texts) if with_pairs else frozenset()
    assert len(common) == (5 if with_pairs else 0)
    schema = Schema(id=ID(stored=True), content=TEXT(analyzer=text_analyzer(), phrase=True),
                    pairs=build_schema(common)[pairs.FIELD])  # fmt: skip
    ix = windex.create_in(str(tmp_path), schema)
    writer = ix.writer()
    for number, text in enumerate(texts):
        writer.add_document(id=str(number), content=text, pairs=text)
    writer.commit()
    rng = random.Random(5)
    analysed = [next(iter(text_analyzer()(w))).text for w in COMMON + RARE]
    with ix.searcher() as searcher:
        compared = paired = 0
        for _ in range(80):
            phrase = rng.choices(analysed, [6] * len(COMMON) + [1] * len(RARE), k=rng.randint(2, 4))
            ours = {hit["id"] for hit in searcher.search(Phrase("content", phrase), limit=None)}
            theirs = {
                hit["id"] for hit in searcher.search(wq.Phrase("content", phrase), limit=None)
            }
            assert ours == theirs, phrase
            compared += bool(theirs)
            matcher = Phrase("content", phrase).matcher(searcher)
            if len(phrase) == 2 and set(phrase) <= common:
                paired += 1
                assert matcher.term() == (pairs.FIELD, f"{phrase[0]} {phrase[1]}".encode())
            elif isinstance(matcher, PhraseMatcher):
                paired += bool(matcher._pair_leaves)
        assert compared > 25  # most phrases were found somewhere, not just agreed on nothing
        assert (paired > 25) == with_pairs


def _docs(texts: list[str]) -> list[IndexDoc]:
    return [
        IndexDoc(id=f"doc-{n:04d}", title=f"Sheet {n}", summary="", tags=(), body=text,
                 opening="", facets={}, updated=dt.datetime(2026, 1, 1), expires=None)
        for n, text in enumerate(texts)
    ]  # fmt: skip


def test_the_index_keeps_its_common_words_and_pairs_edits(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    docs = _docs(_texts(300))
    assert index.rebuild(docs, "s")
    common = index._search().schema[pairs.FIELD].analyzer.common
    assert "gateway" in common and "quokka" not in common

    def phrase(index: SearchIndex, text: str) -> set[str]:
        return set(index.search(parse(f'"{text}"'), page_size=1000).ids)

    expected = {d.id for d in docs if "plant sensor" in d.body}
    assert expected and phrase(index, "plant sensor") == expected
    # An edit is paired with the same words (the schema comes back from the index).
    index.update(_docs(["zephyr plant sensor", "sensor plant"]))  # doc-0000, doc-0001
    expected = (expected | {"doc-0000"}) - {"doc-0001"}
    assert phrase(index, "plant sensor") == expected
    index.close()
    reopened = SearchIndex(tmp_path / "index")
    assert reopened._search().schema[pairs.FIELD].analyzer.common == common
    assert phrase(reopened, "plant sensor") == expected
    reopened.close()


def test_skipping_lands_where_stepping_would(tmp_path: Path) -> None:
    rng = random.Random(7)
    ix = windex.create_in(str(tmp_path), Schema(body=TEXT(analyzer=text_analyzer())))
    writer = ix.writer()
    having = []
    for number in range(3000):  # postings over many blocks of 128
        has = rng.random() < 0.4
        having += [number] * has
        writer.add_document(body="gateway" if has else "plant")
    writer.commit()
    with ix.searcher() as searcher:
        for _ in range(200):
            matcher = wq.Term("body", "gateway").matcher(searcher)
            target = 0
            while True:
                target += rng.randint(1, 300)
                expected = next((d for d in having if d >= target), None)
                if expected is None:
                    break
                matcher.skip_to(target)
                assert matcher.id() == expected
            matcher.skip_to(3000)
            assert not matcher.is_active()


def test_an_index_written_in_spilled_runs_and_old_blocks_answers_the_same(
    tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Postings spilled to runs (a tiny memory limit) and blocks pickled the way Whoosh
    writes them read back exactly as an index written all in memory."""
    from whoosh import compat
    from whoosh.codec import whoosh3

    texts = _texts(400, seed=11)

    def build(folder: Path, limit: int) -> tuple[dict[str, list[tuple[str, float]]], int]:
        folder.mkdir()
        ix = windex.create_in(str(folder), Schema(id=ID(stored=True),
                              content=TEXT(analyzer=text_analyzer(), phrase=True)))  # fmt: skip
        writer = ix.writer()
        writer.pool.limit = limit  # bytes of postings held before a run is written
        for number, text in enumerate(texts):
            writer.add_document(id=str(number), content=text)
        runs = len(writer.pool.runs)
        writer.commit()
        with ix.searcher() as searcher:
            answers = {
                q: [(h["id"], round(h.score, 6)) for h in searcher.search(query, limit=None)]
                for q, query in (("north gateway", Phrase("content", ["north", "gateway"])),
                                 ("edg sensor plant", Phrase("content", ["edg", "sensor", "plant"])),
                                 ("quokka", wq.Term("content", "quokka")))
            }  # fmt: skip
        return answers, runs

    in_memory, runs = build(tmp_path / "memory", 256 * 2**20)
    assert runs == 0 and all(in_memory.values())
    spilled, runs = build(tmp_path / "spilled", 100_000)
    assert runs > 1 and spilled == in_memory
    monkeypatch.setattr(whoosh3, "dumps", compat.dumps)  # Whoosh's own protocol-2 blocks
    assert build(tmp_path / "old", 256 * 2**20)[0] == in_memory
