"""`satchel backup` and `satchel restore FILE`."""

from __future__ import annotations

import argparse
from pathlib import Path

from satchel.cli.output import EXIT_OK
from satchel.core.services import Services


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("backup", help="write a verified snapshot of the database")
    parser.set_defaults(run=run_backup, writes=True)
    parser = subparsers.add_parser("restore", help="replace the database with a snapshot")
    parser.add_argument("file", type=Path)
    parser.set_defaults(run=run_restore, writes=True)


def run_backup(services: Services, args: argparse.Namespace) -> int:
    path = services.backup()
    print(f"Backup written and verified: {path}")
    return EXIT_OK


def run_restore(services: Services, args: argparse.Namespace) -> int:
    safety, _changes = services.restore(args.file)
    print(f"Restored from {args.file}. The state before the restore was saved as {safety}.")
    return EXIT_OK
