"""`satchel request …`, `requests`, `render --request` and `audit` on a demo library: the
whole loop from a terminal, as the rep and as the marketer."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from tests.cli.test_cli import run
from tests.conftest import DEMO_USERS


def as_(capsys: pytest.CaptureFixture[str], demo_dir: Path, role: str,
        *args: str) -> tuple[int, str, str]:  # fmt: skip
    return run(capsys, "--library", str(demo_dir), "--user", DEMO_USERS[role], *args)


def _quote(capsys: pytest.CaptureFixture[str], demo_dir: Path) -> str:
    _, out, _ = as_(capsys, demo_dir, "rep", "templates", "--json")
    return str(next(t["id"] for t in json.loads(out) if t["title"].startswith("Price quote")))


def test_the_loop_from_a_terminal(capsys: pytest.CaptureFixture[str], demo_dir: Path,
                                  tmp_path: Path) -> None:  # fmt: skip
    valid = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    code, out, _ = as_(capsys, demo_dir, "rep", "request", _quote(capsys, demo_dir)[:8],
                       "--set", "customer=Globex", "quote_number=Q-2026-0900", "discount=13",
                       f"valid_until={valid}", "--for", "Globex renewal",
                       "--note", "They asked twice.", "--json")  # fmt: skip
    assert code == 0, out
    request = json.loads(out)["request"]
    assert request["state"] == "submitted" and request["customer"] == "Globex renewal"
    short = request["id"][:8]

    code, out, err = as_(capsys, demo_dir, "rep", "render", "--request", short,
                         "-o", str(tmp_path / "q.pdf"))  # fmt: skip
    assert code == 1 and "waiting for marketing" in err and not (tmp_path / "q.pdf").exists()
    code, _, err = as_(capsys, demo_dir, "rep", "approve", short)
    assert code == 1 and "Only marketers and admins can decide edit requests" in err

    code, out, _ = as_(capsys, demo_dir, "marketer", "requests", "--queue")
    assert code == 0 and short in out and "Globex renewal" in out
    code, _, err = as_(capsys, demo_dir, "marketer", "reject", short)
    assert code == 2 and "Say why the request is rejected" in err
    code, out, _ = as_(capsys, demo_dir, "marketer", "approve", short,
                       "--set", "discount=12", "--comment", "12 % for a renewal.")  # fmt: skip
    assert code == 0 and "Marketing changed Discount: 13 → 12" in out, out
    code, _, err = as_(capsys, demo_dir, "admin", "approve", short)
    assert code == 1 and "Already approved with edits by Mara Lindqvist" in err, err

    out_pdf = tmp_path / "final.pdf"
    code, out, _ = as_(capsys, demo_dir, "rep", "render", "--request", short, "-o", str(out_pdf),
                       "--json")  # fmt: skip
    assert code == 0 and json.loads(out)["draft"] is False
    code, out, _ = as_(capsys, demo_dir, "rep", "verify", str(out_pdf))
    assert code == 0 and "Mara Lindqvist" in out and short in out, out

    code, out, _ = as_(capsys, demo_dir, "rep", "request", "show", short)
    assert (
        code == 0 and "Marketing changed Discount: 13 → 12" in out and "12 % for a renewal." in out
    )
    code, out, _ = as_(capsys, demo_dir, "rep", "requests", "--mine", "--json")
    mine = json.loads(out)["requests"]
    assert mine[0]["id"].startswith(short) and mine[0]["state"] == "approved_with_edits"


def test_the_audit_trail_is_checked_and_exported(capsys: pytest.CaptureFixture[str],
                                                 demo_dir: Path, tmp_path: Path) -> None:  # fmt: skip
    code, out, _ = as_(capsys, demo_dir, "admin", "audit", "verify", "--json")
    assert code == 0 and json.loads(out)["ok"] is True
    events = json.loads(out)["events"]
    assert events >= 12  # the demo's history
    code, out, _ = as_(
        capsys, demo_dir, "marketer", "audit", "export", "--csv", str(tmp_path / "a.csv")
    )
    assert code == 0 and f"Wrote {events} events" in out
    with (tmp_path / "a.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == events and {r["to"] for r in rows} >= {"submitted", "approved", "rejected"}
    with sqlite3.connect(demo_dir / "satchel.db") as db:  # an edit behind Satchel's back
        db.execute("UPDATE request_events SET text = replace(text, 'Fine', 'Fine!')")
    code, out, _ = as_(capsys, demo_dir, "admin", "audit", "verify")
    assert code == 1 and "The audit trail was changed" in out


def test_values_inside_the_limits_from_a_file_are_approved_at_once(
    capsys: pytest.CaptureFixture[str], demo_dir: Path, tmp_path: Path
) -> None:
    values = tmp_path / "values.json"
    values.write_text(json.dumps({"customer": "Initech", "quote_number": "Q-2026-0901",
                                  "discount": "5", "valid_until": (dt.date.today() +
                                  dt.timedelta(days=20)).isoformat()}))  # fmt: skip
    code, out, _ = as_(capsys, demo_dir, "rep", "request", _quote(capsys, demo_dir)[:8],
                       "--values", str(values), "--for", "Initech")  # fmt: skip
    assert code == 0 and "approved automatically" in out
    assert "Approved at once: make the final PDF with satchel render --request" in out
    code, _, err = as_(capsys, demo_dir, "rep", "request", "show")
    assert code == 2 and "satchel request show ID" in err
