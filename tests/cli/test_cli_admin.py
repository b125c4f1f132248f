"""`satchel admin policy show`: each setting's value, its source and its lock."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from satchel.app import main
from satchel.core.settings import Settings


def test_policy_show_names_each_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    machine = tmp_path / "machine"
    machine.mkdir()
    (machine / "policy.toml").write_text('[hub]\nurl = "postgresql://hub.example.com/satchel"\n')
    (machine / "defaults.toml").write_text("[search]\ndelay_ms = 300\n[view]\nmode = 42\n")
    monkeypatch.setenv("SATCHEL_MACHINE_CONFIG", str(machine))
    Settings.default().set("view.expiring_days", 14)

    assert main(["admin", "policy", "show", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    by_key = {row["key"]: row for row in shown["settings"]}
    assert by_key["hub.url"] == {"key": "hub.url", "value": "postgresql://hub.example.com/satchel",
                                 "source": f"policy {machine / 'policy.toml'}", "locked": True}  # fmt: skip
    assert by_key["search.delay_ms"]["source"] == f"machine default {machine / 'defaults.toml'}"
    assert by_key["search.delay_ms"]["value"] == 300 and not by_key["search.delay_ms"]["locked"]
    assert by_key["view.expiring_days"]["source"].startswith("user ")
    assert by_key["backups.keep"] == {"key": "backups.keep", "value": 10, "source": "default",
                                      "locked": False}  # fmt: skip
    assert len(by_key) == len(shown["settings"]) >= 10
    assert any("defaults.toml" in problem for problem in shown["problems"]), "a bad value is named"

    assert main(["admin", "policy", "show"]) == 0
    text = capsys.readouterr().out
    assert "hub.url" in text and "locked" in text and "Note:" in text
