"""`satchel templates`, `render` and `verify` on a demo library."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.cli.test_cli import run
from tests.conftest import DEMO_USERS


def quote_id(capsys: pytest.CaptureFixture[str], demo_dir: Path) -> str:
    code, out, _ = run(
        capsys, "--library", str(demo_dir), "--user", DEMO_USERS["rep"], "templates", "--json"
    )
    assert code == 0
    templates = json.loads(out)
    quote = next(t for t in templates if t["title"].startswith("Price quote"))
    discount = next(f for f in quote["fields"] if f["key"] == "discount")
    assert discount == {"key": "discount", "label": "Discount", "kind": "percent",
                        "policy": "self_service", "default": "0",
                        "limits": {"minimum": 0, "maximum": 15, "step": 0.5,
                                   "envelope_max": 10}}  # fmt: skip
    assert {t["version"] for t in templates} == {1}
    return str(quote["id"])


def test_render_verify_and_tamper(capsys: pytest.CaptureFixture[str], demo_dir: Path,
                                  tmp_path: Path) -> None:  # fmt: skip
    template = quote_id(capsys, demo_dir)
    values = tmp_path / "values.json"
    values.write_text(json.dumps({"customer": "Harlow Foods", "quote_number": "Q-2026-0007",
                                  "discount": "12", "valid_until": "2099-01-01"}))  # fmt: skip
    out_pdf = tmp_path / "quote.pdf"
    code, out, _ = run(capsys, "--library", str(demo_dir), "--user", DEMO_USERS["rep"], "render", template[:8], "--values",
                       str(values), "-o", str(out_pdf), "--json")  # fmt: skip
    assert code == 1  # the date is outside the 90-day window: nothing written
    assert json.loads(out)["ok"] is False and not out_pdf.exists()
    assert any("valid_until" in issue for issue in json.loads(out)["issues"])
    code, out, _ = run(capsys, "--library", str(demo_dir), "--user", DEMO_USERS["rep"], "render", template[:8],
                       "--set", "customer=Harlow Foods", "quote_number=Q-2026-0007",
                       "--set", "discount=12", "valid_until=" + _in_days(30),
                       "-o", str(out_pdf), "--json")  # fmt: skip
    result = json.loads(out)
    assert code == 0 and result["draft"] is True
    assert result["notes"] == ["Discount above 10 % needs marketing approval."]
    code, out, _ = run(
        capsys, "--library", str(demo_dir), "--user", DEMO_USERS["rep"], "verify", str(out_pdf)
    )
    assert code == 0 and "“Price quote (template)” version 1" in out and "draft" in out
    data = bytearray(out_pdf.read_bytes())
    data[len(data) // 3] ^= 0x20
    out_pdf.write_bytes(bytes(data))
    code, out, _ = run(
        capsys,
        "--library",
        str(demo_dir),
        "--user",
        DEMO_USERS["rep"],
        "verify",
        str(out_pdf),
        "--json",
    )
    assert code == 1 and json.loads(out)["genuine"] is False


def test_refused_values_list_every_issue(capsys: pytest.CaptureFixture[str], demo_dir: Path,
                                         tmp_path: Path) -> None:  # fmt: skip
    template = quote_id(capsys, demo_dir)
    code, out, err = run(capsys, "--library", str(demo_dir), "--user", DEMO_USERS["rep"], "render", template, "--set",
                         "discount=40", "--set", "nope=1", "-o", str(tmp_path / "x.pdf"))  # fmt: skip
    assert code == 1 and "Traceback" not in out + err
    assert "Discount cannot be above 15 %." in out
    assert "This template has no field “nope”." in out
    assert "Customer is required." in out


def _in_days(days: int) -> str:
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()
