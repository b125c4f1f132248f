"""`satchel check [--repair]`."""

from __future__ import annotations

import argparse

from satchel.cli.output import EXIT_FAILED, EXIT_OK, print_json
from satchel.core.services import Services, quarantine_line, verdict_line


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("check", help="verify the database and every stored file")
    parser.add_argument(
        "--repair",
        action="store_true",
        help="move orphaned files and leftovers of interrupted work to the quarantine folder",
    )
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=run, writes=False)


def run(services: Services, args: argparse.Namespace) -> int:
    report = services.care.check(repair=args.repair)
    if args.json:
        print_json(
            {
                "ok": report.ok,
                "problems": report.problems,
                "garbage": report.garbage,
                "repaired": report.repaired,
                "blobs_checked": report.blobs_checked,
                "blobs_bad": report.blobs_bad,
                "quarantine": {"files": report.quarantine_files, "bytes": report.quarantine_bytes},
            }
        )
    else:
        for line in report.repaired:
            print(f"repaired: {line}")
        for line in report.garbage:
            print(f"leftover: {line}")
        for line in report.problems:
            print(f"problem:  {line}")
        if quarantined := quarantine_line(report):
            print(quarantined)
        print(verdict_line(report))
    return EXIT_OK if report.ok else EXIT_FAILED
