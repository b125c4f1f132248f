"""Numbers, amounts, percentages and dates written as the document's language writes
them ("$30,237.50" / "30.237,50 $", "7.5%" / "7,5 %", "December 23, 2026" /
"23. Dezember 2026"), from the CLDR data Babel carries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

DEFAULT = "en"


def _locale(language: str) -> str:
    """A language code Babel knows, else English (a bad code must not stop a PDF)."""
    try:
        Locale.parse(language or DEFAULT)
    except (UnknownLocaleError, ValueError, TypeError):
        return DEFAULT
    return language or DEFAULT


def amount(value: Decimal | float, currency: str, language: str) -> str:
    """An amount of money (a code Babel does not know is written after the number)."""
    return format_currency(Decimal(str(value)), currency, locale=_locale(language))


def percent(value: Decimal | float, language: str) -> str:
    """`value` in percent (7.5 means 7.5 %)."""
    share = Decimal(str(value)) / 100
    return format_percent(share, locale=_locale(language), decimal_quantization=False)


def number(value: Decimal | float, language: str) -> str:
    return format_decimal(Decimal(str(value)), locale=_locale(language), decimal_quantization=False)


def long_date(day: dt.date, language: str) -> str:
    return format_date(day, format="long", locale=_locale(language))
