"""`satchel admin policy show [--json]`: every setting's effective value, where it comes
from (default, machine default, user, policy — with the file or registry key) and
whether the administrator locked it."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from satchel.cli.output import EXIT_OK, print_json, safe
from satchel.core.settings import OPTIONS, Settings, Value


@dataclass(frozen=True)
class EffectiveSetting:
    key: str
    value: Value
    source: str
    locked: bool


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("admin", help="the administrator's tools")
    actions = parser.add_subparsers(dest="admin_action", metavar="ACTION", required=True)
    policy = actions.add_parser("policy", help="the settings and the policy that locks them")
    policy.add_argument("policy_action", choices=["show"])
    policy.add_argument("--json", action="store_true")
    policy.set_defaults(run_closed=run_policy_show, writes=False)


def effective(settings: Settings) -> list[EffectiveSetting]:
    return [EffectiveSetting(o.key, settings.value(o.key), settings.source(o.key),
                             settings.is_locked(o.key)) for o in OPTIONS]  # fmt: skip


def run_policy_show(args: argparse.Namespace) -> int:
    settings = Settings.default()
    rows = effective(settings)
    if args.json:
        print_json({"settings": rows, "problems": settings.problems})
        return EXIT_OK
    for row in rows:
        lock = "locked  " if row.locked else "        "
        print(f"{row.key:24} {lock}{safe(repr(row.value)):32} {safe(row.source)}")
    for problem in settings.problems:
        print(f"Note: {safe(problem)}")
    return EXIT_OK
