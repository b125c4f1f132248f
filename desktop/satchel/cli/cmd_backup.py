"""`satchel backup` and `satchel restore FILE`."""

from __future__ import annotations

import argparse
from pathlib import Path

from satchel.cli.actor import sign_in
from satchel.cli.output import EXIT_OK
from satchel.core.domain.permissions import Capability
from satchel.core.errors import DamagedLibraryError
from satchel.core.services import Services
from satchel.core.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("backup", help="write a verified snapshot of the database")
    parser.set_defaults(run=run_backup, writes=True)
    parser = subparsers.add_parser(
        "restore", help="replace the database with a snapshot (also when it will not open)"
    )
    parser.add_argument("file", type=Path)
    parser.set_defaults(run_closed=run_restore, writes=True)


def backups_to_keep() -> int:
    """The backups.keep setting (maybe the administrator's policy): the CLI's backups
    rotate as the desktop's do."""
    return int(Settings.default().value("backups.keep"))


def run_backup(services: Services, args: argparse.Namespace) -> int:
    path = services.care.backup()
    print(f"Backup written and verified: {path}")
    return EXIT_OK


def run_restore(args: argparse.Namespace) -> int:
    """Runs on the closed library: restoring is what you do when it will not open. One
    that opens is restored by admins only; one that does not, by whoever can reach its
    folder (its database cannot say who may)."""
    try:
        with Services.open(args.library, read_only=True) as services:
            sign_in(services, args.user)
            services.people.require(Capability.RESTORE)
    except DamagedLibraryError:
        pass
    outcome = Services.restore_library(args.library, args.file, keep=backups_to_keep())
    print(f"Restored from {args.file}.")
    if outcome.safety_backup is not None:
        print(f"The state before the restore was saved as {outcome.safety_backup}.")
    if outcome.kept_damaged is not None:
        print(f"The damaged database was kept as {outcome.kept_damaged}.")
    return EXIT_OK
