"""The hub schema's Alembic scripts (run by `satchel.core.hub.bootstrap`)."""

from __future__ import annotations

from alembic import op


def run_sql(sql: str) -> None:
    """Run SQL as written, through the driver: a % or :name in a function body stays
    text instead of becoming a parameter."""
    op.get_bind().connection.driver_connection.execute(sql)  # type: ignore[union-attr]
