"""Pure rules: metadata parsing and validation, text cleaning."""

from __future__ import annotations

import datetime as dt

import pytest

from satchel.core.domain.assets import AssetKind, AssetMetadata, FunnelStage
from satchel.core.domain.metadata import apply_changes, parse_assignments, parse_tags
from satchel.core.domain.text import clean_line, has_hidden_characters
from satchel.core.errors import ValidationError

BASE = AssetMetadata(title="Atlas brochure")


def test_text_values_are_converted() -> None:
    updated = apply_changes(
        BASE,
        {"Kind": "Case Study", "funnel-stage": "Decision", "expires_on": "2027-01-31",
         "review_on": "2026-12-01", "tags": " Atlas, EDGE ,atlas,, ", "language": "pt-BR"},
    )  # fmt: skip
    assert updated.kind is AssetKind.CASE_STUDY
    assert updated.funnel_stage is FunnelStage.DECISION
    assert updated.expires_on == dt.date(2027, 1, 31)
    assert updated.tags == ("atlas", "edge")
    assert updated.language == "pt-BR"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  \x00 "}, "The title cannot be empty."),
        ({"title": "x" * 201}, "the limit is 200"),
        ({"kind": "poster"}, "use one of: brochure"),
        ({"expires_on": "next week"}, "write it as YYYY-MM-DD"),
        ({"language": "English"}, "not a language code"),
        ({"tags": "a" * 41}, "longer than 40 characters"),
        ({"tags": ",".join(f"t{n}" for n in range(31))}, "at most 30 tags"),
        ({"expires_on": "2027-01-01", "review_on": "2027-02-01"}, "review date must not be after"),
        ({"price": "12"}, "“price” is not a metadata field"),
        ({"summary": "s" * 2001}, "the limit is 2000"),
    ],
)
def test_bad_values_explain_themselves(changes: dict[str, str], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        apply_changes(BASE, changes)


def test_all_problems_are_reported_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        apply_changes(BASE, {"kind": "x", "status": "y", "expires_on": "z"})
    assert len(caught.value.problems) == 3


def test_clean_line_keeps_markup_and_emoji_but_drops_hidden_characters() -> None:
    raw = "  <i>Café</i>\u0301 😀\r\n\tnew\u202eline\x1b "
    assert clean_line(raw, 100) == "<i>Café</i>\u0301 😀 newline"
    assert has_hidden_characters(raw)
    assert clean_line("x" * 50, 10) == "xxxxxxxxx…"


def test_assignments() -> None:
    assert parse_assignments(["kind=datasheet", "title=A=B"]) == {
        "kind": "datasheet",
        "title": "A=B",
    }
    with pytest.raises(ValidationError, match="key=value"):
        parse_assignments(["oops"])
    assert parse_tags("") == ()
