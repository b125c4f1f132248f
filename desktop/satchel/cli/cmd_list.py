"""`satchel list [--json] [--kind K]`."""

from __future__ import annotations

import argparse

from satchel.cli.output import EXIT_OK, print_json, safe
from satchel.core.domain.assets import AssetKind
from satchel.core.services import Services


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("list", help="list the assets in the library")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--kind",
        type=AssetKind,
        choices=list(AssetKind),
        metavar="KIND",
        help="only assets of this kind: " + ", ".join(AssetKind),
    )
    parser.set_defaults(run=run, writes=False)


def run(services: Services, args: argparse.Namespace) -> int:
    assets = services.assets.list_all(args.kind)
    if args.json:
        print_json(assets)
        return EXIT_OK
    for asset in assets:
        meta = asset.metadata
        print(
            f"{asset.id[:8]}  {meta.kind.value:<11} {meta.status.value:<9} "
            f"{meta.language or '--':<5} {safe(meta.title)}"
        )
    print(f"{len(assets)} assets.")
    return EXIT_OK
