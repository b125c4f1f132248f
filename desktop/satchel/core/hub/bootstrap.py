"""`satchel hub init`: the roles, the two schemas and the migrations, in one transaction,
safe to run again (it then only upgrades).

Run by an administrator with a connection that may create roles (a superuser, or a
managed service's admin role with CREATEROLE). Everything is created as `satchel_owner`,
a NOLOGIN role, so no person's login owns the tables it is policed by.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text

from satchel.core.hub.connection import HubError, connect, hub_errors, where
from satchel.core.hub.scram import new_password, verifier

if TYPE_CHECKING:
    from alembic.config import Config

OWNER = "satchel_owner"
GROUPS = ("satchel_rep", "satchel_marketer", "satchel_admin")
SCRIPTS = Path(__file__).with_name("migrations")
REVISIONS = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
)  # oldest first; a test checks this against Alembic's list

ROLES = f"""
DO $$
DECLARE name text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{OWNER}') THEN
        CREATE ROLE {OWNER} NOLOGIN CREATEROLE;
    END IF;
    FOREACH name IN ARRAY ARRAY{list(GROUPS)!r} LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = name) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', name);
        END IF;
    END LOOP;
END $$;
GRANT {", ".join(GROUPS)} TO {OWNER} WITH ADMIN OPTION;
GRANT {OWNER} TO CURRENT_USER;
CREATE SCHEMA IF NOT EXISTS satchel AUTHORIZATION {OWNER};
CREATE SCHEMA IF NOT EXISTS api AUTHORIZATION {OWNER};
REVOKE ALL ON SCHEMA satchel, api FROM PUBLIC;
GRANT USAGE ON SCHEMA satchel, api TO {", ".join(GROUPS)};
ALTER DEFAULT PRIVILEGES FOR ROLE {OWNER} REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
"""


@dataclass(frozen=True)
class InitReport:
    """What `hub init` did."""

    before: str | None  # the schema revision found (None: a new hub)
    after: str
    admin_login: str | None = None  # the first admin, when this run made one
    admin_password: str | None = None


def _config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for the hub's scripts (with the connection to run on)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    config.attributes["connection"] = connection
    return config


def alembic_revisions() -> list[str]:
    from alembic.script import ScriptDirectory

    walked = ScriptDirectory.from_config(_config()).walk_revisions()
    return [rev.revision for rev in reversed(list(walked))]


def schema_revision(connection: Connection) -> str | None:
    found = connection.execute(text("SELECT to_regclass('satchel.alembic_version')")).scalar()
    if found is None:
        return None
    return connection.execute(text("SELECT version_num FROM satchel.alembic_version")).scalar()


def init_hub(url: str, admin: tuple[str, str] | None = None, target: str = "head") -> InitReport:
    """Create or upgrade the hub at `url` (to `target`: tests try upgrades from older
    schemas); `admin` (name, email) becomes its first admin when it has none yet."""
    from alembic import command

    engine = connect(url)
    try:
        with hub_errors(url), engine.begin() as connection:
            raw = connection.connection.driver_connection
            assert raw is not None
            _require_version(connection, url)
            raw.execute(ROLES)
            before = schema_revision(connection)
            connection.execute(text(f"SET LOCAL ROLE {OWNER}"))
            command.upgrade(_config(connection), target)
            after = schema_revision(connection) or REVISIONS[-1]
            login = password = None
            if admin is not None and not _has_admin(connection):
                password = new_password()
                login = connection.execute(
                    text("SELECT (satchel.create_person(:name, :email, 'admin', :verifier)).login"),
                    {"name": admin[0], "email": admin[1], "verifier": verifier(password)},
                ).scalar()
        return InitReport(before, after, login, password)
    finally:
        engine.dispose()


MINIMUM_SERVER = 150000  # PostgreSQL 15: security_invoker views, no CREATE on public


def _require_version(connection: Connection, url: str) -> None:
    number = int(connection.execute(text("SHOW server_version_num")).scalar() or 0)
    if number < MINIMUM_SERVER:
        version = connection.execute(text("SHOW server_version")).scalar()
        raise HubError(f"The hub needs PostgreSQL 15 or newer; the server at {where(url)} "
                       f"runs {version}.")  # fmt: skip


def _has_admin(connection: Connection) -> bool:
    return bool(connection.execute(text(
        "SELECT EXISTS (SELECT 1 FROM satchel.profiles WHERE role = 'admin' AND active)"
    )).scalar())  # fmt: skip
