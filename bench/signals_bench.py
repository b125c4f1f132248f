"""Choosing the ranking signals' weights (core/search/signals.py) on the labelled sales
queries over the demo library.

Without click data the benefit of the signals cannot be measured, only their harm: how
often they push the asset a rep expects out of the top 3. So each weight setting runs the
53 queries over the demo library with usage that has nothing to do with the queries
(seeded, Zipf-distributed over the assets: a few used a lot, most seldom), five draws,
and reports found in the top 3 and the mean reciprocal rank. The weights kept are the
largest that have lost nothing against no signals in every run.

Run alone with `python -m bench.signals_bench`; `make bench` includes it.
"""

from __future__ import annotations

import random
import statistics
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.helpers.sales_queries import SALES_QUERIES

from bench.tables import table
from satchel.core.domain.usage import UsageAction
from satchel.core.domain.users import Role
from satchel.core.search import signals
from satchel.core.services import Services

DRAWS = 5
SETTINGS = {  # (USE, FRESH, REVIEW_DUE)
    "no signals": (0.0, 0.0, 1.0),
    "use 0.05, fresh 0.025, review 0.975 (kept)": (0.05, 0.025, 0.975),
    "use 0.10, fresh 0.05, review 0.95": (0.10, 0.05, 0.95),
    "use 0.20, fresh 0.10, review 0.90": (0.20, 0.10, 0.90),
    "use 0.40, fresh 0.20, review 0.80": (0.40, 0.20, 0.80),
}


@contextmanager
def _weights(use: float, fresh: float, review: float) -> Iterator[None]:
    saved = signals.USE, signals.FRESH, signals.REVIEW_DUE, signals.HIGHEST, signals.LOWEST
    signals.USE, signals.FRESH, signals.REVIEW_DUE = use, fresh, review
    signals.HIGHEST, signals.LOWEST = (1 + use) * (1 + fresh), review
    try:
        yield
    finally:
        (signals.USE, signals.FRESH, signals.REVIEW_DUE, signals.HIGHEST,
         signals.LOWEST) = saved  # fmt: skip


def _use_at_random(root: Path, seed: int) -> None:
    rng = random.Random(seed)
    with Services.open(root) as services:
        services.people.acting_user(None, Role.ADMIN, "bench")
        ids = [asset.id for asset in services.assets.list_all()]
        rng.shuffle(ids)
        for rank, asset_id in enumerate(ids, start=1):
            for _ in range(int(120 / rank**1.1)):
                services.assets.record_usage(asset_id, UsageAction.OPENED)
        services.search.reindex()  # popularity is counted when an asset is indexed


def _score(root: Path) -> tuple[float, float]:
    found, reciprocal = 0, []
    with Services.open(root, read_only=True) as services:
        for query, expected in SALES_QUERIES:
            titles = [hit.title for hit in services.search.find(query).hits[:10]]
            found += expected in titles[:3]
            reciprocal.append(1 / (titles.index(expected) + 1) if expected in titles else 0.0)
    return found / len(SALES_QUERIES), statistics.fmean(reciprocal)


def run() -> dict[str, tuple[float, float]]:
    print(f"signals: {len(SETTINGS)} weight settings × {DRAWS} usage draws …", flush=True)
    rows: dict[str, list[tuple[float, float]]] = {name: [] for name in SETTINGS}
    with tempfile.TemporaryDirectory() as temp:
        for draw in range(DRAWS):
            root = Path(temp) / f"demo-{draw}"
            Services.build_demo(root).close()
            _use_at_random(root, seed=draw)
            for name, weights in SETTINGS.items():
                with _weights(*weights):
                    rows[name].append(_score(root))
    return {name: (statistics.fmean(f for f, _ in got), statistics.fmean(m for _, m in got))
            for name, got in rows.items()}  # fmt: skip


def report(rows: dict[str, tuple[float, float]]) -> list[str]:
    lines = [
        "## Ranking signals",
        "",
        f"The {len(SALES_QUERIES)} labelled sales queries over the demo library, with usage "
        f"unrelated to the queries (Zipf over the assets, {DRAWS} seeded draws; means). The "
        "weights kept are the largest that have lost nothing against no signals in every run.",
        "",
    ]
    lines += table(["Weights", "Found in the top 3", "Mean reciprocal rank"],
                   [[name, f"{found:.1%}", f"{mrr:.3f}"] for name, (found, mrr) in rows.items()])  # fmt: skip
    return [*lines, ""]


if __name__ == "__main__":
    print("\n".join(report(run())))
