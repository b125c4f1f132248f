"""`satchel sync [--json]`: one round with the team hub (what was pushed, pulled,
refused, kept); `satchel sync status [--json]`: where this laptop stands."""

from __future__ import annotations

import argparse

from satchel.cli.cmd_hub import hub_address
from satchel.cli.output import EXIT_FAILED, EXIT_OK, print_json, safe
from satchel.core.services import Services
from satchel.core.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("sync", help="meet the team hub: send what you did, get "
                                                "what the team did")  # fmt: skip
    parser.add_argument("--hub", metavar="URL", help="the hub's address (default: hub.url)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--page-size", type=int, default=500, metavar="N",
                        help="rows per pulled page, each applied in one transaction (500)")  # fmt: skip
    parser.set_defaults(run=run_sync, writes=True)
    actions = parser.add_subparsers(dest="sync_action", metavar="ACTION")
    status = actions.add_parser("status", help="the last sync, what waits, what was refused")
    status.add_argument("--json", action="store_true")
    status.set_defaults(run=run_status, writes=False)


def run_sync(services: Services, args: argparse.Namespace) -> int:
    keep_all, collections = Settings.default().kept_files()
    report = services.sync.now(hub_address(args.hub), max(1, args.page_size), keep_all=keep_all,
                               keep_collections=collections)  # fmt: skip
    if args.json:
        print_json({"pushed": report.pushed, "records_pushed": report.records_pushed,
                    "pulled": report.pulled, "pages": report.pages, "files": report.files,
                    "file_bytes": report.file_bytes,
                    "request_steps": report.events, "refused": report.refused,
                    "kept_local": report.kept_local, "cursor": report.cursor,
                    "full_resync": report.full_resync, "seconds": round(report.seconds, 3)})  # fmt: skip
    else:
        if report.full_resync:
            print("The hub was reset or restored: everything was fetched again.")
        print(f"Sent {report.pushed} change(s) and {report.records_pushed} record(s) of use; "
              f"received {report.pulled} row(s) and {report.files} file(s) in "
              f"{report.seconds:.1f} s.")  # fmt: skip
        if report.kept_local:
            print(f"{report.kept_local} edit(s) made here are kept until the hub takes them.")
        for refused in report.refused:
            print(safe(f"Refused by the hub: {refused}"))
    return EXIT_FAILED if report.refused else EXIT_OK


def run_status(services: Services, args: argparse.Namespace) -> int:
    status = services.sync.status()
    if args.json:
        print_json(status)
        return EXIT_OK
    when = status.synced_at[:16].replace("T", " ") + " UTC" if status.synced_at else "never"
    print(f"Last sync: {when}; hub revision {status.cursor} held here; "
          f"{status.waiting} change(s) waiting to be sent.")  # fmt: skip
    for refused in status.refused:
        print(safe(f"Refused by the hub: {refused}"))
    return EXIT_OK
