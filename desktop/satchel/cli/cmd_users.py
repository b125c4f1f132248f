"""`satchel users [--json]`, `users add NAME EMAIL --role R`, `users set EMAIL key=value…`."""

from __future__ import annotations

import argparse

from satchel.cli.output import EXIT_OK, print_json, safe
from satchel.core.domain.metadata import parse_assignments
from satchel.core.domain.users import Profile, Role
from satchel.core.services import Services

PROFILE_KEYS = "name, title, email, phone, territory, role"


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("users", help="list, add and edit the library's users")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=run_list, writes=False)
    actions = parser.add_subparsers(dest="users_action", metavar="ACTION")
    add = actions.add_parser("add", help="add a user (admins)")
    person_arguments(add)
    add.set_defaults(run=run_add, writes=True)
    edit = actions.add_parser("set", help=f"edit a user: {PROFILE_KEYS} (roles: admins)")
    edit.add_argument("email")
    edit.add_argument("assignments", nargs="+", metavar="KEY=VALUE")
    edit.add_argument("--json", action="store_true")
    edit.set_defaults(run=run_set, writes=True)


def person_arguments(parser: argparse.ArgumentParser) -> None:
    """NAME EMAIL --role R [--title --phone --territory] [--json]: adding a person, to a
    library (`users add`) or to the team hub (`hub add-user`)."""
    parser.add_argument("name")
    parser.add_argument("email")
    parser.add_argument("--role", type=Role, choices=list(Role), required=True)
    for key in ("title", "phone", "territory"):
        parser.add_argument(f"--{key}", default="")
    parser.add_argument("--json", action="store_true")


def _show(profiles: list[Profile], as_json: bool) -> None:
    if as_json:
        print_json(profiles)
        return
    for p in profiles:
        print(f"{safe(p.email):40} {p.role.value:9} {safe(p.name)}")


def run_list(services: Services, args: argparse.Namespace) -> int:
    _show(services.people.list_all(), args.json)
    return EXIT_OK


def run_add(services: Services, args: argparse.Namespace) -> int:
    profile, _ = services.people.add(args.name, args.email, args.role, title=args.title,
                                   phone=args.phone, territory=args.territory)  # fmt: skip
    _show([profile], args.json)
    return EXIT_OK


def run_set(services: Services, args: argparse.Namespace) -> int:
    target = services.people.find(args.email)
    profile, _ = services.people.update(target.id, parse_assignments(args.assignments))
    _show([profile], args.json)
    return EXIT_OK
