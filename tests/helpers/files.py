"""Real and hostile files for import tests, made on the fly."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import pptx
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, FloatObject, NameObject, TextStringObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas


def pdf_bytes(pages: int = 1, title: str | None = None, text: str = "Quarterly results") -> bytes:
    """A real PDF with one line of text per page."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    if title is not None:
        canvas.setTitle(title)
    for number in range(1, pages + 1):
        canvas.setFont("Helvetica", 14)
        canvas.drawString(72, 760, f"{text} page {number}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def pdf_of_pages(texts: list[str], title: str | None = None) -> bytes:
    """A real PDF with one page per text (each text one line)."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    if title is not None:
        canvas.setTitle(title)
    for text in texts:
        canvas.setFont("Helvetica", 12)
        canvas.drawString(72, 760, text)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def image_bytes(fmt: str, size: tuple[int, int] = (640, 480), colour: str = "teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt)
    return out.getvalue()


def docx_bytes(title: str = "", heading: str = "Rollout plan", paragraphs: int = 3) -> bytes:
    document = docx.Document()
    document.core_properties.title = title
    document.add_heading(heading, level=1)
    for number in range(1, paragraphs + 1):
        document.add_paragraph(f"Step {number}: install gateways in hall {number}.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pptx_bytes(title: str = "", slides: int = 2) -> bytes:
    deck = pptx.Presentation()
    deck.core_properties.title = title
    for number in range(1, slides + 1):
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = f"Slide heading {number}"
        slide.placeholders[1].text = f"Talking point for slide {number}"
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _modify(data: bytes, change) -> bytes:  # type: ignore[no-untyped-def]
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    return _modify(pdf_bytes(), lambda w: w.encrypt(user_password="secret", algorithm="RC4-128"))


def pdf_with_javascript() -> bytes:
    """Document-level JavaScript in the /Names tree, as Acrobat writes it."""

    def add_script(writer: PdfWriter) -> None:
        action = writer._add_object(
            DictionaryObject(
                {
                    NameObject("/S"): NameObject("/JavaScript"),
                    NameObject("/JS"): TextStringObject("app.alert('hello');"),
                }
            )
        )
        tree = DictionaryObject(
            {NameObject("/Names"): ArrayObject([TextStringObject("greeting"), action])}
        )
        writer._root_object[NameObject("/Names")] = DictionaryObject(
            {NameObject("/JavaScript"): tree}
        )

    return _modify(pdf_bytes(), add_script)


def pdf_with_attachment() -> bytes:
    return _modify(pdf_bytes(), lambda w: w.add_attachment("payload.exe", b"MZ\x90\x00"))


def pdf_with_launch_action() -> bytes:
    def launch(writer: PdfWriter) -> None:
        action = DictionaryObject(
            {
                NameObject("/S"): NameObject("/Launch"),
                NameObject("/F"): TextStringObject("calc.exe"),
            }
        )
        writer._root_object[NameObject("/OpenAction")] = action

    return _modify(pdf_bytes(), launch)


def pdf_with_box(box: tuple[float, float, float, float]) -> bytes:
    def set_box(writer: PdfWriter) -> None:
        writer.pages[0][NameObject("/MediaBox")] = ArrayObject(FloatObject(v) for v in box)

    return _modify(pdf_bytes(), set_box)


def pdf_with_metadata(title: str) -> bytes:
    return _modify(pdf_bytes(), lambda w: w.add_metadata({"/Title": title}))


def _raw_pdf(objects: list[bytes]) -> bytes:
    """Assemble numbered objects into a PDF with a correct xref table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def cyclic_page_tree_pdf() -> bytes:
    """The page tree's only kid is the tree itself."""
    return _raw_pdf(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]
    )


def deeply_nested_pdf(depth: int = 200_000) -> bytes:
    """A page whose dictionary holds an array nested `depth` levels deep."""
    nested = b"[" * depth + b"]" * depth
    return _raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Junk " + nested + b" >>",
        ]
    )


def pdf_stream_bomb(uncompressed_mb: int) -> bytes:
    """A one-page PDF whose content stream inflates to `uncompressed_mb` of spaces."""
    compressor = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    body = b"".join(compressor.compress(chunk) for _ in range(uncompressed_mb)) + compressor.flush()
    return _raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream",
        ]
    )


def png_bomb(side: int = 40_000) -> bytes:
    """A tiny PNG that claims side × side 1-bit pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\x00" * (side // 8)
    idat = (
        b"".join(compressor.compress(row * 1000) for _ in range(side // 1000)) + compressor.flush()
    )
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def office_with_bomb(base: bytes, uncompressed_mb: int = 200) -> bytes:
    """An otherwise valid DOCX/PPTX carrying a member that inflates enormously."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(base)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        with target.open("word/media/bomb.bin", "w", force_zip64=True) as member:
            zeros = b"\x00" * (1 << 20)
            for _ in range(uncompressed_mb):
                member.write(zeros)
    return out.getvalue()


def office_with_many_entries(base: bytes, entries: int = 6_000) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        for number in range(entries):
            target.writestr(f"padding/part{number}.xml", b"<a/>")
    return out.getvalue()


def plain_zip() -> bytes:
    """A ZIP archive of ordinary files: what a renamed download folder looks like."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        target.writestr("notes.txt", b"Meeting notes")
        target.writestr("photos/one.jpg", b"not really")
    return out.getvalue()


def office_with_symlink(base: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        link = zipfile.ZipInfo("word/link.xml")
        link.external_attr = 0o120777 << 16
        target.writestr(link, b"/etc/passwd")
    return out.getvalue()
