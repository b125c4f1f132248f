"""The entry point a parser process runs for one file."""

from __future__ import annotations

from pathlib import Path

from satchel.core.domain.assets import FileType
from satchel.core.ingest.images import parse_image
from satchel.core.ingest.limits import ImportLimits
from satchel.core.ingest.office import parse_docx, parse_pptx
from satchel.core.ingest.pdf import parse_pdf
from satchel.core.ingest.result import ParsedFile, RejectedFile
from satchel.core.ingest.sniff import sniff


def parse_file(path: Path, limits: ImportLimits, suffix: str = "") -> ParsedFile:
    """Recognise the file by content and extract what the library needs (`suffix`, the
    original name's, only words a refusal).

    Raises `RejectedFile` with a sentence for the person; lets MemoryError through
    so the caller can report the memory cap.
    """
    file_type = sniff(path, suffix or path.suffix)
    try:
        match file_type:
            case FileType.PDF:
                return parse_pdf(path, limits)
            case FileType.DOCX:
                return parse_docx(path, limits)
            case FileType.PPTX:
                return parse_pptx(path, limits)
            case _:
                return parse_image(path, file_type, limits)
    except RecursionError:
        raise RejectedFile("The file's structure is nested too deeply to be read safely.") from None
