"""The `api` schema: the only way a client writes. Each function is SECURITY DEFINER with
a fixed search_path, finds its caller by session_user, checks the caller's role, and
answers a retried mutation (the same client UUID) with the result it stored the first
time. EXECUTE is granted per group role; PUBLIC has none.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

from satchel.core.hub.migrations import run_sql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

PATH = "SET search_path = pg_catalog, satchel, pg_temp"

HELPERS = f"""
CREATE FUNCTION satchel.actor() RETURNS satchel.profiles
LANGUAGE plpgsql STABLE {PATH} AS $$
DECLARE me satchel.profiles;
BEGIN
    SELECT * INTO me FROM satchel.profiles p
     WHERE p.login = session_user AND p.active AND NOT p.deleted;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'The login % is not a member of this team; ask an admin to add you.',
            session_user USING ERRCODE = '42501';
    END IF;
    RETURN me;
END $$;

CREATE FUNCTION satchel.article(role text) RETURNS text
LANGUAGE sql IMMUTABLE {PATH} AS $$
    SELECT CASE role WHEN 'admin' THEN 'an admin' WHEN 'marketer' THEN 'a marketer'
                     ELSE 'a rep' END
$$;

-- The sentence the laptop's own permission check uses (core/domain/permissions.py).
CREATE FUNCTION satchel.require(me satchel.profiles, allowed text[], what text) RETURNS void
LANGUAGE plpgsql {PATH} AS $$
BEGIN
    IF NOT me.role = ANY (allowed) THEN
        RAISE EXCEPTION 'Only % can %; you are signed in as %.',
            CASE WHEN allowed = ARRAY['admin'] THEN 'admins' ELSE 'marketers and admins' END,
            what, satchel.article(me.role) USING ERRCODE = '42501';
    END IF;
END $$;

CREATE FUNCTION satchel.replayed(mutation uuid, me satchel.profiles) RETURNS jsonb
LANGUAGE plpgsql {PATH} AS $$
DECLARE stored satchel.applied_mutations;
BEGIN
    IF mutation IS NULL THEN
        RAISE EXCEPTION 'Every change needs its id (a UUID made where it was made).'
            USING ERRCODE = 'SA422';
    END IF;
    SELECT * INTO stored FROM satchel.applied_mutations WHERE id = mutation;
    IF FOUND AND stored.actor_id <> me.id THEN
        RAISE EXCEPTION 'This change''s id was already used by someone else.'
            USING ERRCODE = 'SA409';
    END IF;
    RETURN stored.result;
END $$;

CREATE FUNCTION satchel.remember(mutation uuid, me satchel.profiles, kind text, result jsonb)
RETURNS jsonb LANGUAGE plpgsql {PATH} AS $$
BEGIN
    INSERT INTO satchel.applied_mutations (id, actor_id, kind, result)
    VALUES (mutation, me.id, kind, result);
    RETURN result;
END $$;

CREATE FUNCTION satchel.refuse(code text, message text) RETURNS void
LANGUAGE plpgsql {PATH} AS $$
BEGIN
    RAISE EXCEPTION '%', message USING ERRCODE = code;
END $$;

-- One link of the audit chain, appended under the hub_state row's lock so concurrent
-- writers cannot fork it; the text hashed is stored as it was hashed.
CREATE FUNCTION satchel.append_event(request uuid, actor uuid, from_state text,
    to_state text, round integer, comment text, diff jsonb) RETURNS bigint
LANGUAGE plpgsql {PATH} AS $$
DECLARE
    head satchel.hub_state;
    event_id uuid := gen_random_uuid();
    moment timestamptz;
    body text;
    digest text;
BEGIN
    SELECT * INTO head FROM satchel.hub_state FOR UPDATE;
    moment := clock_timestamp();
    body := jsonb_build_object(
        'id', event_id, 'sequence', head.chain_sequence + 1, 'previous', head.chain_head,
        'request', request, 'actor', actor,
        'at', to_char(moment AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'from', from_state, 'to', to_state, 'round', round, 'comment', comment,
        'diff', coalesce(diff, '{{}}'))::text;
    digest := encode(sha256(convert_to(body, 'UTF8')), 'hex');
    INSERT INTO satchel.request_events (id, sequence, request_id, actor_id, at, text,
                                        previous, hash)
    VALUES (event_id, head.chain_sequence + 1, request, actor, moment, body,
            head.chain_head, digest);
    UPDATE satchel.hub_state SET chain_sequence = head.chain_sequence + 1, chain_head = digest;
    RETURN head.chain_sequence + 1;
END $$;

-- A number as people type it ("12.5", "12,5", "1 200", "15 %"), as the laptop reads it.
CREATE FUNCTION satchel.as_number(raw text) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE {PATH} AS $$
DECLARE cleaned text;
BEGIN
    cleaned := replace(replace(rtrim(btrim(raw), '%'), ' ', ''), chr(160), '');
    IF length(cleaned) - length(replace(cleaned, ',', '')) = 1
       AND position('.' IN cleaned) = 0 THEN
        cleaned := replace(cleaned, ',', '.');
    END IF;
    cleaned := replace(cleaned, ',', '');
    IF cleaned !~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]{{1,3}})?$' THEN
        RETURN NULL;
    END IF;
    RETURN cleaned::numeric;
EXCEPTION WHEN others THEN
    RETURN NULL;
END $$;

CREATE FUNCTION satchel.limit_of(limits jsonb, name text) RETURNS numeric
LANGUAGE sql IMMUTABLE {PATH} AS $$
    SELECT CASE WHEN jsonb_typeof(limits -> name) = 'number' THEN (limits ->> name)::numeric END
$$;

CREATE FUNCTION satchel.profile_value(me satchel.profiles, name text) RETURNS text
LANGUAGE sql STABLE {PATH} AS $$
    SELECT CASE name WHEN 'name' THEN me.name WHEN 'title' THEN me.title
                     WHEN 'email' THEN me.email WHEN 'phone' THEN me.phone
                     WHEN 'territory' THEN me.territory ELSE '' END
