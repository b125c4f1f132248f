"""Edit-request benchmarks: the review queue's first page with 10,000 requests, one
decision, and checking an audit chain of 100,000 events."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path

from bench.search_bench import percentiles, timed
from satchel.core.domain.requests import Decision, Event, RequestState
from satchel.core.domain.users import Role
from satchel.core.services import Services
from satchel.core.services.requests import QueueFilter
from satchel.core.storage import requests_repo

REQUESTS = 10_000
EVENTS = 100_000
RUNS = 40


def _quote(services: Services, number: int, discount: str) -> dict[str, str]:
    valid = (services.today() + dt.timedelta(days=30)).isoformat()
    return {"customer": f"Account {number}", "quote_number": f"Q-2026-{number % 10_000:04d}",
            "qty_0": str(number % 50), "discount": discount, "valid_until": valid}  # fmt: skip


def run() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as temp:
        services = Services.build_demo(Path(temp) / "library", history=False)
        try:
            people = {p.role: p.id for p in services.people.list_all()}
            quote = next(t for t in services.templates.list_all() if t.title.startswith("Price"))
            services.people.sign_in(people[Role.REP])
            start = time.perf_counter()
            ids = []
            for number in range(REQUESTS):  # a third approved at once, the rest wait
                discount = "7.5" if number % 3 == 0 else "12.5"
                detail, _ = services.requests.submit(quote.id, _quote(services, number, discount),
                                                     customer=f"Account {number}")  # fmt: skip
                if discount != "7.5":
                    ids.append(detail.request.id)
            submit_ms = (time.perf_counter() - start) / REQUESTS * 1000
            services.people.sign_in(people[Role.MARKETER])
            waiting = services.requests.queue()[1]
            first_page = percentiles(timed(lambda: services.requests.queue(), RUNS))
            overdue = percentiles(timed(
                lambda: services.requests.queue(QueueFilter(overdue_only=True, territory="Midwest")),
                RUNS))  # fmt: skip
            decisions = [ids.pop() for _ in range(RUNS)]
            decide = percentiles([timed(lambda r=r: services.requests.decide(r, Decision.APPROVE))[0]
                                  for r in decisions])  # fmt: skip
            verify = _verify_chain(services, ids)
        finally:
            services.close()
    return {"requests": REQUESTS, "waiting": waiting, "submit_ms": submit_ms,
            "queue": first_page, "queue_filtered": overdue, "decide": decide, **verify}  # fmt: skip


def _verify_chain(services: Services, request_ids: list[str]) -> dict[str, object]:
    """The chain grown to EVENTS events over the library's requests (appended as the
    service appends them, in one transaction to build it quickly), then verified as
    `satchel audit verify` does."""
    library = services._ctx.library
    actor = services.actor
    assert actor is not None
    count, _ = services.requests.verify_audit()
    at = library.clock()
    with library.db.write() as session:
        for number in range(EVENTS - count):
            event = Event(request_ids[number % len(request_ids)], actor.id,
                          at + dt.timedelta(seconds=number), RequestState.SUBMITTED,
                          RequestState.CHANGES_REQUESTED, 1, "Bench.")  # fmt: skip
            requests_repo.append_event(session, event, library.new_id())
    samples = timed(services.requests.verify_audit, 5)
    count, problem = services.requests.verify_audit()
    assert count == EVENTS and problem is None, (count, problem)
    return {"events": EVENTS, "verify_median_s": sorted(samples)[2]}


def report(r: dict[str, object]) -> list[str]:
    queue, filtered, decide = r["queue"], r["queue_filtered"], r["decide"]
    assert isinstance(queue, tuple) and isinstance(filtered, tuple) and isinstance(decide, tuple)
    return [
        "## Edit requests",
        "",
        f"{r['requests']:,} requests submitted through `services.requests.submit` on the demo "
        f"library ({r['waiting']:,} waiting, the rest approved at once; "
        f"{r['submit_ms']:.1f} ms per submission including its checks, round, event and outbox "
        f"entry). {RUNS} runs each; then the audit chain is grown to {r['events']:,} events "
        "over those requests and verified five times.",
        "",
        "| Operation | p50 | p95 | Target |",
        "|---|---:|---:|---:|",
        f"| Review queue, first page (100 of {r['waiting']:,}) | {queue[0]:.1f} ms | "
        f"{queue[1]:.1f} ms | ≤ 200 ms p95 |",
        f"| Review queue, overdue in one territory | {filtered[0]:.1f} ms | {filtered[1]:.1f} ms | "
        "≤ 200 ms p95 |",
        f"| One decision (approve) | {decide[0]:.1f} ms | {decide[1]:.1f} ms | ≤ 50 ms p95 |",
        f"| Audit verify, {r['events']:,} events | {float(r['verify_median_s']):.2f} s | — | "  # type: ignore[arg-type]
        "≤ 2 s |",
        "",
    ]


if __name__ == "__main__":
    print("\n".join(report(run())))
