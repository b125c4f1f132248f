"""`satchel feedback …` and `satchel outcome …` on a demo library, as a rep and as the
marketer who reads them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli_requests import as_


def test_feedback_and_outcomes_from_a_terminal(capsys: pytest.CaptureFixture[str],
                                              demo_dir: Path) -> None:  # fmt: skip
    _, out, _ = as_(capsys, demo_dir, "rep", "list", "--json")
    asset = json.loads(out)[0]
    code, out, _ = as_(capsys, demo_dir, "rep", "feedback", asset["id"][:8], "--used", "yes",
                       "--account", "Northwind Foods", "--rating", "5", "--competitor",
                       "Acme Edge", "--json")  # fmt: skip
    given = json.loads(out)
    assert code == 0 and given["asset_id"] == asset["id"] and given["rating"] == 5
    code, out, _ = as_(capsys, demo_dir, "rep", "outcome", "northwind foods", "no-decision")
    assert code == 0 and "no decision" in out and "1 asset(s)" in out
    code, out, _ = as_(capsys, demo_dir, "rep", "feedback", "list", "--json")
    assert [r["kind"] for r in json.loads(out)] == ["outcome", "asset"]
    code, _, err = as_(capsys, demo_dir, "rep", "feedback", "list", "--team")
    assert code == 1 and "see other people's usage and feedback" in err
    code, _, err = as_(capsys, demo_dir, "rep", "feedback", asset["id"], "--rating", "9")
    assert code == 2 and "1 to 5" in err  # a value refused: a usage error
    code, out, _ = as_(capsys, demo_dir, "marketer", "feedback", "list", "--team")
    assert code == 0 and "Riley Chen" in out and given["asset"] in out
