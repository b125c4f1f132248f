"""`satchel insights` and `satchel report digest` on a demo library: marketing's figures
as JSON, the week's digest as text and as HTML (the library's text escaped), and a rep
refused."""

from __future__ import annotations

import datetime as dt
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


def test_the_figures_of_a_territory_or_a_campaign(capsys: pytest.CaptureFixture[str],
                                                  demo_dir: Path) -> None:  # fmt: skip
    today = dt.date.today()
    code, out, _ = as_(capsys, demo_dir, "marketer", "list", "--json")
    asset = json.loads(out)[0]["id"]
    code, out, _ = as_(capsys, demo_dir, "marketer", "campaign", "add", "Dairy push kit",
                       "--launch", (today + dt.timedelta(days=20)).isoformat(), "--asset", asset,
                       "--planned", f"Dairy deck@{today - dt.timedelta(days=1)}", "--json")  # fmt: skip
    kit = json.loads(out)
    code, out, _ = as_(capsys, demo_dir, "marketer", "insights", "--campaign", kit["id"][:8],
                       "--json")  # fmt: skip
    found = json.loads(out)
    assert code == 0 and found["utilization"]["published"] == 1  # the campaign's one asset
    assert found["of"] == "Campaign Dairy push kit"
    code, out, _ = as_(capsys, demo_dir, "marketer", "insights", "--territory", "Atlantis",
                       "--kind", "datasheet", "--json")  # fmt: skip
    nowhere = json.loads(out)
    assert code == 0 and nowhere["of"] == "Kind datasheet, territory Atlantis"
    assert nowhere["utilization"]["used"] == 0 and nowhere["top_assets"] == []
    code, out, _ = as_(capsys, demo_dir, "marketer", "report", "digest")
    assert "Campaigns coming" in out and "Dairy push kit" in out
    assert "1 of 2 ready, 1 late; LATE: Dairy deck" in out
    pack = demo_dir.parent / "atlantis.pdf"
    code, out, _ = as_(capsys, demo_dir, "marketer", "report", "pack", "--territory", "Atlantis",
                       "-o", str(pack))  # fmt: skip
    said = " ".join(" ".join(page.extract_text() for page in PdfReader(pack).pages).split())
    assert code == 0 and "Territory Atlantis" in said and "Dairy push kit" in said
    code, _, err = as_(capsys, demo_dir, "marketer", "insights", "--campaign", "nope")
    assert code == 1 and "No campaign 'nope'" in err
