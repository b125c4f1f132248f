"""Field notes, content requests, their +1s and answers, initiatives and marketing's
lists share the feedback table: `ref_key` names the record one refers to (the request a
+1 or an answer is for, the note a triage is for, a list entry's name), and the lists
of one kind are read newest first.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("feedback", sa.Column("ref_key", sa.Text(), nullable=False, server_default=""))
    op.create_index("ix_feedback_kind_at", "feedback", ["kind", "at"])
    op.create_index("ix_feedback_kind_ref", "feedback", ["kind", "ref_key"])


def downgrade() -> None:
    op.drop_index("ix_feedback_kind_ref", table_name="feedback")
    op.drop_index("ix_feedback_kind_at", table_name="feedback")
    with op.batch_alter_table("feedback") as batch:
        batch.drop_column("ref_key")
