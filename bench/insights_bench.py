"""Insights benchmarks (issue 18): each panel, all of them and the digest on a library of
10,000 assets, 1,000,000 usage events, 100,000 feedback rows and 50,000 requests.

The rows are written straight into the demo library in large transactions (a year of a
sales team's records as sync brings them); the timed calls are `services.insights`."""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy import insert, select

from bench.search_bench import percentiles, timed
from satchel.core.domain.feedback import Kind, derived_keys
from satchel.core.domain.users import Role
from satchel.core.services import Services
from satchel.core.storage.models import (
    Asset,
    FeedbackRow,
    RequestRound,
    RequestRow,
    SearchLogEntry,
    TemplateVersion,
    UsageEvent,
)

ASSETS, USAGE, FEEDBACK, REQUESTS, SEARCHES = 10_000, 1_000_000, 100_000, 50_000, 20_000
REPS = 40
RUNS = 20
BATCH = 50_000
ACTIONS = ("viewed", "previewed", "copied", "exported", "presented", "opened")


def _write(services: Services, model: type, rows: list[dict[str, Any]]) -> None:
    with services._ctx.library.db.write() as session:
        for start in range(0, len(rows), BATCH):
            session.execute(insert(model), rows[start : start + BATCH])


def _populate(services: Services, reps: list[str]) -> None:
    rng = random.Random(18)
    library = services._ctx.library
    now = library.clock()
    today = now.date()

    def ago(days: float) -> dt.datetime:
        return now - dt.timedelta(seconds=rng.uniform(0, days * 86_400))

    assets = []
    for n in range(ASSETS):
        added = ago(400)
        assets.append({"id": library.new_id(), "title": f"Gateway {n} datasheet", "summary": "",
                       "kind": rng.choice(("brochure", "datasheet", "case study", "deck")),
                       "product": f"Product {n % 40}", "status": "published",
                       "review_on": today - dt.timedelta(days=rng.randint(-200, 30))
                       if n % 10 == 0 else None,
                       "expires_on": today - dt.timedelta(days=rng.randint(-200, 30))
                       if n % 15 == 0 else None,
                       "created_at": added, "updated_at": added})  # fmt: skip
    _write(services, Asset, assets)
    # Most use goes to a few assets, as it does: a long tail never used.
    ids = [a["id"] for a in assets]
    weights = [1 / (rank + 1) for rank in range(len(ids))]
    used = rng.choices(ids, weights, k=USAGE)
    _write(services, UsageEvent, [
        {"id": library.new_id(), "asset_id": asset_id, "user_id": rng.choice(reps),
         "action": rng.choice(ACTIONS), "at": (at := ago(365)), "detail": {}, "created_at": at,
         "updated_at": at} for asset_id in used])  # fmt: skip
    accounts = [f"Account {n}" for n in range(5_000)]
    feedback = []
    for number in range(FEEDBACK):
        if number % 20 == 0:
            body: dict[str, object] = {"account": rng.choice(accounts),
                                       "outcome": rng.choice(("won", "lost", "no decision", "open"))}  # fmt: skip
            kind, asset_id = Kind.OUTCOME, None
        else:
            body = {"used": rng.choice(("yes", "yes", "no")), "account": rng.choice(accounts),
                    "stage": "", "rating": rng.randint(1, 5), "missing": "",
                    "objections": rng.choice(("The price is high", "", "Integration", "")),
                    "competitor": ""}  # fmt: skip
            kind, asset_id = Kind.ASSET, rng.choice(ids[:2_000])
        at = ago(365)
        feedback.append({"id": library.new_id(), "asset_id": asset_id, "user_id": rng.choice(reps),
                         "kind": kind.value, "at": at, "body": body, **derived_keys(body),
                         "created_at": at, "updated_at": at})  # fmt: skip
    _write(services, FeedbackRow, feedback)
    with library.db.read() as session:
        versions = list(session.execute(select(TemplateVersion.id, TemplateVersion.template_id)))
    requests, rounds = [], []
    for _ in range(REQUESTS):
        version_id, template_id = rng.choice(versions)
        submitted = ago(365)
        state = rng.choice(("approved", "approved_with_edits", "rejected", "submitted",
                            "auto_approved", "changes_requested"))  # fmt: skip
        decided = (
            submitted + dt.timedelta(hours=rng.uniform(1, 72)) if state != "submitted" else None
        )
        values = {"discount": rng.choice(("12.5", "15", "7.5")), "customer": "Account"}
        request_id = library.new_id()
        requests.append({"id": request_id, "template_id": template_id,
                         "template_version_id": version_id, "requester_id": rng.choice(reps),
                         "customer": "Account", "note": "", "state": state, "round": 1,
                         "values": values, "values_sha256": "0" * 64, "decided_at": decided,
                         "submitted_at": submitted, "created_at": submitted,
                         "updated_at": submitted})  # fmt: skip
        rounds.append({"id": library.new_id(), "request_id": request_id, "round": 1,
                       "values": values, "values_sha256": "0" * 64,
                       "reasons": ["Discount: above 10 % needs approval"] if state != "auto_approved"
                       else [], "submitted_at": submitted, "created_at": submitted,
                       "updated_at": submitted})  # fmt: skip
    _write(services, RequestRow, requests)
    _write(services, RequestRound, rounds)
    _write(services, SearchLogEntry, [
        {"id": library.new_id(), "query": rng.choice(("dairy case study", "Case studies dairy",
                                                       "ROI calculator", "brewery deck german",
                                                       f"product {rng.randint(1, 900)} sheet")),
         "results": rng.randint(0, 2), "user_id": rng.choice(reps), "at": ago(365)}
        for _ in range(SEARCHES)])  # fmt: skip