$$;

-- Why the hub cannot confirm an automatic approval: each value it can check (numbers,
-- percentages, amounts, choices, dates, images, fields that need approval) against the
-- template version stored here. An empty list confirms it.
CREATE FUNCTION satchel.unconfirmed(fields jsonb, vals jsonb, me satchel.profiles)
RETURNS jsonb LANGUAGE plpgsql STABLE {PATH} AS $$
DECLARE
    spec jsonb; key text; kind text; label text; given text; value text;
    lim jsonb; amount numeric; low numeric; high numeric; day date;
    reasons text[] := '{{}}';
BEGIN
    IF jsonb_typeof(vals) IS DISTINCT FROM 'object' THEN
        RETURN '["The values are not a set of fields."]'::jsonb;
    END IF;
    FOR key IN SELECT jsonb_object_keys(vals) LOOP
        IF NOT EXISTS (SELECT 1 FROM jsonb_array_elements(fields) e WHERE e ->> 'key' = key) THEN
            reasons := reasons || format('This template has no field “%s”.', left(key, 40));
        ELSIF jsonb_typeof(vals -> key) <> 'string' THEN
            reasons := reasons || format('The value of “%s” is not text.', left(key, 40));
        END IF;
    END LOOP;
    FOR spec IN SELECT * FROM jsonb_array_elements(fields) LOOP
        key := spec ->> 'key'; kind := spec ->> 'kind'; label := spec ->> 'label';
        lim := coalesce(spec -> 'limits', '{{}}');
        given := CASE WHEN jsonb_typeof(vals -> key) = 'string' THEN vals ->> key END;
        IF kind = 'computed' THEN
            IF satchel.limit_of(lim, 'envelope_min') IS NOT NULL
               OR satchel.limit_of(lim, 'envelope_max') IS NOT NULL THEN
                reasons := reasons || format('%s is calculated; the hub leaves its limits '
                                             'to a marketer.', label);
            END IF;
            CONTINUE;
        END IF;
        IF kind = 'profile' THEN
            IF vals ? key THEN
                reasons := reasons || format('%s comes from the profile.', label);
            END IF;
            CONTINUE;
        END IF;
        IF spec ->> 'policy' = 'locked' THEN
            IF given IS DISTINCT FROM NULL AND given <> coalesce(spec ->> 'default', '') THEN
                reasons := reasons || format('%s is set by marketing.', label);
            END IF;
            CONTINUE;
        END IF;
        value := coalesce(given, nullif(satchel.profile_value(me, spec ->> 'profile_field'), ''),
                          spec ->> 'default', '');
        IF spec ->> 'policy' = 'approval' AND value <> coalesce(spec ->> 'default', '') THEN
            reasons := reasons || format('Changing %s needs marketing approval.', lower(label));
        END IF;
        IF btrim(value) = '' THEN
            CONTINUE;
        END IF;
        IF kind IN ('number', 'percent', 'currency') THEN
            amount := satchel.as_number(value);
            low := greatest(satchel.limit_of(lim, 'minimum'), satchel.limit_of(lim, 'envelope_min'));
            high := least(satchel.limit_of(lim, 'maximum'), satchel.limit_of(lim, 'envelope_max'));
            IF amount IS NULL THEN
                reasons := reasons || format('%s is not a number the hub can read.', label);
            ELSIF amount < low OR amount > high THEN
                reasons := reasons || format('%s %s is outside the limits marketing set '
                                             '(%s to %s).', label, value,
                                             coalesce(low::text, '…'), coalesce(high::text, '…'));
            END IF;
        ELSIF kind = 'choice' THEN
            IF NOT coalesce(lim -> 'choices', '[]') ? value THEN
                reasons := reasons || format('%s “%s” is not one of its choices.', label,
                                             left(value, 60));
            END IF;
        ELSIF kind = 'image' THEN
            IF NOT coalesce(lim -> 'image_set', '[]') ? value THEN
                reasons := reasons || format('%s is not one of the approved images.', label);
            END IF;
        ELSIF kind = 'date' THEN
            BEGIN
                day := CASE WHEN value ~ '^\\d{{4}}-\\d{{2}}-\\d{{2}}$' THEN value::date END;
            EXCEPTION WHEN others THEN
                day := NULL;
            END;
            IF day IS NULL THEN
                reasons := reasons || format('%s is not a date the hub can read.', label);
            ELSIF day < current_date + coalesce(satchel.limit_of(lim, 'date_min_days')::int, -100000)
               OR day > current_date + coalesce(satchel.limit_of(lim, 'date_max_days')::int, 100000) THEN
                reasons := reasons || format('%s %s is outside its date window.', label, value);
            END IF;
        END IF;
    END LOOP;
    RETURN to_jsonb(reasons);
END $$;

-- A request's values: one object of at most 200 text values, 200,000 characters in all.
CREATE FUNCTION satchel.check_values(vals jsonb) RETURNS void
LANGUAGE plpgsql IMMUTABLE {PATH} AS $$
BEGIN
    IF jsonb_typeof(vals) IS DISTINCT FROM 'object'
       OR EXISTS (SELECT 1 FROM jsonb_each(vals) e WHERE jsonb_typeof(e.value) <> 'string')
       OR (SELECT count(*) FROM jsonb_object_keys(vals)) > 200
       OR length(vals::text) > 200000 THEN
        RAISE EXCEPTION 'The values must be one set of at most 200 text values.'
            USING ERRCODE = 'SA422';
    END IF;
END $$;

