"""Ranking signals: use, freshness, review and expiry order the assets the text finds about
equally relevant, and never lift one past another clearly better."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from satchel.core.domain.usage import UsageAction
from satchel.core.search import signals
from satchel.core.services import Services
from tests.conftest import TEST_LIMITS, open_as
from tests.helpers.files import pdf_of_pages, write

TODAY = dt.date(2026, 12, 2)
days = st.integers(min_value=-2000, max_value=2000)


def moment(offset: int | None) -> dt.datetime | None:
    return (
        None
        if offset is None
        else dt.datetime.combine(TODAY, dt.time()) + dt.timedelta(days=offset)
    )


@given(
    st.integers(0, 10_000), st.one_of(st.none(), days), st.one_of(st.none(), days),
    st.integers(0, 10_000), st.one_of(st.none(), days), st.one_of(st.none(), days),
)  # fmt: skip
def test_signals_never_lift_an_asset_past_a_clearly_better_one(
    uses_a: int, updated_a: int | None, review_a: int | None,
    uses_b: int, updated_b: int | None, review_b: int | None,
) -> None:  # fmt: skip
    a = signals.factor(uses_a, moment(updated_a), moment(review_a), None, TODAY)
    b = signals.factor(uses_b, moment(updated_b), moment(review_b), None, TODAY)
    assert signals.LOWEST <= a <= signals.HIGHEST
    assert max(a, b) / min(a, b) < signals.CLEARLY_BETTER


@given(st.lists(st.tuples(st.floats(0.01, 100),
                         st.floats(signals.EXPIRED * signals.LOWEST, signals.HIGHEST)),
                max_size=60),
       st.integers(1, 25))  # fmt: skip
def test_the_top_is_exactly_the_best_by_score_times_factor(
    rows: list[tuple[float, float]], limit: int
) -> None:
    factors = {docnum: f for docnum, (_, f) in enumerate(rows)}
    scored = [(score, docnum) for docnum, (score, _) in enumerate(rows)]
    expected = sorted(((s * factors[d], d) for s, d in scored), key=lambda r: (-r[0], r[1]))
    got = signals.top(scored, limit, factors.__getitem__)
    assert [d for _, d in got] == [d for _, d in expected[:limit]]


def test_past_review_and_expiry_lower_an_asset_and_use_raises_it() -> None:
    plain = signals.factor(0, None, None, None, TODAY)
    assert signals.factor(50, None, None, None, TODAY) > plain
    assert signals.factor(0, moment(-1), None, None, TODAY) > plain  # updated yesterday
    assert signals.factor(0, None, moment(-1), None, TODAY) < plain  # review was due
    assert signals.factor(0, None, None, moment(-1), TODAY) < signals.factor(
        0, None, moment(-1), None, TODAY
    )
    assert signals.factor(0, None, moment(+30), moment(+30), TODAY) == plain  # not yet due


TEXT = ["Hydraulic press maintenance checklist for the plant floor and every shift."]


@pytest.fixture
def library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    folder = tmp_path_factory.mktemp("signals")
    files = folder / "files"
    files.mkdir()
    for name in ("alpha", "bravo", "charlie"):  # the same text: the text cannot tell them apart
        write(files / f"{name}.pdf", pdf_of_pages([*TEXT, f"Edition {name}"], title=name))
    write(files / "delta.pdf", pdf_of_pages(["Hydraulic press maintenance: the checklist. "
                                             "Hydraulic press maintenance, press by press."],
                                            title="Hydraulic press maintenance"))  # fmt: skip
    with open_as(folder / "library", create=True, limits=TEST_LIMITS, workers=2) as services:
        services.assets.import_paths([files], {"status": "published"})
        yield services


def ranked(services: Services, text: str) -> list[str]:
    return [hit.title for hit in services.search.find(text).hits]


def by_title(services: Services) -> dict[str, str]:
    return {a.metadata.title: a.id for a in services.assets.list_all()}


def test_use_and_review_order_equally_relevant_assets(library: Services) -> None:
    ids = by_title(library)
    for _ in range(30):
        library.assets.record_usage(ids["charlie"], UsageAction.COPIED)
    yesterday = library._ctx.library.clock().date() - dt.timedelta(days=1)
    library.assets.update_metadata(ids["alpha"], {"review_on": yesterday.isoformat()})
    library.search.reindex()  # popularity is counted when an asset is indexed
    order = ranked(library, "plant floor shift checklist")
    assert order.index("charlie") < order.index("bravo") < order.index("alpha")


def test_a_clearly_better_asset_stays_first_whatever_its_signals(library: Services) -> None:
    ids = by_title(library)
    for name in ("alpha", "bravo", "charlie"):
        for _ in range(200):
            library.assets.record_usage(ids[name], UsageAction.OPENED)
    yesterday = library._ctx.library.clock().date() - dt.timedelta(days=1)
    library.assets.update_metadata(ids["Hydraulic press maintenance"],
                                   {"review_on": yesterday.isoformat()})  # fmt: skip
    library.search.reindex()
    assert ranked(library, "hydraulic press maintenance")[0] == "Hydraulic press maintenance"


def test_an_edit_reorders_at_once_with_the_index_in_several_segments(library: Services) -> None:
    ids = by_title(library)
    for _ in range(30):
        library.assets.record_usage(ids["charlie"], UsageAction.COPIED)
    library.search.reindex()  # one segment, where charlie is the most used
    first, second, third = ranked(library, "plant floor shift checklist")[:3]
    assert first == "charlie"  # the other two tie; the index's order puts one second
    yesterday = library._ctx.library.clock().date() - dt.timedelta(days=1)
    for name in (second, "charlie"):  # each edit writes a segment of its own
        library.assets.update_metadata(ids[name], {"review_on": yesterday.isoformat()})
    # charlie's use (×1.037) still outweighs its review (×0.975); the second's drops it
    assert ranked(library, "plant floor shift checklist")[:3] == ["charlie", third, second]
