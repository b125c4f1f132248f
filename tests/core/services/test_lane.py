"""The writer lane: one thread for every write, and a long import that lets an edit in
between its files instead of holding the lane for the whole batch."""

from __future__ import annotations

import threading
from concurrent.futures import Future
from pathlib import Path

from satchel.core.domain.imports import ImportProgress
from satchel.core.services import Services
from satchel.core.services.lane import WriterLane
from tests.helpers.files import pdf_bytes, write


def test_a_write_inside_a_write_runs_at_once() -> None:
    lane = WriterLane()
    try:
        threads = lane.run(lambda: (threading.get_ident(), lane.run(threading.get_ident)))
        assert threads[0] == threads[1] != threading.get_ident()
    finally:
        lane.shutdown()


def test_an_edit_asked_during_an_import_is_saved_between_its_files(
    services: Services, tmp_path: Path
) -> None:
    services.assets.import_paths([write(tmp_path / "first.pdf", pdf_bytes(title="First"))])
    target = services.assets.list_all()[0].id
    batch = [
        write(tmp_path / "batch" / f"{n}.pdf", pdf_bytes(title=f"Batch {n}")) for n in range(8)
    ]
    lane = services.writer_lane
    seen_when_saved: list[int] = []
    edit: Future[object] | None = None

    def after_each_file(progress: ImportProgress) -> None:  # on the import's own thread
        nonlocal edit
        if edit is None:
            edit = lane.submit(
                lambda: services.assets.update_metadata(target, {"title": "Renamed"})
            )
            edit.result(timeout=60)  # a lane held by the whole import would never get here
            seen_when_saved.append(progress.done)

    job = threading.Thread(target=services.assets.import_paths, args=(batch,),
                           kwargs={"progress": after_each_file})  # fmt: skip
    job.start()
    job.join(timeout=300)
    assert not job.is_alive()
    assert seen_when_saved == [1]  # saved after the first file of eight, not after all
    assert len(services.assets.list_all()) == 9
    # The edit's index update went onto the lane right behind it: a search sees it.
    assert [h.id for h in services.search.find("Renamed").hits] == [target]
