"""api.put_page_texts: a marketer's laptop sends the text it extracted from a version's
pages, so every laptop's search finds the words without parsing the file itself.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

from satchel.core.hub.migrations import run_sql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

PATH = "SET search_path = pg_catalog, satchel, pg_temp"

UPGRADE = f"""
CREATE FUNCTION api.put_page_texts(mutation uuid, version_id uuid, texts jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER {PATH} AS $$
DECLARE
    me satchel.profiles := satchel.actor();
    done jsonb := satchel.replayed(mutation, me);
    version satchel.asset_versions;
    count integer;
BEGIN
    IF done IS NOT NULL THEN RETURN done; END IF;
    PERFORM satchel.require(me, ARRAY['marketer', 'admin'], 'publish assets');
    SELECT * INTO version FROM satchel.asset_versions WHERE id = version_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'This version has not reached the hub yet.' USING ERRCODE = 'SA404';
    END IF;
    IF jsonb_typeof(texts) IS DISTINCT FROM 'array' OR jsonb_array_length(texts) > 5000
       OR length(texts::text) > 20000000 THEN
        RAISE EXCEPTION 'The pages'' text must be a list of at most 5,000 pages and 20 MB.'
            USING ERRCODE = 'SA422';
    END IF;
    INSERT INTO satchel.page_texts (version_id, asset_id, page, text)
    SELECT version.id, version.asset_id, (item ->> 'page')::int, coalesce(item ->> 'text', '')
      FROM jsonb_array_elements(texts) item
    ON CONFLICT ON CONSTRAINT page_texts_version_id_page_key
        DO UPDATE SET text = excluded.text, deleted = false;
    GET DIAGNOSTICS count = ROW_COUNT;
    RETURN satchel.remember(mutation, me, 'asset.texts',
                            jsonb_build_object('version', version.id, 'pages', count));
END $$;
REVOKE ALL ON FUNCTION api.put_page_texts(uuid, uuid, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.put_page_texts(uuid, uuid, jsonb) TO satchel_marketer, satchel_admin;
"""


def upgrade() -> None:
    run_sql(UPGRADE)


def downgrade() -> None:
    run_sql("DROP FUNCTION api.put_page_texts(uuid, uuid, jsonb)")
