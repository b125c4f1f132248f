"""Stop words: the little words of English, German and Spanish ("the", "für", "para").

A query does not require them (people type "datasheet for the edge gateway"); phrases
still use them, since the index keeps every word, and a query made only of them
requires them all. The lists are the Snowball project's, as Whoosh ships them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from whoosh.lang.stopwords import stoplists

from satchel.core.search.analysis import DEFAULT_LANGUAGE, STEMMERS, fold

LANGUAGES = ("en", "de", "es")
STOP_WORDS_OF = {language: frozenset(fold(word) for word in stoplists[language])
                 for language in LANGUAGES}  # fmt: skip
STOP_WORDS = frozenset().union(*STOP_WORDS_OF.values())
# Letters only one of the languages writes (folding removes them, so read them first).
LETTERS_OF = {"de": frozenset("äöüß"), "es": frozenset("ñ¿¡")}
_WORDS = re.compile(r"\w+")


def all_stop_words(words: list[str]) -> bool:
    """Every one of these folded, unstemmed words is a stop word."""
    return bool(words) and all(word in STOP_WORDS for word in words)


def query_languages(text: str, library: Sequence[str]) -> tuple[str, ...]:
    """The languages to stem a query in, the likeliest first: of the library's
    languages, the one the query's stop words and letters point to ("the", "für",
    "ñ") when one does most, with English (the words other languages borrow); else
    English, whose stems every asset holds (else each of the library's languages). So
    "datasheet for the gateway" never gets German stems, "Wartungsverträge" gets
    German ones, and "soluciones" finds "solución" by the English stem of both."""
    held = [language for language in STEMMERS if language in library] or [DEFAULT_LANGUAGE]
    if len(held) == 1:
        return tuple(held)
    words = [fold(word) for word in _WORDS.findall(text.lower())]
    letters = set(text.lower())
    evidence = {language: sum(word in STOP_WORDS_OF.get(language, ()) for word in words)
                + 2 * len(letters & LETTERS_OF.get(language, frozenset()))
                for language in held}  # fmt: skip
    best = max(evidence.values())
    leaders = [language for language in held if evidence[language] == best]
    if not best or len(leaders) > 1:
        # Every German and Spanish asset holds English stems too (see analysis.py).
        return (DEFAULT_LANGUAGE,) if DEFAULT_LANGUAGE in held else tuple(held)
    # English stems too, for the English words other languages borrow ("Gateway").
    return tuple(dict.fromkeys((leaders[0], *[lang for lang in held if lang == DEFAULT_LANGUAGE])))
