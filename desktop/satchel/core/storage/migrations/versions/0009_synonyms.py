"""Search synonyms kept by marketing ("spec sheet" = "datasheet").

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "synonyms",
        sa.Column("term", sa.Text(), nullable=False),
        sa.Column("equivalent", sa.Text(), nullable=False),
        sa.Column("both_ways", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.Column("hub_rev", sa.Integer(), nullable=True),
        sa.Column("dirty", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_synonyms")),
        sqlite_strict=True,
    )


def downgrade() -> None:
    op.drop_table("synonyms")
