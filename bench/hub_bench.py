"""The team hub under load, on a throwaway PostgreSQL server on this machine (fsync on):
a hub holding 10,000 assets, 100,000 requests and 1,000,000 usage events; decisions
through `api`; 200 simulated clients, each with its own login over TLS, making a small
write and a pull every 2–5 seconds; the database's size.

    python -m bench.hub_bench [--minutes 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
import uuid
from typing import Any

import psutil
import psycopg
from psycopg.types.json import Jsonb
from tests.helpers import hub_server

from bench.tables import table
from satchel.core.domain.users import Role
from satchel.core.services.hub import HubAdmin

ASSETS, REQUESTS, USAGE, CLIENTS, MARKETERS = 10_000, 100_000, 1_000_000, 200, 5
PULLED = ("assets", "template_versions", "collections", "requests")
FIELDS = [{"key": "discount", "label": "Discount", "kind": "percent", "policy": "self_service",
           "default": "5", "limits": {"minimum": 0, "maximum": 30, "envelope_max": 10}},
          {"key": "customer", "label": "Customer", "kind": "text", "policy": "self_service",
           "default": "", "limits": {}}]  # fmt: skip


# Bulk rows go in with triggers off (session_replication_role = replica), numbered from
# one sequence so revisions stay increasing, as the stamp trigger would number them.
def load_sql(assets: int, requests: int, usage: int) -> str:
    """The bulk load for a hub of this size (no parameters: % is SQL's modulo here)."""
    fields = json.dumps(FIELDS).replace("'", "''")
    return f"""
SET session_replication_role = replica;
CREATE TEMP SEQUENCE revs START 1000;
INSERT INTO satchel.assets (id, title, summary, kind, product, audience, region, language,
                            owner, status, rev)
SELECT gen_random_uuid(), 'Asset ' || g || ' ' || md5(g::text),
       repeat('Industrial gateway datasheet summary words ', 8),
       (ARRAY['brochure', 'datasheet', 'case study', 'deck', 'template'])[1 + g % 5],
       'Product ' || g % 40, 'IT', 'EMEA', 'en', 'Marketing',
       CASE WHEN g % 10 = 0 THEN 'draft' ELSE 'published' END, nextval('revs')
  FROM generate_series(1, {assets}) g;
INSERT INTO satchel.blobs (sha256, size, file_type, chunk_count, complete, rev)
SELECT encode(sha256(convert_to(id::text, 'UTF8')), 'hex'), 2000000, 'pdf', 2, true,
       nextval('revs') FROM satchel.assets;
INSERT INTO satchel.asset_versions (id, asset_id, number, blob_sha256, original_name,
                                    page_count, rev)
SELECT gen_random_uuid(), id, 1, encode(sha256(convert_to(id::text, 'UTF8')), 'hex'),
       'file.pdf', 3, nextval('revs') FROM satchel.assets;
INSERT INTO satchel.page_texts (version_id, asset_id, page, text, rev)
SELECT v.id, v.asset_id, p, repeat('Predictive maintenance reduces downtime in plants. ', 20),
       nextval('revs') FROM satchel.asset_versions v, generate_series(1, 3) p;
INSERT INTO satchel.collections (id, name, rev)
SELECT gen_random_uuid(), 'Collection ' || g, nextval('revs') FROM generate_series(1, 50) g;
INSERT INTO satchel.template_versions (id, template_id, version, asset_id, base_version_id,
                                       title, fields, rev)
SELECT gen_random_uuid(), gen_random_uuid(), 1, v.asset_id, v.id, 'Template', '{fields}'::jsonb,
       nextval('revs')
  FROM satchel.asset_versions v JOIN satchel.assets a ON a.id = v.asset_id
 WHERE a.kind = 'template' AND a.status = 'published' LIMIT 100;
CREATE TEMP TABLE reps AS
SELECT row_number() OVER () AS n, id FROM satchel.profiles WHERE role = 'rep';
CREATE TEMP TABLE versions AS
SELECT row_number() OVER () AS n, id, template_id FROM satchel.template_versions;
INSERT INTO satchel.requests (id, template_id, template_version_id, requester_id, customer,
                              state, round, "values", values_sha256, submitted_at, rev)
SELECT gen_random_uuid(), t.template_id, t.id, r.id, 'Account ' || g,
       CASE WHEN g % 5 = 0 THEN 'submitted' WHEN g % 10 = 1 THEN 'rejected'
            ELSE 'approved' END, 1,
       jsonb_build_object('discount', (g % 25)::text, 'customer', 'Account ' || g),
       md5(g::text) || md5(g::text), now() - (g % 90) * interval '1 day', nextval('revs')
  FROM generate_series(1, {requests}) g
  JOIN reps r ON r.n = 1 + g % (SELECT count(*) FROM reps)
  JOIN versions t ON t.n = 1 + g % (SELECT count(*) FROM versions);
INSERT INTO satchel.request_rounds (id, request_id, round, "values", values_sha256,
                                    submitted_at, outcome, rev)
SELECT gen_random_uuid(), id, 1, "values", values_sha256, submitted_at,
       nullif(state, 'submitted'), nextval('revs') FROM satchel.requests;
INSERT INTO satchel.usage_events (id, asset_id, user_id, action, at, rev)
SELECT gen_random_uuid(), a.id, r.id, (ARRAY['viewed', 'exported', 'presented'])[1 + g % 3],
       now() - (g % 365) * interval '1 day', nextval('revs')
  FROM generate_series(1, {usage}) g
  JOIN (SELECT row_number() OVER () AS n, id FROM satchel.assets) a ON a.n = 1 + g % {assets}
  JOIN reps r ON r.n = 1 + g % (SELECT count(*) FROM reps);
SELECT setval('satchel.revisions', (SELECT last_value FROM revs));
"""  # fmt: skip


# The audit chain over those requests, one submission event each, linked as the hub links
# them (append_event, under its lock), a thousand to a transaction as api calls would be.
CHAIN_BATCH = """
SELECT count(satchel.append_event(r.id, r.requester_id, 'draft', 'submitted', 1, '', '{}'))
  FROM (SELECT id, requester_id FROM satchel.requests r
         WHERE NOT EXISTS (SELECT 1 FROM satchel.request_events e WHERE e.request_id = r.id)
         ORDER BY submitted_at LIMIT 1000) r
"""


def _chain(hub: psycopg.Connection[Any]) -> None:
    hub.execute("SET session_replication_role = origin")
    hub.execute("SET ROLE satchel_owner")
    while hub.execute(CHAIN_BATCH).fetchone()[0]:  # type: ignore[index]
        pass
    hub.execute("RESET ROLE")


def _percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples) or [0.0]

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] * 1000

    return statistics.median(ordered) * 1000, at(0.95), at(0.99)


