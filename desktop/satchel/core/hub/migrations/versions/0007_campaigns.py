"""Campaigns: a launch, its date and the collateral it needs, kept by marketing as field
records of the kind 'campaign'. The whole team reads them (reps see what is coming and
what is ready); only marketers and admins write them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from __future__ import annotations

from satchel.core.hub.migrations import record_feedback_sql, run_sql

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

GROUPS = "satchel_rep, satchel_marketer, satchel_admin"
SHARED = "('ask', 'vote', 'initiative', 'competitor', 'objection tag', 'answer', 'campaign')"
MARKETING_KINDS = "('competitor', 'objection tag', 'answer', 'triage', 'campaign')"
BEFORE = ("('ask', 'vote', 'initiative', 'competitor', 'objection tag', 'answer')",
          "('competitor', 'objection tag', 'answer', 'triage')")  # fmt: skip


def _kinds(shared: str, marketing: str) -> None:
    run_sql("DROP POLICY IF EXISTS shared_read ON satchel.feedback")
    run_sql(f"CREATE POLICY shared_read ON satchel.feedback FOR SELECT TO {GROUPS} "
            f"USING (kind IN {shared})")  # fmt: skip
    run_sql(
        record_feedback_sql(f"""
    IF body ->> 'kind' IN {marketing} THEN
        PERFORM satchel.require(me, ARRAY['marketer', 'admin'],
                                'answer the field and keep its lists');
    END IF;""")
    )


def upgrade() -> None:
    _kinds(SHARED, MARKETING_KINDS)


def downgrade() -> None:
    _kinds(*BEFORE)
