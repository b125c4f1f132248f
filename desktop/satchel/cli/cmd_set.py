"""`satchel set ID key=value…`."""

from __future__ import annotations

import argparse

from satchel.cli.cmd_show import describe
from satchel.cli.output import EXIT_OK, print_json
from satchel.core.domain.metadata import EDITABLE_FIELDS, parse_assignments
from satchel.core.services import Services


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "set",
        help="edit metadata: " + ", ".join(EDITABLE_FIELDS),
    )
    parser.add_argument("id")
    parser.add_argument("assignments", nargs="+", metavar="KEY=VALUE")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=run, writes=True)


def run(services: Services, args: argparse.Namespace) -> int:
    asset, _changes = services.assets.update_metadata(args.id, parse_assignments(args.assignments))
    if args.json:
        print_json(asset)
    else:
        print(describe(asset))
    return EXIT_OK
