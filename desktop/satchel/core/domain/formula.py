"""Formulas of computed fields: arithmetic over other fields, never `eval`.

A formula is parsed with Python's own parser (`ast`, mode "eval") into a tree that is
then walked by this module alone: only numbers, field names, + − × ÷, parentheses and
the functions round, min and max are accepted; anything else (attributes, calls of other
names, comparisons, strings, subscripts) is refused when the marketer saves the field.
Arithmetic is decimal, so amounts of money add up to the cent.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, DivisionByZero, InvalidOperation, localcontext

MAX_LENGTH = 500  # characters of a formula
MAX_NODES = 200  # parts of a formula: enough for any quote, too few to hurt
MAX_DIGITS = 6  # round(x, n): n at most this
_OPERATORS: Mapping[type[ast.operator], Callable[[Decimal, Decimal], Decimal]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
}
FUNCTIONS = ("round", "min", "max")


class FormulaError(ValueError):
    """A formula that cannot be used, or a value it cannot be computed for."""


@dataclass(frozen=True)
class Formula:
    """A checked formula and the field names it reads."""

    text: str
    tree: ast.expr
    names: frozenset[str]

    def evaluate(self, values: Mapping[str, Decimal]) -> Decimal:
        """The result for `values` (every name must be there); FormulaError when it
        cannot be computed (a division by zero)."""
        with localcontext() as context:
            context.prec = 28
            context.traps[DivisionByZero] = True
            context.traps[InvalidOperation] = True
            try:
                return _value(self.tree, values)
            except (DivisionByZero, InvalidOperation):
                raise FormulaError("it divides by zero") from None


@functools.lru_cache(maxsize=512)  # the form computes on each keystroke; formulas repeat
def parse(text: str) -> Formula:
    """Check a formula; FormulaError says in words what is wrong with it."""
    if not text.strip():
        raise FormulaError("the formula is empty")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"the formula is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        raise FormulaError("the formula is not written correctly (check the brackets and "
                           "operators)") from None  # fmt: skip
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        raise FormulaError("the formula is too long")
    called = {id(node.func) for node in nodes if isinstance(node, ast.Call)}
    names: set[str] = set()
    for node in nodes:
        if id(node) not in called:  # a function's own name is not a field
            _check(node, names)
    return Formula(text.strip(), tree, frozenset(names))


def _check(node: ast.AST, names: set[str]) -> None:
    match node:
        case ast.Constant(value=bool()):
            raise FormulaError("a formula holds numbers, not true or false")
        case ast.Constant(value=int() | float()):
            return
        case ast.Name(id=name) if name in FUNCTIONS:
            raise FormulaError(f"{name} needs its values in brackets, e.g. {name}(a, b)")
        case ast.Name():
            names.add(node.id)
            return
        case ast.BinOp(op=op) if type(op) in _OPERATORS:
            return
        case ast.UnaryOp(op=ast.USub() | ast.UAdd()):
            return
        case ast.Call(func=ast.Name(id=name), args=args, keywords=[]) if name in FUNCTIONS:
            if name == "round" and not (1 <= len(args) <= 2):
                raise FormulaError("round takes a value and, optionally, a number of digits")
            if name == "round" and len(args) == 2:
                digits = args[1]
                if not (isinstance(digits, ast.Constant) and type(digits.value) is int
                        and 0 <= digits.value <= MAX_DIGITS):  # fmt: skip
                    raise FormulaError(f"round's digits are a whole number from 0 to {MAX_DIGITS}")
            if name != "round" and len(args) < 2:
                raise FormulaError(f"{name} needs at least two values")
            return
        case ast.Call(func=ast.Name(id=name)):
            raise FormulaError(f"“{name}” is not a function a formula may use "
                               f"({', '.join(FUNCTIONS)})")  # fmt: skip
        case ast.Call():
            raise FormulaError(f"a formula may call {', '.join(FUNCTIONS)} only")
        case ast.expr_context() | ast.operator() | ast.unaryop():
            return  # parts of the nodes accepted above
    if isinstance(node, ast.Constant):
        raise FormulaError("a formula holds numbers and field names, not text")
    raise FormulaError("a formula may use numbers, field names, + − * /, brackets and "
                       f"{', '.join(FUNCTIONS)} only")  # fmt: skip


def _value(node: ast.expr, values: Mapping[str, Decimal]) -> Decimal:
    match node:
        case ast.Constant(value=int() | float() as number):
            return Decimal(str(number))
        case ast.Name(id=name):
            return values[name]
        case ast.BinOp(left=left, op=op, right=right):
            return _OPERATORS[type(op)](_value(left, values), _value(right, values))
        case ast.UnaryOp(op=ast.USub(), operand=operand):
            return -_value(operand, values)
        case ast.UnaryOp(operand=operand):
            return _value(operand, values)
        case ast.Call(func=ast.Name(id="round"), args=[value, *digits]):
            places = digits[0].value if digits else 0  # type: ignore[attr-defined]
            exponent = Decimal(1).scaleb(-places)  # commercial rounding: 2.345 → 2.35
            return _value(value, values).quantize(exponent, rounding=ROUND_HALF_UP)
        case ast.Call(func=ast.Name(id=name), args=args):
            numbers = [_value(arg, values) for arg in args]
            return min(numbers) if name == "min" else max(numbers)
    raise FormulaError("the formula cannot be computed")  # unreachable after `parse`


def order(formulas: Mapping[str, Formula]) -> list[str]:
    """The computed fields in an order where each comes after those it reads; a cycle
    (a total that reads itself, directly or not) is a FormulaError naming the fields."""
    done: list[str] = []
    visiting: list[str] = []

    def visit(key: str) -> None:
        if key in done:
            return
        if key in visiting:
            cycle = [*visiting[visiting.index(key) :], key]
            raise FormulaError("the formulas go round in a circle: " + " → ".join(cycle))
        visiting.append(key)
        for name in sorted(formulas[key].names & formulas.keys()):
            visit(name)
        visiting.pop()
        done.append(key)

    for key in formulas:
        visit(key)
    return done
