"""api.put_library_rows: a marketer's laptop sends the tags on assets, the collections
and the search synonyms made or changed there, so the whole team sees them.

A tag is one per name on the hub: a tag made on two laptops becomes one, and the answer
gives each laptop the hub's id for its own. Links (an asset's tag, a collection's asset)
are one per pair. A removed row is sent as a tombstone (deleted), as every table keeps.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from __future__ import annotations

from satchel.core.hub.migrations import run_sql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

PATH = "SET search_path = pg_catalog, satchel, pg_temp"

UPGRADE = f"""
CREATE FUNCTION api.put_library_rows(mutation uuid, kind text, body jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER {PATH} AS $$
DECLARE
    me satchel.profiles := satchel.actor();
    done jsonb := satchel.replayed(mutation, me);
    item jsonb;
    gone boolean;
    hub_id uuid;
    ids jsonb := '{{}}';
BEGIN
    IF done IS NOT NULL THEN RETURN done; END IF;
    PERFORM satchel.require(me, ARRAY['marketer', 'admin'], 'change the team library');
    IF jsonb_typeof(body -> 'rows') IS DISTINCT FROM 'array'
       OR jsonb_array_length(body -> 'rows') > 5000 OR length(body::text) > 5000000 THEN
        RAISE EXCEPTION 'Send at most 5,000 rows and 5 MB at a time.' USING ERRCODE = 'SA422';
    END IF;
    FOR item IN SELECT * FROM jsonb_array_elements(body -> 'rows') LOOP
        gone := coalesce((item ->> 'deleted')::boolean, false);
        IF kind = 'tags' THEN
            UPDATE satchel.tags SET name = satchel.text_value(item, 'name', 200), deleted = gone
             WHERE id = (item ->> 'id')::uuid RETURNING id INTO hub_id;
            IF hub_id IS NULL THEN
                INSERT INTO satchel.tags AS t (id, name, deleted)
                VALUES ((item ->> 'id')::uuid, satchel.text_value(item, 'name', 200), gone)
                ON CONFLICT (name) DO UPDATE SET deleted = t.deleted AND excluded.deleted
                RETURNING id INTO hub_id;
            END IF;
            ids := ids || jsonb_build_object(item ->> 'id', hub_id);
            hub_id := NULL;
        ELSIF kind = 'asset_tags' THEN
            INSERT INTO satchel.asset_tags (id, asset_id, tag_id, position, deleted)
            VALUES ((item ->> 'id')::uuid, (item ->> 'asset_id')::uuid,
                    (item ->> 'tag_id')::uuid, coalesce((item ->> 'position')::int, 0), gone)
            ON CONFLICT (asset_id, tag_id) DO UPDATE SET position = excluded.position,
                deleted = excluded.deleted;
        ELSIF kind = 'collections' THEN
            INSERT INTO satchel.collections (id, name, description, shared_roles,
                                             shared_territories, deleted)
            VALUES ((item ->> 'id')::uuid, satchel.text_value(item, 'name', 200),
                    satchel.text_value(item, 'description', 5000),
                    coalesce(item -> 'shared_roles', '["admin", "marketer", "rep"]'),
                    coalesce(item -> 'shared_territories', '[]'), gone)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name,
                description = excluded.description, shared_roles = excluded.shared_roles,
                shared_territories = excluded.shared_territories, deleted = excluded.deleted;
        ELSIF kind = 'collection_assets' THEN
            INSERT INTO satchel.collection_assets (id, collection_id, asset_id, position, deleted)
            VALUES ((item ->> 'id')::uuid, (item ->> 'collection_id')::uuid,
                    (item ->> 'asset_id')::uuid, coalesce((item ->> 'position')::int, 0), gone)
            ON CONFLICT (collection_id, asset_id) DO UPDATE SET position = excluded.position,
                deleted = excluded.deleted;
        ELSIF kind = 'synonyms' THEN
            INSERT INTO satchel.synonyms (id, term, equivalent, both_ways, position, deleted)
            VALUES ((item ->> 'id')::uuid, satchel.text_value(item, 'term', 200),
                    satchel.text_value(item, 'equivalent', 200),
                    coalesce((item ->> 'both_ways')::boolean, true),
                    coalesce((item ->> 'position')::int, 0), gone)
            ON CONFLICT (id) DO UPDATE SET term = excluded.term,
                equivalent = excluded.equivalent, both_ways = excluded.both_ways,
                position = excluded.position, deleted = excluded.deleted;
        ELSE
            RAISE EXCEPTION 'The hub keeps no rows of the kind %.', kind USING ERRCODE = 'SA422';
        END IF;
    END LOOP;
    RETURN satchel.remember(mutation, me, 'library.' || kind,
                            jsonb_build_object('rows', jsonb_array_length(body -> 'rows'),
                                               'ids', ids));
EXCEPTION
    WHEN unique_violation THEN
        RAISE EXCEPTION 'Another tag on the hub has that name already.' USING ERRCODE = 'SA409';
    WHEN foreign_key_violation THEN
        RAISE EXCEPTION 'It names an asset, tag or collection not on the hub yet.'
            USING ERRCODE = 'SA404';
END $$;
REVOKE ALL ON FUNCTION api.put_library_rows(uuid, text, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION api.put_library_rows(uuid, text, jsonb)
    TO satchel_marketer, satchel_admin;
"""


def upgrade() -> None:
    run_sql(UPGRADE)


def downgrade() -> None:
    run_sql("DROP FUNCTION api.put_library_rows(uuid, text, jsonb)")
