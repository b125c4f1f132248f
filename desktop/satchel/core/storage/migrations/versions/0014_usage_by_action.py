"""The insights read qualifying uses of a period: usage events by action and time, so a
quarter of a million-event table is an index range, not a scan.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_usage_events_action_at", "usage_events", ["action", "at"])


def downgrade() -> None:
    op.drop_index("ix_usage_events_action_at", table_name="usage_events")
