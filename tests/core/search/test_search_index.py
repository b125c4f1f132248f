"""The index's life: updates, dirty repair, rebuild and swap, damage, planted pickles."""

from __future__ import annotations

import logging
import pickle
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from satchel.core.search.index import IndexDamagedError, IndexDoc, SearchIndex
from satchel.core.services import Services
from tests.conftest import open_as
from tests.helpers.library import build


@pytest.fixture
def library(tmp_path: Path) -> Iterator[tuple[Services, dict[str, str]]]:
    services, ids = build(tmp_path / "library", tmp_path / "sources")
    yield services, ids
    services.close()


def titles(services: Services, query: str, as_you_type: bool = False) -> list[str]:
    return [h.title for h in services.search.find(query, as_you_type=as_you_type).hits]


def current_dir(root: Path) -> Path:
    return root / "index" / (root / "index" / "CURRENT").read_text().strip()


def test_an_edit_is_searchable_at_once(library) -> None:  # type: ignore[no-untyped-def]
    services, ids = library
    services.assets.update_metadata(ids["beacon"], {"title": "Zeppelin telemetry sheet"})
    assert titles(services, "zeppelin") == ["Zeppelin telemetry sheet"]
    assert "Beacon vibration sensors datasheet" not in titles(services, "datasheet")
    assert len(services.search.find("zeppelin").hits) == 1  # not twice (stale searcher)


