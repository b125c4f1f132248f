"""Stop words: the little words of English, German and Spanish ("the", "für", "para").

A query does not require them (people type "datasheet for the edge gateway"); phrases
still use them, since the index keeps every word, and a query made only of them
requires them all. The lists are the Snowball project's, as Whoosh ships them.
"""

from __future__ import annotations

from whoosh.lang.stopwords import stoplists

from satchel.core.search.analysis import fold

LANGUAGES = ("en", "de", "es")
STOP_WORDS = frozenset(fold(word) for language in LANGUAGES for word in stoplists[language])


def all_stop_words(words: list[str]) -> bool:
    """Every one of these folded, unstemmed words is a stop word."""
    return bool(words) and all(word in STOP_WORDS for word in words)
