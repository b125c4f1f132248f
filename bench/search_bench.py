"""Search benchmarks: Satchel's search service against SQLite FTS5 on the same corpus."""

from __future__ import annotations

import re
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.search_corpus import populate, query_mix
from satchel.core.domain.users import Role
from satchel.core.library import Library
from satchel.core.services import Services

FACETS = ("kind", "product", "audience", "funnel_stage", "region", "language", "status", "owner")


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def timed(action: Callable[[], object], repeat: int = 1) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return samples


class Fts5Peer:
    """The same corpus in an FTS5 table (porter + unicode61, diacritics removed)."""

    def __init__(self, library_db: Path, folder: Path) -> None:
        self.db = sqlite3.connect(folder / "fts.db")
        self.db.execute(f"ATTACH DATABASE 'file:{library_db}?mode=ro' AS lib")
        self.db.execute(
            "CREATE VIRTUAL TABLE fts USING fts5(title, summary, tags, body, "
            "tokenize='porter unicode61 remove_diacritics 2')"
        )
        self.db.execute(
            f"CREATE TABLE meta (rowid INTEGER PRIMARY KEY, id TEXT, {', '.join(FACETS)})"
        )

    def build(self) -> int:
        self.db.execute(
            f"INSERT INTO meta (id, {', '.join(FACETS)}) SELECT id, {', '.join(FACETS)} FROM lib.assets"
        )
        self.db.execute(
            "INSERT INTO fts (rowid, title, summary, tags, body) "
            "SELECT m.rowid, a.title, a.summary, "
            " (SELECT group_concat(t.name, ' ') FROM lib.asset_tags x JOIN lib.tags t ON t.id = x.tag_id WHERE x.asset_id = a.id), "
            " (SELECT group_concat(p.text, ' ') FROM lib.asset_versions v JOIN lib.page_texts p ON p.version_id = v.id WHERE v.asset_id = a.id) "
            "FROM lib.assets a JOIN meta m ON m.id = a.id"
        )
        self.db.commit()
        return self.db.execute("SELECT count(*) FROM meta").fetchone()[0]

    @staticmethod
    def translate(query: str, as_you_type: bool) -> tuple[str, str | None]:
        product = None
        if match := re.search(r"product:(\w+)", query):
            product = match.group(1)
            query = query.replace(match.group(0), "").strip()
        if as_you_type:
            query += "*"
        return query, product

    def search(self, query: str, as_you_type: bool = False, facets: bool = False) -> int:
        fts_query, product = self.translate(query, as_you_type)
        where = "fts MATCH ? AND m.status != 'retired'" + (
            " AND lower(m.product) = ?" if product else ""
        )
        params: tuple = (fts_query, product) if product else (fts_query,)
        rows = self.db.execute(
            "SELECT m.id, snippet(fts, 3, '[', ']', '…', 24) FROM fts JOIN meta m ON m.rowid = fts.rowid "
            f"WHERE {where} ORDER BY bm25(fts, 4.0, 1.5, 2.5, 1.0) LIMIT 20",
            params,
        ).fetchall()
        if facets:
            for name in FACETS:
                self.db.execute(
                    f"SELECT m.{name}, count(*) FROM fts JOIN meta m ON m.rowid = fts.rowid "
                    f"WHERE {where} GROUP BY m.{name}",
                    params,
                ).fetchall()
        return len(rows)


