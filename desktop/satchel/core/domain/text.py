"""Cleaning untrusted text (titles from documents, file names, user input) for storage."""

from __future__ import annotations

import re
import unicodedata

# Bidirectional overrides and isolates let a title display as something else
# ("report\u202efdp.exe"); they are never needed in a collateral title.
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
_WHITESPACE = re.compile(r"\s+")


def has_hidden_characters(text: str) -> bool:
    """True if the text holds control or bidirectional-override characters."""
    return any(unicodedata.category(ch) == "Cc" or ord(ch) in _BIDI_CONTROLS for ch in text)


def clean_line(text: str, max_length: int) -> str:
    """One line of display text: NFC, no control or bidi-override characters, trimmed.

    Markup such as ``<b>`` is kept literally: it is data, and the UI shows it as plain text.
    """
    text = unicodedata.normalize("NFC", text).translate(_BIDI_CONTROLS)
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)
    text = _WHITESPACE.sub(" ", text).strip()
    if len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text


def clean_paragraphs(text: str, max_length: int) -> str:
    """Multi-line text: like `clean_line` but keeps line breaks."""
    lines = [clean_line(line, max_length) for line in text.replace("\r", "\n").split("\n")]
    joined = "\n".join(lines).strip()
    return joined[:max_length]


def clean_body_text(text: str) -> str:
    """Extracted page text: NFC, control characters other than newline and tab removed."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs")
    )


# Names Windows reserves for devices, whatever the extension.
_RESERVED = {"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10)}
_UNSAFE_IN_NAMES = re.compile(r'[<>:"/\\|?*]')


def safe_file_name(name: str, extension: str, fallback: str = "document") -> str:
    """A file name that is valid on Windows, macOS and Linux, ending in `extension`."""
    stem = clean_line(name, 200)
    if stem.lower().endswith(extension.lower()):
        stem = stem[: -len(extension)]
    stem = _UNSAFE_IN_NAMES.sub("_", stem).strip(" .-")[:100].rstrip(" .")
    if not stem or stem.split(".")[0].lower() in _RESERVED:
        stem = fallback if not stem else f"_{stem}"
    return stem + extension
