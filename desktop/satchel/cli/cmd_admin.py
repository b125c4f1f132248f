"""The administrator's tools.

admin policy show [--json]   every setting's effective value, where it comes from
                             (default, machine default, user, policy — with the file
                             or registry key) and whether it is locked
admin diagnostics -o FILE    a support bundle: versions, platform, settings without
                             secrets, the last logs, check figures, sizes
"""

from __future__ import annotations

import argparse
import platform
import sys
from pathlib import Path

from satchel.cli.output import EXIT_OK, print_json, safe
from satchel.core.services.diagnostics import write_bundle
from satchel.core.settings import Settings
from satchel.logs import setup_logging


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("admin", help="the administrator's tools")
    actions = parser.add_subparsers(dest="admin_action", metavar="ACTION", required=True)
    policy = actions.add_parser("policy", help="the settings and the policy that locks them")
    policy.add_argument("policy_action", choices=["show"])
    policy.add_argument("--json", action="store_true")
    policy.set_defaults(run_closed=run_policy_show, writes=False)
    diagnostics = actions.add_parser("diagnostics", help="write a support bundle (no content)")
    diagnostics.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.zip")
    diagnostics.set_defaults(run_closed=run_diagnostics, writes=False)


def run_policy_show(args: argparse.Namespace) -> int:
    settings = Settings.default()
    rows = settings.effective()
    if args.json:
        print_json({"settings": rows, "problems": settings.problems})
        return EXIT_OK
    for row in rows:
        lock = "locked  " if row.locked else "        "
        print(f"{row.key:24} {lock}{safe(repr(row.value)):32} {safe(row.source)}")
    for problem in settings.problems:
        print(f"Note: {safe(problem)}")
    return EXIT_OK


def run_diagnostics(args: argparse.Namespace) -> int:
    from satchel.about import components, satchel_version  # reads every package's metadata

    about = {"satchel": satchel_version(), "python": sys.version.split()[0],
             "platform": platform.platform(), "machine": platform.machine(),
             "frozen": bool(getattr(sys, "frozen", False)),
             "libraries": {c.name: c.version for c in components()}}  # fmt: skip
    names = write_bundle(args.output, args.library, about, setup_logging())
    print(
        f"Wrote {args.output} ({len(names)} parts: {', '.join(names)}). It holds no "
        "titles, text or passwords from the library; look inside before you send it."
    )
    return EXIT_OK
