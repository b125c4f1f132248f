"""`satchel verify FILE.pdf [--json]`: is this an unmodified Satchel output, and of what."""

from __future__ import annotations

import argparse
from pathlib import Path

from satchel.cli.output import EXIT_FAILED, EXIT_OK, print_json
from satchel.core.errors import KnownError
from satchel.core.services import Services

MAX_SIZE = 200 << 20


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("verify", help="check a PDF against the documents made here")
    parser.add_argument("file", type=Path)
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=run, writes=False)


def run(services: Services, args: argparse.Namespace) -> int:
    try:
        if args.file.stat().st_size > MAX_SIZE:
            raise KnownError(f"{args.file} is too large to be a Satchel document.")
        data = args.file.read_bytes()
    except OSError as error:
        raise KnownError(f"{args.file} could not be read ({error.strerror or error}).") from None
    result = services.templates.verify(data)
    if args.json:
        print_json(result)
    else:
        print(result.message)
    return EXIT_OK if result.genuine else EXIT_FAILED
