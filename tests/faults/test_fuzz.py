"""Fuzzing, bounded for CI: Hypothesis over the query parser, the field validators and
`--values` parsing; byte-flipped real PDFs through the import worker."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from satchel.core.domain.imports import ImportStatus
from satchel.core.domain.templates import FieldIssue, Template
from satchel.core.domain.values import parse_values
from satchel.core.errors import ValidationError
from satchel.core.render.validate import validate
from satchel.core.search.index import SearchIndex
from satchel.core.search.query import parse
from satchel.core.services import Services
from tests.conftest import CORPUS
from tests.core.test_nothing_lost import _docs
from tests.helpers import reliability

FUZZ = settings(max_examples=150, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])  # fmt: skip
SAMPLES = CORPUS / "py-pdf-sample-files"
WORDS = ["atlas", "gateway", "AND", "OR", "NOT", "-", "*", "?", '"', "(", ")", "~", "^", "é",
         "東", "product:", "kind:", "updated:2026-01..", "a*", "*a", "\\", "\t", "x" * 80]  # fmt: skip
QUERY_TEXT = st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join) | st.text(max_size=40)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SearchIndex]:
    opened = SearchIndex(tmp_path_factory.mktemp("fuzz") / "index")
    opened.rebuild(_docs(120), "s-1")
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def templates(demo_template: Path) -> list[Template]:
    with Services.open(demo_template, read_only=True) as services:
        return services.templates.list_all()


def test_any_query_text_gives_results_never_an_error(index: SearchIndex) -> None:
    @FUZZ
    @given(text=QUERY_TEXT, as_you_type=st.booleans())
    def run(text: str, as_you_type: bool) -> None:
        hits = index.search(parse(text, as_you_type=as_you_type), page_size=5, match_all=True)
        assert hits.total >= len(hits.ids)

    run()
    reliability.record("Hostile input", "150 generated query texts (operators, quotes, "
                       "wildcards, fields, control characters)", "Results or none; never an error",
                       "The index, unchanged")  # fmt: skip


def test_any_field_values_give_sentences_never_an_error(templates: list[Template]) -> None:
    keys = sorted({f.key for t in templates for f in t.fields})
    value = st.text(max_size=300) | st.sampled_from(["<b>x</b>", "x<y", "😀", "\u202e", "1e999",
                                                       "-0", "2026-02-30", "javascript:x"])  # fmt: skip

    @FUZZ
    @given(which=st.integers(0, len(templates) - 1),
           values=st.dictionaries(st.sampled_from(keys) | st.text(max_size=10), value, max_size=8))  # fmt: skip
    def run(which: int, values: dict[str, str]) -> None:
        issues = validate(templates[which], values, None, dt.date(2026, 12, 1))
        assert all(isinstance(i, FieldIssue) and i.message.strip() for i in issues)

    run()
    reliability.record("Hostile input", "150 generated sets of field values (markup, emoji, "
                       "bidi controls, overlong text, unknown keys)", "One sentence per problem",
                       "Nothing is rendered from refused values")  # fmt: skip


def test_any_values_file_gives_values_or_a_sentence() -> None:
    json_like = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
        lambda inner: (
            st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=12,
    )

    @FUZZ
    @given(data=st.binary(max_size=200) | json_like.map(lambda v: repr(v).encode()))
    def run(data: bytes) -> None:
        try:
            values = parse_values(data)
        except ValidationError as error:
            assert error.problems and all(p.endswith(".") for p in error.problems)
        else:
            assert all(isinstance(k, str) and isinstance(v, str) for k, v in values.items())

    run()
    for hostile in (b"[" * 100_000 + b"]" * 100_000,
                    b"{" + b",".join(b'"k%d": "v"' % n for n in range(200_000)) + b"}"):  # fmt: skip
        with pytest.raises(ValidationError) as refused:
            parse_values(hostile)
        assert len(str(refused.value)) < 200


@pytest.mark.corpus
@pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared corpus not present")
def test_byte_flipped_real_pdfs_end_in_a_clear_outcome(services: Services, tmp_path: Path) -> None:
    rng = random.Random(20261201)
    sources = sorted(SAMPLES.rglob("*.pdf"), key=lambda p: p.stat().st_size)[:6]
    mutants = []
    for source in sources:
        data = source.read_bytes()
        for n in range(5):
            flipped = bytearray(data)
            for _ in range(rng.randint(1, 40)):
                at = rng.randrange(len(flipped))
                flipped[at] = rng.randrange(256)
            if n == 4:  # and one cut short
                flipped = flipped[: rng.randrange(1, len(flipped))]
            path = tmp_path / "mutants" / f"{source.stem}-{n}.pdf"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(bytes(flipped))
            mutants.append(path)
    report, _ = services.assets.import_paths(mutants)
    outcomes = {result.status for result in report.results}
    assert len(report.results) == len(mutants)
    assert all(r.reason.strip() for r in report.results if r.status is ImportStatus.REJECTED)
    kept = {r.asset_id for r in report.results if r.asset_id}
    assert {a.id for a in services.assets.list_all()} == kept - {None}
    check = services.care.check()
    assert check.ok and not check.garbage  # a refused file leaves no trace
    assert services.search.find("", page_size=1).total == len(kept)
    counts = {s.value: sum(r.status is s for r in report.results) for s in outcomes}
    reliability.record("Hostile input", f"{len(mutants)} byte-flipped or truncated real-world PDFs "
                       "imported", ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in sorted(counts.items())),
                       "Refused files leave no trace; the library checks sound")  # fmt: skip
    shutil.rmtree(tmp_path / "mutants")
