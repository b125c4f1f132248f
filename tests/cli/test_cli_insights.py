"""`satchel insights` and `satchel report digest` on a demo library: marketing's figures
as JSON, the week's digest as text and as HTML (the library's text escaped), and a rep
refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.cli.test_cli_requests import as_


def test_insights_and_the_digest_from_a_terminal(capsys: pytest.CaptureFixture[str],
                                                 demo_dir: Path) -> None:  # fmt: skip
    code, out, _ = as_(capsys, demo_dir, "rep", "ask", "A <b>dairy</b> case study", "--json")
    assert code == 0
    code, _, err = as_(capsys, demo_dir, "rep", "insights")
    assert code == 1 and "Only marketers and admins" in err
    code, out, _ = as_(capsys, demo_dir, "marketer", "insights", "--json")
    found = json.loads(out)
    assert code == 0 and found["period"]["last"] > found["period"]["first"]
    assert found["utilization"]["published"] >= 30  # the demo's published collateral
    assert found["demand"][0]["asks"] == 1 and found["demand"][0]["people"] == 1
    code, out, _ = as_(capsys, demo_dir, "marketer", "report", "digest")
    assert code == 0 and out.startswith("Satchel weekly digest, ")
    assert "Joint numbers" in out and "“A <b>dairy</b> case study”: 1 person" in out
    code, out, _ = as_(capsys, demo_dir, "marketer", "report", "digest", "--format", "html")
    assert code == 0 and "&lt;b&gt;dairy&lt;/b&gt;" in out and "<b>dairy" not in out
    pack = demo_dir.parent / "pack.pdf"
    code, out, _ = as_(capsys, demo_dir, "marketer", "report", "pack", "-o", str(pack))
    assert code == 0 and "pages)" in out and PdfReader(pack).pages
    code, _, err = as_(capsys, demo_dir, "marketer", "report", "pack")
    assert code == 2 and "-o pack.pdf" in err
    code, _, err = as_(capsys, demo_dir, "marketer", "report", "digest", "--since", "2027-02-30")
    assert code == 2 and "The first day must be a date written like 2027-03-31" in err
