"""Field benchmarks (issue 17): recording feedback, the feedback prompt after a hand-out,
and the first page of marketing's lists with 100,000 feedback rows and 20,000 notes.

The rows are written straight into the demo library in a few transactions (as a year of
a 40-person sales team's records would arrive by sync); the timed calls are the
services and the window the app uses."""

from __future__ import annotations

import datetime as dt
import os
import random
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import insert

from bench.search_bench import percentiles, timed
from satchel.core.domain.feedback import Kind, derived_keys
from satchel.core.domain.users import Role
from satchel.core.services import Services
from satchel.core.storage.models import FeedbackRow

FEEDBACK = 100_000
NOTES = 20_000
ASKS = 2_000
REPS = 40
RUNS = 30
BATCH = 10_000
COMPETITORS = ("Acme Robotics", "Bolt Systems", "Cobalt Controls", "Delta Sensing")
OBJECTIONS = ("The price is above budget", "Integration with SAP is unclear",
              "IT wants a security review", "Not before the next fiscal year", "")  # fmt: skip
ACCOUNTS = [f"Account {n:04d}" for n in range(3_000)]


def _rows(services: Services, reps: list[str], assets: list[str]) -> int:
    """FEEDBACK feedback rows, NOTES notes and ASKS requests over the past year."""
    rng = random.Random(17)
    library = services._ctx.library
    now = library.clock()
    made = 0

    def row(kind: Kind, body: dict[str, object], asset_id: str | None) -> dict[str, object]:
        at = now - dt.timedelta(seconds=rng.randrange(365 * 86_400))
        return {"id": library.new_id(), "asset_id": asset_id, "user_id": rng.choice(reps),
                "kind": kind.value, "at": at, "body": body, **derived_keys(body),
                "created_at": at, "updated_at": at}  # fmt: skip

    for kind, count in ((Kind.ASSET, FEEDBACK), (Kind.NOTE, NOTES), (Kind.ASK, ASKS)):
        for start in range(0, count, BATCH):
            batch = []
            for _ in range(min(BATCH, count - start)):
                if kind is Kind.ASSET:
                    body: dict[str, object] = {
                        "used": rng.choice(("yes", "yes", "not yet", "no")),
                        "account": rng.choice(ACCOUNTS), "stage": "", "rating": rng.randint(1, 5),
                        "missing": "", "objections": rng.choice(OBJECTIONS), "competitor": ""}  # fmt: skip
                    batch.append(row(kind, body, rng.choice(assets)))
                elif kind is Kind.NOTE:
                    body = {"competitor": rng.choice(COMPETITORS), "account": rng.choice(ACCOUNTS),
                            "claim": f"Offered {rng.randint(5, 40)} % off for a multi-year deal"}  # fmt: skip
                    batch.append(row(kind, body, None))
                else:
                    body = {"need": f"A case study for segment {rng.randint(1, 300)}",
                            "audience": "", "product": "", "language": "", "region": "",
                            "by": "", "account": "", "deals": rng.randint(0, 5)}  # fmt: skip
                    batch.append(row(kind, body, None))
            with library.db.write() as session:
                session.execute(insert(FeedbackRow), batch)
            made += len(batch)
    return made


def run() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        services = Services.build_demo(root / "library", history=False, field=False)
        try:
            people = {p.role: p.id for p in services.people.list_all()}
            services.people.sign_in(people[Role.ADMIN])
            reps = [services.people.add(f"Rep {n}", f"rep{n}@bench.example", Role.REP)[0].id
                    for n in range(REPS)]  # fmt: skip
            assets = [a.id for a in services.assets.list_all()]
            start = time.perf_counter()
            rows = _rows(services, reps, assets)
            load_s = time.perf_counter() - start
            services.people.sign_in(reps[0])
            give = percentiles([timed(lambda a=a: services.feedback.give(
                a, "yes", "Northwind Foods", rating=4, objections="The price"))[0]
                for a in (assets * 5)[:200]])  # fmt: skip
            note = percentiles(timed(lambda: services.notes.note("Acme", "30 % off", "Harlow"),
                                     RUNS))  # fmt: skip
            services.people.sign_in(people[Role.MARKETER])
            services.notes.keep_objection_tags(add=["price", "integration", "security review"])
            lists = {
                "Feedback, everyone's": lambda: services.feedback.team(),
                "Field notes, everyone's": lambda: services.notes.notes(),
                "Field notes of one competitor": lambda: services.notes.notes("Bolt Systems"),
                "Field notes with a word": lambda: services.notes.notes(text="35 %"),
                "Objections": lambda: services.notes.objections(),
                "Objections with one tag": lambda: services.notes.objections("integration"),
                "Content requests with their +1s": lambda: services.asks.asks(),
            }
            listed = {name: percentiles(timed(call, RUNS)) for name, call in lists.items()}
            prompt = _prompt(services, root, reps[1])
        finally:
            services.close()
    return {"rows": rows, "load_s": load_s, "give": give, "note": note, "lists": listed,
            "prompt": prompt}  # fmt: skip


def _prompt(services: Services, root: Path, rep: str) -> tuple[float, float]:
    """From the hand-out (a copy, an export) to the feedback bar drawn on screen."""
    from PySide6.QtWidgets import QApplication

    from satchel.core.settings import Settings, SettingsFiles
    from satchel.ui.desktop import application, create_window

    app = application()
    window = create_window(services, Settings(SettingsFiles(root / "user.toml", None, None)),
                           None, rep)  # fmt: skip
    window.resize(1280, 800)
    window.show()
    end = time.perf_counter() + 60
    while time.perf_counter() < end and (window.search.last is None or window.runner.pending):
        app.processEvents()
        time.sleep(0.01)
    bar, assets = window.feedback_bar, services.assets.list_all()
    samples = []
    for asset in (assets * 2)[:RUNS]:
        bar.dismiss()
        QApplication.processEvents()
        start = time.perf_counter()
        window.asset_actions.handed_out.emit(asset.id, asset.metadata.title)
        bar.repaint()  # drawn, not only asked for
        samples.append(time.perf_counter() - start)
        assert bar.isVisible()
    window.close()
    return percentiles(samples)


def report(r: dict[str, object]) -> list[str]:
    give, note, prompt, lists = r["give"], r["note"], r["prompt"], r["lists"]
    assert isinstance(give, tuple) and isinstance(note, tuple) and isinstance(prompt, tuple)
    assert isinstance(lists, dict)
    lines = [
        "## Feedback from the field",
        "",
        f"The demo library with {FEEDBACK:,} feedback rows, {NOTES:,} field notes and {ASKS:,} "
        f"content requests by {REPS} reps over a year (written in {float(r['load_s']):.1f} s, "  # type: ignore[arg-type]
        f"as sync would bring them). {RUNS} runs of each list as marketing; recording is "
        "timed as a rep, through the services (checks, the row, its outbox state).",
        "",
        "| Operation | p50 | p95 | Target |",
        "|---|---:|---:|---:|",
        f"| Record feedback on an asset | {give[0]:.1f} ms | {give[1]:.1f} ms | ≤ 20 ms |",
        f"| Log a field note | {note[0]:.1f} ms | {note[1]:.1f} ms | ≤ 20 ms |",
        f"| Feedback prompt drawn after a hand-out | {prompt[0]:.1f} ms | {prompt[1]:.1f} ms | "
        "≤ 100 ms |",
    ]
    for name, (p50, p95) in lists.items():
        lines.append(f"| {name}, first page | {p50:.1f} ms | {p95:.1f} ms | ≤ 150 ms p95 |")
    return [*lines, ""]


if __name__ == "__main__":
    print("\n".join(report(run())))
