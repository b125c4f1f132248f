"""Text analysis shared by indexing and querying: NFC, case and accent folding, CJK, stems."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from whoosh.analysis import (
    Filter,
    LowercaseFilter,
    NgramFilter,
    RegexTokenizer,
    StemFilter,
    Token,
)

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


class FoldFilter(Filter):
    """Accent and case folding (see `fold`)."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = fold(token.text)
            yield token


class CJKFilter(Filter):
    """CJK runs have no spaces: index each character and each pair, so any substring of
    one or two characters — and longer ones, as phrases of pairs — can be found."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            text = token.text
            if text.isascii() or not _CJK.search(text):
                yield token
                continue
            for index, ch in enumerate(text):
                token.text = ch
                yield token
                if index + 1 < len(text):
                    token.text = text[index : index + 2]
                    yield token


def plain_analyzer():  # type: ignore[no-untyped-def]
    """Words, folded and CJK-split, unstemmed: the vocabulary for "did you mean"."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | FoldFilter() | CJKFilter()


def text_analyzer():  # type: ignore[no-untyped-def]
    """Words for full-text fields: `plain_analyzer`, English-stemmed."""
    return plain_analyzer() | StemFilter(lang="en", cachesize=50_000)


def autocomplete_analyzer():  # type: ignore[no-untyped-def]
    """Edge n-grams of title and tag words, so a typed prefix is one term lookup."""
    return plain_analyzer() | NgramFilter(minsize=2, maxsize=AUTOCOMPLETE_MAX, at="start")
