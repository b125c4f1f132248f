"""Hostile values sent to the hub end in a sentence and change nothing."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from psycopg.types.json import Jsonb

from satchel.app import main
from tests.hub.conftest import Team


@pytest.mark.parametrize("name, refusal", [
    ("Eve\x1b[31m Red", "cannot hold control characters"),
    ("Eve\nAdmin", "cannot hold control characters"),
    ("E" * 10_000, "A name is 1 to 200 characters."),
    ("   ", "A name is 1 to 200 characters."),
])  # fmt: skip
def test_a_hostile_name_is_refused_and_nobody_is_added(
    team: Team, capsys: pytest.CaptureFixture[str], name: str, refusal: str
) -> None:
    before = team["admin"].call("SELECT count(*) FROM satchel.profiles")
    roles = team["admin"].call("SELECT count(*) FROM pg_roles")
    code = main(["hub", "add-user", name, f"eve.{uuid.uuid4().hex[:8]}@example.com", "--role",
                 "rep", "--hub", team["admin"].url])  # fmt: skip
    _, err = capsys.readouterr()
    assert code == 2 and refusal in err and "\x1b" not in err
    assert team["admin"].call("SELECT count(*) FROM satchel.profiles") == before
    assert team["admin"].call("SELECT count(*) FROM pg_roles") == roles, "no login was left behind"


@pytest.mark.parametrize("values", [
    None, "discount=99", ["discount", "99"], {"discount": {"nested": "99"}},
    {"discount": 99}, {f"k{n}": "v" for n in range(201)}, {"note": "x" * 300_000},
])  # fmt: skip
def test_values_that_are_not_text_fields_are_refused(team: Team, values: object) -> None:
    body = {"id": str(uuid.uuid4()), "template_version_id": team.template_version_id,
            "values": values, "values_sha256": "0" * 64, "auto_approve": True}  # fmt: skip
    before = team["marketer"].call("SELECT count(*) FROM satchel.requests")
    with pytest.raises(psycopg.Error) as refused:
        team["rep"].call("SELECT api.submit_request(%s, %s)", str(uuid.uuid4()), Jsonb(body))
    assert refused.value.sqlstate == "SA422"
    assert "The values must be one set of at most 200 text values." in str(refused.value)
    assert team["marketer"].call("SELECT count(*) FROM satchel.requests") == before


def test_markup_and_emoji_are_kept_as_text(team: Team) -> None:
    values = {"customer": "<b>Nörthwind</b> & Co 🚀", "discount": "5"}
    request = team.submit("rep", values, auto_approve=True)
    stored = team["rep"].call('SELECT "values" FROM satchel.requests WHERE id = %s', request["id"])
    assert stored == values and request["state"] == "auto_approved"
