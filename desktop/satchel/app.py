"""Composition root: arguments → library → services → desktop window or CLI command."""

from __future__ import annotations

import multiprocessing
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from satchel.cli.main import build_parser, command_names, library_from_settings, run_command


def open_desktop(library: Path, demo: bool, read_only: bool = False,
                 files: Sequence[Path] = ()) -> int:  # fmt: skip
    """Open the desktop window; with `demo`, on a fresh demo library that is removed after."""
    try:
        from satchel.ui.desktop import run  # Qt is loaded only for the window
    except ImportError as error:
        print(f"satchel: the desktop window cannot start ({error}).", file=sys.stderr)
        return 1
    if not demo:
        return run(library, None, read_only, files)
    with tempfile.TemporaryDirectory(prefix="satchel-demo-") as temp:
        return run(library, Path(temp) / "Demo library", False, files)


def split_files(argv: Sequence[str], commands: set[str]) -> tuple[list[str], list[Path]]:
    """`satchel a.pdf b/` opens the window and imports them: positional arguments that
    name existing files or folders (and are not a command) are files to import."""
    options: list[str] = []
    files: list[Path] = []
    for token in argv:
        takes_value = options[-1:] in (["--library"], ["--user"])
        if not files and (token.startswith("-") or takes_value):
            options.append(token)
        elif not files and (token in commands or not Path(token).exists()):
            return list(argv), []  # a command, or a mistyped one for argparse to explain
        elif token.startswith("-"):
            options.append(token)
        else:
            files.append(Path(token))
    return options, files


def main(argv: Sequence[str] | None = None) -> int:
    """The `satchel` executable."""
    multiprocessing.freeze_support()  # parser processes in frozen builds
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    options, files = split_files(argv, command_names(parser))
    args = parser.parse_args(options)
    if args.self_test:
        from satchel.selftest import run  # Qt and every native library, in this build

        return run()
    if args.command is None:
        library = args.library or library_from_settings()
        return open_desktop(library, args.demo, args.read_only, files)
    return run_command(args)


if __name__ == "__main__":
    sys.exit(main())
