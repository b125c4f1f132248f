"""Text analysis shared by indexing and querying: NFC, case and accent folding, CJK, and
stems in the document's language.

Stems come from the Snowball project's own stemmers through PyStemmer (its C build):
English, German and Spanish each by its own; other languages by the English one, as
before there were several. A German or Spanish asset also holds each word's English
stem at the same position where it differs, so a query with nothing to say which
language it is in is stemmed in English alone and still finds every asset's words (one
posting list per word, not one per language). A text says which language it is in by
one private-use character in front (`marked`), which no tokenizer takes for a word:
Whoosh analyses a field's value with no other context.
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
# A German or Spanish word matched only by its stacked English stem counts this much of
# an occurrence: an English query ranks English assets first.
STACKED_WEIGHT = 0.1
# (language, with English stems stacked) → its mark.
_MARKS = {(code, stacked): chr(0xE001 + 2 * place + stacked)
          for place, code in enumerate(STEMMERS) for stacked in (False, True)}  # fmt: skip
_LANGUAGE_OF_MARK = {mark: key for key, mark in _MARKS.items()}
_LOCAL = threading.local()  # a PyStemmer stemmer is not thread-safe: one per thread


def stemmed_language(language: str | None) -> str:
    """The language whose stemmer a text in `language` gets."""
    return language if language in STEMMERS else DEFAULT_LANGUAGE


def marked(text: str, language: str | None, stacked: bool = True) -> str:
    """The text with its language's mark in front, for the text analyzer; `stacked`
    (an asset's text): English stems too where they differ, not for a query's words."""
    language = stemmed_language(language)
    return _MARKS[language, stacked and language != DEFAULT_LANGUAGE] + text


def split_mark(value: str) -> tuple[str, bool, str]:
    """(language, English stems stacked, the text without its mark)."""
    if value and value[0] in _LANGUAGE_OF_MARK:
        language, stacked = _LANGUAGE_OF_MARK[value[0]]
        return language, stacked, value[1:]
    return DEFAULT_LANGUAGE, False, value


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
        language, stacked, text = split_mark(value)
        start_char += len(value) - len(text)  # offsets stay those of the value given
        value = text
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        token.language, token.stacked = language, stacked
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
    """Each word's stem in the language its text is marked with (see `marked`), and
    where marked so its English stem at the same position when that differs."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            if token.stopped:
                yield token
                continue
            word = token.text
            token.text = stem(word, token.language)
            yield token
            if token.stacked and (english := stem(word, DEFAULT_LANGUAGE)) != token.text:
                token.text, token.boost = english, STACKED_WEIGHT
                yield token
                token.boost = 1.0


def plain_analyzer():  # type: ignore[no-untyped-def]
    """Words, folded and CJK-split, unstemmed: the vocabulary for "did you mean"."""
    return WordTokenizer()


def text_analyzer():  # type: ignore[no-untyped-def]
    """Words for full-text fields: `plain_analyzer`, stemmed in the text's language."""
    return WordTokenizer() | LanguageStemFilter()


def autocomplete_analyzer():  # type: ignore[no-untyped-def]
    """Edge n-grams of title and tag words, so a typed prefix is one term lookup."""
    return plain_analyzer() | NgramFilter(minsize=2, maxsize=AUTOCOMPLETE_MAX, at="start")
