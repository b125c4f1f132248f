"""`validate(template, values, profile)`: every problem with a rep's values, in words.

Pure: no database, no files. The fit check uses the renderer's own measurement.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal

from satchel.core.domain.formula import FormulaError
from satchel.core.domain.formula import order as formula_order
from satchel.core.domain.formula import parse as parse_formula
from satchel.core.domain.templates import (
    NUMERIC_KINDS,
    FieldIssue,
    FieldKind,
    FieldSpec,
    Policy,
    Severity,
    Template,
)
from satchel.core.domain.text import clean_line
from satchel.core.domain.users import Profile
from satchel.core.render import localized
from satchel.core.render.fit import overflow
from satchel.core.render.fonts import missing_characters
from satchel.core.search.analysis import fold

MAX_VALUE = 5000  # characters: beyond this nothing is measured, the value is refused
MAX_UNKNOWN_LISTED = 3  # unknown keys named one by one; more become one sentence
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[0-9 ()./-]{5,30}$")
_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[^\s]*)?$")
# Invisible characters that could hide or disguise text in a customer document.
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
_WORD = re.compile(r"\w+")
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def value_of(spec: FieldSpec, values: Mapping[str, str], profile: Profile | None) -> str:
    """The value a field will print: the rep's, its default, or the profile's (computed
    fields: what `with_computed` put in `values`)."""
    if spec.kind is FieldKind.COMPUTED:
        computed = values.get(spec.key, "")
        return computed if isinstance(computed, str) else ""
    if spec.kind is FieldKind.PROFILE:
        return getattr(profile, spec.profile_field, "") if profile else ""
    if spec.policy is Policy.LOCKED:
        return spec.default
    default = default_of(spec, profile)
    raw = values.get(spec.key, default)
    return unicodedata.normalize("NFC", raw) if isinstance(raw, str) else default


def default_of(spec: FieldSpec, profile: Profile | None) -> str:
    """A field's value before the rep types: the rep's profile value where the field
    names one (an RSVP address), else the template's default."""
    if spec.profile_field and profile is not None:
        return getattr(profile, spec.profile_field, "") or spec.default
    return spec.default


