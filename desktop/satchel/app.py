"""Composition root: arguments → library → services → desktop window or CLI command."""

from __future__ import annotations

import contextlib
import multiprocessing
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from satchel.cli.cmd_demo import print_summary
from satchel.cli.main import build_parser, run_command
from satchel.core.errors import KnownError
from satchel.core.services import Services


def open_desktop(library: Path, demo: bool) -> int:
    """Open the library for the desktop. The window arrives with the desktop issue;
    until then this prints what would be shown."""
    if demo:  # a fresh demo in a temporary folder, removed afterwards
        with tempfile.TemporaryDirectory(prefix="satchel-demo-") as temp:
            return _show(lambda: Services.build_demo(Path(temp) / "Demo library"))
    return _show(lambda: Services.open(library, create=True))


def _show(open_services: Callable[[], Services]) -> int:
    try:
        services = open_services()
    except KnownError as error:
        print(f"satchel: {error}", file=sys.stderr)
        return 1
    with services, contextlib.suppress(BrokenPipeError):  # `satchel --demo | head`
        print_summary(services.summary())
        for asset in services.list_assets():
            meta = asset.metadata
            print(f"  {meta.kind.value:<11} {meta.language:<3} {meta.title}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """The `satchel` executable."""
    multiprocessing.freeze_support()  # parser processes in frozen builds
    args = build_parser().parse_args(argv)
    if args.command is None:
        return open_desktop(args.library, args.demo)
    return run_command(args)


if __name__ == "__main__":
    sys.exit(main())
