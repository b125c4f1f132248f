"""`satchel demo PATH`: build the demo library and exit. `satchel demo --hub URL PATH`:
the demo as a team on a hub (URL: an admin's address) — the marketer's library at PATH,
a rep's at PATH-rep, both synced."""

from __future__ import annotations

import argparse
from pathlib import Path

from satchel.cli.output import EXIT_OK
from satchel.core.services import LibrarySummary, Services


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("demo", help="build a demo library at PATH")
    parser.add_argument("path", type=Path)
    parser.add_argument("--hub", metavar="URL",
                        help="seed this hub (an admin's address) with the demo team and "
                             "content, and make a rep's library at PATH-rep")  # fmt: skip
    parser.set_defaults(run=None, build_demo=True)


def print_summary(summary: LibrarySummary) -> None:
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(summary.by_kind.items()))
    print(f"Library {summary.path}: {summary.assets} assets ({kinds}); {summary.users} users.")


def run(path: Path, hub: str | None = None) -> int:
    if hub:
        return run_with_hub(path, hub)
    services = Services.build_demo(path)
    with services:
        print_summary(services.care.summary())
    return EXIT_OK


def run_with_hub(path: Path, hub: str) -> int:
    from satchel.core.services.demo_hub import seed_demo_hub

    seats, assets = seed_demo_hub(hub, path)
    print(f"The hub now holds the demo library: {assets} assets, sent from the marketer's "
          "library. Open each library in its own window:")  # fmt: skip
    for seat in seats:
        print(f"  {seat.name} ({seat.role}): satchel --library {seat.library}")
        kept = "kept in the keyring" if seat.kept else "asked when the window syncs"
        print(f"    hub login {seat.login}, one-time password {seat.password} ({kept})")
    return EXIT_OK
