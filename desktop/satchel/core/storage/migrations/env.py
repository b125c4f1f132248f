"""Alembic environment: always runs on a connection handed in by `satchel.core.storage.migrate`."""

from __future__ import annotations

from alembic import context

from satchel.core.storage.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode rebuilds tables
)
with context.begin_transaction():
    context.run_migrations()