-- A template version a rep may use: on the hub, published, not deleted.
CREATE FUNCTION satchel.usable_template(version_id uuid) RETURNS satchel.template_versions
LANGUAGE plpgsql STABLE {PATH} AS $$
DECLARE hit satchel.template_versions;
BEGIN
    SELECT tv.* INTO hit FROM satchel.template_versions tv
      JOIN satchel.assets a ON a.id = tv.asset_id
     WHERE tv.id = version_id AND NOT tv.deleted AND NOT a.deleted AND a.status = 'published';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'This template version is not published on the hub.'
            USING ERRCODE = 'SA404';
    END IF;
    RETURN hit;
END $$;

CREATE FUNCTION satchel.locked_request(request_id uuid) RETURNS satchel.requests
LANGUAGE plpgsql {PATH} AS $$
DECLARE hit satchel.requests;
BEGIN
    SELECT * INTO hit FROM satchel.requests WHERE id = request_id AND NOT deleted FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'There is no such request on the hub.' USING ERRCODE = 'SA404';
    END IF;
    RETURN hit;
END $$;

CREATE FUNCTION satchel.text_value(body jsonb, name text, most integer) RETURNS text
LANGUAGE plpgsql IMMUTABLE {PATH} AS $$
DECLARE value text := coalesce(body ->> name, '');
BEGIN
    IF length(value) > most THEN
        RAISE EXCEPTION '% allows % characters; it has %.', name, most, length(value)
            USING ERRCODE = 'SA422';
    END IF;
    RETURN value;
END $$;

-- A new person: their own LOGIN role (scram-sha-256; the verifier is made on the admin's
-- machine so no password reaches the server), member of their role's group.
CREATE FUNCTION satchel.create_person(person_name text, person_email text, person_role text,
    verifier text, person_title text DEFAULT '', person_phone text DEFAULT '',
    person_territory text DEFAULT '') RETURNS satchel.profiles
LANGUAGE plpgsql {PATH} AS $$
DECLARE
    new_id uuid := gen_random_uuid();
    login text;
    created satchel.profiles;
BEGIN
    IF person_role NOT IN ('rep', 'marketer', 'admin') THEN
        RAISE EXCEPTION 'The role must be rep, marketer or admin.' USING ERRCODE = 'SA422';
    END IF;
    IF btrim(coalesce(person_name, '')) = '' OR length(person_name) > 200 THEN
        RAISE EXCEPTION 'A name is 1 to 200 characters.' USING ERRCODE = 'SA422';
    END IF;
    IF concat(person_name, person_email, person_title, person_phone, person_territory)
       ~ '[[:cntrl:]]' THEN
        RAISE EXCEPTION 'Names, emails, titles, phones and territories cannot hold control '
                        'characters or line breaks.' USING ERRCODE = 'SA422';
    END IF;
    IF verifier !~ '^SCRAM-SHA-256\\$' THEN
        RAISE EXCEPTION 'The password must arrive as a SCRAM-SHA-256 verifier.'
            USING ERRCODE = 'SA422';
    END IF;
    IF person_email !~ '^[^@\\s]+@[^@\\s]+$' OR length(person_email) > 320 THEN
        RAISE EXCEPTION '“%” is not an email address.', left(person_email, 60)
            USING ERRCODE = 'SA422';
    END IF;
    IF EXISTS (SELECT 1 FROM satchel.profiles WHERE lower(email) = lower(person_email)) THEN
        RAISE EXCEPTION 'Someone on the hub already has the email %.', person_email
            USING ERRCODE = 'SA409';
    END IF;
    -- The login is the email where it fits a role name and is free, so people sign in
    -- with what they know; otherwise a name made from it.
    login := lower(person_email);
    IF octet_length(login) > 63 OR EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
        login := 'satchel_' || left(trim(BOTH '_' FROM lower(regexp_replace(
                     split_part(person_email, '@', 1), '[^a-zA-Z0-9]+', '_', 'g'))), 30)
                 || '_' || left(replace(new_id::text, '-', ''), 8);
    END IF;
    EXECUTE format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE %I', login, verifier,
                   'satchel_' || person_role);
    INSERT INTO satchel.profiles (id, login, name, email, title, phone, territory, role)
    VALUES (new_id, login, left(person_name, 200), person_email, left(person_title, 200),
            left(person_phone, 60), left(person_territory, 200), person_role)
    RETURNING * INTO created;
    RETURN created;
END $$;

CREATE FUNCTION satchel.person(person_email text) RETURNS satchel.profiles
LANGUAGE plpgsql {PATH} AS $$
DECLARE hit satchel.profiles;
BEGIN
    SELECT * INTO hit FROM satchel.profiles WHERE lower(email) = lower(person_email)
       FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Nobody on the hub has the email %.', left(person_email, 320)
            USING ERRCODE = 'SA404';
    END IF;
    RETURN hit;
END $$;

CREATE FUNCTION satchel.admins_left(except_id uuid) RETURNS bigint
LANGUAGE sql STABLE {PATH} AS $$
    SELECT count(*) FROM satchel.profiles
     WHERE role = 'admin' AND active AND NOT deleted AND id <> except_id
$$;
"""

API = f"""
CREATE FUNCTION api.whoami() RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER STABLE {PATH} AS $$
DECLARE me satchel.profiles := satchel.actor();
BEGIN
    RETURN jsonb_build_object('id', me.id, 'login', me.login, 'name', me.name,
                              'email', me.email, 'role', me.role, 'territory', me.territory);
END $$;

CREATE FUNCTION api.add_user(person_name text, person_email text, person_role text,
    verifier text, person_title text DEFAULT '', person_phone text DEFAULT '',
    person_territory text DEFAULT '') RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER {PATH} AS $$
DECLARE
    me satchel.profiles := satchel.actor();
    created satchel.profiles;
BEGIN
    PERFORM satchel.require(me, ARRAY['admin'], 'manage users and roles');
    created := satchel.create_person(person_name, person_email, person_role, verifier,
                                     person_title, person_phone, person_territory);
    RETURN jsonb_build_object('id', created.id, 'login', created.login, 'role', created.role);
