"""Text analysis shared by indexing and querying: NFC, case and accent folding, CJK, stems."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

from whoosh.analysis import NgramFilter, StemFilter, Token, Tokenizer

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
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
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


class CachedStemFilter(StemFilter):
    """English stems through `functools.lru_cache` (in C), not Whoosh's LFU cache in
    Python, which cost more than the stemming it saved."""

    def clear(self) -> None:
        from whoosh.lang import stemmer_for_language

        stem = stemmer_for_language(self.lang) if self.lang else self.stemfn
        self._stem = functools.lru_cache(maxsize=self.cachesize)(stem)


def plain_analyzer():  # type: ignore[no-untyped-def]
    """Words, folded and CJK-split, unstemmed: the vocabulary for "did you mean"."""
    return WordTokenizer()


def text_analyzer():  # type: ignore[no-untyped-def]
    """Words for full-text fields: `plain_analyzer`, English-stemmed."""
    return WordTokenizer() | CachedStemFilter(lang="en", cachesize=50_000)


def autocomplete_analyzer():  # type: ignore[no-untyped-def]
    """Edge n-grams of title and tag words, so a typed prefix is one term lookup."""
    return plain_analyzer() | NgramFilter(minsize=2, maxsize=AUTOCOMPLETE_MAX, at="start")
