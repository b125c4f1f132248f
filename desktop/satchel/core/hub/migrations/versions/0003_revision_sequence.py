"""Server revisions from a sequence under a transaction-scoped advisory lock, instead of
bumping a counter row.

Both hold one per-team lock until commit, so revisions still commit in the order given
and a pull by cursor never skips a late commit. But a counter row gets a new tuple
version on every write, and within one transaction each bump walks all the earlier
versions of that row: a transaction writing n rows cost O(n²) (building a 100,000-event
chain in one transaction ran for over nine minutes). A sequence has no row versions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

from __future__ import annotations

from satchel.core.hub.migrations import run_sql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

GROUPS = "satchel_rep, satchel_marketer, satchel_admin"
PATH = "SET search_path = pg_catalog, satchel, pg_temp"
TEAM_LOCK = 7_354_410_001  # the advisory lock key of revision assignment (one team per hub)


def register_device(revision: str) -> str:
    """api.register_device answering with `revision`, the SQL of the current revision."""
    return f"""
CREATE OR REPLACE FUNCTION api.register_device(device uuid, device_name text) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER {PATH} AS $$
DECLARE me satchel.profiles := satchel.actor();
BEGIN
    INSERT INTO satchel.devices (id, profile_id, name, last_seen)
    VALUES (device, me.id, left(device_name, 200), now())
    ON CONFLICT (id) DO UPDATE SET last_seen = now(), name = excluded.name
        WHERE satchel.devices.profile_id = me.id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'This device is registered to someone else.' USING ERRCODE = '42501';
    END IF;
    RETURN jsonb_build_object('id', device, 'revision', {revision});
END $$;"""


UPGRADE = f"""
CREATE SEQUENCE satchel.revisions AS bigint;
SELECT setval('satchel.revisions', greatest(revision, 1), revision > 0) FROM satchel.hub_state;
REVOKE ALL ON SEQUENCE satchel.revisions FROM PUBLIC;
GRANT SELECT ON SEQUENCE satchel.revisions TO {GROUPS};
ALTER TABLE satchel.hub_state DROP COLUMN revision;

CREATE OR REPLACE FUNCTION satchel.next_revision() RETURNS bigint
LANGUAGE plpgsql {PATH} AS $$
BEGIN
    PERFORM pg_advisory_xact_lock({TEAM_LOCK});
    RETURN nextval('satchel.revisions');
END $$;

-- The last revision given out (0 on a new hub): where a new laptop's cursor starts.
CREATE FUNCTION satchel.current_revision() RETURNS bigint
LANGUAGE sql STABLE {PATH} AS $$
    SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM satchel.revisions
$$;

{register_device("satchel.current_revision()")}
REVOKE ALL ON FUNCTION satchel.current_revision() FROM PUBLIC;
"""

DOWNGRADE = f"""
ALTER TABLE satchel.hub_state ADD COLUMN revision bigint NOT NULL DEFAULT 0;
UPDATE satchel.hub_state SET revision = satchel.current_revision();
CREATE OR REPLACE FUNCTION satchel.next_revision() RETURNS bigint
LANGUAGE sql {PATH} AS $$
    UPDATE satchel.hub_state SET revision = revision + 1 RETURNING revision
$$;
{register_device("(SELECT revision FROM satchel.hub_state)")}
DROP FUNCTION satchel.current_revision();
DROP SEQUENCE satchel.revisions;
"""


def upgrade() -> None:
    run_sql(UPGRADE)


def downgrade() -> None:
    run_sql(DOWNGRADE)
