"""Reading a rep's field values from a JSON file (`satchel render --values FILE.json`)."""

from __future__ import annotations

import json

from satchel.core.domain.text import clean_line
from satchel.core.errors import ValidationError

MAX_BYTES = 1 << 20  # a template's values are a few KB; this is far past any real file
MAX_ENTRIES = 500  # far more fields than a template has
_KINDS = "lists, objects, true/false or null"


def parse_values(data: bytes) -> dict[str, str]:
    """One JSON object of text (or number) values, or `ValidationError` with a sentence.

    Hostile files end in a sentence too: nesting thousands deep, numbers with thousands
    of digits, huge files and hundreds of thousands of keys.
    """
    if len(data) > MAX_BYTES:
        raise ValidationError([f"The values file is over {MAX_BYTES:,} bytes, the most it may be."])
    try:
        # Numbers stay as written (a 5,000-digit number would not even convert to int).
        parsed = json.loads(data.decode("utf-8-sig"), parse_int=str, parse_float=str,
                            parse_constant=str)  # fmt: skip
    except UnicodeDecodeError:
        raise ValidationError(["The values file is not UTF-8 text."]) from None
    except RecursionError:
        raise ValidationError(["The values file is nested too deeply; it must be one JSON "
                               "object of text values."]) from None  # fmt: skip
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise ValidationError(
            [f"The values file is not valid JSON ({error.msg} at {where})."]
        ) from None
    if not isinstance(parsed, dict):
        raise ValidationError(["The values file must hold one JSON object of text values."])
    if len(parsed) > MAX_ENTRIES:
        count = f"{len(parsed):,} entries"
        raise ValidationError(
            [f"The values file has {count}; a template has at most {MAX_ENTRIES} fields."]
        )
    wrong = [key for key, value in parsed.items() if not isinstance(value, str)]
    if wrong:
        shown = ", ".join(f"“{clean_line(key, 40)}”" for key in wrong[:3])
        more = f" and {len(wrong) - 3} more" if len(wrong) > 3 else ""
        raise ValidationError([f"Values must be text or numbers, not {_KINDS}: {shown}{more}."])
    return {str(key): value for key, value in parsed.items()}