END $$;

CREATE FUNCTION api.set_role(person_email text, new_role text) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER {PATH} AS $$
DECLARE
    me satchel.profiles := satchel.actor();
    target satchel.profiles;
BEGIN
    PERFORM satchel.require(me, ARRAY['admin'], 'manage users and roles');
    IF new_role NOT IN ('rep', 'marketer', 'admin') THEN
        RAISE EXCEPTION 'The role must be rep, marketer or admin.' USING ERRCODE = 'SA422';
    END IF;
    target := satchel.person(person_email);
    IF target.role = new_role THEN
        RETURN jsonb_build_object('id', target.id, 'role', new_role);
    END IF;
    IF target.role = 'admin' AND satchel.admins_left(target.id) = 0 THEN
        RAISE EXCEPTION '% is the team''s last admin; make someone else an admin first.',
            target.name USING ERRCODE = '42501';
    END IF;
    EXECUTE format('REVOKE %I FROM %I', 'satchel_' || target.role, target.login);
    EXECUTE format('GRANT %I TO %I', 'satchel_' || new_role, target.login);
    UPDATE satchel.profiles SET role = new_role WHERE id = target.id;
    RETURN jsonb_build_object('id', target.id, 'role', new_role);
END $$;

CREATE FUNCTION api.remove_user(person_email text) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER {PATH} AS $$
DECLARE
    me satchel.profiles := satchel.actor();
    target satchel.profiles;
BEGIN
    PERFORM satchel.require(me, ARRAY['admin'], 'manage users and roles');
    target := satchel.person(person_email);
    IF target.id = me.id THEN
        RAISE EXCEPTION 'Nobody can remove themselves; ask another admin.'
            USING ERRCODE = '42501';
    END IF;
    IF target.role = 'admin' AND satchel.admins_left(target.id) = 0 THEN
        RAISE EXCEPTION '% is the team''s last admin; make someone else an admin first.',
            target.name USING ERRCODE = '42501';
    END IF;
    -- The login goes; the profile stays (inactive) so history still names its author.
    EXECUTE format('ALTER ROLE %I NOLOGIN', target.login);
    EXECUTE format('REVOKE %I FROM %I', 'satchel_' || target.role, target.login);
    UPDATE satchel.profiles SET active = false WHERE id = target.id;
    RETURN jsonb_build_object('id', target.id, 'active', false);
END $$;

CREATE FUNCTION api.register_device(device uuid, device_name text) RETURNS jsonb
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
    RETURN jsonb_build_object('id', device, 'revision',
                              (SELECT revision FROM satchel.hub_state));
END $$;

