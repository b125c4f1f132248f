"""Who added a version of an asset, and what changed against the one before.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("asset_versions", sa.Column("added_by", sa.Text(), nullable=True))
    op.add_column("asset_versions", sa.Column("changes", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("asset_versions") as batch_op:
        batch_op.drop_column("changes")
        batch_op.drop_column("added_by")
