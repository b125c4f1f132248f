"""`satchel hub …`: set up the team hub and manage its people (admins).

    hub init URL [--admin NAME EMAIL]   create or upgrade the hub (an owner connection)
    hub login URL EMAIL                 check a login and keep its password in the keyring
    hub add-user NAME EMAIL --role R    a login for a person; prints a one-time password
    hub set-role EMAIL ROLE             hub remove-user EMAIL
    hub users [--json]                  hub status [--json]
    hub audit verify                    check the hub's audit chain

Except `init`, each acts as the login in the hub address (--hub, else the hub.url
setting); the password comes from the address, the keyring (`hub login`), or PGPASSWORD
and ~/.pgpass, as libpq reads them.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from satchel.cli.cmd_users import person_arguments
from satchel.cli.output import EXIT_FAILED, EXIT_OK, print_json, safe
from satchel.core.domain.users import Role
from satchel.core.errors import ValidationError
from satchel.core.services.hub import HubAdmin
from satchel.core.settings import Settings


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser("hub", help="set up the team hub and manage its people")
    actions = parser.add_subparsers(dest="hub_action", metavar="ACTION", required=True)

    def action(name: str, run: object, help_text: str) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, help=help_text)
        if name not in ("init", "login"):
            sub.add_argument("--hub", metavar="URL", help="the hub's address (default: hub.url)")
        sub.set_defaults(run_closed=run, writes=False)
        return sub

    init = action("init", run_init, "create or upgrade the hub's schema (safe to run twice)")
    init.add_argument(
        "url", metavar="URL", help="an owner connection, e.g. postgresql://postgres@db/satchel"
    )
    init.add_argument("--admin", nargs=2, metavar=("NAME", "EMAIL"),
                      help="make this person the hub's first admin (when it has none)")  # fmt: skip
    login = action("login", run_login, "sign in to the hub; the password goes to the keyring")
    login.add_argument(
        "url", metavar="URL", help="the hub, e.g. postgresql://hub.example.com/satchel"
    )
    login.add_argument("email", help="your login (the email the admin added you with)")
    login.add_argument("--password-stdin", action="store_true",
                       help="read the password from standard input (for scripts)")  # fmt: skip
    add = action("add-user", run_add, "give a person a login (admins)")
    person_arguments(add)
    role = action("set-role", run_set_role, "change a person's role (admins)")
    role.add_argument("email")
    role.add_argument("role", type=Role, choices=list(Role))
    remove = action("remove-user", run_remove, "revoke a person's login; history is kept (admins)")
    remove.add_argument("email")
    users = action("users", run_users, "list the hub's people (admins)")
    users.add_argument("--json", action="store_true")
    status = action("status", run_status, "schema, counts, devices and their last sync (admins)")
    status.add_argument("--json", action="store_true")
    audit = action("audit", run_audit, "check the hub's audit chain (admins)")
    audit.add_argument("audit_action", choices=["verify"])


def hub_address(given: str | None) -> str:
    """--hub, else the hub.url setting; refused when neither names a hub."""
    url = given or str(Settings.default().value("hub.url"))
    if not url:
        raise ValidationError(["Say which hub: --hub postgresql://you@hub.example.com/satchel, "
                               "or set hub.url."])  # fmt: skip
    return url


def _hub(args: argparse.Namespace) -> HubAdmin:
    return HubAdmin(hub_address(args.hub))


def run_init(args: argparse.Namespace) -> int:
    report = HubAdmin(args.url).init(tuple(args.admin) if args.admin else None)
    if report.before == report.after:
        print(f"The hub is up to date (schema {report.after}).")
    elif report.before is None:
        print(f"The hub is set up (schema {report.after}).")
    else:
        print(f"The hub was upgraded from schema {report.before} to {report.after}.")
    if report.admin_login:
        _print_login(report.admin_login, report.admin_password or "")
    elif args.admin:
        print("The hub has an admin already; nobody new was added.")
    return EXIT_OK


def _print_login(login: str, password: str) -> None:
    print(f"Login: {login}")
    print(f"One-time password: {password}")
    print("The password is shown only now. Hand it over in person or by a channel you trust; "
          "change it at the first sign-in (in psql: \\password).")  # fmt: skip


def run_login(args: argparse.Namespace) -> int:
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(f"Password for {args.email}: ")
    if not password:
        raise ValidationError(["No password was given."])
    who, address, kept = HubAdmin.login(args.url, args.email, password)
    settings = Settings.default()
    if settings.is_locked("hub.url") and settings.value("hub.url") != address:
        print(f"The hub address is set by your administrator ({settings.value('hub.url')}); "
              "it was left as it is.")  # fmt: skip
    else:
        settings.set("hub.url", address)
    print(f"Signed in to the hub as {safe(who['name'])} ({who['role']}).")
    if kept:
        print("The password is kept in this computer's keyring, not in Satchel's settings.")
    else:
        print("No keyring is available on this computer, so the password was not kept: "
              "you will be asked again (or set PGPASSWORD or ~/.pgpass).")  # fmt: skip
    return EXIT_OK


def run_add(args: argparse.Namespace) -> int:
    created, password = _hub(args).add_user(args.name, args.email, args.role, args.title,
                                            args.phone, args.territory)  # fmt: skip
    if args.json:
        print_json({**created, "password": password})
    else:
        print(f"Added {safe(args.name)} as {args.role.value}.")
        _print_login(created["login"], password)
    return EXIT_OK


def run_set_role(args: argparse.Namespace) -> int:
    _hub(args).set_role(args.email, args.role)
    print(f"{safe(args.email)} is now {args.role.value}.")
    return EXIT_OK


def run_remove(args: argparse.Namespace) -> int:
    _hub(args).remove_user(args.email)
    print(f"{safe(args.email)} can no longer sign in to the hub; their history stays.")
    return EXIT_OK


def run_users(args: argparse.Namespace) -> int:
    people = _hub(args).people()
    if args.json:
        print_json(people)
        return EXIT_OK
    for person in people:
        state = "" if person.active else "  (removed)"
        print(f"{safe(person.email):40} {person.role:9} {safe(person.name)}{state}")
    return EXIT_OK


def run_status(args: argparse.Namespace) -> int:
    status = _hub(args).status()
    if args.json:
        print_json(status)
        return EXIT_OK
    print(f"Hub {status.where}: schema {status.schema_revision}, revision {status.revision:,}, "
          f"{status.database_bytes / 1e6:,.1f} MB")  # fmt: skip
    for table, count in status.counts.items():
        print(f"  {table.replace('_', ' '):22} {count:>12,}")
    print(f"Devices: {len(status.devices)}")
    for device in status.devices:
        seen = device.last_seen[:16].replace("T", " ") or "never"
        print(f"  {safe(device.owner):30} {safe(device.name):24} last sync {seen}")
    return EXIT_OK


def run_audit(args: argparse.Namespace) -> int:
    checked, problem = _hub(args).verify_audit()
    if problem is None:
        print(f"The hub's audit chain is whole: {checked:,} events verified.")
        return EXIT_OK
    print(f"The hub's audit chain is broken: {problem}")
    return EXIT_FAILED
