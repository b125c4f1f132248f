"""The hub's tables: what the team shares, each row with the sync columns, row-level
security forced on every table, SELECT for the three group roles through policies and
no other privilege; the audit table append-only.

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""

from __future__ import annotations

from satchel.core.hub.migrations import run_sql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

GROUPS = "satchel_rep, satchel_marketer, satchel_admin"

# Every shared row: the client's UUID, the server revision a pull's cursor follows, the
# tombstone, who changed it and when (server time). The stamp trigger fills the last four.
SYNC = """
    rev bigint NOT NULL DEFAULT 0,
    deleted boolean NOT NULL DEFAULT false,
    changed_by uuid,
    changed_at timestamptz NOT NULL DEFAULT now()"""

TABLES = {
    "profiles": """
    id uuid PRIMARY KEY,
    login name NOT NULL UNIQUE,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email text NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 320),
    title text NOT NULL DEFAULT '',
    phone text NOT NULL DEFAULT '',
    territory text NOT NULL DEFAULT '',
    role text NOT NULL CHECK (role IN ('rep', 'marketer', 'admin')),
    active boolean NOT NULL DEFAULT true,""",
    "devices": """
    id uuid PRIMARY KEY,
    profile_id uuid NOT NULL REFERENCES satchel.profiles,
    name text NOT NULL DEFAULT '',
    last_seen timestamptz,
    last_pull_rev bigint NOT NULL DEFAULT 0,""",
    "blobs": """
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    sha256 text NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size bigint NOT NULL CHECK (size >= 0),
    file_type text NOT NULL,
    chunk_count integer NOT NULL CHECK (chunk_count >= 0),
    complete boolean NOT NULL DEFAULT false,""",
    "blob_chunks": """
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    sha256 text NOT NULL REFERENCES satchel.blobs (sha256),
    chunk integer NOT NULL CHECK (chunk >= 0),
    data bytea NOT NULL,
    UNIQUE (sha256, chunk),""",
    "assets": """
    id uuid PRIMARY KEY,
    title text NOT NULL,
    summary text NOT NULL DEFAULT '',
    kind text NOT NULL,
    product text NOT NULL DEFAULT '',
    audience text NOT NULL DEFAULT '',
    funnel_stage text,
    region text NOT NULL DEFAULT '',
    language text NOT NULL DEFAULT '',
    owner text NOT NULL DEFAULT '',
    status text NOT NULL CHECK (status IN ('draft', 'published', 'retired')),
    expires_on date,
    review_on date,""",
    "asset_versions": """
    id uuid PRIMARY KEY,
    asset_id uuid NOT NULL REFERENCES satchel.assets,
    number integer NOT NULL,
    blob_sha256 text NOT NULL REFERENCES satchel.blobs (sha256),
    original_name text NOT NULL,
    page_count integer NOT NULL,
    width integer,
    height integer,
    warnings jsonb NOT NULL DEFAULT '[]',
    added_by uuid,
    changes jsonb,
    UNIQUE (asset_id, number),""",
    "page_texts": """
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    version_id uuid NOT NULL REFERENCES satchel.asset_versions,
    asset_id uuid NOT NULL REFERENCES satchel.assets,
    page integer NOT NULL,
    text text NOT NULL,
    UNIQUE (version_id, page),""",
    "tags": """
    id uuid PRIMARY KEY,
    name text NOT NULL UNIQUE,""",
    "asset_tags": """
    id uuid PRIMARY KEY,
    asset_id uuid NOT NULL REFERENCES satchel.assets,
    tag_id uuid NOT NULL REFERENCES satchel.tags,
    position integer NOT NULL DEFAULT 0,
    UNIQUE (asset_id, tag_id),""",
    "collections": """
    id uuid PRIMARY KEY,
    name text NOT NULL,
    description text NOT NULL DEFAULT '',
    shared_roles jsonb NOT NULL DEFAULT '["admin", "marketer", "rep"]',
    shared_territories jsonb NOT NULL DEFAULT '[]',""",
    "collection_assets": """
    id uuid PRIMARY KEY,
    collection_id uuid NOT NULL REFERENCES satchel.collections,
    asset_id uuid NOT NULL REFERENCES satchel.assets,
    position integer NOT NULL DEFAULT 0,
    UNIQUE (collection_id, asset_id),""",
    "synonyms": """
    id uuid PRIMARY KEY,
    term text NOT NULL,
    equivalent text NOT NULL,
    both_ways boolean NOT NULL DEFAULT true,
    position integer NOT NULL DEFAULT 0,""",
    "template_versions": """
    id uuid PRIMARY KEY,
    template_id uuid NOT NULL,
    version integer NOT NULL,
    asset_id uuid NOT NULL REFERENCES satchel.assets,
    base_version_id uuid NOT NULL REFERENCES satchel.asset_versions,
    title text NOT NULL,
    fields jsonb NOT NULL,
    published_by uuid REFERENCES satchel.profiles,
    UNIQUE (template_id, version),""",
    "requests": """
    id uuid PRIMARY KEY,
    template_id uuid NOT NULL,
    template_version_id uuid NOT NULL REFERENCES satchel.template_versions,
    requester_id uuid NOT NULL REFERENCES satchel.profiles,
    customer text NOT NULL DEFAULT '',
    note text NOT NULL DEFAULT '',
    state text NOT NULL,
    round integer NOT NULL DEFAULT 1,
    "values" jsonb NOT NULL,
    values_sha256 text NOT NULL,
    approved_values jsonb,
    decided_by uuid REFERENCES satchel.profiles,
    decided_at timestamptz,
    submitted_at timestamptz,""",
    "request_rounds": """
    id uuid PRIMARY KEY,
    request_id uuid NOT NULL REFERENCES satchel.requests,
    round integer NOT NULL,
    "values" jsonb NOT NULL,
    values_sha256 text NOT NULL,
    reasons jsonb NOT NULL DEFAULT '[]',
    submitted_at timestamptz NOT NULL,
    outcome text,
    decided_by uuid REFERENCES satchel.profiles,
    decided_at timestamptz,
    UNIQUE (request_id, round),""",
    "request_events": """
    id uuid PRIMARY KEY,
    sequence bigint NOT NULL UNIQUE,
    request_id uuid NOT NULL REFERENCES satchel.requests,
    actor_id uuid NOT NULL REFERENCES satchel.profiles,
    at timestamptz NOT NULL,
    text text NOT NULL,
    previous text NOT NULL,
    hash text NOT NULL,""",
    "generated_documents": """
    id uuid PRIMARY KEY,
    template_version_id uuid NOT NULL REFERENCES satchel.template_versions,
    user_id uuid NOT NULL REFERENCES satchel.profiles,
    "values" jsonb NOT NULL,
    values_hash text NOT NULL,
    output_sha256 text NOT NULL CHECK (output_sha256 ~ '^[0-9a-f]{64}$'),
    draft boolean NOT NULL,
    request_id uuid REFERENCES satchel.requests,
    request_round integer,""",
    "usage_events": """
    id uuid PRIMARY KEY,
    asset_id uuid NOT NULL REFERENCES satchel.assets,
    user_id uuid NOT NULL REFERENCES satchel.profiles,
    action text NOT NULL,
    at timestamptz NOT NULL,
    detail jsonb NOT NULL DEFAULT '{}',""",
    "feedback": """
    id uuid PRIMARY KEY,
    asset_id uuid REFERENCES satchel.assets,
    user_id uuid NOT NULL REFERENCES satchel.profiles,
    kind text NOT NULL,
    at timestamptz NOT NULL,
    body jsonb NOT NULL DEFAULT '{}',""",
    "search_demand": """
    id uuid PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES satchel.profiles,
    query text NOT NULL,
    results integer NOT NULL,
    at timestamptz NOT NULL,""",
}

# Who reads which rows (the policies' USING clauses; the invoker's identity is
# session_user, which no session setting can change). A subquery on another table is
# filtered by that table's own policy, so "the asset is visible" is simply EXISTS.
ME = "(SELECT p.id FROM satchel.profiles p WHERE p.login = session_user AND p.active)"
MARKETING = ("EXISTS (SELECT 1 FROM satchel.profiles p WHERE p.login = session_user "
             "AND p.active AND p.role IN ('marketer', 'admin'))")  # fmt: skip
ADMIN = ("EXISTS (SELECT 1 FROM satchel.profiles p WHERE p.login = session_user "
         "AND p.active AND p.role = 'admin')")  # fmt: skip
OWN_OR_MARKETING = f"{MARKETING} OR user_id = {ME}"
MY_TERRITORY = (
    "(SELECT p.territory FROM satchel.profiles p WHERE p.login = session_user AND p.active)"
)

POLICIES = {
    # Names and roles are what the team shows each other; a removed person cannot log in.
    "profiles": "true",
    "devices": f"{ADMIN} OR profile_id = {ME}",
    "blobs": (
        f"{MARKETING} OR EXISTS (SELECT 1 FROM satchel.asset_versions v "
        "WHERE v.blob_sha256 = sha256) OR EXISTS (SELECT 1 FROM "
        "satchel.generated_documents d WHERE d.output_sha256 = sha256)"
    ),
    "blob_chunks": "EXISTS (SELECT 1 FROM satchel.blobs b WHERE b.sha256 = blob_chunks.sha256)",
    # Reps: published assets and the retired ones (so a retirement reaches their laptop).
    "assets": f"{MARKETING} OR status <> 'draft'",
    "asset_versions": "EXISTS (SELECT 1 FROM satchel.assets a WHERE a.id = asset_id)",
    "page_texts": "EXISTS (SELECT 1 FROM satchel.assets a WHERE a.id = asset_id)",
    "tags": "true",
    "asset_tags": "EXISTS (SELECT 1 FROM satchel.assets a WHERE a.id = asset_id)",
    "collections": (
        f"{MARKETING} OR (shared_roles ? 'rep' AND (shared_territories = '[]' "
        f"OR shared_territories ? {MY_TERRITORY}))"
    ),
    "collection_assets": (
        "EXISTS (SELECT 1 FROM satchel.collections c WHERE c.id = "
        "collection_id) AND EXISTS (SELECT 1 FROM satchel.assets a "
        "WHERE a.id = asset_id)"
    ),
    "synonyms": "true",
    "template_versions": "EXISTS (SELECT 1 FROM satchel.assets a WHERE a.id = asset_id)",
    "requests": f"{MARKETING} OR requester_id = {ME}",
    "request_rounds": "EXISTS (SELECT 1 FROM satchel.requests r WHERE r.id = request_id)",
    "request_events": "EXISTS (SELECT 1 FROM satchel.requests r WHERE r.id = request_id)",
    "generated_documents": OWN_OR_MARKETING,
    "usage_events": OWN_OR_MARKETING,
    "feedback": OWN_OR_MARKETING,
    "search_demand": OWN_OR_MARKETING,
}

STATE = """
CREATE TABLE satchel.hub_state (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    epoch uuid NOT NULL DEFAULT gen_random_uuid(),  -- changes when a hub is reset
    revision bigint NOT NULL DEFAULT 0,             -- the last server revision given out
    chain_sequence bigint NOT NULL DEFAULT 0,       -- the audit chain's head
    chain_head text NOT NULL DEFAULT repeat('0', 64),
    tombstones_from bigint NOT NULL DEFAULT 0,      -- tombstones older than this are purged
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO satchel.hub_state DEFAULT VALUES;

-- Revisions are handed out under the hub_state row's lock, held to commit, so they
-- commit in the order given: a pull by cursor never skips a row that commits late.
CREATE FUNCTION satchel.next_revision() RETURNS bigint
LANGUAGE sql SET search_path = pg_catalog, satchel, pg_temp AS $$
    UPDATE satchel.hub_state SET revision = revision + 1 RETURNING revision
$$;

CREATE FUNCTION satchel.stamp() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, satchel, pg_temp AS $$
BEGIN
    NEW.rev := satchel.next_revision();
    NEW.changed_at := now();
    NEW.changed_by := (SELECT p.id FROM satchel.profiles p WHERE p.login = session_user);
    RETURN NEW;
END $$;

CREATE FUNCTION satchel.refuse_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, satchel, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'The audit trail is append-only: its events are never changed or deleted.'
        USING ERRCODE = 'SA403';
END $$;
"""

MUTATIONS = """
-- What each applied mutation returned, by its client UUID: a retry gets the same answer.
CREATE TABLE satchel.applied_mutations (
    id uuid PRIMARY KEY,
    actor_id uuid NOT NULL REFERENCES satchel.profiles,
    kind text NOT NULL,
    result jsonb NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);
"""


def upgrade() -> None:
    run_sql(STATE)
    for table, columns in TABLES.items():
        run_sql(f"CREATE TABLE satchel.{table} ({columns}{SYNC})")
        run_sql(f"CREATE INDEX ix_{table}_rev ON satchel.{table} (rev)")
        run_sql(f"CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON satchel.{table} "
                   "FOR EACH ROW EXECUTE FUNCTION satchel.stamp()")  # fmt: skip
    run_sql(MUTATIONS)
    for table in [*TABLES, "hub_state", "applied_mutations", "alembic_version"]:
        run_sql(f"ALTER TABLE satchel.{table} ENABLE ROW LEVEL SECURITY")
        run_sql(f"ALTER TABLE satchel.{table} FORCE ROW LEVEL SECURITY")
        run_sql(f"REVOKE ALL ON satchel.{table} FROM PUBLIC")
        run_sql(f"GRANT SELECT ON satchel.{table} TO {GROUPS}")
    # The owner's own functions read and write through the policies too (RLS is forced).
    for table in [*TABLES, "hub_state", "applied_mutations", "alembic_version"]:
        run_sql(f"CREATE POLICY owner_all ON satchel.{table} TO satchel_owner "
                   "USING (true) WITH CHECK (true)")  # fmt: skip
    for table, rule in POLICIES.items():
        run_sql(f"CREATE POLICY team_read ON satchel.{table} FOR SELECT TO {GROUPS} "
                   f"USING ({rule})")  # fmt: skip
    for table in ("hub_state", "alembic_version"):
        run_sql(f"CREATE POLICY team_read ON satchel.{table} FOR SELECT TO {GROUPS} "
                   "USING (true)")  # fmt: skip
    run_sql(f"CREATE POLICY own_read ON satchel.applied_mutations FOR SELECT TO {GROUPS} "
               f"USING (actor_id = {ME})")  # fmt: skip
    for event in ("UPDATE OR DELETE", "TRUNCATE"):
        level = "ROW" if event != "TRUNCATE" else "STATEMENT"
        run_sql(f"CREATE TRIGGER append_only_{level.lower()} BEFORE {event} ON "
                   f"satchel.request_events FOR EACH {level} "
                   "EXECUTE FUNCTION satchel.refuse_change()")  # fmt: skip
    # The stamp trigger would also bump an audit row's revision on UPDATE; it has none.
    for index in ("requests (requester_id)", "requests (state, submitted_at)",
                  "usage_events (asset_id, at)", "usage_events (user_id)",
                  "generated_documents (output_sha256)", "generated_documents (user_id)",
                  "request_events (request_id)", "request_rounds (request_id)",
                  "asset_versions (asset_id)", "asset_versions (blob_sha256)",
                  "template_versions (asset_id)", "feedback (user_id)",
                  "search_demand (user_id)"):  # fmt: skip
        run_sql(f"CREATE INDEX ON satchel.{index}")
    # A queue view for marketing: security_invoker, so it filters as its reader.
    run_sql(
        "CREATE VIEW satchel.open_requests WITH (security_invoker = true) AS "
        "SELECT r.id, r.template_id, r.requester_id, r.customer, r.state, r.round, "
        "r.submitted_at FROM satchel.requests r WHERE r.state = 'submitted' AND NOT r.deleted"
    )
    run_sql("REVOKE ALL ON satchel.open_requests FROM PUBLIC")
    run_sql(f"GRANT SELECT ON satchel.open_requests TO {GROUPS}")
    run_sql("REVOKE ALL ON ALL FUNCTIONS IN SCHEMA satchel FROM PUBLIC")


def downgrade() -> None:
    run_sql("DROP VIEW satchel.open_requests")
    for table in ["applied_mutations", *reversed(TABLES), "hub_state"]:
        run_sql(f"DROP TABLE satchel.{table} CASCADE")
    for function in ("next_revision()", "stamp()", "refuse_change()"):
        run_sql(f"DROP FUNCTION satchel.{function}")
