"""A partial index on the assets the search index has not seen yet.

Every search asks for them; without the index that was a scan of the whole table.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_assets_search_dirty", "assets", ["id"],
                    sqlite_where=sa.text("search_dirty = 1"),
                    postgresql_where=sa.text("search_dirty = 1"))  # fmt: skip


def downgrade() -> None:
    op.drop_index("ix_assets_search_dirty", table_name="assets")
