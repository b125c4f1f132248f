"""`satchel import PATH… [--json] [--set key=value…]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from satchel.cli.output import EXIT_FAILED, EXIT_OK, print_json, safe
from satchel.core.domain.imports import ImportProgress, ImportStatus
from satchel.core.domain.metadata import parse_assignments
from satchel.core.errors import ValidationError
from satchel.core.services import Services

WRITES = True


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "import", help="import files and folders (PDF, PNG, JPEG, WebP, DOCX, PPTX)"
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    parser.add_argument("--json", action="store_true", help="print one result per file as JSON")
    parser.add_argument(
        "--set",
        action="extend",
        nargs="+",
        default=[],
        metavar="KEY=VALUE",
        help="metadata for every imported file, e.g. --set kind=datasheet product=Atlas",
    )
    parser.set_defaults(run=run, writes=WRITES)


def run(services: Services, args: argparse.Namespace) -> int:
    # `--set k=v FILE`: argparse hands the files after --set to it; they are files.
    given = [Path(item) for item in args.set if "=" not in item and Path(item).exists()]
    paths = [*args.paths, *given]
    metadata = parse_assignments([item for item in args.set if Path(item) not in given])
    if not paths:
        raise ValidationError(["Name at least one file or folder to import."])
    interactive = sys.stderr.isatty() and not args.json

    def progress(step: ImportProgress) -> None:
        if interactive:
            name = safe(Path(step.result.path).name)[:60]
            print(f"\r[{step.done}/{step.total}] {name:<60}", end="", file=sys.stderr, flush=True)

    report, _changes = services.assets.import_paths(paths, metadata, progress)
    if interactive:
        print(file=sys.stderr)
    if args.json:
        print_json(
            [
                {
                    "path": r.path,
                    "status": r.status,
                    "reason": r.reason,
                    "asset_id": r.asset_id,
                    "warnings": r.warnings,
                }
                for r in report.results
            ]
        )
    else:
        for result in report.results:
            line = f"{result.status.value:<23} {safe(result.path)}"
            if result.reason:
                line += f"\n{'':<23} {result.reason}"
            for warning in result.warnings:
                line += f"\n{'':<23} warning: {warning}"
            print(line)
        counts = ", ".join(
            f"{report.count(status)} {status.value.replace('_', ' ')}" for status in ImportStatus
        )
        print(f"{len(report.results)} files: {counts}.")
    return EXIT_FAILED if report.count(ImportStatus.REJECTED) else EXIT_OK