def _people(server: hub_server.HubServer) -> tuple[str, list[str], list[str]]:
    """The hub's admin, marketers' and reps' URLs (each a login of its own)."""
    report = HubAdmin(server.url()).init(("Bench Admin", "admin@bench.example"))
    admin_url = server.url(report.admin_login.replace("@", "%40"), report.admin_password)  # type: ignore[union-attr]
    admin = HubAdmin(admin_url)

    def person(key: str, number: int, role: Role) -> str:
        created, password = admin.add_user(f"{key.title()} {number}",
                                           f"{key}{number}@bench.example", role)  # fmt: skip
        return server.url(created["login"].replace("@", "%40"), password)

    marketers = [person("marketer", n, Role.MARKETER) for n in range(MARKETERS)]
    reps = [person("rep", n, Role.REP) for n in range(CLIENTS)]
    return admin_url, marketers, reps


def _decisions(marketer_url: str, runs: int = 300) -> tuple[float, float, float]:
    with psycopg.connect(marketer_url, autocommit=True) as hub:
        waiting = [row[0] for row in hub.execute(
            "SELECT id FROM satchel.requests WHERE state = 'submitted' LIMIT %s", (runs,))]  # fmt: skip
        samples = []
        for request_id in waiting:
            start = time.perf_counter()
            hub.execute(
                "SELECT api.decide_request(%s, %s, 1, 'approve')", (uuid.uuid4(), request_id)
            )
            samples.append(time.perf_counter() - start)
    return _percentiles(samples)


