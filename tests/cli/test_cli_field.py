"""`satchel note`, `competitors`, `ask`, `asks`, `initiative` and `export` on a demo
library, as a rep and as the marketer who reads and answers them."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.cli.test_cli_requests import as_


def test_notes_and_the_competitor_list_from_a_terminal(capsys: pytest.CaptureFixture[str],
                                                       demo_dir: Path) -> None:  # fmt: skip
    code, _, err = as_(capsys, demo_dir, "rep", "competitors", "add", "Acme Edge")
    assert code == 1 and "Only marketers and admins" in err
    code, out, _ = as_(capsys, demo_dir, "marketer", "competitors", "add", "Acme Edge",
                       "--alias", "ACME", "--json")  # fmt: skip
    assert code == 0 and json.loads(out) == [{"name": "Acme Edge", "aliases": ["ACME"],
                                              "notes": ""}]  # fmt: skip
    code, out, _ = as_(capsys, demo_dir, "rep", "note", "acme", "30 % off for three years",
                       "--account", "Northwind Foods", "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["competitor"] == "Acme Edge"
    code, _, err = as_(capsys, demo_dir, "rep", "note", "Acme Edge", "")
    assert code == 2 and "claimed or offered" in err
    code, out, _ = as_(capsys, demo_dir, "marketer", "note", "list")
    assert code == 0 and "Acme Edge: 30 % off" in out and "Riley Chen" in out


def test_asks_plus_ones_answers_and_the_csv(capsys: pytest.CaptureFixture[str], demo_dir: Path,
                                            tmp_path: Path) -> None:  # fmt: skip
    code, out, _ = as_(capsys, demo_dir, "rep", "ask", "A brewery case study in German",
                       "--language", "de", "--deals", "2", "--json")  # fmt: skip
    filed = json.loads(out)
    assert code == 0 and filed["state"] == "open" and filed["similar"] == []
    code, out, _ = as_(capsys, demo_dir, "marketer", "ask", "German brewery case studies")
    assert code == 0 and f"satchel ask --plus-one {filed['id'][:8]}" in out  # offered
    code, out, _ = as_(capsys, demo_dir, "admin", "ask", "--plus-one", filed["id"][:8],
                       "--deals", "1")  # fmt: skip
    assert code == 0 and "2 people ask for it now, for 3 deal(s)" in out
    code, _, err = as_(capsys, demo_dir, "rep", "asks", "answer", filed["id"][:8], "accepted")
    assert code == 1 and "decide edit requests" in err
    code, out, _ = as_(capsys, demo_dir, "marketer", "asks", "answer", filed["id"][:8],
                       "declined", "--reason", "One is coming in Q2 anyway", "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["state"] == "declined"
    code, out, _ = as_(capsys, demo_dir, "rep", "asks", "--mine", "--json")
    mine = json.loads(out)
    assert [(a["id"], a["state"], a["votes"]) for a in mine] == [(filed["id"], "declined", 1)]
    assert mine[0]["answer"]["reason"] == "One is coming in Q2 anyway"
    code, out, _ = as_(capsys, demo_dir, "rep", "initiative", "=Q1 brewery push", "--starts",
                       "2027-01-04", "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["starts"] == "2027-01-04"
    target = tmp_path / "asks.csv"
    code, out, _ = as_(capsys, demo_dir, "marketer", "export", "asks", "--csv", str(target))
    assert code == 0 and "2 row(s) of asks" in out
    with open(target, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["need"] for row in rows} == {"A brewery case study in German",
                                             "German brewery case studies"}  # fmt: skip
    code, out, _ = as_(capsys, demo_dir, "marketer", "export", "initiatives", "--csv",
                       str(tmp_path / "i.csv"), "--json")  # fmt: skip
    assert json.loads(out)["rows"] == 1
    with open(tmp_path / "i.csv", encoding="utf-8-sig", newline="") as handle:
        assert next(csv.DictReader(handle))["what"] == "'=Q1 brewery push"
