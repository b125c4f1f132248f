"""The data-loss defects of issue 11, each shown on a real library (they failed before)."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import string
import time
from collections import Counter
from pathlib import Path

import pytest

from satchel.app import main
from satchel.core.domain.usage import UsageAction
from satchel.core.errors import DamagedFileError, DiskFullError, KnownError
from satchel.core.search.index import IndexDoc, SearchIndex
from satchel.core.search.query import parse
from satchel.core.services import Services
from satchel.core.storage.database import Database
from tests.conftest import TEST_LIMITS, open_as
from tests.helpers import reliability
from tests.helpers.files import pdf_bytes, write

REP, ADMIN = "riley.chen@kestrel-systems.example", "sam.okafor@kestrel-systems.example"
# The Qt-free second pass of `make test` skips what is marked slow: these run once.
pytestmark = pytest.mark.slow
PUNCTUATION = string.punctuation.replace("/", "")  # every ASCII punctuation but the separator


def _one_pdf_library(root: Path, scratch: Path, title: str = "Atlas brochure") -> str:
    with open_as(root, create=True, limits=TEST_LIMITS, workers=1) as services:
        report, _ = services.assets.import_paths([write(scratch / "a.pdf", pdf_bytes(title=title))])
        return str(report.results[0].asset_id)


# --- 1: paths with characters that mean something in a URL ---------------------------


def test_a_library_path_with_any_punctuation_opens_its_own_database(tmp_path: Path) -> None:
    folder = tmp_path / "plain"
    asset_id = _one_pdf_library(folder, tmp_path)
    for char in PUNCTUATION:
        moved = folder.rename(tmp_path / f"lib{char}x{char}")
        with open_as(moved, limits=TEST_LIMITS, workers=1) as services:
            assert [a.id for a in services.assets.list_all()] == [asset_id], repr(char)
            report = services.care.check(repair=True)
            assert report.ok and not report.repaired, (char, report)
        with Services.open(moved, read_only=True) as reader:
            assert len(reader.assets.list_all()) == 1, repr(char)
        assert sorted(p.name for p in moved.glob("*.db*")) in (["satchel.db"],
                                                                ["satchel.db", "satchel.db-shm", "satchel.db-wal"])  # fmt: skip
        assert not any(p.suffix == ".db" for p in tmp_path.iterdir() if p.is_file())
        folder = moved
    reliability.record("Library location", "A library folder named with ? # % & = + and every "
                       "other ASCII punctuation character", "Nothing: it opens as any other",
                       "The library's own database is opened; repair moves nothing")  # fmt: skip


# --- 2: check --repair acts only on this library's own database ------------------------


def test_repair_refuses_a_database_that_is_not_this_librarys(tmp_path: Path) -> None:
    root = tmp_path / "library"
    _one_pdf_library(root, tmp_path)
    other = tmp_path / "other"
    _one_pdf_library(other, tmp_path / "o", title="Someone else's")
    blobs_before = sorted(p for p in (root / "blobs").rglob("*") if p.is_file())
    for suffix in ("", "-wal", "-shm"):
        (root / f"satchel.db{suffix}").unlink(missing_ok=True)
    for path in other.glob("satchel.db*"):
        (root / path.name).write_bytes(path.read_bytes())
    with open_as(root, workers=1) as services:
        assert services.care.check().garbage  # it sees the library's files as unknown
        with pytest.raises(KnownError, match="another library") as refused:
            services.care.check(repair=True)
    assert sorted(p for p in (root / "blobs").rglob("*") if p.is_file()) == blobs_before
    assert not (root / "quarantine").exists()
    reliability.record("Repair", "`check --repair` on a folder whose database belongs to "
                       "another library", str(refused.value), "Every stored file; nothing moved")  # fmt: skip


def test_repair_refuses_when_the_database_knows_few_of_the_files(tmp_path: Path) -> None:
    root = tmp_path / "library"
    with open_as(root, create=True, limits=TEST_LIMITS, workers=1) as services:
        services.assets.import_paths([write(tmp_path / f"{n}.pdf", pdf_bytes(title=f"Doc {n}"))
                               for n in range(6)])  # fmt: skip
    connection = sqlite3.connect(root / "satchel.db")  # as if the rows had been lost
    connection.executescript("PRAGMA foreign_keys=OFF; DELETE FROM page_texts; "
                             "DELETE FROM asset_versions; DELETE FROM asset_tags; "
                             "DELETE FROM assets; DELETE FROM blobs;")  # fmt: skip
    connection.close()
    with open_as(root, workers=1) as services, pytest.raises(KnownError, match="knows only"):
        services.care.check(repair=True)
    assert len([p for p in (root / "blobs").rglob("*") if p.is_file()]) == 6


def test_repair_quarantines_and_purges_after_the_kept_days(services: Services,
                                                           library_dir: Path) -> None:  # fmt: skip
    services.assets.import_paths([write(library_dir.parent / "a.pdf", pdf_bytes())])
    orphan = write(library_dir / "blobs" / "ff" / "ee" / ("ffee" + "0" * 60), b"left by a crash")
    report = services.care.check(repair=True)
    assert report.repaired and not orphan.exists()
    (kept,) = (library_dir / "quarantine").rglob("ffee*")
    assert kept.read_bytes() == b"left by a crash"
    assert report.quarantine_files == 1 and report.quarantine_bytes == len(b"left by a crash")
    old = time.time() - 31 * 86_400
    for folder in (library_dir / "quarantine").iterdir():
        os.utime(folder, (old, old))
    assert services.care.check(repair=True).quarantine_files == 0
    reliability.record("Repair", "`check --repair` with an orphaned file in the blob store",
                       report.repaired[0], "The file, in quarantine/<date>/ for 30 days")  # fmt: skip


# --- 3: restoring the oldest backup --------------------------------------------------


def test_restoring_the_oldest_backup_keeps_it(library_dir: Path, tmp_path: Path) -> None:
    with open_as(library_dir, create=True, limits=TEST_LIMITS, workers=1,
                       backup_keep=3) as services:  # fmt: skip
        services.assets.import_paths([write(tmp_path / "a.pdf", pdf_bytes(title="First"))])
        oldest = services.care.backup()
        services.assets.import_paths([write(tmp_path / "b.pdf", pdf_bytes(title="Second"))])
        services.care.backup()
        services.care.backup()
        outcome, _ = services.care.restore(oldest)
        assert oldest.is_file(), "the snapshot being restored was rotated away"
        assert [a.metadata.title for a in services.assets.list_all()] == ["First"]
        assert outcome.safety_backup is not None
        assert len(services.care.list_backups()) == 3 + 1  # three kept, plus the one in use
    reliability.record("Backups", "Restoring the oldest of the kept backups",
                       "Restored from …; the state before the restore was saved as …",
                       "The restored snapshot, and a verified backup of the state before")  # fmt: skip


# --- 4: SQLite errors by result code -------------------------------------------------


def test_a_full_database_says_the_disk_is_full_not_damaged(services: Services) -> None:
    database: Database = services._ctx.library.db
    connection = database.raw_connection()  # a real SQLITE_FULL: the page limit reached
    pages = connection.execute("PRAGMA page_count").fetchone()[0]
    connection.execute(f"PRAGMA max_page_count={pages}")
    with pytest.raises(sqlite3.Error) as raw:
        connection.execute("CREATE TABLE filler (x)")
        connection.execute("INSERT INTO filler VALUES (randomblob(100000))")
    connection.close()
    from satchel.core.storage.sqlite_errors import FULL, explain, result_code

    assert result_code(raw.value) == FULL
    explained = explain(raw.value, database.path)
    assert isinstance(explained, DiskFullError) and "is full (" in str(explained)


def test_damage_and_not_a_database_are_told_apart_by_code(tmp_path: Path) -> None:
    from satchel.core.errors import DamagedLibraryError
    from satchel.core.storage.sqlite_errors import NOTADB, explain, result_code

    bogus = write(tmp_path / "x.db", b"this is not a database" * 300)
    with pytest.raises(sqlite3.DatabaseError) as raw:
        sqlite3.connect(bogus).execute("SELECT * FROM sqlite_master")
    assert result_code(raw.value) == NOTADB
    assert isinstance(explain(raw.value, bogus), DamagedLibraryError)


# --- 5: restore when the library will not open ---------------------------------------


@pytest.mark.parametrize("damage", ["truncated", "zeroed header", "damaged pages", "empty"])
def test_restore_recovers_a_library_that_will_not_open(damage: str, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    root = tmp_path / "library"
    with open_as(root, create=True, limits=TEST_LIMITS, workers=1) as services:
        services.assets.import_paths([write(tmp_path / f"{n}.pdf", pdf_bytes(title=f"Doc {n}"))
                               for n in range(20)])  # fmt: skip
        snapshot = services.care.backup()
    database = root / "satchel.db"
    data = bytearray(database.read_bytes())
    if damage == "truncated":
        data = data[: len(data) // 3]
    elif damage == "zeroed header":
        data[:100] = bytes(100)
    elif damage == "damaged pages":
        for page in range(2, len(data) // 4096):
            data[page * 4096 + 8 : page * 4096 + 200] = os.urandom(192)
    else:
        data = bytearray()
    database.write_bytes(bytes(data))
    code = main(["--library", str(root), "restore", str(snapshot)])
    out, err = capsys.readouterr()
    assert code == 0, err
    kept = list(root.glob("satchel.db.damaged-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == bytes(data), "the damaged file is kept"
    assert "damaged database was kept" in out
    with open_as(root, workers=1) as services:
        assert len(services.assets.list_all()) == 20
        assert services.care.check().ok
        assert services.search.find("Doc").total == 20
    reliability.record("Damaged database", f"`satchel restore BACKUP` on a database that is {damage}",
                       out.splitlines()[-1], "The backup's contents; the damaged file beside it")  # fmt: skip


def test_a_missing_database_is_not_replaced_by_an_empty_library(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    root = tmp_path / "library"
    _one_pdf_library(root, tmp_path)
    for path in root.glob("satchel.db*"):
        path.unlink()
    code = main(["--library", str(root), "import", str(write(tmp_path / "b.pdf", pdf_bytes()))])
    assert code == 1 and "database is missing" in capsys.readouterr().err
    assert not (root / "satchel.db").exists()


# --- 6: a damaged small index file --------------------------------------------------


INDEX_FILES = ["CURRENT", "STAMP", "COMMON", "*.toc", "*.trm", "*.pst", "*_stored.col"]


def _damage_index(root: Path, pattern: str) -> None:
    """Garbage over one of the active index's files (found afresh: rebuilds move it)."""
    index = root / "index"
    try:
        current = index / (index / "CURRENT").read_text().strip()
        target = index / "CURRENT" if pattern == "CURRENT" else next(current.glob(pattern))
    except (OSError, UnicodeDecodeError, StopIteration):
        target = index / "CURRENT"
    data = target.read_bytes()
    target.write_bytes(b"\xff\xfe\x00garbage{" + data[len(data) // 2 :])


@pytest.mark.parametrize("damaged", INDEX_FILES)
def test_garbage_in_an_index_file_never_fails_a_command(damaged: str, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    root = tmp_path / "library"
    asset_id = _one_pdf_library(root, tmp_path)
    lib = ["--library", str(root)]
    _damage_index(root, damaged)
    assert main([*lib, "search", "atlas"]) == 0
    assert "1 result." in capsys.readouterr().out
    for args in (["set", asset_id, "title=Beacon sheet"],
                 ["import", str(write(tmp_path / "b.pdf", pdf_bytes(title="Cirrus")))],
                 ["search", "cirrus"], ["reindex"]):  # fmt: skip
        _damage_index(root, damaged)
        assert main([*lib, *args]) == 0, args
    out = capsys.readouterr().out
    assert "1 imported," in out
    with open_as(root, workers=1) as services:
        assert {h.title for h in services.search.find("", page_size=10).hits} == {
            "Beacon sheet",
            "Cirrus",
        }
    reliability.record("Search index", f"Garbage in the index's {damaged} file before each of "
                       "search, edit, import and reindex", "Nothing: each command succeeds",
                       "The database; the index is moved aside and rebuilt")  # fmt: skip


def test_a_failing_index_write_only_marks_the_change_for_repair(services: Services,
                                                                library_dir: Path) -> None:  # fmt: skip
    (result,) = services.assets.import_paths([write(library_dir.parent / "a.pdf", pdf_bytes())])[
        0
    ].results
    index = library_dir / "index"
    current = index / (index / "CURRENT").read_text().strip()
    current.chmod(0o500)  # writes into the index folder fail
    try:
        if os.access(current, os.W_OK):
            pytest.skip("root writes to read-only folders; the failpoint suite covers this")
        detail, _ = services.assets.update_metadata(result.asset_id, {"title": "Renamed"})
    finally:
        current.chmod(0o700)
    assert detail.metadata.title == "Renamed"
    assert [h.title for h in services.search.find("renamed").hits] == ["Renamed"]


# --- 7: a changed blob is never handed out ---------------------------------------------


def test_a_flipped_bit_in_a_blob_is_refused_everywhere(demo_dir: Path, tmp_path: Path) -> None:
    with open_as(demo_dir, limits=TEST_LIMITS, workers=1) as services:
        services.people.sign_in(REP)
        template = next(
            t for t in services.templates.list_all() if t.title.startswith("Price quote")
        )
        brochure = next(
            a
            for a in services.assets.list_all()
            if a.id != template.id
            and a.sha256 != template.base_sha256
            and a.file_type.value == "pdf"
        )
        for sha256 in (template.base_sha256, brochure.sha256):
            path = services.assets.blob_path(sha256)
            data = bytearray(path.read_bytes())
            data[len(data) // 2] ^= 0x01
            path.write_bytes(bytes(data))
        valid = (dt.date.today() + dt.timedelta(days=30)).isoformat()
        values = {"customer": "Harlow Foods", "quote_number": "Q-2026-0007", "discount": "5",
                  "valid_until": valid}  # fmt: skip
        attempts = {
            "export": lambda: services.assets.export_copy(brochure.id, tmp_path / "out.pdf"),
            "open or copy": lambda: services.assets.shareable_copy(brochure.id, UsageAction.OPENED),
            "preview": lambda: services.assets.page_image(brochure.id, 1, 200),
            "render": lambda: services.templates.generate(template.id, values),
            "live preview": lambda: services.templates.preview(template, values, 200),
        }
        for name, attempt in attempts.items():
            with pytest.raises(DamagedFileError, match="is damaged") as refused:
                attempt()
            assert "restore" in str(refused.value).lower(), name
        assert not (tmp_path / "out.pdf").exists()
        assert sum("damaged" in p for p in services.care.check().problems) == 2
    reliability.record("Stored files", "A flipped bit in a stored file, then export, copy, open, "
                       "preview and render from it", str(refused.value),
                       "Nothing is handed out; `check` names the damaged files")  # fmt: skip


# --- 8: leftovers and false alarms ---------------------------------------------------


def test_a_killed_backups_partial_file_is_reported_and_repaired(services: Services,
                                                                library_dir: Path) -> None:  # fmt: skip
    partial = write(
        library_dir / "backups" / ".satchel-20260101-000000-000000.db.partial", b"x" * 999
    )
    report = services.care.check()
    assert any("interrupted backup" in line for line in report.garbage)
    services.care.check(repair=True)
    assert not partial.exists() and not services.care.check().garbage


def test_a_rebuild_whose_writers_die_at_once_fails_instead_of_waiting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SATCHEL_FAILPOINT", "index.subwriter:crash")  # read by the children
    index = SearchIndex(tmp_path / "index")
    started = time.monotonic()
    with pytest.raises(KnownError, match="could not be built"):
        index.rebuild(_docs(3000), "s-1")
    assert time.monotonic() - started < 60
    assert not list((tmp_path / "index").glob("build-*"))
    index.close()


# --- 9: hostile --values files ------------------------------------------------------


def test_hostile_values_files_end_in_one_sentence(demo_dir: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    with Services.open(demo_dir, read_only=True) as services:
        quote = next(
            t.id for t in services.templates.list_all() if t.title.startswith("Price quote")
        )
    hostile = {
        "nested thousands deep": b'{"customer": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
        "a number with thousands of digits": b'{"discount": ' + b"9" * 10_000 + b"}",
        "200,000 unknown keys": b"{" + b",".join(b'"k%d": "v"' % n for n in range(200_000)) + b"}",
        "400 unknown keys": b"{" + b",".join(b'"k%d": "v"' % n for n in range(400)) + b"}",
    }
    for what, data in hostile.items():
        values = write(tmp_path / "values.json", data)
        code = main(["--library", str(demo_dir), "--user", REP, "render", quote, "--values", str(values),
                     "-o", str(tmp_path / "out.pdf")])  # fmt: skip
        out, err = capsys.readouterr()
        assert code in (1, 2) and "went wrong" not in err, (what, err)
        assert len((out + err).splitlines()) <= 8 and len(out + err) < 2000, what
        assert not (tmp_path / "out.pdf").exists()
        said = (err or out).strip().splitlines()
        reliability.record("Hostile input", f"`satchel render --values FILE` with {what}",
                           " ".join(said)[:300], "Nothing rendered or recorded")  # fmt: skip


# --- 10: totals and facets are exact whatever the page size --------------------------


def _docs(count: int) -> list[IndexDoc]:
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    docs = []
    for n in range(count):
        words = ["alpha"] * (1 + n % 5) + (["zebra"] * 3 if n % 40 == 0 else [])
        words += ["quince"] if n % 3 == 0 else []
        docs.append(IndexDoc(id=f"d{n:05}", title=f"Document {n}", summary="", tags=(),
                             body=" ".join(words + [f"filler{n % 17}"] * 20), opening="",
                             facets={"kind": "brochure" if n % 2 else "datasheet"},
                             updated=now, expires=None))  # fmt: skip
    return docs


def test_totals_and_facets_do_not_depend_on_the_page_size(tmp_path: Path) -> None:
    docs = _docs(400)
    index = SearchIndex(tmp_path / "index")
    index.rebuild(docs, "s-1")
    expected = {
        "zebra OR alpha": [d for d in docs if "alpha" in d.body or "zebra" in d.body],
        "zebra OR quince": [d for d in docs if "zebra" in d.body or "quince" in d.body],
        "alpha quince": [d for d in docs if "alpha" in d.body and "quince" in d.body],
        "zebra alpha": [d for d in docs if "zebra" in d.body and "alpha" in d.body],
    }
    for query, matching in expected.items():
        kinds = Counter(d.facets["kind"] for d in matching)
        for page_size in (1, 3, 20, 500):
            # Every word as asked (a relaxed search fills a short page on purpose).
            hits = index.search(parse(query), page_size=page_size, include_hidden=True,
                                relax=False)  # fmt: skip
            assert hits.total == len(matching), (query, page_size)
            assert dict(hits.facets["kind"]) == dict(kinds), (query, page_size)
    index.close()
    reliability.record("Search", "The same OR query with a page of 1, 3, 20 and 500 results",
                       "The same total and facet counts each time",
                       "Totals equal a brute-force count")  # fmt: skip
