"""Ranking quality on the CISI test collection: Satchel's search service against plain
BM25 (SQLite FTS5, porter stemmer, OR between the words) over the same texts, in the
same run.

CISI (../shared/relevance/cisi): 1,460 abstracts on library and information science,
natural-language queries, binary judgements for 76 of them. Each abstract becomes a
one-page PDF (title and abstract) imported like any file; the peer indexes the same
title and abstract text. Figures: nDCG@10, P@10 and MAP@100 over the judged queries.

Run alone with `python -m bench.relevance`; `make bench` includes it when the collection
is there.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.tables import table
from satchel.core.domain.users import Role
from satchel.core.search import analysis as search_analysis
from satchel.core.search import bm25 as search_bm25
from satchel.core.search import index as search_index
from satchel.core.search import pairs as search_pairs
from satchel.core.search import query as search_query
from satchel.core.search import relax as search_relax
from satchel.core.search import signals as search_signals
from satchel.core.services import Services

COLLECTION = (
    Path(
        os.environ.get(
            "SATCHEL_RELEVANCE", Path(__file__).resolve().parents[2] / "shared" / "relevance"
        )
    )
    / "cisi"
)
DEPTH = 100  # results asked for per query (MAP@100)


@dataclass(frozen=True)
class Document:
    id: int
    title: str
    abstract: str


def _records(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    """`.I n` records with their `.X` fields (`.T`, `.W`, …) as text."""
    for block in re.split(r"^\.I\s+", text, flags=re.M)[1:]:
        number, _, rest = block.partition("\n")
        fields: dict[str, str] = {}
        current = None
        for line in rest.splitlines():
            if re.match(r"^\.[A-Z]\s*$", line):
                current = line.strip()[1]
                fields[current] = ""
            elif current:
                fields[current] += line.strip() + " "
        yield int(number.strip()), {k: v.strip() for k, v in fields.items()}


def load(folder: Path = COLLECTION) -> tuple[list[Document], dict[int, str], dict[int, set[int]]]:
    """The documents, the judged queries' texts, and each query's relevant documents."""
    read = lambda name: (folder / name).read_text(encoding="latin-1")  # noqa: E731
    documents = [Document(i, f.get("T", ""), f.get("W", "")) for i, f in _records(read("CISI.ALL"))]
    relevant: dict[int, set[int]] = {}
    for line in read("CISI.REL").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            relevant.setdefault(int(parts[0]), set()).add(int(parts[1]))
    queries = {i: f.get("W", "") for i, f in _records(read("CISI.QRY")) if i in relevant}
    return documents, queries, relevant


# --- measures ------------------------------------------------------------------------


def ndcg(ranked: list[int], relevant: set[int], k: int = 10) -> float:
    gain = sum(1 / math.log2(rank + 2) for rank, doc in enumerate(ranked[:k]) if doc in relevant)
    ideal = sum(1 / math.log2(rank + 2) for rank in range(min(k, len(relevant))))
    return gain / ideal if ideal else 0.0


def precision(ranked: list[int], relevant: set[int], k: int = 10) -> float:
    return sum(1 for doc in ranked[:k] if doc in relevant) / k


def average_precision(ranked: list[int], relevant: set[int], k: int = DEPTH) -> float:
    found, total = 0, 0.0
    for rank, doc in enumerate(ranked[:k], start=1):
        if doc in relevant:
            found += 1
            total += found / rank
    return total / len(relevant) if relevant else 0.0


def score(search: Callable[[str], list[int]], queries: dict[int, str],
          relevant: dict[int, set[int]]) -> dict[str, float]:  # fmt: skip
    rows = {"ndcg10": [], "p10": [], "map100": [], "empty": [], "ms": []}  # type: dict[str, list[float]]
    for number, text in queries.items():
        started = time.perf_counter()
        ranked = search(text)
        rows["ms"].append((time.perf_counter() - started) * 1000)
        rows["ndcg10"].append(ndcg(ranked, relevant[number]))
        rows["p10"].append(precision(ranked, relevant[number]))
        rows["map100"].append(average_precision(ranked, relevant[number]))
        rows["empty"].append(0.0 if ranked else 1.0)
    result = {name: statistics.fmean(values) for name, values in rows.items()}
    result["empty"] = sum(rows["empty"])
    result["ms"] = statistics.median(rows["ms"])
    return result


# --- the two engines -----------------------------------------------------------------


def _pdf(document: Document, path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    story = [Paragraph(_escape(document.title), styles["Title"]),
             Paragraph(_escape(document.abstract), styles["BodyText"])]  # fmt: skip
    SimpleDocTemplate(str(path), pagesize=A4, title=document.title).build(story)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@contextmanager
def satchel_library(
    documents: list[Document], folder: Path
) -> Iterator[tuple[Services, dict[str, int]]]:
    """A library of the documents as PDFs, and asset id → CISI document id."""
    files = folder / "pdf"
    files.mkdir()
    by_hash: dict[str, int] = {}
    for document in documents:
        path = files / f"cisi-{document.id:04d}.pdf"
        _pdf(document, path)
        by_hash[hashlib.sha256(path.read_bytes()).hexdigest()] = document.id
    with Services.open(folder / "library", create=True, workers=2) as services:
        services.people.acting_user(None, Role.ADMIN, "bench")
        services.assets.import_paths([files], {"status": "published"})
        ids = {a.id: by_hash[a.sha256] for a in services.assets.list_all()}
        services.search.reindex()  # a settled index, as after `satchel reindex`
        services.search.find("warm up")
        yield services, ids


class Bm25Peer:
    """Plain BM25 in SQLite FTS5: porter stemming, diacritics folded, OR of the words."""

    def __init__(self, documents: list[Document]) -> None:
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE fts USING fts5(title, body, "
                        "tokenize = 'porter unicode61 remove_diacritics 2')")  # fmt: skip
        self.db.executemany("INSERT INTO fts(rowid, title, body) VALUES (?, ?, ?)",
                            [(d.id, d.title, d.abstract) for d in documents])  # fmt: skip

    def search(self, text: str) -> list[int]:
        words = re.findall(r"\w+", text.lower())
        if not words:
            return []
        match = " OR ".join(f'"{w}"' for w in dict.fromkeys(words))
        rows = self.db.execute("SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY bm25(fts) "
                               "LIMIT ?", (match, DEPTH))  # fmt: skip
        return [row[0] for row in rows]


def run() -> dict[str, dict[str, float]]:
    documents, queries, relevant = load()
    print(f"relevance: {len(documents)} CISI documents as PDFs, {len(queries)} judged queries …",
          flush=True)  # fmt: skip
    peer = Bm25Peer(documents)
    rows = {"Plain BM25 (SQLite FTS5, OR of the words)": score(peer.search, queries, relevant)}
    with (
        tempfile.TemporaryDirectory() as temp,
        satchel_library(documents, Path(temp)) as (
            services,
            ids,
        ),
    ):

        def satchel(text: str) -> list[int]:
            found = services.search.find(text, page_size=DEPTH, with_facets=False)
            return [ids[hit.id] for hit in found.hits]

        rows["Satchel search service"] = score(satchel, queries, relevant)
        for name, change in PIECES.items():
            with change():
                rows[name] = score(satchel, queries, relevant)
        with _no_signals(services):
            rows["– without ranking signals (no usage here, one import date)"] = score(
                satchel, queries, relevant
            )
        with _unstemmed(services):
            rows["– without stemming (index rebuilt with every word as written)"] = score(
                satchel, queries, relevant
            )
    return rows


@contextmanager
def _unstemmed(services: Services) -> Iterator[None]:
    """Words indexed and searched unstemmed: the index is rebuilt in this process (one
    writer, so the patch applies), and rebuilt again afterwards."""
    with (_patched(search_analysis, "stem", lambda word, language: word),
          _patched(search_index.os, "cpu_count", lambda: 1)):  # fmt: skip
        search_pairs.content_term.cache_clear()
        services.search.reindex()
        try:
            yield
        finally:
            search_pairs.content_term.cache_clear()
    services.search.reindex()


@contextmanager
def _patched(module: object, name: str, value: object) -> Iterator[None]:
    saved = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, saved)


def _without_relaxation() -> AbstractContextManager[None]:
    return _patched(search_index, "relax", lambda *args, **kwargs: None)


def _without_stop_words() -> AbstractContextManager[None]:
    return _patched(search_query, "all_stop_words", lambda words: False)


def _coordination(value: float) -> Callable[[], AbstractContextManager[None]]:
    return lambda: _patched(search_relax, "COORDINATION", value)


def _whoosh_idf() -> AbstractContextManager[None]:
    return _patched(search_bm25, "idf", lambda n, df: math.log(n / (df + 1)) + 1)


def _title_weight(value: float) -> Callable[[], AbstractContextManager[None]]:
    return lambda: _patched(search_relax, "TITLE_WEIGHT", value)


@contextmanager
def _no_signals(services: Services) -> Iterator[None]:
    """Signals off; a fresh searcher, since each keeps the factors it worked out."""
    index = services._ctx.keeper().index
    with (_patched(search_signals, "USE", 0.0), _patched(search_signals, "FRESH", 0.0),
          _patched(search_signals, "REVIEW_DUE", 1.0)):  # fmt: skip
        index.renew_searcher()
        yield
    index.renew_searcher()


@contextmanager
def _short_queries() -> Iterator[None]:
    with (_patched(search_query, "MAX_CLAUSES", 24),
          _patched(search_query, "MAX_QUERY_CHARS", 500)):  # fmt: skip
        yield


@contextmanager
def _neither() -> Iterator[None]:
    with _without_relaxation(), _without_stop_words():
        yield


# The effect of each piece: the same run with one piece taken out (patched for the
# measurement only; the product has no switches for them).
PIECES: dict[str, Callable[[], AbstractContextManager[None]]] = {
    "– without relaxation (every word required)": _without_relaxation,
    "– without stop words": _without_stop_words,
    "– without either (as before issue 20)": _neither,
    "– coordination exponent 0 (plain BM25 among the relaxed)": _coordination(0.0),
    "– coordination exponent 2": _coordination(2.0),
    "– coordination exponent 4": _coordination(4.0),
    "– Whoosh's idf, log(N/(df+1))+1, in the relaxed scores": _whoosh_idf,
    "– title weight 1.0 (0.5 now)": _title_weight(1.0),
    "– title weight 0 (no title boost)": _title_weight(0.0),
    "– queries cut at 24 words and 500 characters (before)": _short_queries,
}


def report(rows: dict[str, dict[str, float]]) -> list[str]:
    lines = [
        "## Ranking quality (CISI)",
        "",
        "The CISI test collection: 1,460 abstracts, 76 judged natural-language queries. "
        "Satchel's search service over the abstracts imported as PDFs, against plain BM25 "
        f"over the same texts in the same run; the first {DEPTH} results of each query.",
        "",
    ]
    lines += table(
        ["Engine", "nDCG@10", "P@10", "MAP@100", "Queries with no result", "Median ms"],
        [[name, f"{r['ndcg10']:.3f}", f"{r['p10']:.3f}", f"{r['map100']:.3f}",
          f"{r['empty']:.0f}", f"{r['ms']:.1f}"] for name, r in rows.items()],
    )  # fmt: skip
    return [*lines, "", "Target (issue 20): at least the peer on every figure.", ""]


if __name__ == "__main__":
    print("\n".join(report(run())))
