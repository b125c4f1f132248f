"""Alembic environment for the hub: runs on the connection `bootstrap` hands in, as the
hub's owner role, with the version table inside the hub's own schema."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, version_table_schema="satchel")
with context.begin_transaction():
    context.run_migrations()
