"""What each role must not do, tried with plain SQL over its own login (not through our
client), and refused by the server. Each case names the rule that refuses it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import psycopg
import pytest

from tests.hub.conftest import Team


@dataclass(frozen=True)
class Attempt:
    who: str
    sql: str
    rule: str  # the rule that must refuse it
    refusal: str  # a fragment of the server's message


def _new() -> str:
    return str(uuid.uuid4())


ATTEMPTS = [
    Attempt("rep", "INSERT INTO satchel.requests (id) VALUES (gen_random_uuid())",
            "clients have no INSERT on any table", "permission denied for table requests"),
    Attempt("marketer", "UPDATE satchel.assets SET title = 'mine'",
            "clients have no UPDATE on any table", "permission denied for table assets"),
    Attempt("admin", "DELETE FROM satchel.usage_events",
            "clients have no DELETE on any table", "permission denied for table usage_events"),
    Attempt("admin", "UPDATE satchel.profiles SET role = 'admin'",
            "roles change only through api.set_role", "permission denied for table profiles"),
    Attempt("marketer", "UPDATE satchel.request_events SET text = '{}'",
            "the audit table is append-only for clients", "permission denied for table request_events"),
    Attempt("admin", "DELETE FROM satchel.request_events",
            "the audit table is append-only for clients", "permission denied for table request_events"),
    Attempt("admin", "TRUNCATE satchel.request_events",
            "the audit table is append-only for clients", "permission denied for table request_events"),
    Attempt("admin", "ALTER TABLE satchel.request_events DISABLE TRIGGER ALL",
            "only the NOLOGIN owner may alter a table", "must be owner of table request_events"),
    Attempt("admin", "ALTER TABLE satchel.requests DISABLE ROW LEVEL SECURITY",
            "only the NOLOGIN owner may alter a table", "must be owner of table requests"),
    Attempt("rep", f"SELECT api.decide_request('{_new()}', '{_new()}', 1, 'approve')",
            "reps are not granted the decision function", "permission denied for function decide_request"),
    Attempt("rep", f"SELECT api.publish_template('{_new()}', '{{}}')",
            "reps are not granted publishing", "permission denied for function publish_template"),
    Attempt("rep", f"SELECT api.publish_asset('{_new()}', '{{}}')",
            "reps are not granted publishing", "permission denied for function publish_asset"),
    Attempt("rep", f"SELECT api.put_page_texts('{_new()}', '{_new()}', '[]')",
            "reps are not granted publishing", "permission denied for function put_page_texts"),
    Attempt("marketer", "SELECT api.add_user('X', 'x@example.com', 'admin', 'SCRAM-SHA-256$1:a$b:c')",
            "only admins are granted people management", "permission denied for function add_user"),
    Attempt("marketer", "SELECT api.set_role('x@example.com', 'admin')",
            "only admins are granted people management", "permission denied for function set_role"),
    Attempt("rep", "SELECT satchel.create_person('X', 'x@example.com', 'admin', 'SCRAM-SHA-256$1:a$b:c')",
            "internal functions are granted to nobody", "permission denied for function create_person"),
    Attempt("rep", "SELECT satchel.append_event(gen_random_uuid(), gen_random_uuid(), 'a', 'b', 1, '', '{}')",
            "internal functions are granted to nobody", "permission denied for function append_event"),
    Attempt("rep", "SET ROLE satchel_marketer",
            "a rep's login is a member of satchel_rep only", "permission denied to set role"),
    Attempt("rep", "SET ROLE satchel_owner",
            "nobody's login can become the owner", "permission denied to set role"),
    Attempt("marketer", "SET SESSION AUTHORIZATION satchel_test_super",
            "only superusers change the session user", "permission denied to set session authorization"),
    Attempt("rep", "CREATE FUNCTION api.mine() RETURNS int LANGUAGE sql AS 'SELECT 1'",
            "clients cannot create objects in the api schema", "permission denied for schema api"),
    Attempt("rep", "CREATE VIEW public.all_requests AS SELECT * FROM satchel.requests",
            "clients cannot create objects in public (PostgreSQL 15's default)", "permission denied for schema public"),
]  # fmt: skip


@pytest.mark.parametrize("attempt", ATTEMPTS, ids=lambda a: f"{a.who}: {a.rule}")
def test_refused(team: Team, attempt: Attempt) -> None:
    with team[attempt.who].connect() as hub, pytest.raises(psycopg.Error) as refused:
        hub.execute(attempt.sql)
    assert attempt.refusal in str(refused.value), (
        f"{attempt.rule}: expected “{attempt.refusal}”, the server said “{refused.value}”"
    )


def test_a_rep_reads_only_their_own_requests_even_through_the_view(team: Team) -> None:
    mine = team.submit("rep", {"customer": "Northwind", "discount": "12"})
    theirs = team.submit("rep2", {"customer": "Contoso", "discount": "15"})
    with team["rep"].connect() as hub:
        seen = {row[0] for row in hub.execute("SELECT id::text FROM satchel.requests")}
        queue = {row[0] for row in hub.execute("SELECT id::text FROM satchel.open_requests")}
        events = hub.execute("SELECT count(*) FROM satchel.request_events WHERE request_id = %s",
                             (theirs["id"],)).fetchone()[0]  # fmt: skip
    assert mine["id"] in seen and theirs["id"] not in seen, "row-level security on requests"
    assert theirs["id"] not in queue, "the view is security_invoker, so it filters as its reader"
    assert events == 0, "events follow their request's visibility"
    with team["marketer"].connect() as hub:
        queue = {row[0] for row in hub.execute("SELECT id::text FROM satchel.open_requests")}
    assert {mine["id"], theirs["id"]} <= queue, "marketers read the team's requests"


def test_a_rep_does_not_see_draft_assets(team: Team) -> None:
    with team["rep"].connect() as hub:
        seen = {row[0] for row in hub.execute("SELECT id::text FROM satchel.assets")}
    with team["marketer"].connect() as hub:
        marketing = {row[0] for row in hub.execute("SELECT id::text FROM satchel.assets")}
    assert team.asset_id in seen and team.draft_asset_id not in seen
    assert team.draft_asset_id in marketing


def test_a_session_setting_does_not_change_who_you_are(team: Team) -> None:
    mara = team["marketer"].email
    with team["rep"].connect() as hub:
        for setting in ("satchel.user", "request.jwt.claim.sub", "application_name"):
            hub.execute("SELECT set_config(%s, %s, false)", (setting, mara))
        who = hub.execute("SELECT api.whoami()").fetchone()[0]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            hub.execute("SELECT api.decide_request(%s, %s, 1, 'approve')", (_new(), _new()))
    assert who["email"] == team["rep"].email and who["role"] == "rep"


def test_nobody_decides_their_own_request(team: Team) -> None:
    own = team.submit("marketer", {"customer": "Northwind", "discount": "20"})
    with (
        team["marketer"].connect() as hub,
        pytest.raises(psycopg.errors.InsufficientPrivilege) as refused,
    ):
        hub.execute("SELECT api.decide_request(%s, %s, 1, 'approve')", (_new(), own["id"]))
    assert "Nobody can decide their own request" in str(refused.value)


def test_a_widened_limit_waits_for_review(team: Team) -> None:
    """The laptop claims nothing needs approval (its local copy's envelope was widened);
    the hub checks against its own template version and queues the request."""
    widened = team.submit("rep", {"customer": "Northwind", "discount": "25"}, auto_approve=True)
    inside = team.submit("rep", {"customer": "Northwind", "discount": "7,5", "plan": "Pro"},
                         auto_approve=True)  # fmt: skip
    changed = team.submit("rep", {"customer": "Northwind", "headline": "Cheapest ever"},
                          auto_approve=True)  # fmt: skip
    bad_choice = team.submit("rep", {"customer": "Northwind", "plan": "Enterprise"},
                             auto_approve=True)  # fmt: skip
    assert widened["state"] == "submitted"
    assert "Discount 25 is outside the limits marketing set (0 to 10)." in widened["hub_reasons"]
    assert inside["state"] == "auto_approved" and inside["hub_reasons"] == []
    assert changed["state"] == "submitted"
    assert changed["hub_reasons"] == ["Changing headline needs marketing approval."]
    assert bad_choice["state"] == "submitted"


def test_a_retried_mutation_is_applied_once(team: Team) -> None:
    mutation, request_id = _new(), _new()
    first = team.submit("rep", {"customer": "Northwind"}, request_id=request_id, mutation=mutation)
    again = team.submit("rep", {"customer": "Northwind"}, request_id=request_id, mutation=mutation)
    assert first == again
    with team["marketer"].connect() as hub:
        rows = hub.execute("SELECT count(*) FROM satchel.requests WHERE id = %s",
                           (request_id,)).fetchone()[0]  # fmt: skip
        events = hub.execute("SELECT count(*) FROM satchel.request_events WHERE request_id = %s",
                             (request_id,)).fetchone()[0]  # fmt: skip
    assert (rows, events) == (1, 1)
    with pytest.raises(psycopg.Error) as reused:
        team.submit("rep2", {"customer": "Contoso"}, mutation=mutation)
    assert reused.value.sqlstate == "SA409"
    assert "already used by someone else" in str(reused.value)


def test_the_owner_cannot_change_the_audit_trail_either(team: Team) -> None:
    """Even the table's owner (a superuser posing as it) meets the append-only trigger."""
    team.submit("rep", {"customer": "Northwind"})
    with psycopg.connect(team.owner_url, autocommit=True) as hub:
        hub.execute("SET ROLE satchel_owner")
        for sql in ("UPDATE satchel.request_events SET text = '{}'",
                    "DELETE FROM satchel.request_events", "TRUNCATE satchel.request_events"):  # fmt: skip
            with pytest.raises(psycopg.Error) as refused:
                hub.execute(sql)
            assert "append-only" in str(refused.value), sql


def test_a_removed_person_cannot_sign_in_and_their_history_stays(team: Team) -> None:
    from satchel.core.domain.users import Role
    from satchel.core.services.hub import HubAdmin
    from tests.hub.conftest import Person

    admin = HubAdmin(team["admin"].url)
    email = f"leaving.{team.database}@example.com"
    created, password = admin.add_user("Lee Leaving", email, Role.REP)
    team.people["leaving"] = Person("Lee Leaving", email, Role.REP, created["login"], password,
                                    team.server.url(created["login"].replace("@", "%40"),
                                                    password, team.database))  # fmt: skip
    kept = team.submit("leaving", {"customer": "Contoso"})
    admin.remove_user(email)
    with pytest.raises(psycopg.OperationalError):
        team["leaving"].connect().close()
    with team["marketer"].connect() as hub:
        found = hub.execute("SELECT count(*) FROM satchel.requests WHERE id = %s",
                            (kept["id"],)).fetchone()[0]  # fmt: skip
    assert found == 1
    people = {p.email: p for p in admin.people()}
    assert people[email].active is False


def test_a_rep_records_a_final_document_only_for_an_approved_request(team: Team) -> None:
    waiting = team.submit("rep", {"customer": "Northwind", "discount": "20"})
    with pytest.raises(psycopg.Error) as refused:
        team.record_final_document("rep", waiting["id"], "a" * 64)
    assert "not approved on the hub" in str(refused.value)