def run_size(count: int, desktop: Callable[[Path], dict[str, object]] | None = None
             ) -> dict[str, object]:  # fmt: skip
    """Build a library of `count` assets, index it, and time the query mix both ways;
    then `desktop` measures the window on the same library."""
    out: dict[str, object] = {"assets": count}
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp) / "library"
        Library.open(root, create=True).close()
        start = time.perf_counter()
        ids = populate(root / "satchel.db", count)
        out["populate_s"] = time.perf_counter() - start
        with Services.open(root) as services:
            services.people.acting_user(None, Role.ADMIN, "bench")  # the library's owner edits
            build = timed(services.search.reindex)[0]
            out["index_s"], out["index_rate"] = build, count / build
            peer = Fts5Peer(root / "satchel.db", Path(temp))
            peer_build = timed(peer.build)[0]
            out["fts_index_s"], out["fts_index_rate"] = peer_build, count / peer_build
            mix = query_mix()
            rows: dict[str, dict[str, tuple[float, float]]] = {}
            for kind, queries in mix.items():
                typing = kind == "as-you-type"
                for q in queries[:3]:  # warm caches the way a session would
                    services.search.find(q, as_you_type=typing, with_facets=False)
                page = [s for q in queries for s in timed(
                    lambda q=q, t=typing: services.search.find(q, as_you_type=t, with_facets=False))]  # fmt: skip
                full = [s for q in queries for s in timed(
                    lambda q=q, t=typing: services.search.find(q, as_you_type=t, with_facets=True))]  # fmt: skip
                fts_page = [
                    s for q in queries for s in timed(lambda q=q, t=typing: peer.search(q, t))
                ]
                fts_full = [
                    s for q in queries for s in timed(lambda q=q, t=typing: peer.search(q, t, True))
                ]
                rows[kind] = {
                    "page": percentiles(page), "full": percentiles(full),
                    "fts_page": percentiles(fts_page), "fts_full": percentiles(fts_full),
                }  # fmt: skip
            out["queries"] = rows
            updates = []
            for number, asset_id in enumerate(ids[:10]):
                word = f"zebrafinch{number}"

                def change(asset_id: str = asset_id, word: str = word) -> None:
                    services.assets.update_metadata(asset_id, {"title": f"Updated {word}"})
                    hits = services.search.find(word, with_facets=False, include_hidden=True).hits
                    assert asset_id in [hit.id for hit in hits]

                updates += timed(change)
            out["update"] = percentiles(updates)
        if desktop is not None:
            out["desktop"] = desktop(root)
    return out


def report(results: list[dict[str, object]]) -> list[str]:
    """Markdown tables for docs/benchmarks.md."""
    lines = ["## Search", "",
             "Generated corpus (seeded, Zipf-distributed 20k-word vocabulary, 2–5 pages and about "
             "10 KB of text per asset). Satchel's figures are end to end through the search "
             "service: parse, Whoosh, hits from the database and snippets for the first page of "
             "20. The FTS5 peer runs the same queries on the same text in the same run (bm25, "
             "`snippet()`, facets by GROUP BY; it has no typo tolerance, so its typo row finds "
             "nothing). Times in ms, p50 / p95 over 20 queries per kind.", ""]  # fmt: skip
    for result in results:
        lines += [f"### {result['assets']:,} assets", "",
                  f"Index build: Satchel {result['index_rate']:.0f} assets/s "
                  f"({result['index_s']:.1f} s), FTS5 {result['fts_index_rate']:.0f} assets/s "
                  f"({result['fts_index_s']:.1f} s). Single-asset edit visible to search: "
                  f"p50 {result['update'][0]:.0f} ms, p95 {result['update'][1]:.0f} ms.", "",
                  "| Query | First page + snippets | + facet counts | FTS5 page | FTS5 + facets | Ratio (p95, page) |",
                  "|---|---:|---:|---:|---:|---:|"]  # fmt: skip
        for kind, row in result["queries"].items():  # type: ignore[attr-defined]
            ratio = row["page"][1] / max(row["fts_page"][1], 0.01)
            lines.append(
                f"| {kind} | {row['page'][0]:.1f} / {row['page'][1]:.1f} | "
                f"{row['full'][0]:.1f} / {row['full'][1]:.1f} | "
                f"{row['fts_page'][0]:.1f} / {row['fts_page'][1]:.1f} | "
                f"{row['fts_full'][0]:.1f} / {row['fts_full'][1]:.1f} | {ratio:.1f}× |"
            )
        lines.append("")
    return lines
