"""Text analysis shared by indexing and querying: NFC, case and accent folding, CJK, and
stems in the document's language.

Stems come from the Snowball project's own stemmers through PyStemmer (its C build):
English, German and Spanish each by its own; other languages by the English one, as
before there were several. A text says which language it is in by one private-use
character in front (`marked`), which no tokenizer takes for a word: Whoosh analyses a
field's value with no other context.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Iterator

import Stemmer
from whoosh.analysis import Filter, NgramFilter, Token, Tokenizer

# Words, keeping product codes such as "X-200" or "v2.1" whole.
WORD_PATTERN = r"\w+(?:[-.]\w+)*"
AUTOCOMPLETE_MAX = 20


def fold(text: str) -> str:
    """NFC, case-folded, accents removed: `Überblick` → `uberblick`, `résumé` → `resume`."""
    if text.isascii():  # the common case, and a hot path while indexing
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


# Kana, CJK ideographs (and extension A, compatibility), Hangul syllables.
_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


_WORD = re.compile(WORD_PATTERN)

STEMMERS = {"en": "english", "de": "german", "es": "spanish"}  # language → Snowball's name
DEFAULT_LANGUAGE = "en"
_MARKS = {code: chr(0xE001 + place) for place, code in enumerate(STEMMERS)}
_LANGUAGE_OF_MARK = {mark: code for code, mark in _MARKS.items()}
_LOCAL = threading.local()  # a PyStemmer stemmer is not thread-safe: one per thread


def stemmed_language(language: str | None) -> str:
    """The language whose stemmer a text in `language` gets."""
    return language if language in STEMMERS else DEFAULT_LANGUAGE


def marked(text: str, language: str | None) -> str:
    """The text with its language's mark in front, for the text analyzer."""
    return _MARKS[stemmed_language(language)] + text


def split_mark(value: str) -> tuple[str, str]:
    if value and value[0] in _LANGUAGE_OF_MARK:
        return _LANGUAGE_OF_MARK[value[0]], value[1:]
    return DEFAULT_LANGUAGE, value


@functools.lru_cache(maxsize=200_000)
def stem(word: str, language: str) -> str:
    """A folded word's stem in one of `STEMMERS`' languages."""
    stemmers = _LOCAL.__dict__.setdefault("stemmers", {})
    if language not in stemmers:
        stemmers[language] = Stemmer.Stemmer(STEMMERS[language])
    return stemmers[language].stemWord(word)


class WordTokenizer(Tokenizer):
    """Words, lower-cased and accent-folded (see `fold`); CJK runs have no spaces, so each
    character and each pair is a token (sharing the run's position), and any substring of
    one or two characters — longer ones as phrases of pairs — can be found.

    One loop instead of Whoosh's tokenizer and three filters: analysis is most of the
    time an index build takes, and each layer of generators costs per word."""

    def __call__(  # type: ignore[no-untyped-def]
        self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
        start_pos=0, start_char=0, tokenize=True, mode="", **kwargs,
    ) -> Iterator[Token]:  # fmt: skip
        language, text = split_mark(value)
        start_char += len(value) - len(text)  # offsets stay those of the value given
        value = text
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.language = language
        matches = _WORD.finditer(value) if tokenize else re.finditer(r"\A.*", value, re.S)
        for pos, match in enumerate(matches, start=start_pos):
            text = match.group()
            ascii_only = text.isascii()
            text = text.lower() if ascii_only else fold(text)
            token.boost, token.stopped = 1.0, False
            if keeporiginal:
                token.original = match.group()
            if positions:
                token.pos = pos
            if chars:
                token.startchar, token.endchar = (
                    start_char + match.start(),
                    start_char + match.end(),
                )
            if ascii_only or not _CJK.search(text):
                token.text = text
                yield token
                continue
            for index in range(len(text)):
                token.text = text[index]
                yield token
                if index + 1 < len(text):
                    token.text = text[index : index + 2]
                    yield token


class LanguageStemFilter(Filter):
    """Each word's stem in the language its text is marked with (see `marked`)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            if not token.stopped:
                token.text = stem(token.text, token.language)
            yield token


def plain_analyzer():  # type: ignore[no-untyped-def]
    """Words, folded and CJK-split, unstemmed: the vocabulary for "did you mean"."""
    return WordTokenizer()


def text_analyzer():  # type: ignore[no-untyped-def]
    """Words for full-text fields: `plain_analyzer`, stemmed in the text's language."""
    return WordTokenizer() | LanguageStemFilter()


def autocomplete_analyzer():  # type: ignore[no-untyped-def]
    """Edge n-grams of title and tag words, so a typed prefix is one term lookup."""
    return plain_analyzer() | NgramFilter(minsize=2, maxsize=AUTOCOMPLETE_MAX, at="start")