async def _client(url: str, assets: list[str], stop_at: float, writes: list[float],
                  pulls: list[float], errors: list[str]) -> None:  # fmt: skip
    try:
        hub = await psycopg.AsyncConnection.connect(url, autocommit=True)
    except psycopg.Error as error:
        errors.append(f"connect: {error}")
        return
    async with hub:
        cursor = int(
            (await (await hub.execute("SELECT last_value FROM satchel.revisions")).fetchone())[0]
        )  # type: ignore[index]
        await hub.execute("SELECT api.register_device(%s, 'bench laptop')", (uuid.uuid4(),))
        await asyncio.sleep(random.uniform(0, 5))
        while time.perf_counter() < stop_at:
            try:
                start = time.perf_counter()
                await hub.execute("SELECT api.record_usage(%s, %s)", (uuid.uuid4(), Jsonb(
                    {"asset_id": random.choice(assets), "action": "viewed"})))  # fmt: skip
                writes.append(time.perf_counter() - start)
                start, newest = time.perf_counter(), cursor
                for name in PULLED:
                    rows = await (await hub.execute(
                        f"SELECT id, rev FROM satchel.{name} WHERE rev > %s ORDER BY rev LIMIT 500",
                        (cursor,))).fetchall()  # fmt: skip
                    newest = max([newest, *(int(row[1]) for row in rows)])
                pulls.append(time.perf_counter() - start)
                cursor = newest
            except psycopg.Error as error:
                errors.append(str(error).splitlines()[0])
            await asyncio.sleep(random.uniform(2, 5))


async def _decider(url: str, stop_at: float, decisions: list[float], errors: list[str]) -> None:
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as hub:
        while time.perf_counter() < stop_at:
            await asyncio.sleep(random.uniform(3, 6))
            row = await (await hub.execute(
                "SELECT id FROM satchel.requests WHERE state = 'submitted' "
                "OFFSET floor(random() * 1000) LIMIT 1")).fetchone()  # fmt: skip
            if row is None:
                continue
            try:
                start = time.perf_counter()
                await hub.execute("SELECT api.decide_request(%s, %s, 1, 'approve')",
                                  (uuid.uuid4(), row[0]))  # fmt: skip
                decisions.append(time.perf_counter() - start)
            except psycopg.Error as error:
                if error.sqlstate != "SA409":  # another marketer was first: expected
                    errors.append(str(error).splitlines()[0])


def _server_cpu() -> float:
    """CPU seconds the server has used: its live processes, and through the postmaster's
    children times the backends that have exited (each client's, once it disconnects)."""
    total = 0.0
    for process in psutil.process_iter(["name", "ppid"]):
        if process.info["name"] != "postgres":
            continue
        times = process.cpu_times()
        total += times.user + times.system
        if process.parent() is None or process.parent().name() != "postgres":  # the postmaster
            total += times.children_user + times.children_system
    return total


async def _load(reps: list[str], marketers: list[str], assets: list[str],
                seconds: float) -> dict[str, Any]:  # fmt: skip
    writes: list[float] = []
    pulls: list[float] = []
    decisions: list[float] = []
    errors: list[str] = []
    stop_at = time.perf_counter() + seconds
    cpu_before, wall = _server_cpu(), time.perf_counter()
    await asyncio.gather(*(_client(url, assets, stop_at, writes, pulls, errors) for url in reps),
                         *(_decider(url, stop_at, decisions, errors) for url in marketers))  # fmt: skip
    wall = time.perf_counter() - wall
    return {"writes": _percentiles(writes), "pulls": _percentiles(pulls),
            "decisions": _percentiles(decisions), "operations": len(writes) + len(pulls),
            "write_count": len(writes), "errors": errors, "seconds": wall,
            "server_cpu": (_server_cpu() - cpu_before) / wall}  # fmt: skip