CREATE FUNCTION api.publish_asset(mutation uuid, body jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER {PATH} AS $$
DECLARE
    me satchel.profiles := satchel.actor();
    done jsonb := satchel.replayed(mutation, me);
    asset_id uuid := (body ->> 'id')::uuid;
    existing satchel.assets;
    result jsonb;
BEGIN
    IF done IS NOT NULL THEN RETURN done; END IF;
    PERFORM satchel.require(me, ARRAY['marketer', 'admin'], 'publish assets');
    SELECT * INTO existing FROM satchel.assets WHERE id = asset_id FOR UPDATE;
    -- An edit made against an older revision is a conflict, never a silent overwrite.
    IF FOUND AND body ? 'base_rev' AND existing.rev > (body ->> 'base_rev')::bigint THEN
        RAISE EXCEPTION 'This asset was changed on the hub since (revision %).', existing.rev
            USING ERRCODE = 'SA409';
    END IF;
    INSERT INTO satchel.assets (id, title, summary, kind, product, audience, funnel_stage,
                                region, language, owner, status, expires_on, review_on)
    VALUES (asset_id, satchel.text_value(body, 'title', 500),
            satchel.text_value(body, 'summary', 20000), satchel.text_value(body, 'kind', 40),
            satchel.text_value(body, 'product', 200), satchel.text_value(body, 'audience', 200),
            nullif(body ->> 'funnel_stage', ''), satchel.text_value(body, 'region', 200),
            satchel.text_value(body, 'language', 20), satchel.text_value(body, 'owner', 200),
            coalesce(body ->> 'status', 'published'), (body ->> 'expires_on')::date,
            (body ->> 'review_on')::date)
    ON CONFLICT (id) DO UPDATE SET title = excluded.title, summary = excluded.summary,
        kind = excluded.kind, product = excluded.product, audience = excluded.audience,
        funnel_stage = excluded.funnel_stage, region = excluded.region,
        language = excluded.language, owner = excluded.owner, status = excluded.status,
        expires_on = excluded.expires_on, review_on = excluded.review_on, deleted = false
    RETURNING jsonb_build_object('id', id, 'rev', rev) INTO result;
    RETURN satchel.remember(mutation, me, 'asset.publish', result);
END $$;

CREATE FUNCTION api.put_blob(sha text, blob_size bigint, blob_type text, chunks integer)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER {PATH} AS $$
DECLARE me satchel.profiles := satchel.actor();
BEGIN
    PERFORM satchel.require(me, ARRAY['marketer', 'admin'], 'import files');
    INSERT INTO satchel.blobs (sha256, size, file_type, chunk_count, complete)
    VALUES (sha, blob_size, left(blob_type, 20), chunks, false)
    ON CONFLICT (sha256) DO NOTHING;
    RETURN (SELECT jsonb_build_object('complete', b.complete, 'have',
                   coalesce((SELECT jsonb_agg(c.chunk ORDER BY c.chunk) FROM satchel.blob_chunks c
                              WHERE c.sha256 = sha), '[]'))
              FROM satchel.blobs b WHERE b.sha256 = sha);
END $$;

CREATE FUNCTION api.put_blob_chunk(sha text, chunk_number integer, chunk_data bytea)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER {PATH} AS $$
DECLARE
    me satchel.profiles := satchel.actor();
    blob satchel.blobs;
    whole bytea;
BEGIN
    PERFORM satchel.require(me, ARRAY['marketer', 'admin'], 'import files');
    SELECT * INTO blob FROM satchel.blobs WHERE sha256 = sha FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Announce the file before sending its parts.' USING ERRCODE = 'SA404';
    END IF;
    IF blob.complete THEN
        RETURN jsonb_build_object('complete', true);
    END IF;
    IF chunk_number < 0 OR chunk_number >= blob.chunk_count OR length(chunk_data) > 1048576 THEN
        RAISE EXCEPTION 'Part % does not belong to this file.', chunk_number
            USING ERRCODE = 'SA422';
    END IF;
    INSERT INTO satchel.blob_chunks (sha256, chunk, data) VALUES (sha, chunk_number, chunk_data)
    ON CONFLICT (sha256, chunk) DO NOTHING;
    IF (SELECT count(*) FROM satchel.blob_chunks WHERE sha256 = sha) = blob.chunk_count THEN
        SELECT string_agg(data, ''::bytea ORDER BY chunk) INTO whole
          FROM satchel.blob_chunks WHERE sha256 = sha;
        IF encode(sha256(coalesce(whole, ''::bytea)), 'hex') <> sha
           OR length(coalesce(whole, ''::bytea)) <> blob.size THEN
            DELETE FROM satchel.blob_chunks WHERE sha256 = sha;
            RAISE EXCEPTION 'The file arrived damaged (its SHA-256 does not match); send it again.'
                USING ERRCODE = 'SA422';
        END IF;
        UPDATE satchel.blobs SET complete = true WHERE sha256 = sha;
        RETURN jsonb_build_object('complete', true);
    END IF;
    RETURN jsonb_build_object('complete', false);
END $$;

CREATE FUNCTION api.add_asset_version(mutation uuid, body jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER {PATH} AS $$
DECLARE
    me satchel.profiles := satchel.actor();
    done jsonb := satchel.replayed(mutation, me);
    result jsonb;
BEGIN
    IF done IS NOT NULL THEN RETURN done; END IF;
    PERFORM satchel.require(me, ARRAY['marketer', 'admin'], 'publish assets');
    IF NOT EXISTS (SELECT 1 FROM satchel.blobs WHERE sha256 = body ->> 'blob_sha256'
                   AND complete) THEN
        RAISE EXCEPTION 'The file of this version has not reached the hub yet.'
            USING ERRCODE = 'SA404';
    END IF;
    INSERT INTO satchel.asset_versions (id, asset_id, number, blob_sha256, original_name,
                                        page_count, width, height, warnings, added_by, changes)
    VALUES ((body ->> 'id')::uuid, (body ->> 'asset_id')::uuid,
            (SELECT coalesce(max(number), 0) + 1 FROM satchel.asset_versions
              WHERE asset_id = (body ->> 'asset_id')::uuid),
            body ->> 'blob_sha256', satchel.text_value(body, 'original_name', 500),
            coalesce((body ->> 'page_count')::int, 0), (body ->> 'width')::int,
            (body ->> 'height')::int, coalesce(body -> 'warnings', '[]'), me.id, body -> 'changes')
    RETURNING jsonb_build_object('id', id, 'number', number, 'rev', rev) INTO result;
    RETURN satchel.remember(mutation, me, 'asset.version', result);
END $$;

CREATE FUNCTION api.retire_asset(mutation uuid, asset uuid) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER {PATH} AS $$
DECLARE
    me satchel.profiles := satchel.actor();
    done jsonb := satchel.replayed(mutation, me);
    result jsonb;
BEGIN
    IF done IS NOT NULL THEN RETURN done; END IF;
    PERFORM satchel.require(me, ARRAY['marketer', 'admin'], 'retire assets');
    UPDATE satchel.assets SET status = 'retired' WHERE id = asset
    RETURNING jsonb_build_object('id', id, 'rev', rev) INTO result;
    IF result IS NULL THEN
        RAISE EXCEPTION 'There is no such asset on the hub.' USING ERRCODE = 'SA404';
    END IF;
    RETURN satchel.remember(mutation, me, 'asset.retire', result);
END $$;

-- Template versions are numbered here, so two marketers publishing at once get 3 and 4.
CREATE FUNCTION api.publish_template(mutation uuid, body jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER {PATH} AS $$
DECLARE
    me satchel.profiles := satchel.actor();
    done jsonb := satchel.replayed(mutation, me);
    template uuid := (body ->> 'template_id')::uuid;
    result jsonb;
BEGIN
    IF done IS NOT NULL THEN RETURN done; END IF;
    PERFORM satchel.require(me, ARRAY['marketer', 'admin'], 'design and publish templates');
    IF jsonb_typeof(body -> 'fields') IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'A template needs its fields.' USING ERRCODE = 'SA422';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtextextended(template::text, 0));
    INSERT INTO satchel.template_versions (id, template_id, version, asset_id, base_version_id,
                                           title, fields, published_by)
    VALUES ((body ->> 'id')::uuid, template,
            (SELECT coalesce(max(version), 0) + 1 FROM satchel.template_versions
              WHERE template_id = template),
            (body ->> 'asset_id')::uuid, (body ->> 'base_version_id')::uuid,
            satchel.text_value(body, 'title', 500), body -> 'fields', me.id)
    RETURNING jsonb_build_object('id', id, 'version', version, 'rev', rev) INTO result;
    RETURN satchel.remember(mutation, me, 'template.publish', result);
END $$;

CREATE FUNCTION api.submit_request(mutation uuid, body jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER {PATH} AS $$
DECLARE
    me satchel.profiles := satchel.actor();
    done jsonb := satchel.replayed(mutation, me);
    version satchel.template_versions;
    request_id uuid := (body ->> 'id')::uuid;
    doubts jsonb;
    new_state text;
    result jsonb;
BEGIN
    IF done IS NOT NULL THEN RETURN done; END IF;
    PERFORM satchel.check_values(body -> 'values');
    version := satchel.usable_template((body ->> 'template_version_id')::uuid);
    doubts := satchel.unconfirmed(version.fields, body -> 'values', me);
    -- The laptop found nothing that needs approval: the hub checks that for itself.
    new_state := CASE WHEN coalesce((body ->> 'auto_approve')::boolean, false)
                       AND jsonb_array_length(doubts) = 0 THEN 'auto_approved'
                  ELSE 'submitted' END;
    INSERT INTO satchel.requests (id, template_id, template_version_id, requester_id, customer,
                                  note, state, round, "values", values_sha256, approved_values,
                                  decided_at, submitted_at)
    VALUES (request_id, version.template_id, version.id, me.id,
            satchel.text_value(body, 'customer', 200), satchel.text_value(body, 'note', 4000),
            new_state, 1, body -> 'values', body ->> 'values_sha256',
            CASE WHEN new_state = 'auto_approved' THEN body -> 'values' END,
            CASE WHEN new_state = 'auto_approved' THEN now() END, now());
    INSERT INTO satchel.request_rounds (id, request_id, round, "values", values_sha256, reasons,
                                        submitted_at, outcome, decided_at)
    VALUES (gen_random_uuid(), request_id, 1, body -> 'values', body ->> 'values_sha256',
            coalesce(body -> 'reasons', '[]') || doubts, now(),
            CASE WHEN new_state = 'auto_approved' THEN new_state END,
            CASE WHEN new_state = 'auto_approved' THEN now() END);
    PERFORM satchel.append_event(request_id, me.id, 'draft', new_state, 1, '', '{{}}');
    result := jsonb_build_object('id', request_id, 'state', new_state, 'round', 1,
                                 'hub_reasons', doubts);
    RETURN satchel.remember(mutation, me, 'request.submit', result);
END $$;

CREATE FUNCTION api.resubmit_request(mutation uuid, body jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER {PATH} AS $$
DECLARE
    me satchel.profiles := satchel.actor();
    done jsonb := satchel.replayed(mutation, me);
    request satchel.requests;
    version satchel.template_versions;
    doubts jsonb;
    new_state text;
    next_round integer;
    result jsonb;
BEGIN
    IF done IS NOT NULL THEN RETURN done; END IF;
    PERFORM satchel.check_values(body -> 'values');
    request := satchel.locked_request((body ->> 'id')::uuid);
    IF request.requester_id <> me.id THEN
        RAISE EXCEPTION 'Only the person who made a request can submit, change or withdraw it.'
            USING ERRCODE = '42501';
    END IF;
    IF request.state NOT IN ('changes_requested', 'approved', 'approved_with_edits',
                             'auto_approved') THEN
        RAISE EXCEPTION 'This request is %; it cannot take a new round.',
            replace(request.state, '_', ' ') USING ERRCODE = 'SA409';
    END IF;
    version := satchel.usable_template(request.template_version_id);
    doubts := satchel.unconfirmed(version.fields, body -> 'values', me);
    new_state := CASE WHEN coalesce((body ->> 'auto_approve')::boolean, false)
                       AND jsonb_array_length(doubts) = 0 THEN 'auto_approved'
                  ELSE 'submitted' END;
    next_round := request.round + 1;
    UPDATE satchel.requests SET state = new_state, round = next_round, "values" = body -> 'values',
           values_sha256 = body ->> 'values_sha256',
           note = coalesce(body ->> 'note', request.note),
           approved_values = CASE WHEN new_state = 'auto_approved' THEN body -> 'values' END,
           decided_by = NULL,
           decided_at = CASE WHEN new_state = 'auto_approved' THEN now() END,
           submitted_at = now()
     WHERE id = request.id;
    INSERT INTO satchel.request_rounds (id, request_id, round, "values", values_sha256, reasons,
                                        submitted_at, outcome, decided_at)
    VALUES (gen_random_uuid(), request.id, next_round, body -> 'values',
            body ->> 'values_sha256', coalesce(body -> 'reasons', '[]') || doubts, now(),
            CASE WHEN new_state = 'auto_approved' THEN new_state END,
            CASE WHEN new_state = 'auto_approved' THEN now() END);
    PERFORM satchel.append_event(request.id, me.id, request.state, new_state, next_round, '',
                                 coalesce(body -> 'diff', '{{}}'));
    result := jsonb_build_object('id', request.id, 'state', new_state, 'round', next_round,
                                 'hub_reasons', doubts);
    RETURN satchel.remember(mutation, me, 'request.resubmit', result);
END $$;

CREATE FUNCTION api.withdraw_request(mutation uuid, request_id uuid) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER {PATH} AS $$
DECLARE
    me satchel.profiles := satchel.actor();
    done jsonb := satchel.replayed(mutation, me);
    request satchel.requests;
    result jsonb;
BEGIN
    IF done IS NOT NULL THEN RETURN done; END IF;
    request := satchel.locked_request(request_id);
    IF request.requester_id <> me.id THEN
        RAISE EXCEPTION 'Only the person who made a request can submit, change or withdraw it.'
            USING ERRCODE = '42501';
    END IF;
    IF request.state NOT IN ('submitted', 'changes_requested') THEN
        RAISE EXCEPTION 'This request was already %.', replace(request.state, '_', ' ')
            USING ERRCODE = 'SA409';
    END IF;
    UPDATE satchel.requests SET state = 'withdrawn' WHERE id = request.id;
    UPDATE satchel.request_rounds SET outcome = 'withdrawn'
     WHERE request_rounds.request_id = request.id AND round = request.round;
    PERFORM satchel.append_event(request.id, me.id, request.state, 'withdrawn', request.round,
                                 '', '{{}}');
    result := jsonb_build_object('id', request.id, 'state', 'withdrawn', 'round', request.round);
    RETURN satchel.remember(mutation, me, 'request.withdraw', result);
END $$;

-- The first decision on a round wins: the request row is locked, and a round that is no
-- longer waiting answers with who decided it and when.
CREATE FUNCTION api.decide_request(mutation uuid, request_id uuid, on_round integer,
    decision text, comment text DEFAULT '', edited jsonb DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER {PATH} AS $$
DECLARE
    me satchel.profiles := satchel.actor();
    done jsonb := satchel.replayed(mutation, me);
    request satchel.requests;
    decider text;
    new_state text;
    approved jsonb;
    changes jsonb := '{{}}';
    result jsonb;
BEGIN
    IF done IS NOT NULL THEN RETURN done; END IF;
    PERFORM satchel.require(me, ARRAY['marketer', 'admin'], 'decide edit requests');
    request := satchel.locked_request(request_id);
    IF request.requester_id = me.id THEN
        RAISE EXCEPTION 'Nobody can decide their own request; ask another marketer.'
            USING ERRCODE = '42501';
    END IF;
    IF request.state <> 'submitted' OR request.round <> on_round THEN
        SELECT name INTO decider FROM satchel.profiles WHERE id = request.decided_by;
        RAISE EXCEPTION '%', CASE
            WHEN decider IS NOT NULL THEN format('Already %s by %s at %s.',
                 replace(request.state, '_', ' '), decider,
                 to_char(request.decided_at AT TIME ZONE 'UTC', 'HH24:MI "UTC"'))
            WHEN request.round <> on_round THEN
                 format('This request is in round %s now, not %s.', request.round, on_round)
            ELSE format('This request was %s.', replace(request.state, '_', ' ')) END
            USING ERRCODE = 'SA409';
    END IF;
    IF length(coalesce(comment, '')) > 4000 THEN
        RAISE EXCEPTION 'The comment allows 4,000 characters; it has %.', length(comment)
            USING ERRCODE = 'SA422';
    END IF;
    new_state := CASE decision WHEN 'approve' THEN 'approved'
                             WHEN 'approve_with_edits' THEN 'approved_with_edits'
                             WHEN 'request_changes' THEN 'changes_requested'
                             WHEN 'reject' THEN 'rejected' END;
    IF new_state IS NULL THEN
        RAISE EXCEPTION 'The decision must be approve, approve_with_edits, request_changes or '
                        'reject.' USING ERRCODE = 'SA422';
    END IF;
    IF decision IN ('request_changes', 'reject') AND btrim(coalesce(comment, '')) = '' THEN
        RAISE EXCEPTION '%', CASE decision WHEN 'reject' THEN 'Say why the request is rejected.'
                                 ELSE 'Say what should change.' END USING ERRCODE = 'SA422';
    END IF;
    IF decision = 'approve' THEN
        approved := request."values";
    ELSIF decision = 'approve_with_edits' THEN
        IF jsonb_typeof(edited) IS DISTINCT FROM 'object' OR edited = request."values" THEN
            RAISE EXCEPTION 'Approve with edits needs at least one value changed; otherwise '
                            'approve.' USING ERRCODE = 'SA422';
        END IF;
        approved := edited;
        SELECT coalesce(jsonb_object_agg(k, jsonb_build_array(request."values" -> k, edited -> k)),
                        '{{}}')
          INTO changes
          FROM (SELECT jsonb_object_keys(request."values") AS k
                UNION SELECT jsonb_object_keys(edited)) keys
         WHERE request."values" -> k IS DISTINCT FROM edited -> k;
    END IF;
    UPDATE satchel.requests SET state = new_state, approved_values = approved, decided_by = me.id,
           decided_at = now() WHERE id = request.id;
    UPDATE satchel.request_rounds SET outcome = new_state, decided_by = me.id, decided_at = now()
     WHERE request_rounds.request_id = request.id AND round = request.round;
    PERFORM satchel.append_event(request.id, me.id, 'submitted', new_state, request.round,
                                 coalesce(comment, ''), changes);
    result := jsonb_build_object('id', request.id, 'state', new_state, 'round', request.round,
                                 'decided_by', me.name);
    RETURN satchel.remember(mutation, me, 'request.decide', result);
END $$;

CREATE FUNCTION api.record_document(mutation uuid, body jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER {PATH} AS $$
DECLARE
    me satchel.profiles := satchel.actor();
    done jsonb := satchel.replayed(mutation, me);
    request satchel.requests;
    is_draft boolean := coalesce((body ->> 'draft')::boolean, true);
BEGIN
    IF done IS NOT NULL THEN RETURN done; END IF;
    IF body ? 'request_id' AND body ->> 'request_id' IS NOT NULL THEN
        SELECT * INTO request FROM satchel.requests WHERE id = (body ->> 'request_id')::uuid;
        IF NOT FOUND OR request.requester_id <> me.id THEN
            RAISE EXCEPTION 'A document can only name a request of its maker''s own.'
                USING ERRCODE = '42501';
        END IF;
        IF NOT is_draft AND request.state NOT IN ('approved', 'approved_with_edits',
                                                  'auto_approved') THEN
            RAISE EXCEPTION 'This request is not approved on the hub, so its document is a draft.'
                USING ERRCODE = 'SA409';
        END IF;
    ELSIF NOT is_draft THEN
        -- Outside a request a final document must keep every value the hub can check.
        IF jsonb_array_length(satchel.unconfirmed(
               (satchel.usable_template((body ->> 'template_version_id')::uuid)).fields,
               body -> 'values', me)) > 0 THEN
            RAISE EXCEPTION 'These values need an approved request before the document is final.'
                USING ERRCODE = 'SA409';
        END IF;
    END IF;
    INSERT INTO satchel.generated_documents (id, template_version_id, user_id, "values",
                                             values_hash, output_sha256, draft, request_id,
                                             request_round)
    VALUES ((body ->> 'id')::uuid, (body ->> 'template_version_id')::uuid, me.id,
            coalesce(body -> 'values', '{{}}'), body ->> 'values_hash', body ->> 'output_sha256',
            is_draft, (body ->> 'request_id')::uuid, (body ->> 'request_round')::int);
    RETURN satchel.remember(mutation, me, 'document.record',
                            jsonb_build_object('id', body ->> 'id'));
END $$;

CREATE FUNCTION api.record_usage(mutation uuid, body jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER {PATH} AS $$
DECLARE
    me satchel.profiles := satchel.actor();
BEGIN
    -- Usage is many small rows: the row's own id is the idempotency key.
    INSERT INTO satchel.usage_events (id, asset_id, user_id, action, at, detail)
    VALUES (mutation, (body ->> 'asset_id')::uuid, me.id, satchel.text_value(body, 'action', 40),
            coalesce((body ->> 'at')::timestamptz, now()), coalesce(body -> 'detail', '{{}}'))
    ON CONFLICT (id) DO NOTHING;
    RETURN jsonb_build_object('id', mutation);
END $$;

CREATE FUNCTION api.record_feedback(mutation uuid, body jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER {PATH} AS $$
DECLARE
    me satchel.profiles := satchel.actor();
BEGIN
    IF length(coalesce(body::text, '')) > 20000 THEN
        RAISE EXCEPTION 'This feedback is too long to keep.' USING ERRCODE = 'SA422';
    END IF;
    INSERT INTO satchel.feedback (id, asset_id, user_id, kind, at, body)
    VALUES (mutation, (body ->> 'asset_id')::uuid, me.id, satchel.text_value(body, 'kind', 40),
            coalesce((body ->> 'at')::timestamptz, now()), coalesce(body -> 'body', '{{}}'))
    ON CONFLICT (id) DO NOTHING;
    RETURN jsonb_build_object('id', mutation);
END $$;

CREATE FUNCTION api.record_search(mutation uuid, body jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER {PATH} AS $$
DECLARE
    me satchel.profiles := satchel.actor();
BEGIN
    INSERT INTO satchel.search_demand (id, user_id, query, results, at)
    VALUES (mutation, me.id, satchel.text_value(body, 'query', 500),
            coalesce((body ->> 'results')::int, 0), coalesce((body ->> 'at')::timestamptz, now()))
    ON CONFLICT (id) DO NOTHING;
    RETURN jsonb_build_object('id', mutation);
END $$;

-- What the hub knows of a PDF by its SHA-256: anyone on the team may ask, and learns
-- only what the provenance line says (request, state, decider, template).
CREATE FUNCTION api.verify_document(sha text) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER STABLE {PATH} AS $$
DECLARE
    me satchel.profiles := satchel.actor();
    hit jsonb;
BEGIN
    SELECT jsonb_build_object(
        'document', d.id, 'draft', d.draft, 'made_by', maker.name, 'made_at', d.changed_at,
        'template', tv.title, 'template_version', tv.version,
        'request', d.request_id, 'request_round', d.request_round, 'state', r.state,
        'decided_by', decider.name, 'decided_at', r.decided_at)
      INTO hit
      FROM satchel.generated_documents d
      JOIN satchel.template_versions tv ON tv.id = d.template_version_id
      JOIN satchel.profiles maker ON maker.id = d.user_id
      LEFT JOIN satchel.requests r ON r.id = d.request_id
      LEFT JOIN satchel.profiles decider ON decider.id = r.decided_by
     WHERE d.output_sha256 = lower(sha) AND NOT d.deleted
     ORDER BY d.draft, d.changed_at DESC LIMIT 1;
    RETURN hit;
END $$;
"""

EVERYONE = ("whoami()", "register_device(uuid, text)", "submit_request(uuid, jsonb)",
            "resubmit_request(uuid, jsonb)", "withdraw_request(uuid, uuid)",
            "record_document(uuid, jsonb)", "record_usage(uuid, jsonb)",
            "record_feedback(uuid, jsonb)", "record_search(uuid, jsonb)",
            "verify_document(text)")  # fmt: skip
MARKETING = ("publish_asset(uuid, jsonb)", "put_blob(text, bigint, text, integer)",
             "put_blob_chunk(text, integer, bytea)", "add_asset_version(uuid, jsonb)",
             "retire_asset(uuid, uuid)", "publish_template(uuid, jsonb)",
             "decide_request(uuid, uuid, integer, text, text, jsonb)")  # fmt: skip
ADMINS = ("add_user(text, text, text, text, text, text, text)", "set_role(text, text)",
          "remove_user(text)")  # fmt: skip


def upgrade() -> None:
    run_sql(HELPERS)
    run_sql(API)
    run_sql("REVOKE ALL ON ALL FUNCTIONS IN SCHEMA satchel, api FROM PUBLIC")
    for names, roles in ((EVERYONE, "satchel_rep, satchel_marketer, satchel_admin"),
                         (MARKETING, "satchel_marketer, satchel_admin"),
                         (ADMINS, "satchel_admin")):  # fmt: skip
        for name in names:
            run_sql(f"GRANT EXECUTE ON FUNCTION api.{name} TO {roles}")


def downgrade() -> None:
    for name in (*EVERYONE, *MARKETING, *ADMINS):
        run_sql(f"DROP FUNCTION api.{name}")
    run_sql("DROP FUNCTION satchel.actor, satchel.article, satchel.require, satchel.replayed, "
         "satchel.remember, satchel.refuse, satchel.append_event, satchel.as_number, "
         "satchel.limit_of, satchel.profile_value, satchel.unconfirmed, "
         "satchel.usable_template, satchel.locked_request, satchel.text_value, "
         "satchel.create_person, satchel.person, satchel.admins_left, satchel.check_values")  # fmt: skip
