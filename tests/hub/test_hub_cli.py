"""`satchel hub …` against a real server, and the connection's TLS checks."""

from __future__ import annotations

import hashlib
import json
import secrets
import uuid
from pathlib import Path

import psycopg
import pytest

from satchel.app import main
from satchel.core.hub.bootstrap import REVISIONS, alembic_revisions
from satchel.core.hub.connection import hub_url
from tests.conftest import DEMO_USERS
from tests.helpers.hub_server import HubServer, free_port
from tests.hub.conftest import Team


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_revisions_listed_are_alembics() -> None:
    assert alembic_revisions() == list(REVISIONS)


def test_init_twice_then_manage_people(
    server: HubServer, capsys: pytest.CaptureFixture[str]
) -> None:
    database = f"cli_{secrets.token_hex(4)}"
    with psycopg.connect(server.url(), autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {database}")
    owner = server.url(database=database)
    email = f"ada.{database}@example.com"
    code, out, _ = run(capsys, "hub", "init", owner, "--admin", "Ada Admin", email)
    assert code == 0 and f"The hub is set up (schema {REVISIONS[-1]})." in out
    password = out.split("One-time password: ")[1].split()[0]
    code, again, _ = run(capsys, "hub", "init", owner, "--admin", "Ada Admin", email)
    assert code == 0 and "up to date" in again and "has an admin already" in again
    ada = server.url(email.replace("@", "%40"), password, database)

    code, out, _ = run(capsys, "hub", "add-user", "Rui Rep", f"rui.{database}@example.com",
                       "--role", "rep", "--territory", "Iberia", "--json", "--hub", ada)  # fmt: skip
    added = json.loads(out)
    assert code == 0 and added["role"] == "rep" and len(added["password"]) >= 16
    rui = server.url(added["login"].replace("@", "%40"), added["password"], database)

    code, out, _ = run(capsys, "hub", "users", "--json", "--hub", ada)
    assert {p["email"]: p["role"] for p in json.loads(out)} == {
        email: "admin",
        f"rui.{database}@example.com": "rep",
    }
    code, out, err = run(capsys, "hub", "users", "--hub", rui)
    assert code == 1
    assert err.strip() == ("satchel: Only admins can manage users and roles; you are signed "
                           "in as a rep.")  # fmt: skip
    code, out, err = run(capsys, "hub", "add-user", "Eve", "eve@example.com", "--role", "admin",
                         "--hub", rui)  # fmt: skip
    assert code == 1 and "permission denied for function add_user" in err

    code, out, _ = run(capsys, "hub", "set-role", f"rui.{database}@example.com", "marketer",
                       "--hub", ada)  # fmt: skip
    assert code == 0 and "is now marketer" in out
    with psycopg.connect(rui) as connection:
        assert connection.execute("SELECT api.whoami() ->> 'role'").fetchone()[0] == "marketer"
    code, _, err = run(capsys, "hub", "set-role", email, "rep", "--hub", ada)
    assert code == 1 and "last admin" in err

    code, out, _ = run(capsys, "hub", "status", "--hub", ada)
    assert code == 0 and f"schema {REVISIONS[-1]}" in out and "profiles" in out
    code, out, _ = run(capsys, "hub", "audit", "verify", "--hub", ada)
    assert code == 0 and "The hub's audit chain is whole: 0 events verified." in out
    code, out, _ = run(capsys, "hub", "remove-user", f"rui.{database}@example.com", "--hub", ada)
    assert code == 0 and "can no longer sign in" in out


def test_a_hub_command_without_a_hub_says_how(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "hub", "users")
    assert code == 2 and "Say which hub" in err


def test_a_wrong_password_and_an_unverified_server_are_explained(
    team: Team, capsys: pytest.CaptureFixture[str]
) -> None:
    rep = team["rep"]
    wrong = team.server.url(rep.login.replace("@", "%40"), "not-the-password", team.database)
    code, _, err = run(capsys, "hub", "status", "--hub", wrong)
    assert code == 1 and "refused the login: the name or password is wrong" in err
    other_ca = team.server.folder / "server.crt"  # a certificate that is not the CA
    unverified = rep.url.replace(str(team.server.ca_file), str(other_ca))
    code, _, err = run(capsys, "hub", "status", "--hub", unverified)
    assert code == 1 and "could not be verified" in err and rep.password not in err


def test_the_server_refuses_a_connection_without_tls(team: Team) -> None:
    plain = team["rep"].url.split("?")[0] + "?sslmode=disable"
    with pytest.raises(psycopg.OperationalError) as refused:
        psycopg.connect(plain).close()
    assert "no encryption" in str(refused.value) or "rejects connection" in str(refused.value)


def test_a_remote_hub_verifies_its_certificate_by_default() -> None:
    assert "sslmode=verify-full" in hub_url("postgresql://rep@hub.example.com/satchel")
    assert "sslrootcert=system" in hub_url("postgresql://rep@hub.example.com/satchel")
    assert "sslmode" not in hub_url("postgresql://rep@localhost/satchel")
    assert "sslmode=require" in hub_url("postgresql://rep@hub.example.com/satchel?sslmode=require")


def test_verify_asks_the_hub_and_says_when_it_could_not(
    team: Team, demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = tmp_path / "approved.pdf"
    pdf.write_bytes(b"%PDF-1.4 made on another laptop " + secrets.token_bytes(32))
    request = team.submit("rep", {"customer": "Northwind", "discount": "20"})
    team["marketer"].call("SELECT api.decide_request(%s, %s, 1, 'approve')", str(uuid.uuid4()),
                          request["id"])  # fmt: skip
    team.record_final_document("rep", request["id"], hashlib.sha256(pdf.read_bytes()).hexdigest())

    def verify(*options: str) -> tuple[int, str, str]:
        return run(capsys, "--library", str(demo_dir), "--user", DEMO_USERS["rep"], "verify",
                   str(pdf), *options)  # fmt: skip

    code, out, err = verify("--hub", team["rep2"].url)
    assert code == 0, err
    assert "not generated by Satchel from this library" in out
    assert f"request {request['id']} round 1, approved by {team['marketer'].name}" in out
    code, out, _ = verify("--json")
    assert code == 1 and json.loads(out)["hub_note"] == (
        "Checked against this library only: no team hub is set (hub.url)."
    )
    code, out, _ = verify("--hub", f"postgresql://nobody@localhost:{free_port()}/satchel")
    assert code == 1
    assert (
        "Checked against this library only: The hub at localhost/satchel cannot be reached" in out
    )


def test_an_older_hub_is_upgraded_and_its_revisions_go_on(server: HubServer) -> None:
    from satchel.core.hub.bootstrap import REVISIONS, init_hub

    database = f"old_{secrets.token_hex(4)}"
    with psycopg.connect(server.url(), autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {database}")
    owner = server.url(database=database)
    first = init_hub(owner, ("Old Admin", f"old.{database}@example.com"), target="0002")
    assert (first.before, first.after) == (None, "0002")
    admin = server.url(str(first.admin_login).replace("@", "%40"), first.admin_password, database)
    with psycopg.connect(admin, autocommit=True) as hub:
        before = hub.execute("SELECT api.register_device(gen_random_uuid(), 'old')").fetchone()[0]
    upgraded = init_hub(owner)
    assert (upgraded.before, upgraded.after) == ("0002", REVISIONS[-1])
    with psycopg.connect(admin, autocommit=True) as hub:
        after = hub.execute("SELECT api.register_device(gen_random_uuid(), 'new')").fetchone()[0]
    assert after["revision"] > before["revision"] > 0
