"""New versions of an asset: the file replaced, history kept, what changed said,
templates kept on their version until republished, and reps told."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from satchel.core.domain.imports import ImportStatus
from satchel.core.domain.templates import fields_to_json
from satchel.core.domain.usage import UsageAction
from satchel.core.domain.users import Role
from satchel.core.domain.versions import compare, describe
from satchel.core.services import Services
from tests.conftest import TEST_LIMITS, open_as
from tests.core.services.test_documents import sign_in
from tests.core.services.test_templates import QUOTE, template_named
from tests.helpers.files import pdf_bytes, pdf_of_pages, write


def _clock() -> Iterator[dt.datetime]:
    start = dt.datetime(2026, 12, 2, 9, 0, tzinfo=dt.UTC)
    return iter(start + dt.timedelta(seconds=n) for n in range(10_000))


@pytest.fixture
def demo(demo_dir: Path) -> Iterator[Services]:
    clock = _clock()
    with open_as(demo_dir, limits=TEST_LIMITS, workers=1, clock=lambda: next(clock)) as services:
        yield services


def _fingerprint(services: Services, asset_id: str) -> tuple[object, ...]:
    detail = services.assets.get(asset_id, with_text=True)
    return detail.versions, detail.page_texts, detail.updated_at


def test_what_changed_is_counted_page_by_page_and_said_in_a_sentence() -> None:
    before = {1: "Kestrel gateway overview", 2: "Prices valid until June"}
    after = {1: "Kestrel gateway overview", 2: "Prices valid until December 2027",
             3: "New: service plans"}  # fmt: skip
    change = compare(before, after, 2, 3)
    assert change.changed_pages == (2, 3)
    assert (change.words_added, change.words_removed) == (5, 1)
    assert (
        describe(change)
        == "3 pages (was 2); page 3 is new; text changed on page 2; 5 words added, 1 removed."
    )
    shorter = compare(after, {1: "Kestrel gateway overview"}, 3, 1)
    assert describe(shorter) == "1 page (was 3); 8 words removed."
    same = compare(before, before, 2, 2)
    assert describe(same) == "2 pages; same text (only the layout or pictures changed)."
    spread = compare({}, {n: "x" for n in (1, 2, 3, 5)}, 5, 5)
    assert describe(spread) == "5 pages; text changed on pages 1–3 and 5; 4 words added."


def test_a_marketer_replaces_the_file_and_the_history_says_what_changed(
    demo: Services, tmp_path: Path
) -> None:
    sign_in(demo, Role.MARKETER)
    first = write(tmp_path / "sheet.pdf",
                  pdf_of_pages(["Harrier gateway datasheet", "Prices valid until June"]))  # fmt: skip
    report, _ = demo.assets.import_paths([first])
    asset_id = report.results[0].asset_id
    assert asset_id is not None
    second = write(tmp_path / "sheet v2.pdf",
                   pdf_of_pages(["Harrier gateway datasheet", "Prices valid until December",
                                 "Service plans: Osprey care"]))  # fmt: skip
    result, changes = demo.assets.new_version(asset_id, second)
    assert result.status is ImportStatus.IMPORTED, result.reason
    assert (
        result.reason
        == "3 pages (was 2); page 3 is new; text changed on page 2; 5 words added, 1 removed."
    )
    assert changes.assets_changed == {asset_id}
    detail = demo.assets.get(asset_id, with_text=True)
    old, new = detail.versions
    assert (old.number, new.number, new.page_count, new.original_name) == (1, 2, 3, "sheet v2.pdf")
    assert new.added_by == "Mara Lindqvist" and new.change is not None
    assert new.change.changed_pages == (2, 3) and old.change is None
    assert "Osprey care" in detail.page_texts[2]
    assert demo.assets.blob_path(old.sha256).read_bytes() == first.read_bytes()  # kept
    found = demo.search.find("osprey")
    assert [hit.id for hit in found.hits] == [asset_id]
    assert asset_id not in {hit.id for hit in demo.search.find("june").hits}  # old text gone


def test_a_refused_new_version_leaves_the_asset_as_it_was(demo: Services, tmp_path: Path) -> None:
    sign_in(demo, Role.MARKETER)
    quote = template_named(demo, "Price quote")
    asset_id = quote.asset_id
    before = _fingerprint(demo, asset_id)
    current = demo.assets.blob_path(demo.assets.get(asset_id).current.sha256)
    other = next(a for a in demo.assets.list_all() if a.id != asset_id)
    cases = {
        "same file": (current.read_bytes(), "nothing would change"),
        "another asset's file": (demo.assets.blob_path(other.sha256).read_bytes(),
                                 f"already in the library as “{other.metadata.title}”"),
        "damaged": (pdf_bytes(pages=2)[:300], "damaged or incomplete"),
        "renamed text": (b"just some notes", "named .pdf but is not a PDF"),
    }  # fmt: skip
    for name, (data, expected) in cases.items():
        result, changes = demo.assets.new_version(asset_id, write(tmp_path / f"{name}.pdf", data))
        assert result.status is ImportStatus.REJECTED, name
        assert expected in result.reason, (name, result.reason)
        assert not changes.assets_changed
        assert _fingerprint(demo, asset_id) == before, name


def test_templates_keep_their_version_until_republished(demo: Services, tmp_path: Path) -> None:
    sign_in(demo, Role.MARKETER)
    quote = template_named(demo, "Price quote")
    original = demo.assets.get(quote.asset_id).current
    replacement = write(tmp_path / "quote base v2.pdf", pdf_of_pages(["Quote", "Terms"]))
    result, _ = demo.assets.new_version(quote.asset_id, replacement)
    assert result.status is ImportStatus.IMPORTED
    kept = demo.templates.get(quote.id)
    assert kept.base_sha256 == original.sha256 and kept.version == quote.version
    sign_in(demo, Role.REP)
    made, _ = demo.templates.generate(quote.id, QUOTE)  # still over the old file
    assert demo.templates.verify(made.pdf).version == quote.version
    assert len(PdfReader(io.BytesIO(made.pdf)).pages) == original.page_count != 2

    sign_in(demo, Role.MARKETER)
    republished, _ = demo.templates.publish(quote.asset_id, fields_to_json(kept.fields))
    assert republished.version == quote.version + 1
    assert republished.base_sha256 == demo.assets.get(quote.asset_id).current.sha256


def test_reps_are_told_when_an_asset_they_used_has_a_new_version(
    demo: Services, tmp_path: Path
) -> None:
    rep = sign_in(demo, Role.REP)
    used, looked_at = [a for a in demo.assets.list_all() if a.file_type.value == "pdf"][:2]
    demo.assets.record_usage(used.id, UsageAction.EXPORTED)
    demo.assets.record_usage(looked_at.id, UsageAction.VIEWED)  # only looked at: not told
    assert demo.assets.updated_since_used() == []
    sign_in(demo, Role.MARKETER)
    for asset, name in ((used, "a.pdf"), (looked_at, "b.pdf")):
        demo.assets.new_version(asset.id, write(tmp_path / name, pdf_bytes(title=name)))
    assert demo.assets.updated_since_used() == []  # the marketer used neither
    demo.people.sign_in(rep)
    assert demo.assets.updated_since_used() == [used.id]
    demo.assets.record_usage(used.id, UsageAction.VIEWED)  # the rep looks at the new one
    assert demo.assets.updated_since_used() == []
