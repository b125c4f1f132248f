"""Search: a dirty flag per asset for the index, and the log of low-result searches.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("search_dirty", sa.Integer(), nullable=False, server_default="1")
        )
    op.create_table(
        "search_log",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("results", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=True),
        sa.Column("at", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_search_log_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_log")),
        sqlite_strict=True,
    )
    with op.batch_alter_table("search_log", schema=None) as batch_op:
        batch_op.create_index("ix_search_log_at", ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("search_log", schema=None) as batch_op:
        batch_op.drop_index("ix_search_log_at")
    op.drop_table("search_log")
    with op.batch_alter_table("assets", schema=None) as batch_op:
        batch_op.drop_column("search_dirty")
