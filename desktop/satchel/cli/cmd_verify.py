"""`satchel verify FILE.pdf [--hub URL] [--json]`: is this an unmodified Satchel output, and
of what — by this library's records and, when a team hub is set, by the hub's."""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from satchel.cli.output import EXIT_FAILED, EXIT_OK, print_json
from satchel.core.domain.documents import Verification
from satchel.core.errors import KnownError
from satchel.core.services import Services
from satchel.core.services.hub import HubAdmin
from satchel.core.settings import Settings

MAX_SIZE = 200 << 20


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("verify", help="check a PDF against the documents made here")
    parser.add_argument("file", type=Path)
    parser.add_argument("--hub", metavar="URL", help="also ask this team hub (default: hub.url)")
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
    on_hub, hub_note = _ask_hub(args, data)
    if args.json:
        hub = dataclasses.asdict(on_hub) if on_hub else None
        print_json({**dataclasses.asdict(result), "hub": hub, "hub_note": hub_note})
    else:
        print(result.message)
        print(on_hub.message if on_hub else hub_note)
    return EXIT_OK if result.genuine or (on_hub and on_hub.genuine) else EXIT_FAILED


def _ask_hub(args: argparse.Namespace, data: bytes) -> tuple[Verification | None, str]:
    """The hub's answer, or why there is none (the local answer then stands alone)."""
    url = args.hub or str(Settings.default().value("hub.url"))
    if not url:
        return None, "Checked against this library only: no team hub is set (hub.url)."
    try:
        return HubAdmin(url).verify_document(data), ""
    except KnownError as error:
        return None, f"Checked against this library only: {error}"
