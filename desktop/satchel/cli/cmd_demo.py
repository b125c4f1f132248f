"""`satchel demo PATH`: build the demo library and exit."""

from __future__ import annotations

import argparse
from pathlib import Path

from satchel.cli.output import EXIT_OK
from satchel.core.services import LibrarySummary, Services


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("demo", help="build a demo library at PATH")
    parser.add_argument("path", type=Path)
    parser.set_defaults(run=None, build_demo=True)


def print_summary(summary: LibrarySummary) -> None:
    kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(summary.by_kind.items()))
    print(f"Library {summary.path}: {summary.assets} assets ({kinds}); {summary.users} users.")


def run(path: Path) -> int:
    services = Services.build_demo(path)
    with services:
        print_summary(services.care.summary())
    return EXIT_OK
