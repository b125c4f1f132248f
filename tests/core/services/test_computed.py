"""Computed fields on the demo quote: lines, subtotal, discount and total worked out
from the quantities, written as the document's language writes money, with limits."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from satchel.core.domain.templates import Severity
from satchel.core.domain.users import Role
from satchel.core.errors import ValidationError
from satchel.core.services import Services
from satchel.core.services.templates import computed_texts
from tests.conftest import TEST_LIMITS, open_as
from tests.core.services.test_documents import sign_in
from tests.core.services.test_templates import QUOTE, template_named, text_of


@pytest.fixture
def demo(demo_dir: Path) -> Iterator[Services]:
    with open_as(demo_dir, "rep", limits=TEST_LIMITS, workers=1) as services:
        yield services


def test_the_quote_computes_its_lines_and_total(demo: Services) -> None:
    quote = template_named(demo, "Price quote")
    values = {**QUOTE, "qty_2": "240"}
    assert computed_texts(quote, values, None) == {
        "amount_0": "$6,360.00", "amount_1": "$23,880.00", "amount_2": "$3,120.00",
        "subtotal": "$33,360.00", "discount_amount": "$2,502.00", "total": "$30,858.00",
    }  # fmt: skip
    made, _ = demo.templates.generate(quote.id, values)
    text = text_of(made.pdf)
    assert "$30,858.00" in text and "$2,502.00" in text and not made.draft


def test_a_large_discount_amount_needs_approval_and_a_typed_total_is_refused(
    demo: Services,
) -> None:
    quote = template_named(demo, "Price quote")
    big = {**QUOTE, "qty_0": "40", "discount": "10"}  # 10 % of $87,480.00: over $5,000
    issues = demo.templates.check_values(quote.id, big)
    assert [(i.field, i.severity, i.message) for i in issues] == [
        ("discount_amount", Severity.NEEDS_APPROVAL,
         "Discount amount above $5,000.00 needs marketing approval (it is $8,748.00).")
    ]  # fmt: skip
    made, _ = demo.templates.generate(quote.id, big)
    assert made.draft  # a DRAFT until marketing approves
    with pytest.raises(ValidationError, match="Total is calculated from the other fields"):
        demo.templates.generate(quote.id, {**QUOTE, "total": "1"})


def test_an_input_that_is_not_a_number_leaves_the_results_blank(demo: Services) -> None:
    quote = template_named(demo, "Price quote")
    values = {**QUOTE, "qty_1": "lots"}
    texts = computed_texts(quote, values, None)
    assert texts["amount_0"] == "$6,360.00"
    assert texts["amount_1"] == texts["subtotal"] == texts["total"] == ""
    issues = demo.templates.check_values(quote.id, values)
    assert [i.field for i in issues] == ["qty_1"]  # the input says why, once


def test_money_and_dates_are_written_as_the_documents_language_writes_them(
    demo: Services,
) -> None:
    quote = template_named(demo, "Price quote")
    sign_in(demo, Role.MARKETER)
    demo.assets.update_metadata(quote.asset_id, {"language": "de"})
    sign_in(demo, Role.REP)
    german = demo.templates.get(quote.id)
    assert german.language == "de"
    nbsp = "\u00a0"  # CLDR keeps the amount and its sign together
    assert computed_texts(german, QUOTE, None)["total"] == f"27.972,00{nbsp}$"
    text = text_of(demo.templates.generate(quote.id, QUOTE)[0].pdf).replace(nbsp, " ")
    assert "27.972,00 $" in text and "7,5 %" in text  # (read back, the space is plain)
    assert "23. Dezember 2026" in text
