"""Convergence: 50 laptops (48 reps and two marketers) work offline at random —
requests, decisions, usage — and sync at random moments through a proxy that cuts the
connection at random points of some rounds (mid-page, mid-push); once everyone syncs at
the end, every laptop holds what the hub holds for its person, nothing is lost, nothing
doubled, and every audit chain verifies."""

from __future__ import annotations

import contextlib
import hashlib
import json
import random
from pathlib import Path

from satchel.core.domain.requests import Decision, RequestState
from satchel.core.domain.usage import UsageAction
from satchel.core.domain.users import Role
from satchel.core.errors import KnownError
from satchel.core.services import Services
from satchel.core.services.hub import HubAdmin
from satchel.core.services.requests import QueueFilter
from tests.helpers import reliability
from tests.helpers.cutting_proxy import CuttingProxy
from tests.helpers.hub_server import HubServer
from tests.hub.conftest import make_team

REPS, STEPS, SEED = 48, 400, 20261204
DECISIONS = (Decision.APPROVE, Decision.REJECT, Decision.REQUEST_CHANGES)


def canonical(requests: list[tuple[str, str, int]]) -> str:
    return hashlib.sha256(json.dumps(sorted(requests)).encode()).hexdigest()


def test_laptops_working_offline_converge_with_the_hub(server: HubServer, tmp_path: Path) -> None:
    team = make_team(server)
    rng = random.Random(SEED)
    proxy = CuttingProxy(server.port)
    admin = HubAdmin(team["admin"].url)
    urls: dict[str, str] = {"mara": proxy.url(team["marketer"].url),
                            "max": proxy.url(team["marketer2"].url)}  # fmt: skip
    for number in range(REPS):
        created, password = admin.add_user(f"Rep {number}", f"rep{number}.{team.database}@example.com",
                                           Role.REP, territory="DACH")  # fmt: skip
        urls[f"rep{number}"] = proxy.url(server.url(str(created["login"]).replace("@", "%40"),
                                                    password, team.database))  # fmt: skip
    laptops: dict[str, Services] = {}
    try:
        for name, url in urls.items():
            role = Role.MARKETER if name in ("mara", "max") else Role.REP
            laptops[name] = Services.open(tmp_path / name, create=True, workers=1)
            laptops[name].people.acting_user(None, role, name)
            laptops[name].sync.now(url)
        submitted: set[str] = set()
        used = 0
        for _step in range(STEPS):
            name = rng.choice(list(laptops))
            services = laptops[name]
            roll = rng.random()
            try:
                if name.startswith("rep") and roll < 0.35:
                    detail, _ = services.requests.submit(
                        team.template_id, {"customer": "Northwind", "discount": str(rng.randint(11, 30)),
                                           "plan": "Basic", "headline": "Built for uptime"})  # fmt: skip
                    submitted.add(detail.summary.id)
                elif name.startswith("rep") and roll < 0.5:
                    services.assets.record_usage(team.asset_id, UsageAction.VIEWED)
                    used += 1
                elif not name.startswith("rep") and roll < 0.5:
                    waiting = services.requests.queue()[0]
                    if waiting:
                        choice = rng.choice(DECISIONS)
                        services.requests.decide(rng.choice(waiting).id, choice,
                                                 "" if choice is Decision.APPROVE else "See the note.")  # fmt: skip
                elif roll < 0.8:
                    services.sync.now(urls[name])
                else:  # the network drops somewhere in this round (or a later one)
                    proxy.cut_after(rng.randint(200, 60_000))
                    services.sync.now(urls[name])
            except KnownError as refused:
                if "cannot be reached" in str(refused):  # cut: everything waits for later
                    continue
                # A decision on a request decided here meanwhile.
                assert "already" in str(refused).lower() or "round" in str(refused).lower()
        proxy.cut()  # the network is back (the idle connections it held are gone)
        for name, services in laptops.items():
            with contextlib.suppress(KnownError):  # a link the last cut closed
                services.sync.now(urls[name])
        for _round in range(2):  # everyone meets the hub until nothing moves
            for name, services in laptops.items():
                services.sync.now(urls[name])

        with team["admin"].connect() as hub:
            on_hub = {str(i): (s, r) for i, s, r in hub.execute(
                "SELECT id, state, round FROM satchel.requests").fetchall()}  # fmt: skip
            usage = hub.execute("SELECT count(*) FROM satchel.usage_events").fetchone()[0]
        assert len(submitted) >= 10 and {s for s, _ in on_hub.values()} - {"submitted"}  # work done
        assert set(on_hub) == submitted  # nothing lost, nothing doubled
        assert usage == used
        assert admin.verify_audit()[1] is None
        for name, services in laptops.items():
            mine = {r.id: (r.state.value, r.round) for r in services.requests.mine()}
            if name in ("mara", "max"):
                held, _ = services.requests.queue(
                    QueueFilter(states=tuple(RequestState)), limit=10_000
                )
                mine = {r.id: (r.state.value, r.round) for r in held}
                expected = on_hub
            else:
                expected = {i: on_hub[i] for i in mine}
                assert set(mine) <= submitted
            held_here = canonical([(i, s, r) for i, (s, r) in mine.items()])
            assert held_here == canonical([(i, s, r) for i, (s, r) in expected.items()]), name
            assert services.requests.verify_audit()[1] is None, name
            assert not services.sync.status().waiting, name
        assert proxy.cuts >= 8  # the network did drop, many times
    finally:
        for services in laptops.values():
            services.close()
        proxy.close()
    reliability.record("Sync", f"{len(urls)} laptops ({REPS} reps, 2 marketers) working offline "
                       f"for {STEPS} random steps, syncing at random, the connection cut at "
                       "random points of some rounds",
                       "Nothing: each round sends and fetches what it can",
                       "Every laptop holds what the hub holds for its person; every request "
                       "once; every usage event once; every audit chain whole")  # fmt: skip
