"""Recognising a file's type from its content, never from its name."""

from __future__ import annotations

import zipfile
from pathlib import Path

from satchel.core.domain.assets import FileType
from satchel.core.ingest.result import RejectedFile

_BY_SUFFIX = {
    ".pdf": "PDF", ".png": "PNG image", ".jpg": "JPEG image", ".jpeg": "JPEG image",
    ".webp": "WebP image", ".docx": "Word document", ".pptx": "PowerPoint presentation",
}  # fmt: skip
_NAMES = {
    b"\x89PNG\r\n\x1a\n": FileType.PNG,
    b"\xff\xd8\xff": FileType.JPEG,
}


def sniff(path: Path, suffix: str = "") -> FileType:
    """Return the file's real type or raise `RejectedFile` saying what it is not (and,
    when its name's `suffix` promised a type, that it is not that)."""
    with open(path, "rb") as handle:
        head = handle.read(1024)
    if not head:
        raise RejectedFile("The file is empty.")
    # PDF readers accept the header anywhere in the first kilobyte; so do we.
    if b"%PDF-" in head:
        return FileType.PDF
    for magic, file_type in _NAMES.items():
        if head.startswith(magic):
            return file_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FileType.WEBP
    named = _BY_SUFFIX.get(suffix.lower())
    if head.startswith(b"PK\x03\x04"):
        return _office_type(path, suffix.lower(), named)
    if named is not None:  # x.pdf that is not a PDF: renamed, damaged or cut short
        raise RejectedFile(
            f"The file is named {suffix.lower()} but is not a {named}: it may be damaged, "
            "cut short, or another kind of file renamed."
        )
    raise RejectedFile(
        "This is not a file type Satchel imports (PDF, PNG, JPEG, WebP, DOCX or PPTX)."
    )


def _office_type(path: Path, suffix: str, named: str | None) -> FileType:
    """DOCX or PPTX by the parts inside; a ZIP named as another type says so first."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        names = None
    if names is not None and "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return FileType.DOCX
        if "ppt/presentation.xml" in names:
            return FileType.PPTX
    if named is not None and suffix not in (".docx", ".pptx"):  # an archive renamed x.pdf
        raise RejectedFile(
            f"The file is named {suffix} but is not a {named}: it is a ZIP archive, "
            "probably renamed."
        )
    if names is None:
        raise RejectedFile("The file is a damaged or incomplete ZIP archive.")
    raise RejectedFile("This ZIP archive is not a Word (DOCX) or PowerPoint (PPTX) document.")
