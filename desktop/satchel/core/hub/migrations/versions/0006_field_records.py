"""Field records the whole team reads: content requests, their +1s and marketing's
answers, sales initiatives, the competitor list and the objection tags (the rest of
the feedback table stays with its writer and marketing). Marketing's kinds — the lists,
the answers, the triage of notes — are written by marketers and admins only.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

from satchel.core.hub.migrations import record_feedback_sql, run_sql

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

GROUPS = "satchel_rep, satchel_marketer, satchel_admin"
SHARED = "('ask', 'vote', 'initiative', 'competitor', 'objection tag', 'answer')"
MARKETING_KINDS = "('competitor', 'objection tag', 'answer', 'triage')"


GUARD = f"""
    IF body ->> 'kind' IN {MARKETING_KINDS} THEN
        PERFORM satchel.require(me, ARRAY['marketer', 'admin'],
                                'answer the field and keep its lists');
    END IF;"""


def upgrade() -> None:
    run_sql(f"CREATE POLICY shared_read ON satchel.feedback FOR SELECT TO {GROUPS} "
            f"USING (kind IN {SHARED})")  # fmt: skip
    run_sql(record_feedback_sql(GUARD))


def downgrade() -> None:
    run_sql(record_feedback_sql(""))
    run_sql("DROP POLICY shared_read ON satchel.feedback")
