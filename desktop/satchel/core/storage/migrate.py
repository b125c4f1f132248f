"""Schema migrations with Alembic, run programmatically on open."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

_SCRIPTS = Path(__file__).with_name("migrations")


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    return config


def head_revision() -> str:
    """The newest schema revision this version of Satchel knows."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    """Every revision this version knows (older libraries are at one of these)."""
    return {rev.revision for rev in ScriptDirectory.from_config(_config()).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _run(engine: Engine, action: str, target: str) -> None:
    """Run Alembic with foreign keys off: SQLite batch mode rebuilds tables by copying,
    which a live foreign key would refuse. Keys are checked again before committing."""
    config = _config()
    with engine.connect() as connection:
        raw = connection.connection.driver_connection
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