def run(minutes: float = 5) -> dict[str, Any]:
    server = hub_server.start({"fsync": "on", "shared_buffers": "512MB"})
    try:
        admin_url, marketers, reps = _people(server)
        with psycopg.connect(server.url(), autocommit=True) as hub:
            start = time.perf_counter()
            hub.execute(load_sql(ASSETS, REQUESTS, USAGE))
            _chain(hub)
            hub.execute("VACUUM ANALYZE")
            load_s = time.perf_counter() - start
            assets = [str(row[0]) for row in hub.execute(
                "SELECT id FROM satchel.assets WHERE status = 'published' LIMIT 2000")]  # fmt: skip
            sizes = {name: int(size) for name, size in hub.execute(
                "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'satchel' AND c.relkind = 'r'")}  # fmt: skip
            database = int(hub.execute("SELECT pg_database_size('satchel')").fetchone()[0])  # type: ignore[index]
        decide = _decisions(marketers[0])
        start = time.perf_counter()
        checked, problem = HubAdmin(admin_url).verify_audit()
        verify_s = time.perf_counter() - start
        print(f"hub: loaded in {load_s:.0f} s; {CLIENTS} clients for {minutes} min …", flush=True)
        load = asyncio.run(_load(reps, marketers, assets, minutes * 60))
        return {"load_s": load_s, "decide": decide, "sizes": sizes, "database": database,
                "verify_s": verify_s, "events": checked, "chain_whole": problem is None,
                "minutes": minutes, **load}  # fmt: skip
    finally:
        server.stop()


ASSET_TABLES = ("assets", "asset_versions", "blobs", "page_texts")


def report(r: dict[str, Any]) -> list[str]:
    mb = 1024 * 1024
    per_10k = sum(r["sizes"].get(name, 0) for name in ASSET_TABLES) / (ASSETS / 10_000) / mb
    rate = r["operations"] / r["seconds"]
    errors = r["errors"]
    shown_errors = f"{len(errors)} ({errors[0]})" if errors else "0"
    return [
        "## Team hub",
        "",
        f"A throwaway PostgreSQL on this machine (fsync on, TLS, scram-sha-256) holding "
        f"{ASSETS:,} assets, {REQUESTS:,} requests with their rounds and a {r['events']:,}-event "
        f"audit chain, and {USAGE:,} usage events (loaded in {r['load_s']:.0f} s). Database: "
        f"{r['database'] / mb:,.0f} MB.",
        "",
        *table(
            ["Operation", "p50", "p95", "p99", "Target"],
            [
                [
                    "Decision through `api.decide_request` (300, one after another)",
                    f"{r['decide'][0]:.1f} ms",
                    f"{r['decide'][1]:.1f} ms",
                    f"{r['decide'][2]:.1f} ms",
                    "≤ 20 ms p95",
                ],
                [
                    "Under load: a client's small write (`api.record_usage`)",
                    f"{r['writes'][0]:.1f} ms",
                    f"{r['writes'][1]:.1f} ms",
                    f"{r['writes'][2]:.1f} ms",
                    "—",
                ],
                [
                    f"Under load: a client's pull ({len(PULLED)} tables by revision)",
                    f"{r['pulls'][0]:.1f} ms",
                    f"{r['pulls'][1]:.1f} ms",
                    f"{r['pulls'][2]:.1f} ms",
                    "—",
                ],
                [
                    "Under load: a marketer's decision",
                    f"{r['decisions'][0]:.1f} ms",
                    f"{r['decisions'][1]:.1f} ms",
                    f"{r['decisions'][2]:.1f} ms",
                    "—",
                ],
            ],
        ),
        "",
        f"Load: {CLIENTS} clients, each with its own login, a write and a pull every 2–5 s, "
        f"plus {MARKETERS} marketers deciding every 3–6 s, for {r['minutes']:g} minutes: "
        f"{r['operations']:,} operations ({rate:.0f}/s, {r['write_count'] / r['seconds']:.0f} "
        f"writes/s); errors: {shown_errors}. The server's processes used "
        f"{r['server_cpu']:.2f} of this machine's 2 cores meanwhile. Audit verify of the "
        f"{r['events']:,}-event chain: {r['verify_s']:.1f} s "
        f"({'whole' if r['chain_whole'] else 'BROKEN'}).",
        "",
        f"Size per 10,000 assets (their rows, versions, blob records and page text, without "
        f"the files themselves, which add their own bytes): {per_10k:.0f} MB. Largest tables: "
        + ", ".join(
            f"{name} {size / mb:,.0f} MB"
            for name, size in sorted(r["sizes"].items(), key=lambda item: -item[1])[:5]
        )
        + ".",
        "",
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=5)
    print("\n".join(report(run(parser.parse_args().minutes))))
