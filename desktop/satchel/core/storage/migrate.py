"""Schema migrations with Alembic, run programmatically on open."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

if TYPE_CHECKING:
    from alembic.config import Config

_SCRIPTS = Path(__file__).with_name("migrations")

# The revisions in migrations/versions, oldest first; a test checks this against
# Alembic's own list. Knowing them without Alembic keeps opening a library fast:
# Alembic is imported only when a migration really runs.
REVISIONS = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
    "0009",
    "0010",
    "0011",
    "0012",
    "0013",
    "0014",
)


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    return config


def alembic_revisions() -> list[str]:
    """The revisions as Alembic reads them from the scripts, oldest first."""
    from alembic.script import ScriptDirectory

    walked = ScriptDirectory.from_config(_config()).walk_revisions()
    return [rev.revision for rev in reversed(list(walked))]


def head_revision() -> str:
    """The newest schema revision this version of Satchel knows."""
    return REVISIONS[-1]


def known_revisions() -> set[str]:
    """Every revision this version knows (older libraries are at one of these)."""
    return set(REVISIONS)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        found = connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).first()
        if found is None:
            return None
        row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        return row[0] if row else None


def _run(engine: Engine, action: str, target: str) -> None:
    """Run Alembic with foreign keys off: SQLite batch mode rebuilds tables by copying,
    which a live foreign key would refuse. Keys are checked again before committing."""
    from alembic import command

    config = _config()
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None  # an open pysqlite connection
        raw.execute("PRAGMA foreign_keys=OFF")  # only takes effect outside a transaction
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                getattr(command, action)(config, target)
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration left {len(broken)} broken references")
        finally:
            raw.execute("PRAGMA foreign_keys=ON")


def upgrade(engine: Engine, target: str = "head") -> None:
    """Bring the database to `target` in one transaction."""
    _run(engine, "upgrade", target)


def downgrade(engine: Engine, target: str) -> None:
    """Take the database back to `target` (tests and support use this)."""
    _run(engine, "downgrade", target)
