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


def test_diagnostics_hold_no_password_token_or_content(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import logging
    import sqlite3
    import zipfile

    from satchel.logs import setup_logging

    Settings.default().set("hub.url", "postgresql://riley:S3cretPass@hub.example.com/satchel")
    setup_logging()
    logging.getLogger("satchel.test").warning(
        "sync failed for postgresql://riley:S3cretPass@hub.example.com/satchel token=abc123XYZ"
    )
    bundle = tmp_path / "bundle.zip"
    assert main(["--library", str(demo_dir), "admin", "diagnostics", "-o", str(bundle)]) == 0
    assert "Wrote" in capsys.readouterr().out
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        text = "\n".join(archive.read(name).decode() for name in names)
    assert {"about.json", "settings.json", "check.json", "sizes.json"} <= set(names)
    assert any(name.startswith("logs/") for name in names)
    assert "S3cretPass" not in text and "abc123XYZ" not in text
    assert "postgresql://riley:***@hub.example.com/satchel" in text, "the address stays, redacted"
    check = json.loads(zipfile.ZipFile(bundle).read("check.json"))
    assert check["opened"] and check["ok"] and check["blobs_checked"] > 0
    with sqlite3.connect(f"file:{demo_dir / 'satchel.db'}?mode=ro", uri=True) as db:
        titles = [row[0] for row in db.execute("SELECT title FROM assets")]
        pages = [
            row[0] for row in db.execute("SELECT text FROM page_texts WHERE length(text) > 60")
        ]
    assert titles and pages
    assert not [title for title in titles if title in text]
    assert not [page for page in pages if page.strip()[:50] in text]


def test_cli_backups_rotate_by_the_policy(library_dir: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    machine = tmp_path / "machine"
    machine.mkdir()
    (machine / "policy.toml").write_text("[backups]\nkeep = 2\n")
    monkeypatch.setenv("SATCHEL_MACHINE_CONFIG", str(machine))
    made = []
    for _ in range(4):
        assert main(["--library", str(library_dir), "backup"]) == 0
        made.append(capsys.readouterr().out.split(": ", 1)[1].strip())
    kept = sorted(p.name for p in (library_dir / "backups").glob("*.db"))
    assert kept == sorted(Path(p).name for p in made[-2:])
