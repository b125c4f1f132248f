"""Feedback from the field: a rep's word on an asset (used with a customer, the account,
a rating, what was missing, objections, a competitor) and an account's outcome.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("asset_id", sa.Text(), nullable=True),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("account_key", sa.Text(), nullable=False),
        sa.Column("id", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.Text(), nullable=False),
        sa.Column("hub_rev", sa.Integer(), nullable=True),
        sa.Column("dirty", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["asset_id"], ["assets.id"], name=op.f("fk_feedback_asset_id_assets")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_feedback_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback")),
        sqlite_strict=True,
    )
    op.create_index("ix_feedback_asset_at", "feedback", ["asset_id", "at"])
    op.create_index("ix_feedback_user_at", "feedback", ["user_id", "at"])
    op.create_index("ix_feedback_account", "feedback", ["account_key"])


def downgrade() -> None:
    op.drop_index("ix_feedback_account", table_name="feedback")
    op.drop_index("ix_feedback_user_at", table_name="feedback")
    op.drop_index("ix_feedback_asset_at", table_name="feedback")
    op.drop_table("feedback")
