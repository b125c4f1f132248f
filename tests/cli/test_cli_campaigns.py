"""`satchel campaigns` and `satchel campaign add|set|cancel` on a demo library: the
marketer keeps a launch and its pieces, the rep reads what is coming and what is late."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.cli.test_cli_requests import as_


def test_a_campaign_from_a_terminal(capsys: pytest.CaptureFixture[str], demo_dir: Path) -> None:
    today = dt.date.today()
    launch, late = (today + dt.timedelta(days=30)).isoformat(), today - dt.timedelta(days=1)
    code, out, _ = as_(capsys, demo_dir, "marketer", "list", "--json")
    asset = json.loads(out)[0]["id"]
    code, _, err = as_(capsys, demo_dir, "rep", "campaign", "add", "Spring launch",
                       "--launch", launch)  # fmt: skip
    assert code == 1 and "Only marketers and admins" in err
    code, _, err = as_(capsys, demo_dir, "marketer", "campaign", "add", "Spring launch",
                       "--launch", launch, "--planned", "Launch deck")  # fmt: skip
    assert code == 2 and "TITLE@DATE" in err
    code, _, err = as_(capsys, demo_dir, "marketer", "campaign", "add", "Spring launch",
                       "--launch", launch, "--planned", "Launch deck@soon")  # fmt: skip
    assert code == 2 and "The due date of 'Launch deck' must be a date written like" in err
    code, out, _ = as_(capsys, demo_dir, "marketer", "campaign", "add", "Spring launch",
                       "--launch", launch, "--owner", "Mara", "--asset", asset[:8],
                       "--planned", f"Launch deck@{late.isoformat()}", "--json")  # fmt: skip
    made = json.loads(out)
    assert code == 0 and (made["ready"], made["pieces"], made["late"]) == (1, 2, 1)
    assert [i["state"] for i in made["items"]] == ["ready", "late"]
    code, out, _ = as_(capsys, demo_dir, "rep", "campaigns", "--upcoming")
    assert code == 0 and f"{launch}  Spring launch, Mara: 1 of 2 ready, 1 late" in out
    assert f"    LATE     Launch deck, due {late.isoformat()}" in out
    code, out, _ = as_(capsys, demo_dir, "marketer", "campaign", "set", made["id"][:8],
                       "--name", "Spring launch 2027", "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["pieces"] == 2  # the pieces stay
    code, out, _ = as_(capsys, demo_dir, "marketer", "campaign", "set", made["id"][:8],
                       "--asset", asset, "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["name"] == "Spring launch 2027"
    assert (json.loads(out)["ready"], json.loads(out)["pieces"]) == (1, 1)
    code, out, _ = as_(capsys, demo_dir, "marketer", "campaign", "cancel", made["id"][:8])
    assert code == 0 and "cancelled" in out
    code, out, _ = as_(capsys, demo_dir, "rep", "campaigns", "--json")
    assert code == 0 and json.loads(out) == []
