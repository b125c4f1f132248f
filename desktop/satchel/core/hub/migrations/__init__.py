"""The hub schema's Alembic scripts (run by `satchel.core.hub.bootstrap`)."""

from __future__ import annotations

from alembic import op


def run_sql(sql: str) -> None:
    """Run SQL as written, through the driver: a % or :name in a function body stays
    text instead of becoming a parameter."""
    op.get_bind().connection.driver_connection.execute(sql)  # type: ignore[union-attr]


def record_feedback_sql(guard: str) -> str:
    """api.record_feedback, with `guard` checking who may write the kind given."""
    return f"""
CREATE OR REPLACE FUNCTION api.record_feedback(mutation uuid, body jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, satchel, pg_temp AS $$
DECLARE
    me satchel.profiles := satchel.actor();
BEGIN
    IF length(coalesce(body::text, '')) > 20000 THEN
        RAISE EXCEPTION 'This feedback is too long to keep.' USING ERRCODE = 'SA422';
    END IF;{guard}
    INSERT INTO satchel.feedback (id, asset_id, user_id, kind, at, body)
    VALUES (mutation, (body ->> 'asset_id')::uuid, me.id, satchel.text_value(body, 'kind', 40),
            coalesce((body ->> 'at')::timestamptz, now()), coalesce(body -> 'body', '{{}}'))
    ON CONFLICT (id) DO NOTHING;
    RETURN jsonb_build_object('id', mutation);
END $$;
"""