def test_changes_the_index_missed_are_repaired_on_next_use(library, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    services, ids = library
    root = services.root
    services.close()
    # As if the process died between the database commit and the index write.
    db = sqlite3.connect(root / "satchel.db")
    db.execute(
        "UPDATE assets SET title = 'Quokka field guide', search_dirty = 1 WHERE id = ?",
        (ids["atlas"],),
    )
    db.commit()
    db.close()
    with open_as(root) as again:
        assert titles(again, "quokka") == ["Quokka field guide"]
        assert again.search.ensure_index() == "ok"
        db = sqlite3.connect(root / "satchel.db")
        assert db.execute("SELECT count(*) FROM assets WHERE search_dirty = 1").fetchone() == (0,)
        db.close()


def test_rebuild_swaps_in_a_new_folder_while_searches_go_on(library) -> None:  # type: ignore[no-untyped-def]
    services, _ = library
    root = services.root
    before = current_dir(root)
    seen_during: list[int] = []
    other = Services.open(root, read_only=True)  # a second reader searching meanwhile

    def progress(count: int) -> None:
        seen_during.append(other.search.find("gateway").total)

    index = services._ctx.keeper().index
    stamp = "test-stamp"
    with services._ctx.library.db.read() as session:
        from satchel.core.search import documents

        ids = documents.live_ids(session)
        docs = list(documents.load_docs(session, ids)) * 100  # enough to report progress
    thread = threading.Thread(target=index.rebuild, args=(iter(docs), stamp, progress))
    thread.start()
    thread.join()
    other.close()
    assert seen_during and all(total == 2 for total in seen_during)
    after = current_dir(root)
    assert after != before and not before.exists()
    assert (after / "STAMP").read_text() == stamp
    assert not [p for p in (root / "index").iterdir() if p.name.startswith("build-")]
    assert services.search.reindex().startswith("rebuilt (requested")
    assert titles(services, "X-200") == ["Atlas X-200 edge gateway brochure"]


def _damage_deleted(folder: Path) -> None:
    for path in folder.iterdir():
        path.unlink()


def _damage_truncated(folder: Path) -> None:
    """Every segment file cut to a third (the table of contents and stamp kept)."""
    for path in folder.iterdir():
        if path.suffix not in (".toc", "") and path.name != "STAMP":
            path.write_bytes(path.read_bytes()[: path.stat().st_size // 3])


def _damage_zeroed(folder: Path) -> None:
    for path in folder.iterdir():
        if path.name != "STAMP":
            path.write_bytes(b"\x00" * path.stat().st_size)


def _damage_garbage(folder: Path) -> None:
    for path in folder.glob("*.toc"):
        path.write_bytes(b"this is not an index" * 50)


@pytest.mark.parametrize(
    "damage", [_damage_deleted, _damage_truncated, _damage_zeroed, _damage_garbage],
    ids=["deleted", "truncated", "zero-filled", "garbage"],
)  # fmt: skip
def test_a_damaged_index_is_moved_aside_and_rebuilt(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    services, _ = build(tmp_path / "library", tmp_path / "sources")
    root = services.root
    services.close()
    damage(current_dir(root))
    with open_as(root) as again:
        assert titles(again, "X-200") == ["Atlas X-200 edge gateway brochure"]
        assert again.search.ensure_index() == "ok"
    index_folder = root / "index"
    assert [
        p for p in index_folder.iterdir() if p.name.startswith("damaged-")
    ] or damage is _damage_deleted


def test_a_missing_index_is_rebuilt(tmp_path: Path) -> None:
    services, _ = build(tmp_path / "library", tmp_path / "sources")
    root = services.root
    services.close()
    import shutil

    shutil.rmtree(root / "index")
    with open_as(root) as again:
        assert titles(again, "vibration") == ["Beacon vibration sensors datasheet"]


class _Planted:
    """Unpickling this runs `touch` on the marker file: what an attacker would plant."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        import os

        return (os.system, (f"touch {self.marker}",))


def test_a_planted_pickle_is_never_run(tmp_path: Path) -> None:
    services, _ = build(tmp_path / "library", tmp_path / "sources")
    root = services.root
    services.close()
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Planted(marker))
    folder = current_dir(root)
    for toc in folder.glob("*.toc"):  # the TOC holds the segment list as a pickle
        data = toc.read_bytes()
        toc.write_bytes(
            data.replace(data[-200:], payload[:200].ljust(200, b"."))
            if len(data) > 200
            else payload
        )
    for seg in folder.glob("*.seg"):
        seg.write_bytes(payload * 10)
    index = SearchIndex(root / "index")
    with pytest.raises(IndexDamagedError):
        index.open()
    with open_as(root) as again:
        assert titles(again, "X-200") == ["Atlas X-200 edge gateway brochure"]
    assert not marker.exists()


def test_restricted_unpickler_refuses_everything_but_whoosh() -> None:
    from whoosh.fields import TEXT

    from satchel.core.search.safe_pickle import UnsafeIndexError, loads

    assert isinstance(loads(pickle.dumps(TEXT())), TEXT)
    assert loads(pickle.dumps({"a": (1, 2.0, {3}), "b": [b"x"]})) == {
        "a": (1, 2.0, {3}),
        "b": [b"x"],
    }
    import os
    import subprocess

    for evil in (os.system, subprocess.Popen, eval, getattr):
        with pytest.raises(UnsafeIndexError):
            loads(pickle.dumps(evil))
        # Dressed as the position lists that skip the restricted unpickler: still refused.
        disguised = pickle.dumps([1, evil], 2)
        assert disguised.startswith(pickle.dumps([1], 2)[:5])
        with pytest.raises(UnsafeIndexError):
            loads(disguised)
    positions = [0, 3, 255, 256, 70_000, *range(1500)]  # every integer width, and batches
    assert loads(pickle.dumps(positions, 2)) == positions


def test_a_stale_generation_triggers_a_rebuild(library) -> None:  # type: ignore[no-untyped-def]
    services, _ = library
    root = services.root
    services.close()
    db = sqlite3.connect(root / "satchel.db")
    db.execute("UPDATE library_info SET value = 'other' WHERE key = 'search_generation'")
    db.commit()
    db.close()
    with open_as(root) as again:
        assert again.search.ensure_index().startswith("rebuilt (out of date")


def test_common_words_are_chosen_again_once_the_library_has_grown(library, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import json

    from satchel.core.search import pairs

    services, ids = library
    root = services.root
    services.close()
    common = current_dir(root) / "COMMON"
    chosen = json.loads(common.read_text())
    assert chosen["documents"] < len(ids)  # chosen when the library was new; imports came later
    common.write_text(json.dumps({**chosen, "documents": 1}))  # as if chosen at one asset
    monkeypatch.setattr(pairs, "MIN_SAMPLE", 2)  # the demo library is small
    with open_as(root) as again:
        again.search.find("gateway")  # searches and imports do not stop for such a rebuild...
        assert json.loads((current_dir(root) / "COMMON").read_text())["documents"] == 1
        assert again.search.ensure_index().startswith(
            "rebuilt (grown"
        )  # ...the start-up check does
    assert json.loads((current_dir(root) / "COMMON").read_text())["documents"] == len(ids)
    with open_as(root) as later:
        assert later.search.ensure_index() == "ok"  # once: the basis is now the library as it is


def test_a_read_only_library_searches_from_a_private_copy(library) -> None:  # type: ignore[no-untyped-def]
    services, _ = library
    root = services.root
    services.close()
    import shutil

    shutil.rmtree(root / "index")
    with Services.open(root, read_only=True) as reader:
        assert titles(reader, "vibration") == ["Beacon vibration sensors datasheet"]
        private = reader._ctx.keeper().index.folder
        assert private.is_dir()
    assert not (root / "index").exists()
    assert not private.exists()  # removed on close: a copy per opening would pile up


def test_the_loaded_whoosh_is_the_pinned_distribution() -> None:
    from satchel.core.search.index import check_whoosh

    check_whoosh()  # raises KnownError when another distribution's module is loaded


def test_sort_by_newest_and_most_used(library) -> None:  # type: ignore[no-untyped-def]
    services, ids = library
    root = services.root
    services.close()
    # Usage events come from the desktop later; here they are written as it will write them.
    db = sqlite3.connect(root / "satchel.db")
    for count, key in ((3, "hospital"), (1, "atlas")):
        for number in range(count):
            db.execute(
                "INSERT INTO usage_events (id, asset_id, action, at, detail, created_at, updated_at, dirty)"
                " VALUES (?, ?, 'viewed', '2026-11-01T10:00:00.000000Z', '{}', "
                "'2026-11-01T10:00:00.000000Z', '2026-11-01T10:00:00.000000Z', 1)",
                (f"{key}-{number}", ids[key]),
            )
        db.execute("UPDATE assets SET search_dirty = 1 WHERE id = ?", (ids[key],))
    db.commit()
    db.close()
    with open_as(root) as again:
        used = [h.id for h in again.search.find("gateway", sort="used").hits]
        assert used[:2] == [ids["hospital"], ids["atlas"]]
        again.assets.update_metadata(ids["atlas"], {"summary": "Touched last"})
        newest = [h.id for h in again.search.find("gateway", sort="newest").hits]
        assert newest[0] == ids["atlas"]


def test_small_segments_are_merged_in_the_background(library) -> None:  # type: ignore[no-untyped-def]
    from satchel.core.search.index import MAX_SEGMENTS

    services, ids = library
    index = services._ctx.keeper().index
    edits = MAX_SEGMENTS + 2  # one segment per edit, until they are merged
    assets = [list(ids.values())[number % len(ids)] for number in range(edits)]

    def found(word: str) -> list[str]:
        return [h.id for h in services.search.find(word, include_hidden=True).hits]

    def segments() -> int:
        return len(index._search().subsearchers or [0])

    for number, asset_id in enumerate(assets):
        services.assets.update_metadata(asset_id, {"title": f"Quokka{number} sheet"})
        assert found(f"quokka{number}") == [asset_id]  # visible at once, merge or not
    assert segments() >= MAX_SEGMENTS  # the merge waits for the edits to pause
    index.wait_for_merge()  # (or MERGE_DELAY seconds)
    assert segments() < MAX_SEGMENTS
    latest = {asset_id: number for number, asset_id in enumerate(assets)}
    for asset_id, number in latest.items():
        assert found(f"quokka{number}") == [asset_id]
    assert services.search.find("", include_hidden=True).total == len(ids)  # nothing twice


def _generated_docs(count: int) -> Iterator[IndexDoc]:
    import datetime as dt

    for number in range(count):
        yield IndexDoc(id=f"doc-{number:04d}", title=f"Sheet {number}", summary="Gateway notes",
                       tags=("gateway",), body=f"edge gateway number {number} " * 20,
                       opening="edge gateway", facets={"kind": "datasheet"},
                       updated=dt.datetime(2026, 1, 1), expires=None)  # fmt: skip


def test_a_rebuild_in_a_background_thread_uses_two_processes(tmp_path: Path) -> None:
    index = SearchIndex(tmp_path / "index")
    done: list[bool] = []
    worker = threading.Thread(target=lambda: done.append(index.rebuild(_generated_docs(400), "s")))
    worker.start()  # as the desktop does: other threads are alive
    worker.join()
    assert done == [True]
    assert index.doc_count() == 400
    assert len(index._search().subsearchers or [0]) == 2  # one segment per writer process
    index.close()


def test_cancelling_a_rebuild_stops_its_processes_and_leaves_nothing(tmp_path: Path) -> None:
    import multiprocessing

    index = SearchIndex(tmp_path / "index")
    assert index.rebuild(_generated_docs(50), "first")
    seen = iter(range(10_000))
    assert not index.rebuild(_generated_docs(400), "second", cancelled=lambda: next(seen) >= 300)
    assert multiprocessing.active_children() == []
    assert [p.name for p in (tmp_path / "index").iterdir() if p.name.startswith("build-")] == []
    assert index.stamp == "first" and index.doc_count() == 50  # the old index still serves
    index.close()


def test_a_search_under_way_survives_an_edit(library) -> None:  # type: ignore[no-untyped-def]
    from whoosh import query as wq

    services, ids = library
    index = services._ctx.keeper().index
    services.search.find("gateway")
    before = index._search()  # as a search in the window's thread would hold it
    services.assets.update_metadata(ids["beacon"], {"title": "Wombat telemetry sheet"})
    assert index._search() is not before
    assert len(before.search(wq.Term("content", "gateway"), limit=None)) > 0  # still open


def test_a_search_under_way_survives_a_rebuild(library) -> None:  # type: ignore[no-untyped-def]
    from whoosh import query as wq

    services, _ids = library
    index = services._ctx.keeper().index
    services.search.find("gateway")
    before = index._search()  # as a search on a reading thread would hold it
    services.search.reindex()  # builds a new folder and swaps it in
    assert index._search() is not before
    # The swap used to close it under the search, which took the closed file for damage.
    assert len(before.search(wq.Term("content", "gateway"), limit=None)) > 0


def test_a_search_that_reads_a_closed_searcher_gets_a_fresh_one_not_a_rebuild(
    library, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    """A search racing a merge can read files just replaced; that is no damage."""
    services, _ids = library
    index = services._ctx.keeper().index
    services.search.find("gateway")
    stamp, folder = index.stamp, index._current_dir()
    index._search().close()  # what a search racing a merge or a swap ran into
    with caplog.at_level(logging.INFO, logger="satchel"):
        found = services.search.find("gateway")
    assert found.hits and found.total == services.search.find("gateway").total
    assert index.stamp == stamp and index._current_dir() == folder  # not rebuilt
    assert "fresh searcher" in caplog.text and "rebuilding" not in caplog.text


def test_a_metadata_first_rebuild_finds_titles_before_the_full_text(library) -> None:  # type: ignore[no-untyped-def]
    """A first sync's index: titles are found from progress(0) on, full text after."""
    services, _ = library
    keeper = services._ctx.keeper()
    at_zero: list[tuple[list[str], list[str]]] = []

    def progress(count: int) -> None:
        if count == 0:
            at_zero.append((titles(services, "vibration datasheet"), titles(services, "buffers")))

    assert keeper.rebuild(progress, metadata_first=True).startswith("rebuilt")
    assert at_zero == [(["Beacon vibration sensors datasheet"], [])]  # page text not yet
    assert titles(services, "buffers") == ["Atlas X-200 edge gateway brochure"]
    assert services.search.ensure_index() == "ok"


def test_an_index_left_with_metadata_alone_is_rebuilt_on_open(library) -> None:  # type: ignore[no-untyped-def]
    services, _ = library
    root = services.root

    def progress(count: int) -> None:
        if count == 0:  # the app closes while the full text is being indexed
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        services._ctx.keeper().rebuild(progress, metadata_first=True)
    services.close()
    with open_as(root) as again:
        assert again.search.ensure_index().startswith("rebuilt (out of date")
        assert titles(again, "buffers") == ["Atlas X-200 edge gateway brochure"]


def test_searches_while_a_big_pull_lands_read_the_index_as_it_is(library) -> None:  # type: ignore[no-untyped-def]
    """While a rebuild is coming, a search neither waits for nor does the indexing: it
    reads the index as it was, and the titles the index has not seen yet."""
    services, ids = library
    keeper = services._ctx.keeper()
    before = services.assets.get(ids["atlas"]).metadata.title
    db = sqlite3.connect(services.root / "satchel.db")  # a page lands
    db.execute("UPDATE assets SET title = 'Quokka field guide', search_dirty = 1 WHERE id = ?",
               (ids["atlas"],))  # fmt: skip
    db.commit()
    db.close()
    keeper.rebuild_coming = True
    assert keeper.index.doc_count() > 0 and not services.search.find("quokka guide").hits[0].score
    assert titles(services, "quokka") == ["Quokka field guide"]  # by its title, unranked
    assert titles(services, "field quok", as_you_type=True) == ["Quokka field guide"]
    assert titles(services, '"quokka field"') == [] and titles(services, "-atlas quokka") == []
    assert services.search.find(before).hits[0].id == ids["atlas"]  # the index as it was
    assert keeper.rebuild().startswith("rebuilt") and not keeper.rebuild_coming
    assert titles(services, "quokka") == ["Quokka field guide"]
    assert services.search.find("quokka").hits[0].score > 0  # the index has it now
