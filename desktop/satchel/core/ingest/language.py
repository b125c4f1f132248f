"""The language of an imported file's text, by py3langid (a maintained fork of
langid.py: a small naive-Bayes model over byte n-grams, shipped as a NumPy archive,
not a pickle, and fast: well under a millisecond for a page).

Only languages collateral is commonly written in are considered, and only a clear
answer is taken: a short or mixed text gets no language rather than a wrong one.

The model takes about 80 MB once loaded (about 1.5 s): an import batch loads it when its
first file is read (the parser processes go on meanwhile) and releases it at its end,
so a window left open does not carry it.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# Business languages of Europe and the Americas (ISO 639-1).
CANDIDATES = ("en", "de", "es", "fr", "it", "pt", "nl", "sv", "da", "no", "fi", "pl", "cs",
              "hu", "ro", "tr", "el", "ru")  # fmt: skip
MIN_LETTERS = 40  # fewer and the guess is noise ("Atlas X-200")
MIN_CONFIDENCE = 0.9
SAMPLE = 6000  # characters: enough for a clear answer, and a bounded cost
_lock = threading.Lock()


@cache
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(CANDIDATES))
    return identifier


def detect_language(pages: Sequence[str]) -> str:
    """The ISO 639-1 code of the text's language, or "" when it is not clear."""
    text = " ".join(pages)[:SAMPLE]
    if sum(char.isalpha() for char in text) < MIN_LETTERS:
        return ""
    with _lock:  # one load, and the identifier is not documented as thread-safe
        language, confidence = _identifier().classify(text)
    return str(language) if confidence >= MIN_CONFIDENCE else ""


def release_language_model() -> None:
    """Let the model go (the next detection loads it again)."""
    with _lock:
        _identifier.cache_clear()
