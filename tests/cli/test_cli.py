"""The `satchel` command line: JSON output, exit codes, and the error policy."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from satchel.app import main
from satchel.core.services import Services
from satchel.core.services.assets import AssetService
from tests.helpers.files import image_bytes, pdf_bytes, write


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "drop"
    write(folder / "atlas.pdf", pdf_bytes(title="Atlas brochure"))
    write(folder / "photo.png", image_bytes("PNG"))
    write(folder / "notes.txt", b"meeting notes")
    return folder


def test_import_json_reports_every_file_and_exit_code(
    capsys: pytest.CaptureFixture[str], library_dir: Path, files: Path
) -> None:
    code, out, _ = run(capsys, "--library", str(library_dir), "import", str(files), "--json",
                       "--set", "product=Atlas", "--set", "status=published")  # fmt: skip
    assert code == 1  # one file was rejected
    results = {Path(r["path"]).name: r for r in json.loads(out)}
    assert results["atlas.pdf"]["status"] == "imported"
    assert results["photo.png"]["status"] == "imported"
    assert results["notes.txt"]["status"] == "rejected"
    assert "not a file type Satchel imports" in results["notes.txt"]["reason"]
    assert results["notes.txt"]["asset_id"] is None
    code, out, _ = run(capsys, "--library", str(library_dir), "import", str(files / "atlas.pdf"),
                       "--json")  # fmt: skip
    assert code == 0
    assert json.loads(out)[0]["status"] == "duplicate"
    code, out, _ = run(capsys, "--library", str(library_dir), "list", "--json")
    listed = json.loads(out)
    assert {a["metadata"]["product"] for a in listed} == {"Atlas"}
    assert {a["metadata"]["status"] for a in listed} == {"published"}


def test_the_readmes_set_form_takes_several_pairs_and_a_misnamed_file_is_said_so(
    capsys: pytest.CaptureFixture[str], library_dir: Path, files: Path
) -> None:
    write(files / "x.pdf", b"this is no PDF at all")
    code, out, _ = run(capsys, "--library", str(library_dir), "import", "--json", "--set",
                       "kind=datasheet", "product=Atlas", str(files / "atlas.pdf"),
                       str(files / "x.pdf"))  # fmt: skip
    assert code == 1
    results = {Path(r["path"]).name: r for r in json.loads(out)}
    assert results["atlas.pdf"]["status"] == "imported"
    assert results["x.pdf"]["reason"].startswith("The file is named .pdf but is not a PDF")
    code, out, _ = run(capsys, "--library", str(library_dir), "list", "--json")
    (listed,) = json.loads(out)
    assert (listed["metadata"]["kind"], listed["metadata"]["product"]) == ("datasheet", "Atlas")
    code, _, err = run(capsys, "--library", str(library_dir), "import", "--set", "kind=deck")
    assert code == 2 and "Name at least one file or folder to import." in err


def test_list_show_set_in_text_form(
    capsys: pytest.CaptureFixture[str], library_dir: Path, files: Path
) -> None:
    run(capsys, "--library", str(library_dir), "import", str(files / "atlas.pdf"))
    code, out, _ = run(capsys, "--library", str(library_dir), "list", "--kind", "one-pager")
    assert code == 0 and "Atlas brochure" in out and "1 assets." in out
    short_id = out.split()[0]
    code, out, _ = run(capsys, "--library", str(library_dir), "set", short_id,
                       "kind=datasheet", "tags=atlas, edge")  # fmt: skip
    assert code == 0 and "Kind:         datasheet" in out and "Tags:         atlas, edge" in out
    code, out, _ = run(capsys, "--library", str(library_dir), "show", short_id, "--json")
    detail = json.loads(out)
    assert detail["metadata"]["kind"] == "datasheet"
    assert detail["versions"][0]["file_type"] == "pdf"
    code, out, _ = run(capsys, "--library", str(library_dir), "show", short_id, "--text")
    assert "Quarterly results page 1" in out


def test_usage_errors_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], library_dir: Path, files: Path
) -> None:
    run(capsys, "--library", str(library_dir), "import", str(files / "atlas.pdf"))
    asset = json.loads(run(capsys, "--library", str(library_dir), "list", "--json")[1])[0]
    code, _, err = run(capsys, "--library", str(library_dir), "set", asset["id"], "kind=poster")
    assert code == 2 and "not a valid kind" in err and "Traceback" not in err
    code, _, err = run(capsys, "--library", str(library_dir), "import", str(files), "--set", "x")
    assert code == 2 and "key=value" in err
    with pytest.raises(SystemExit) as caught:
        main(["frobnicate"])
    assert caught.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_known_failures_exit_1_with_a_sentence(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(capsys, "--library", str(tmp_path / "none"), "list")
    assert code == 1 and err.startswith("satchel: There is no Satchel library")
    code, _, err = run(capsys, "--library", str(tmp_path / "Dropbox" / "lib"), "import", "x.pdf")
    assert code == 1 and "synced by Dropbox" in err


def test_unexpected_errors_are_logged_and_reported_in_one_line(
    capsys: pytest.CaptureFixture[str], library_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Services.open(library_dir, create=True).close()

    def broken(self: AssetService, kind: object = None) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(AssetService, "list_all", broken)
    code, _, err = run(capsys, "--library", str(library_dir), "list")
    assert code == 1
    assert err.count("\n") == 1 and "something went wrong" in err
    log_file = Path(err.split("are in ")[1].strip())
    assert "RuntimeError: a bug" in log_file.read_text()


def test_check_backup_restore(
    capsys: pytest.CaptureFixture[str], library_dir: Path, files: Path
) -> None:
    lib = ["--library", str(library_dir)]
    run(capsys, *lib, "import", str(files / "atlas.pdf"))
    code, out, _ = run(capsys, *lib, "backup")
    assert code == 0
    snapshot = out.split(": ", 1)[1].strip()
    run(capsys, *lib, "import", str(files / "photo.png"))
    code, out, _ = run(capsys, *lib, "restore", snapshot)
    assert code == 0 and "Restored from" in out
    assert len(json.loads(run(capsys, *lib, "list", "--json")[1])) == 1
    code, out, _ = run(capsys, *lib, "check", "--json")
    assert code == 0 and json.loads(out)["ok"] is True
    blob = next(
        p for p in (library_dir / "blobs").rglob("*") if p.is_file() and p.parent.name != "tmp"
    )
    checked = json.loads(out)["blobs_checked"]
    blob.write_bytes(b"tampered")
    code, out, _ = run(capsys, *lib, "check")
    assert code == 1
    assert re.search(
        r"problem:  The file of “[^”]+” version 1 \(blob [0-9a-f]{12}\) is damaged", out
    )
    assert out.strip().splitlines()[-1] == (
        f"The library has problems. 1 of {checked} stored files is missing or damaged; "
        f"the other {checked - 1} verified."
    )


def test_demo_command_builds_a_library(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "demo", str(tmp_path / "demo"))
    assert code == 0 and "assets" in out and "5 users" in out  # 3 reps among them
    code, _, err = run(capsys, "--library", str(tmp_path / "demo"), "list", "--kind", "template")
    assert code == 2 and "several users: say which with --user EMAIL" in err
    assert "riley.chen@kestrel-systems.example (rep)" in err
    code, out, _ = run(capsys, "--library", str(tmp_path / "demo"), "list", "--kind", "template",
                       "--user", "riley.chen@kestrel-systems.example")  # fmt: skip
    assert code == 0 and "4 assets." in out


def test_a_locked_library_names_the_other_process(library_dir: Path) -> None:
    Services.open(library_dir, create=True).close()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys,time; from pathlib import Path; from satchel.core.library import Library;"
         f"lib = Library.open(Path({str(library_dir)!r})); print('ready', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        done = subprocess.run(
            [sys.executable, "-m", "satchel.app", "--library", str(library_dir), "import", "x.pdf"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
    finally:
        holder.kill()
        holder.communicate()
    assert done.returncode == 1
    assert f"open in another Satchel (process {holder.pid} on" in done.stderr
    assert "Traceback" not in done.stderr


def test_search_json_and_reindex(
    capsys: pytest.CaptureFixture[str], library_dir: Path, files: Path
) -> None:
    lib = ["--library", str(library_dir)]
    run(capsys, *lib, "import", str(files / "atlas.pdf"), "--set", "product=Atlas")
    code, out, _ = run(capsys, *lib, "search", "quarterly", "--json", "--facet", "product")
    assert code == 0
    data = json.loads(out)
    assert data["total"] == 1 and data["suggestion"] is None
    (hit,) = data["results"]
    assert {"id", "title", "score", "snippet", "page"} <= set(hit)
    assert hit["title"] == "Atlas brochure" and hit["page"] == 1
    assert data["facets"] == {"product": {"Atlas": 1}}
    code, out, _ = run(capsys, *lib, "search", "quartrly")
    assert "Did you mean: quarterly" in out and "[Quarterly]" in out
    code, out, _ = run(capsys, *lib, "reindex")
    assert code == 0 and "rebuilt (requested, 1 assets)" in out
    with pytest.raises(SystemExit) as caught:
        main([*lib, "search", "x", "--sort", "random"])
    assert caught.value.code == 2


def test_synonyms_are_listed_added_and_removed(
    capsys: pytest.CaptureFixture[str], demo_dir: Path
) -> None:
    base = ("--library", str(demo_dir), "--user", "mara.lindqvist@kestrel-systems.example")
    code, out, _ = run(capsys, *base, "synonyms")
    assert code == 0 and "spec sheet = datasheet" in out and "X200 → X-200" in out
    code, out, _ = run(capsys, *base, "synonyms", "add", "one pager", "one-pager", "--one-way")
    assert code == 0 and "one pager → one-pager" in out
    code, _, err = run(capsys, *base, "synonyms", "add", "datasheet", "Spec  Sheet")
    assert code == 2 and "are listed twice" in err  # a value refused: a usage error
    code, out, _ = run(capsys, *base, "synonyms", "remove", "ONE PAGER", "--json")
    assert code == 0 and "one pager" not in out and json.loads(out)[0]["term"] == "spec sheet"
    code, _, err = run(capsys, *base, "synonyms", "remove", "nothing")
    assert code == 1 and "no synonym for “nothing”" in err
    rep = ("--library", str(demo_dir), "--user", "riley.chen@kestrel-systems.example")
    code, _, err = run(capsys, *rep, "synonyms", "add", "a", "b")
    assert code == 1 and "Only marketers and admins can change the search synonyms" in err
