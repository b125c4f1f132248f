"""A seeded library of realistic size for search benchmarks, written straight to SQLite.

Text follows a Zipf distribution over a 20k-word vocabulary (marketing words first),
about 10 KB per asset over a few pages, so term statistics look like real collateral.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import random
import sqlite3
import string
import uuid
from pathlib import Path

CORE_WORDS = [
    "predictive",
    "maintenance",
    "vibration",
    "bearing",
    "gateway",
    "sensor",
    "analytics",
    "downtime",
    "plant",
    "pump",
    "motor",
    "conveyor",
    "reliability",
    "uptime",
    "alert",
    "technician",
    "fleet",
    "benchmark",
    "install",
    "battery",
    "wireless",
    "secure",
    "cloud",
    "integration",
    "dashboard",
    "savings",
    "payback",
    "pilot",
    "rollout",
    "warehouse",
    "bottling",
    "logistics",
    "healthcare",
    "compressor",
    "fan",
    "gearbox",
    "temperature",
    "brochure",
    "datasheet",
    "pricing",
    "discount",
    "warranty",
    "support",
    "onboarding",
    "training",
    "compliance",
    "security",
    "encryption",
    "energy",
    "efficiency",
    "emissions",
    "safety",
    "inspection",
    "operator",
    "shift",
    "production",
    "quality",
    "yield",
    "customer",
    "partner",
    "distributor",
    "region",
    "contract",
    "renewal",
    "subscription",
    "license",
    "deployment",
]
KINDS = [
    "brochure",
    "datasheet",
    "case study",
    "deck",
    "price sheet",
    "one-pager",
    "image",
    "template",
]
PRODUCTS = ["Atlas", "Beacon", "Cirrus", "Delta", "Ember", "Falcon"]
REGIONS = ["North America", "DACH", "Iberia & LatAm", "Nordics", "APAC", "UK & Ireland"]
AUDIENCES = [
    "Operations leaders",
    "Maintenance engineers",
    "Plant managers",
    "Executives",
    "Procurement",
]
LANGUAGES = ["en", "en", "en", "de", "es", "fr"]


def vocabulary(rng: random.Random, size: int = 20_000) -> list[str]:
    words = list(dict.fromkeys(CORE_WORDS))
    while len(words) < size:
        length = rng.choice([4, 5, 6, 7, 8, 9, 10, 11])
        words.append("".join(rng.choice(string.ascii_lowercase) for _ in range(length)))
    return words


def _stamp(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def populate(database: Path, count: int, seed: int = 42) -> list[str]:
    """Insert `count` assets with page texts into an existing (migrated) library database."""
    rng = random.Random(seed)
    words = vocabulary(rng)
    weights = list(itertools.accumulate(1 / (rank + 1) ** 1.05 for rank in range(len(words))))
    tags = [(str(uuid.UUID(int=rng.getrandbits(128), version=4)), w) for w in words[:300]]
    base = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA synchronous=OFF")
    now = _stamp(base)
    connection.executemany(
        "INSERT INTO tags (id, name, created_at, updated_at, dirty) VALUES (?, ?, ?, ?, 1)",
        [(tid, name, now, now) for tid, name in tags],
    )
    ids = []
    for number in range(count):
        asset_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        ids.append(asset_id)
        when = _stamp(base + dt.timedelta(minutes=number * 7))
        pages = [" ".join(rng.choices(words, cum_weights=weights, k=rng.randint(280, 420)))
                 for _ in range(rng.randint(2, 5))]  # fmt: skip
        title_words = rng.choices(words[:2000], k=rng.randint(3, 7))
        title = " ".join(title_words).capitalize()
        summary = " ".join(rng.choices(words, cum_weights=weights, k=25))
        kind = rng.choice(KINDS)
        status = "retired" if rng.random() < 0.03 else "published"
        connection.execute(
            "INSERT INTO assets (id, title, summary, kind, product, audience, funnel_stage, region, "
            "language, owner, status, expires_on, review_on, created_at, updated_at, dirty, "
            "search_dirty) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, 1, 1)",
            (asset_id, title, summary, kind, rng.choice(PRODUCTS), rng.choice(AUDIENCES),
             rng.choice(["awareness", "consideration", "decision"]), rng.choice(REGIONS),
             rng.choice(LANGUAGES), "Marketing", status, when, when),
        )  # fmt: skip
        sha = hashlib.sha256(asset_id.encode()).hexdigest()
        connection.execute(
            "INSERT INTO blobs (sha256, size, file_type, created_at) VALUES (?, ?, 'pdf', ?)",
            (sha, sum(map(len, pages)), when),
        )
        version_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        connection.execute(
            "INSERT INTO asset_versions (id, asset_id, number, blob_sha256, original_name, "
            "page_count, warnings, created_at, updated_at, dirty) VALUES (?, ?, 1, ?, ?, ?, '[]', ?, ?, 1)",
            (version_id, asset_id, sha, f"{number}.pdf", len(pages), when, when),
        )
        connection.executemany(
            "INSERT INTO page_texts (version_id, page, text) VALUES (?, ?, ?)",
            [(version_id, page, text) for page, text in enumerate(pages, start=1)],
        )
        connection.executemany(
            "INSERT INTO asset_tags (id, asset_id, tag_id, position, created_at, updated_at, dirty) "
            "VALUES (?, ?, ?, ?, ?, ?, 1)",
            [(str(uuid.UUID(int=rng.getrandbits(128), version=4)), asset_id, tid, pos, when, when)
             for pos, (tid, _) in enumerate(rng.sample(tags, 3))],
        )  # fmt: skip
    connection.commit()
    connection.close()
    return ids


def query_mix(seed: int = 5) -> dict[str, list[str]]:
    """The fixed query mix: 20 of each kind, from the same vocabulary."""
    rng = random.Random(seed)
    words = vocabulary(random.Random(42))
    mid = words[50:1500]  # common but not stop-word common

    def typo(word: str) -> str:
        i = rng.randrange(1, len(word))
        return word[:i] + rng.choice(string.ascii_lowercase.replace(word[i], "")) + word[i + 1 :]

    return {
        "one word": [rng.choice(mid) for _ in range(20)],
        "two words": [f"{rng.choice(words[:300])} {rng.choice(mid)}" for _ in range(20)],
        "phrase": [f'"{rng.choice(words[:40])} {rng.choice(words[:40])}"' for _ in range(20)],
        "as-you-type": [rng.choice(mid)[: rng.randint(2, 4)] for _ in range(20)],
        "typo": [typo(rng.choice([w for w in mid if len(w) >= 6])) for _ in range(20)],
        "filtered": [
            f"{rng.choice(mid)} product:{rng.choice(PRODUCTS).lower()}" for _ in range(20)
        ],
        # Four words that seldom meet in one asset: the relaxed search (most of the words).
        "most of four words": [" ".join(rng.choice(mid) for _ in range(4)) for _ in range(20)],
    }