def number(text: str) -> float | None:
    """A number as people type it ("12.5", "12,5", "1 200", "15 %"), or None."""
    cleaned = text.strip().rstrip("%").replace(" ", "").replace("\u00a0", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned.replace(",", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def with_computed(template: Template, values: Mapping[str, str],
                  profile: Profile | None) -> dict[str, str]:  # fmt: skip
    """`values` with each computed field's result (as plain decimal text), formulas in
    the order they read each other. A blank input counts as 0; an input that is not a
    number leaves the results that read it blank (the input has its own error)."""
    merged = {k: v for k, v in values.items() if k not in _computed_keys(template)}
    results: dict[str, Decimal | None] = {}
    specs = {spec.key: spec for spec in template.fields}
    formulas = {s.key: parse_formula(s.formula) for s in template.fields
                if s.kind is FieldKind.COMPUTED}  # fmt: skip
    for key in formula_order(formulas):
        inputs = {name: results[name] if name in results else _input(specs[name], merged, profile)
                  for name in formulas[key].names}  # fmt: skip
        known = {name: value for name, value in inputs.items() if value is not None}
        result = None
        if len(known) == len(inputs):
            try:
                result = formulas[key].evaluate(known)
            except FormulaError:  # a division by zero: no result, like a missing input
                result = None
        results[key] = result
        merged[key] = _plain(result)
    return merged


def _computed_keys(template: Template) -> set[str]:
    return {spec.key for spec in template.fields if spec.kind is FieldKind.COMPUTED}


def _input(spec: FieldSpec, values: Mapping[str, str], profile: Profile | None) -> Decimal | None:
    text = value_of(spec, values, profile)
    if not text.strip():
        return Decimal(0)
    amount = number(text)
    return None if amount is None else Decimal(str(amount))


def _plain(value: Decimal | None) -> str:
    """A decimal as plain text without exponent or trailing zeros ("6360", "12.5")."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def display_text(spec: FieldSpec, value: str, language: str = "") -> str:
    """The text drawn for a value: numbers, amounts, percentages and dates as the
    document's `language` writes them, the same everywhere."""
    kind = spec.kind
    if kind is FieldKind.COMPUTED:
        kind = {"currency": FieldKind.CURRENCY, "percent": FieldKind.PERCENT}.get(
            spec.number_format, FieldKind.NUMBER)  # fmt: skip
    if kind in NUMERIC_KINDS and (amount := number(value)) is not None:
        if kind is FieldKind.PERCENT:
            return localized.percent(amount, language)
        if kind is FieldKind.CURRENCY:
            return localized.amount(amount, spec.currency, language)
        return localized.number(amount, language)
    if kind is FieldKind.DATE and value.strip():
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            return value
        return localized.long_date(day, language)
    return value


def validate(template: Template, values: Mapping[str, str], profile: Profile | None,
             today: dt.date) -> list[FieldIssue]:  # fmt: skip
    """Every problem with `values` for `template`, errors and approval needs alike."""
    issues: list[FieldIssue] = []
    known = {spec.key for spec in template.fields}
    unknown = [clean_line(key, 40) for key in values if key not in known]
    if len(unknown) > MAX_UNKNOWN_LISTED:  # one sentence, however many (output stays short)
        shown = ", ".join(f"“{key}”" for key in unknown[:MAX_UNKNOWN_LISTED])
        message = (
            f"This template has no fields {shown} and {len(unknown) - MAX_UNKNOWN_LISTED:,} more."
        )
        issues.append(FieldIssue(unknown[0], Severity.ERROR, message))
    else:
        issues += [FieldIssue(key, Severity.ERROR, f"This template has no field “{key}”.")
                   for key in unknown]  # fmt: skip
    computed = _computed_keys(template)
    for spec in template.fields:
        if spec.key in values and spec.key in computed:
            issues.append(FieldIssue(spec.key, Severity.ERROR,
                                     f"{spec.label} is calculated from the other fields; it "
                                     "cannot be typed."))  # fmt: skip
    merged = with_computed(template, values, profile)
    for spec in template.fields:
        issues += check_field(spec, merged, profile, today, template.language)
    return issues


def check_field(spec: FieldSpec, values: Mapping[str, str], profile: Profile | None,
                today: dt.date, language: str = "") -> list[FieldIssue]:  # fmt: skip
    """The problems with one field's value (computed ones: in `values` already)."""

    def error(message: str) -> list[FieldIssue]:
        return [FieldIssue(spec.key, Severity.ERROR, message)]

    if spec.kind is FieldKind.COMPUTED:
        return _computed_problems(spec, value_of(spec, values, profile), language)
    given = values.get(spec.key)
    if spec.kind is FieldKind.PROFILE and given is not None:
        return error(f"{spec.label} comes from your profile; change it there.")
    if spec.policy is Policy.LOCKED and given is not None and given != spec.default:
        return error(f"{spec.label} is set by marketing and cannot be changed.")
    if given is not None and not isinstance(given, str):
        return error(f"{spec.label} must be text.")
    value = value_of(spec, values, profile)
    limits = spec.limits
    if not value.strip():
        return error(f"{spec.label} is required.") if limits.required else []
    if len(value) > MAX_VALUE:
        return error(f"{spec.label} is far too long ({len(value):,} characters).")
    if problem := _unprintable(spec, value):
        return error(problem)
    if spec.kind is FieldKind.IMAGE:
        if value not in limits.image_set:
            return error(f"Choose {spec.label.lower()} from the approved images.")
        return _approval(spec, value)
    problems = _kind_problems(spec, value, today) + _text_limits(spec, value)
    if problems:
        return [FieldIssue(spec.key, Severity.ERROR, p) for p in problems]
    if limits.fit:
        cut = overflow(display_text(spec, value, language), spec)
        if cut:
            return error(f"Too long for the box: shorten by about {cut} character"
                         f"{'s' if cut != 1 else ''}.")  # fmt: skip
    return _envelope(spec, value) or _approval(spec, value)


def _computed_problems(spec: FieldSpec, value: str, language: str) -> list[FieldIssue]:
    """A result beyond the hard limits is refused, beyond the envelope needs approval;
    no result (an input is not a number) is left to the input's own error."""
    if not value:
        return []
    shown = display_text(spec, value, language)
    amount, limits = number(value), spec.limits
    if beyond := _beyond(amount, limits.minimum, limits.maximum):
        word, bound = beyond
        return [FieldIssue(spec.key, Severity.ERROR, f"{spec.label} cannot be {word} "
                           f"{display_text(spec, f'{bound:g}', language)} (it is {shown}).")]  # fmt: skip
    if limits.fit and overflow(shown, spec):
        return [FieldIssue(spec.key, Severity.ERROR, f"{spec.label} ({shown}) is too long "
                           "for its box.")]  # fmt: skip
    if beyond := _beyond(amount, limits.envelope_min, limits.envelope_max):
        word, bound = beyond
        return [FieldIssue(spec.key, Severity.NEEDS_APPROVAL,
                           f"{spec.label} {word} {display_text(spec, f'{bound:g}', language)} "
                           f"needs marketing approval (it is {shown}).")]  # fmt: skip
    return []


def _beyond(amount: float | None, low: float | None,
            high: float | None) -> tuple[str, float] | None:  # fmt: skip
    """("below", low) or ("above", high) when the amount lies outside them."""
    if amount is not None and low is not None and amount < low:
        return "below", low
    if amount is not None and high is not None and amount > high:
        return "above", high
    return None


def printable(spec: FieldSpec, value: str) -> bool:
    """Whether the value's characters can be drawn at all (its limits aside)."""
    return len(value) <= MAX_VALUE and _unprintable(spec, value) is None


def _unprintable(spec: FieldSpec, value: str) -> str | None:
    for char in value:
        if char == "\n" and spec.kind is FieldKind.PARAGRAPH:
            continue
        category = unicodedata.category(char)
        if char in _BIDI_CONTROLS:
            return "Direction-control characters are not allowed (they can disguise text)."
        if category == "Cs":
            return "The text holds a broken character (a lone surrogate); retype it."
        if category == "Cc":
            what = "line breaks" if char in "\r\n" else f"control characters (U+{ord(char):04X})"
            return f"{spec.label} cannot hold {what}."
        if char in _INVISIBLE or category == "Cf":
            return f"Invisible characters (U+{ord(char):04X}) are not allowed."
        if unicodedata.bidirectional(char) in ("R", "AL"):
            return ("Right-to-left text (such as Hebrew or Arabic) cannot be printed correctly "
                    "yet.")  # fmt: skip
    missing = missing_characters(value, spec.style.font)
    if missing:
        shown = ", ".join(f"“{c}”" for c in missing[:5])
        return f"The font has no {shown}; these characters cannot be printed."
    return None


def _kind_problems(spec: FieldSpec, value: str, today: dt.date) -> list[str]:
    limits, text = spec.limits, value.strip()
    match spec.kind:
        case FieldKind.EMAIL if not _EMAIL.match(text):
            return [f"“{text[:60]}” is not an email address."]
        case FieldKind.PHONE if not _PHONE.match(text):
            return ["A phone number may hold digits, spaces and + ( ) . / - only."]
        case FieldKind.URL if not _URL.match(text):
            return ["A web address must start with http:// or https:// and name a site."]
        case FieldKind.CHOICE if value not in limits.choices:
            return [f"Choose one of: {', '.join(limits.choices)}."]
        case FieldKind.DATE:
            return _date_problems(spec, text, today)
        case FieldKind.NUMBER | FieldKind.PERCENT | FieldKind.CURRENCY:
            return _number_problems(spec, text)
    return []


def _date_problems(spec: FieldSpec, text: str, today: dt.date) -> list[str]:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return [f"Write the date as YYYY-MM-DD, e.g. {today + dt.timedelta(days=14)}."]
    limits = spec.limits
    if limits.date_min_days is not None and day < today + dt.timedelta(limits.date_min_days):
        return [f"{spec.label} must be on or after {today + dt.timedelta(limits.date_min_days)}."]
    if limits.date_max_days is not None and day > today + dt.timedelta(limits.date_max_days):
        return [f"{spec.label} must be on or before {today + dt.timedelta(limits.date_max_days)}."]
    return []


def _number_problems(spec: FieldSpec, text: str) -> list[str]:
    amount, limits = number(text), spec.limits
    if amount is None:
        return [f"{spec.label} must be a number."]
    unit = " %" if spec.kind is FieldKind.PERCENT else ""
    if beyond := _beyond(amount, limits.minimum, limits.maximum):
        return [f"{spec.label} cannot be {beyond[0]} {beyond[1]:g}{unit}."]
    if limits.step:
        base = limits.minimum or 0.0
        steps = (amount - base) / limits.step
        if abs(steps - round(steps)) > 1e-9:
            return [f"{spec.label} goes in steps of {limits.step:g}{unit}."]
    return []


def _text_limits(spec: FieldSpec, value: str) -> list[str]:
    limits, problems = spec.limits, []
    chars, words = len(value), len(value.split())
    if limits.min_chars is not None and chars < limits.min_chars:
        problems.append(f"{spec.label} needs at least {limits.min_chars} characters.")
    if limits.max_chars is not None and chars > limits.max_chars:
        problems.append(f"{spec.label} allows {limits.max_chars} characters; remove "
                        f"{chars - limits.max_chars}.")  # fmt: skip
    if limits.min_words is not None and words < limits.min_words:
        problems.append(f"{spec.label} needs at least {limits.min_words} words.")
    if limits.max_words is not None and words > limits.max_words:
        problems.append(f"{spec.label} allows {limits.max_words} words; remove "
                        f"{words - limits.max_words}.")  # fmt: skip
    if limits.pattern and not re.fullmatch(limits.pattern, value):
        problems.append(limits.pattern_message or f"{spec.label} is not in the expected form.")
    folded = _words(value)
    for term in limits.banned_terms:
        if _words(term).strip() and _words(term) in folded:
            problems.append(f"“{term}” may not be used here.")
    return problems


def _words(text: str) -> str:
    """Folded words between spaces, so terms match whole words only, whatever the case
    or accents ("Cheapest" and "chéapest" both match the banned term "cheapest")."""
    return " " + " ".join(_WORD.findall(fold(text))) + " "


def _envelope(spec: FieldSpec, value: str) -> list[FieldIssue]:
    """Inside the hard limits but outside self-service: allowed once approved."""
    if spec.kind not in NUMERIC_KINDS:
        return []
    amount, limits = number(value), spec.limits
    if amount is None:
        return []
    unit = " %" if spec.kind is FieldKind.PERCENT else ""
    if beyond := _beyond(amount, limits.envelope_min, limits.envelope_max):
        message = f"{spec.label} {beyond[0]} {beyond[1]:g}{unit} needs marketing approval."
        return [FieldIssue(spec.key, Severity.NEEDS_APPROVAL, message)]
    return []


def _approval(spec: FieldSpec, value: str) -> list[FieldIssue]:
    if spec.policy is Policy.APPROVAL and value != spec.default:
        message = f"Changing {spec.label.lower()} needs marketing approval."
        return [FieldIssue(spec.key, Severity.NEEDS_APPROVAL, message)]
    return []
