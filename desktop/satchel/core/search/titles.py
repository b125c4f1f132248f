"""Titles found before the index has them: while a big pull lands (a new laptop's first
sync) the index is built once at its end, so until then a search also looks at the
titles of the assets the index has not seen yet, straight from the database."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from satchel.core.search.analysis import fold
from satchel.core.search.query import ParsedQuery

_WORD = re.compile(r"\w+")


def typed_words(parsed: ParsedQuery) -> tuple[list[str], str | None] | None:
    """The folded words to find in a title, and the one being typed (a prefix); None
    when the query asks for more than plain words (a phrase, a field, an exclusion, a
    filter or a date), which only the index can answer."""
    if parsed.filters or parsed.dates:
        return None
    words: list[str] = []
    prefix = None
    for group in parsed.groups:
        typed = [clause for clause in group if not clause.added]
        if not typed:
            continue
        clause = typed[0]
        if clause.negated or clause.phrase or clause.field:
            return None
        if clause.stop and not parsed.only_stop_words:
            continue
        found = _WORD.findall(fold(clause.raw))
        if clause.prefix and found:
            prefix = found.pop()
        words += found
    return (words, prefix) if words or prefix else None


def ranked(rows: Iterable[tuple[str, str]], words: Sequence[str],
           prefix: str | None) -> list[str]:  # fmt: skip
    """Ids of the titles holding every word (and a word starting with `prefix`), those
    where the words come earliest first: "Gateway 7 datasheet" ranks the title that
    begins so ahead of "Gateway 47 datasheet … Product 7"."""
    scored = []
    for asset_id, title in rows:
        tokens = _WORD.findall(fold(title))
        places: dict[str, int] = {}
        for place, token in enumerate(tokens):
            places.setdefault(token, place)
        if any(word not in places for word in words):
            continue
        where = sum(places[word] for word in words)
        if prefix is not None:
            starts = [place for place, token in enumerate(tokens) if token.startswith(prefix)]
            if not starts:
                continue
            where += starts[0]
        scored.append((where, len(tokens), title, asset_id))
    scored.sort()
    return [asset_id for *_, asset_id in scored]
