"""Sync conflicts: a metadata edit made here against an older hub revision, kept with
the hub's version until the marketer chooses (mine, theirs, or field by field); and the
mark of a logged search not yet sent to the hub; and whether a file the library knows is
kept on this laptop (the team's files are fetched for the collections kept here).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("asset_id", sa.Text(), nullable=False),
        sa.Column("mine", sa.Text(), nullable=False),
        sa.Column("theirs", sa.Text(), nullable=False),
        sa.Column("theirs_rev", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("resolved_at", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.id"], name=op.f("fk_sync_conflicts_asset_id_assets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflicts")),
        sqlite_strict=True,
    )
    op.create_index(op.f("ix_sync_conflicts_asset_id"), "sync_conflicts", ["asset_id"])
    op.add_column("search_log", sa.Column("dirty", sa.Integer(), server_default="1",
                                          nullable=False))  # fmt: skip
    op.add_column("blobs", sa.Column("stored", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    op.drop_column("blobs", "stored")
    op.drop_column("search_log", "dirty")
    op.drop_index(op.f("ix_sync_conflicts_asset_id"), table_name="sync_conflicts")
    op.drop_table("sync_conflicts")
