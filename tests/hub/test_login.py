"""`satchel hub login`: the password is checked, then kept in a keyring — never in the
settings — and later commands find it; without a keyring the person is told."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend

from satchel.app import main
from tests.hub.conftest import Team


def _address(team: Team) -> str:
    return team.server.url("", None, team.database).replace("postgresql://@", "postgresql://")


def _login(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, team: Team,
           who: str, password: str | None = None) -> tuple[int, str, str]:  # fmt: skip
    monkeypatch.setattr("sys.stdin", io.StringIO((password or team[who].password) + "\n"))
    code = main(["hub", "login", _address(team), team[who].email, "--password-stdin"])
    out, err = capsys.readouterr()
    return code, out, err


def _settings_text() -> str:
    folder = Path(os.environ["XDG_CONFIG_HOME"])
    return "".join(p.read_text() for p in folder.rglob("*.toml"))


def test_login_keeps_the_password_in_the_keyring_and_commands_find_it(
    team: Team, file_keyring: KeyringBackend, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    code, out, _ = _login(capsys, monkeypatch, team, "admin")
    assert code == 0 and f"Signed in to the hub as {team['admin'].name} (admin)." in out
    assert "kept in this computer's keyring" in out
    assert team["admin"].password not in _settings_text()
    assert "hub.url" in _settings_text()
    code = main(["hub", "users", "--json"])  # the address from hub.url, the password kept
    out, err = capsys.readouterr()
    assert code == 0, err
    assert team["rep"].email in out


def test_a_wrong_password_is_refused_and_nothing_is_kept(
    team: Team, file_keyring: KeyringBackend, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    code, _, err = _login(capsys, monkeypatch, team, "rep", password="not-it")
    assert code == 1 and "refused the login: the name or password is wrong" in err
    assert "not-it" not in err
    assert not _settings_text()


def test_without_a_keyring_the_person_is_told_and_asked_again(
    team: Team, no_keyring: None, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", os.devnull)
    code, out, _ = _login(capsys, monkeypatch, team, "admin")
    assert code == 0 and "No keyring is available on this computer" in out
    code = main(["hub", "users"])
    _, err = capsys.readouterr()
    assert code == 1 and "needs your password: sign in once with satchel hub login" in err
