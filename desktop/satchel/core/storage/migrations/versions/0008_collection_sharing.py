"""Whom a collection is shared with: roles and territories (everyone until changed).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

EVERYONE = '["admin", "marketer", "rep"]'


def upgrade() -> None:
    op.add_column("collections", sa.Column("shared_roles", sa.Text(), nullable=False,
                                           server_default=EVERYONE))  # fmt: skip
    op.add_column("collections", sa.Column("shared_territories", sa.Text(), nullable=False,
                                           server_default="[]"))  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table("collections") as batch_op:
        batch_op.drop_column("shared_territories")
        batch_op.drop_column("shared_roles")
