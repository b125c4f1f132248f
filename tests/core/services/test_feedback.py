"""Feedback from the field, on a real demo library: a rep's word on assets, outcomes per
account, what each role sees, and hostile text from the field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from satchel.core.domain.feedback import ACCOUNT_CHARS, NOTE_CHARS, Kind, Outcome
from satchel.core.errors import PermissionDeniedError, ValidationError
from satchel.core.services import Services
from tests.conftest import DEMO_USERS, TEST_LIMITS, open_as
from tests.core.services.test_requests import Clock


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def demo(demo_dir: Path, clock: Clock) -> Iterator[Services]:
    with open_as(demo_dir, "rep", limits=TEST_LIMITS, workers=1, clock=clock) as services:
        yield services


def two_assets(services: Services) -> tuple[str, str]:
    listed = services.assets.list_all()
    return listed[0].id, listed[1].id


def test_a_reps_feedback_is_kept_and_marketing_sees_everyones(demo: Services) -> None:
    first, _ = two_assets(demo)
    record, changes = demo.feedback.give(first, "yes", account="Northwind Foods",
                                         stage="decision", rating=4, missing="A German version",
                                         objections="Price", competitor="Acme Edge")  # fmt: skip
    assert changes.feedback and record.kind is Kind.ASSET and record.asset_id == first
    assert [r.body["rating"] for r in demo.feedback.mine()] == [4]
    with pytest.raises(PermissionDeniedError, match="see other people's usage and feedback"):
        demo.feedback.team()
    demo.people.sign_in(DEMO_USERS["marketer"])
    team = demo.feedback.team()
    assert [(r.person, r.body["account"], r.body["competitor"]) for r in team] == [
        ("Riley Chen", "Northwind Foods", "Acme Edge")
    ]
    assert demo.feedback.mine() == []  # the marketer gave none


def test_one_outcome_per_account_counts_for_every_asset_used_with_it(
    demo: Services, clock: Clock
) -> None:
    first, second = two_assets(demo)
    demo.feedback.give(first, "yes", account="Northwind Foods")
    demo.feedback.give(second, "yes", account="  northwind   FOODS ")  # the same account
    demo.feedback.give(second, "not yet", account="Harlow Dairy")  # not used: no outcome due
    assert demo.feedback.accounts() == ["Harlow Dairy", "northwind FOODS"]
    assert demo.feedback.outcomes_due(after_days=14) == []  # too recent to ask
    clock.now += dt.timedelta(days=15)
    assert demo.feedback.outcomes_due(after_days=14) == ["Northwind Foods"]
    demo.feedback.record_outcome("Northwind Foods", "open")
    assert demo.feedback.outcomes_due(after_days=14) == []  # still open: asked again later
    clock.now += dt.timedelta(days=15)
    assert demo.feedback.outcomes_due(after_days=14) == ["Northwind Foods"]
    record, _ = demo.feedback.record_outcome("NORTHWIND foods", "won")
    assert record.kind is Kind.OUTCOME and record.asset_id is None
    assert demo.feedback.outcome_of("northwind foods") == (Outcome.WON, sorted([first, second]))
    assert demo.feedback.outcomes_due(after_days=14) == []
    assert demo.feedback.outcome_of("Harlow Dairy") == (None, [])


def test_wrong_values_are_all_named_and_nothing_is_kept(demo: Services) -> None:
    first, _ = two_assets(demo)
    with pytest.raises(ValidationError) as refused:
        demo.feedback.give(first, "maybe", stage="hype", rating="11")
    problems = refused.value.problems
    assert len(problems) == 3
    assert "yes, not yet, no" in problems[0] and "'maybe'" in problems[0]
    assert "awareness" in problems[1] and "1 to 5" in problems[2]
    with pytest.raises(ValidationError, match="Name the account"):
        demo.feedback.record_outcome("   ", "won")
    with pytest.raises(ValidationError, match="won, lost, no decision, open"):
        demo.feedback.record_outcome("Northwind", "postponed")
    assert demo.feedback.mine() == []


@pytest.mark.parametrize(("text", "kept"), [
    ("<b>bold</b><script>alert(1)</script>", "<b>bold</b><script>alert(1)</script>"),  # literal
    ("Nord\x00wind\x1b[31m\u202eFoods", "Nord wind [31mFoods"),  # control, bidi removed
    ("Café 🚀 Ürün", "Café 🚀 Ürün"),
])  # fmt: skip
def test_hostile_text_from_the_field_is_kept_as_plain_text(demo: Services, text: str,
                                                         kept: str) -> None:  # fmt: skip
    first, _ = two_assets(demo)
    record, _ = demo.feedback.give(first, "yes", account=text, missing=text)
    assert record.body["account"] == kept and record.body["missing"] == kept
    assert demo.feedback.mine()[0].body["account"] == kept


def test_overlong_text_is_cut_to_its_stated_limit(demo: Services) -> None:
    first, _ = two_assets(demo)
    record, _ = demo.feedback.give(first, "yes", account="A" * 5000, objections="B" * 50_000)
    assert len(record.body["account"]) == ACCOUNT_CHARS
    assert len(record.body["objections"]) == NOTE_CHARS


def test_feedback_on_an_unknown_asset_says_so(demo: Services) -> None:
    with pytest.raises(Exception, match="no asset with id"):
        demo.feedback.give("ffffffff", "yes")
    assert demo.feedback.mine() == []
