"""What a parser process hands back: plain picklable data, no open files."""

from __future__ import annotations

from dataclasses import dataclass, field

from satchel.core.domain.assets import FileType


class RejectedFile(Exception):
    """The file cannot be imported; the message is a sentence for the person importing it."""


@dataclass
class ParsedFile:
    """Everything extracted from one file."""

    file_type: FileType
    page_count: int
    pages: list[str] = field(default_factory=list)  # text per page / slide / paragraph
    metadata_title: str = ""
    heading: str = ""
    width: int | None = None  # pixels for images, points for page 1 of a PDF
    height: int | None = None
    thumbnail_png: bytes | None = None
    warnings: list[str] = field(default_factory=list)