def run() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as temp:
        services = Services.build_demo(Path(temp) / "library", history=False, field=False)
        try:
            people = {p.role: p.id for p in services.people.list_all()}
            services.people.sign_in(people[Role.ADMIN])
            reps = [services.people.add(f"Rep {n}", f"rep{n}@bench.example", Role.REP)[0].id
                    for n in range(REPS)]  # fmt: skip
            start = time.perf_counter()
            _populate(services, reps)
            load_s = time.perf_counter() - start
            services.people.sign_in(people[Role.MARKETER])
            insights = services.insights
            quarter = insights.period(days=90)
            rss = psutil.Process().memory_info().rss
            panels = {
                "Utilization": lambda: insights.utilization(quarter),
                "Wastebasket": lambda: insights.wastebasket(),
                "Top used and best-rated": lambda: insights.top_assets(quarter),
                "Influence": lambda: insights.influence(),
                "Request turnaround": lambda: insights.turnaround(quarter),
                "Top requested changes": lambda: insights.requested_changes(quarter),
                "Content demand": lambda: insights.demand(quarter),
                "Field notes by competitor": lambda: insights.competitors(quarter),
                "Objections by tag": lambda: insights.objections(quarter),
            }
            timings = {name: percentiles(timed(call, RUNS)) for name, call in panels.items()}
            whole = percentiles(timed(lambda: insights.all(quarter), 5))
            week = insights.period(days=7)
            digest = percentiles(timed(lambda: insights.digest(week), 5))
            pack = percentiles(timed(lambda: insights.pack(quarter, Path(temp) / "pack.pdf"), 3))
            extra_mb = (psutil.Process().memory_info().rss - rss) / 2**20
        finally:
            services.close()
    return {"load_s": load_s, "panels": timings, "all": whole, "digest": digest, "pack": pack,
            "extra_mb": extra_mb}  # fmt: skip


def report(r: dict[str, object]) -> list[str]:
    panels, whole, digest, pack = r["panels"], r["all"], r["digest"], r["pack"]
    assert isinstance(panels, dict) and isinstance(whole, tuple) and isinstance(digest, tuple)
    assert isinstance(pack, tuple)
    lines = [
        "## Insights",
        "",
        f"The demo library grown to {ASSETS:,} assets, {USAGE:,} usage events, {FEEDBACK:,} "
        f"feedback rows (a twentieth of them outcomes), {REQUESTS:,} requests and "
        f"{SEARCHES:,} low-result searches over a year (written in "
        f"{float(r['load_s']):.0f} s). Each panel of the last 90 days {RUNS} times as a "  # type: ignore[arg-type]
        "marketer; the whole page and the week's digest 5 times, the quarter's pack 3 times.",
        "",
        "| Panel | p50 | p95 | Target |",
        "|---|---:|---:|---:|",
    ]
    for name, (p50, p95) in panels.items():
        lines.append(f"| {name} | {p50:.0f} ms | {p95:.0f} ms | ≤ 300 ms p95 |")
    lines += [
        f"| Every panel (the page) | {whole[0]:.0f} ms | {whole[1]:.0f} ms | ≤ 1 s |",
        f"| The week's digest | {digest[0]:.0f} ms | {digest[1]:.0f} ms | ≤ 1 s |",
        f"| The quarter's meeting pack (PDF, 3 runs) | {pack[0]:.0f} ms | {pack[1]:.0f} ms | ≤ 5 s |",
        "",
        f"Memory added by the figures: {float(r['extra_mb']):.0f} MB (target ≤ 300 MB).",  # type: ignore[arg-type]
        "",
    ]
    return lines


if __name__ == "__main__":
    print("\n".join(report(run())))
