"""Decisions, the audit chain and revisions on a real server under concurrency."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import psycopg
import pytest
from psycopg.types.json import Jsonb

from satchel.core.services.hub import HubAdmin
from tests.hub.conftest import Team


def _decide(team: Team, who: str, request_id: str, decision: str = "approve",
            comment: str = "") -> Any:  # fmt: skip
    return team[who].call("SELECT api.decide_request(%s, %s, 1, %s, %s)", str(uuid.uuid4()),
                          request_id, decision, comment)  # fmt: skip


def test_two_marketers_deciding_one_round_at_once_one_wins(team: Team) -> None:
    """Both calls are made while a third connection holds the request's row, so both
    are inside the function when it is released: exactly one decision is recorded."""
    request = team.submit("rep", {"customer": "Northwind", "discount": "20"})
    outcomes: dict[str, Any] = {}

    def decide(who: str, decision: str) -> None:
        try:
            outcomes[who] = _decide(team, who, request["id"], decision, "not at this price")
        except psycopg.Error as error:
            outcomes[who] = error

    with psycopg.connect(team.owner_url) as holder:
        holder.execute("SELECT 1 FROM satchel.requests WHERE id = %s FOR UPDATE", (request["id"],))
        threads = [threading.Thread(target=decide, args=("marketer", "approve")),
                   threading.Thread(target=decide, args=("marketer2", "reject"))]  # fmt: skip
        for thread in threads:
            thread.start()
        threads[0].join(0.5)
        assert all(thread.is_alive() for thread in threads), "both wait for the row"
        holder.rollback()
    for thread in threads:
        thread.join(30)
    won = [who for who, outcome in outcomes.items() if isinstance(outcome, dict)]
    lost = [outcome for outcome in outcomes.values() if isinstance(outcome, psycopg.Error)]
    assert len(won) == 1 and len(lost) == 1
    assert lost[0].sqlstate == "SA409"
    winner = team[won[0]].name
    assert f"by {winner} at" in str(lost[0]), "the loser is told who decided first"
    with team["marketer"].connect() as hub:
        steps = hub.execute("SELECT count(*) FROM satchel.request_events WHERE request_id = %s",
                            (request["id"],)).fetchone()[0]  # fmt: skip
    assert steps == 2  # submitted, then the one decision
    checked, problem = HubAdmin(team["admin"].url).verify_audit()
    assert problem is None and checked >= 2


def test_concurrent_submissions_keep_one_linear_chain(team: Team) -> None:
    errors: list[BaseException] = []

    def submit_many(who: str) -> None:
        try:
            for _ in range(15):
                team.submit(who, {"customer": "Northwind", "discount": "12"})
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=submit_many, args=(who,))
               for who in ("rep", "rep2", "marketer", "marketer2")]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    with team["admin"].connect() as hub:
        sequences = [row[0] for row in hub.execute(
            "SELECT sequence FROM satchel.request_events ORDER BY sequence")]  # fmt: skip
    assert sequences == list(range(1, len(sequences) + 1))
    checked, problem = HubAdmin(team["admin"].url).verify_audit()
    assert problem is None and checked == len(sequences) >= 60


def test_a_tampered_event_is_named_by_audit_verify(server: Any) -> None:
    from tests.hub.conftest import make_team

    team = make_team(server)
    request = team.submit("rep", {"customer": "Northwind", "discount": "20"})
    _decide(team, "marketer", request["id"], "approve")
    admin = HubAdmin(team["admin"].url)
    assert admin.verify_audit() == (2, None)
    with psycopg.connect(team.owner_url, autocommit=True) as hub:  # a superuser, past the trigger
        hub.execute("ALTER TABLE satchel.request_events DISABLE TRIGGER append_only_row")
        hub.execute("UPDATE satchel.request_events SET text = replace(text, 'approved', "
                    "'rejected') WHERE sequence = 2")  # fmt: skip
    assert admin.verify_audit() == (2, "Event 2 was edited after it was written.")


def test_revisions_commit_in_the_order_given(team: Team) -> None:
    """A writer waits for the one before it to commit, so a pull by cursor that has
    seen revision n has seen every revision below n."""

    def asset(connection: psycopg.Connection[Any]) -> int:
        body = {"id": str(uuid.uuid4()), "title": "Revision probe", "kind": "brochure"}
        return int(connection.execute("SELECT api.publish_asset(%s, %s)",
                                      (str(uuid.uuid4()), Jsonb(body))).fetchone()[0]["rev"])  # fmt: skip

    second: dict[str, int] = {}
    with psycopg.connect(team["marketer"].url) as first:
        first_rev = asset(first)  # not committed yet

        def write_second() -> None:
            with team["marketer2"].connect() as connection:
                second["rev"] = asset(connection)

        later = threading.Thread(target=write_second)
        later.start()
        later.join(0.5)
        assert later.is_alive(), "the second writer waits for the first to commit"
        with team["rep"].connect() as reader:
            visible = reader.execute("SELECT max(rev) FROM satchel.assets").fetchone()[0]
        assert visible < first_rev
        first.commit()
    later.join(30)
    assert second["rev"] > first_rev


def test_the_hub_verifies_a_document_it_recorded(team: Team) -> None:
    request = team.submit("rep", {"customer": "Northwind", "discount": "20"})
    _decide(team, "marketer", request["id"], "approve")
    output = uuid.uuid4().hex * 2
    team.record_final_document("rep", request["id"], output)
    answer = team["rep2"].call("SELECT api.verify_document(%s)", output)
    assert answer["request"] == request["id"] and answer["state"] == "approved"
    assert answer["decided_by"] == team["marketer"].name and answer["draft"] is False
    assert team["rep2"].call("SELECT api.verify_document(%s)", "b" * 64) is None


@pytest.mark.parametrize("decision, comment, refusal", [
    ("reject", "", "Say why the request is rejected."),
    ("request_changes", " ", "Say what should change."),
    ("approve_with_edits", "", "Approve with edits needs at least one value changed"),
    ("shrug", "", "The decision must be approve"),
])  # fmt: skip
def test_a_decision_is_checked(team: Team, decision: str, comment: str, refusal: str) -> None:
    request = team.submit("rep", {"customer": "Northwind", "discount": "20"})
    with pytest.raises(psycopg.Error) as refused:
        _decide(team, "marketer", request["id"], decision, comment)
    assert refusal in str(refused.value) and refused.value.sqlstate == "SA422"
