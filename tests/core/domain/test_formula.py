"""Formulas of computed fields: what is accepted, what is refused (never evaluated by
Python), and decimal arithmetic that adds up to the cent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from satchel.core.domain.formula import FormulaError, order, parse
from satchel.core.domain.templates import fields_from_json
from satchel.core.errors import ValidationError


def test_arithmetic_is_decimal_and_rounds_as_a_shop_does() -> None:
    assert parse("a + b").evaluate({"a": Decimal("0.1"), "b": Decimal("0.2")}) == Decimal("0.3")
    assert parse("round(2.345, 2)").evaluate({}) == Decimal("2.35")  # half up, not half even
    assert parse("round(2.5)").evaluate({}) == Decimal("3")
    assert parse("-min(a, 3) + max(1, a, 2) * (4 - 1) / 2").evaluate({"a": Decimal(5)}) == Decimal(
        "4.5"
    )
    formula = parse("qty_0 * 1590 + qty_1 * 199")
    assert formula.names == {"qty_0", "qty_1"}  # functions are not fields
    with pytest.raises(FormulaError, match="divides by zero"):
        parse("1 / (a - a)").evaluate({"a": Decimal(2)})


HOSTILE = {
    "__import__('os').system('rm -rf /')": "may call round, min, max only",
    "__import__('os')": "is not a function",
    "open('/etc/passwd')": "is not a function",
    "a.__class__": "numbers, field names",
    "(1).__class__.__bases__": "numbers, field names",
    "2 ** 99999999": "numbers, field names",  # no power: no huge numbers
    "'text'": "not text",
    "lambda: 1": "numbers, field names",
    "[x for x in range(10)]": "numbers, field names",
    "a if b else c": "numbers, field names",
    "a < b": "numbers, field names",
    "True": "not true or false",
    "round(a, b)": "whole number from 0 to 6",
    "round(a, 99)": "whole number from 0 to 6",
    "min(a)": "at least two values",
    "round": "needs its values in brackets",
    "f(x)(y)": "may call round, min, max only",
    "1 +": "not written correctly",
    "(" * 300 + "1" + ")" * 300: "longer than 500",
    "a; import os": "not written correctly",
    "": "empty",
}


@pytest.mark.parametrize("text", list(HOSTILE))
def test_anything_but_arithmetic_is_refused_in_words(text: str) -> None:
    with pytest.raises(FormulaError, match=HOSTILE[text]):
        parse(text)


def _spec(key: str, kind: str, **extra: object) -> dict[str, object]:
    return {"key": key, "label": key.title(), "kind": kind,
            "placement": {"page": 1, "x": 10, "y": 10, "width": 100, "height": 20}, **extra}  # fmt: skip


def test_formulas_read_numeric_fields_only_and_never_go_round_in_a_circle() -> None:
    with pytest.raises(ValidationError) as refused:
        fields_from_json([_spec("name", "text"),
                          _spec("total", "computed", formula="name * 2")])  # fmt: skip
    assert "reads “name”, which is not a number" in refused.value.problems[0]
    with pytest.raises(ValidationError) as circle:
        fields_from_json([_spec("a", "computed", formula="b + 1"),
                          _spec("b", "computed", formula="a * 2")])  # fmt: skip
    assert circle.value.problems == [
        "The formulas cannot be computed: the formulas go round in a circle: a → b → a."
    ]
    with pytest.raises(ValidationError, match="not a function"):
        fields_from_json([_spec("x", "computed", formula="exec(1)")])
    specs = fields_from_json([_spec("total", "computed", formula="sub - off"),
                              _spec("off", "computed", formula="sub / 10"),
                              _spec("sub", "number")])  # fmt: skip
    assert order({s.key: parse(s.formula) for s in specs if s.formula}) == ["off", "total"]
