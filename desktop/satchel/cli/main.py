"""Argument parsing and the error policy shared by every command."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from satchel.cli import (
    cmd_admin,
    cmd_backup,
    cmd_campaigns,
    cmd_check,
    cmd_demo,
    cmd_feedback,
    cmd_field,
    cmd_hub,
    cmd_import,
    cmd_insights,
    cmd_list,
    cmd_render,
    cmd_requests,
    cmd_search,
    cmd_set,
    cmd_show,
    cmd_sync,
    cmd_synonyms,
    cmd_templates,
    cmd_users,
    cmd_verify,
)
from satchel.cli.actor import sign_in
from satchel.cli.output import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from satchel.core.errors import KnownError, ValidationError, explain_os_error, is_environmental
from satchel.core.services import Services
from satchel.core.settings import Settings, default_library_dir
from satchel.logs import setup_logging

log = logging.getLogger("satchel.cli")

COMMANDS = (cmd_import, cmd_list, cmd_search, cmd_show, cmd_set, cmd_check, cmd_backup, cmd_demo,
            cmd_templates, cmd_render, cmd_verify, cmd_users, cmd_synonyms, cmd_requests, cmd_hub,
            cmd_admin, cmd_sync, cmd_feedback, cmd_field, cmd_campaigns, cmd_insights)  # fmt: skip
USER_HELP = "who acts (default: the profile.user setting, else the library's only user)"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"satchel: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


class _Version(argparse.Action):
    """`--version`, reading the version only when asked: the package metadata lookup
    costs about 45 ms, which every start would otherwise pay."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str | None = None) -> None:  # fmt: skip
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:  # fmt: skip
        from satchel.about import satchel_version

        print(f"satchel {satchel_version()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="satchel",
        description="Satchel, the collateral library. Without a command it opens the app.",
    )
    parser.add_argument(
        "--library",
        type=Path,
        metavar="PATH",
        help=f"library folder (default: the library.path setting, else {default_library_dir()})",
        default=None,
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open a freshly built demo library in a temporary folder",
    )
    parser.add_argument("--version", action=_Version, help="print Satchel's version and exit")
    parser.add_argument("--read-only", action="store_true", help="open the library read-only")
    parser.add_argument("--self-test", action="store_true",
                        help="check every native part of this installation and exit")  # fmt: skip
    parser.add_argument("--user", metavar="EMAIL", help=USER_HELP)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for command in COMMANDS:
        command.register(subparsers)
    for sub in {id(p): p for p in subparsers.choices.values()}.values():  # `cmd --user X` too
        sub.add_argument("--user", metavar="EMAIL", help=USER_HELP, default=argparse.SUPPRESS)
    return parser


def command_names(parser: argparse.ArgumentParser) -> set[str]:
    """The subcommand names (so `satchel FILE` can tell a file from a command)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


def library_from_settings() -> Path:
    """The library.path setting (maybe preset by the administrator), else the default."""
    configured = str(Settings.default().value("library.path"))
    return Path(configured).expanduser() if configured else default_library_dir()


def run_command(args: argparse.Namespace) -> int:
    """Run a parsed command; expected failures become one line on stderr."""
    log_file = setup_logging()
    if getattr(args, "library", None) is None:
        args.library = library_from_settings()
    try:
        if getattr(args, "build_demo", False):
            return cmd_demo.run(args.path, getattr(args, "hub", None))
        if getattr(args, "run_closed", None) is not None:  # works on a library that won't open
            return int(args.run_closed(args))
        with Services.open(
            args.library,
            create=args.writes,
            read_only=args.read_only and not args.writes,
            backup_keep=cmd_backup.backups_to_keep(),
        ) as services:
            sign_in(services, args.user)
            return int(args.run(services, args))
    except ValidationError as error:
        print(f"satchel: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KnownError as error:
        print(f"satchel: {error}", file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:  # `satchel list | head`: the reader has gone, nothing to say
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - so the exit flush stays quiet
        return EXIT_OK
    except KeyboardInterrupt:
        print(
            "\nsatchel: interrupted; finished files stay, nothing is half-imported.",
            file=sys.stderr,
        )
        return 130
    except Exception as error:
        if is_environmental(error):  # the disk, not Satchel: full, read-only, failing
            log.warning("%s failed: %s", args.command, error)
            print(f"satchel: {explain_os_error(error, args.library)}", file=sys.stderr)  # type: ignore[arg-type]
            return EXIT_FAILED
        log.exception("unexpected error in %s", args.command)
        print(f"satchel: something went wrong; the details are in {log_file}", file=sys.stderr)
        return EXIT_FAILED


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for headless use."""
    args = build_parser().parse_args(argv)
    return run_command(args)
