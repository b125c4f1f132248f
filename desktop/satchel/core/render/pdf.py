"""`render`: data in, PDF bytes out. ReportLab draws the values on an overlay that pypdf
merges onto the base pages; what is handed out carries no active content.

User text is drawn with `drawString`, which prints characters and interprets nothing:
no ReportLab markup, no links, no images from paths.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PIL import Image
from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
)
from reportlab.lib.colors import HexColor
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from satchel.core.domain.templates import Align, FieldKind, FieldSpec, Template
from satchel.core.domain.users import Profile
from satchel.core.render.fit import Layout, first_baseline, layout, wrap
from satchel.core.render.fonts import font_name, overhang, vertical_extent
from satchel.core.render.validate import display_text, printable, value_of, with_computed

PRODUCER = "Satchel"
# Metadata keys that say where a document came from (read back by `verify`).
KEY_TEMPLATE, KEY_VERSION = "/SatchelTemplate", "/SatchelTemplateVersion"
KEY_VALUES, KEY_REQUEST = "/SatchelValues", "/SatchelRequest"
KEY_APPROVAL = "/SatchelApproval"
_SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")
_ACTIVE_ANNOTATIONS = {"/FileAttachment", "/Widget", "/Screen", "/Movie", "/Sound",
                       "/RichMedia", "/3D"}  # fmt: skip


@dataclass(frozen=True)
class RenderOptions:
    """Who the document is for and in what state."""

    draft: bool = False  # values still need approval: a diagonal DRAFT on every page
    request_id: str = ""
    approval: str = ""  # a final document from a request: which round, who approved, when
    # For the preview only, never a handed-out document: each field's box as a guide,
    # and the fields whose values are refused drawn in red as typed.
    guides: bool = False
    refused: frozenset[str] = frozenset()


def values_hash(template: Template, values: Mapping[str, str], profile: Profile | None) -> str:
    """SHA-256 over the printed values (defaults and profile fields included)."""
    values = with_computed(template, values, profile)
    printed = {spec.key: value_of(spec, values, profile) for spec in template.fields}
    canonical = json.dumps(printed, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def render(template: Template, base_pdf: bytes, values: Mapping[str, str],
           profile: Profile | None, images: Mapping[str, Image.Image],
           options: RenderOptions = RenderOptions()) -> bytes:  # fmt: skip
    """The customized PDF. Values must have been validated (`validate`) first; `images`
    maps the approved image asset ids the values name to their pictures."""
    base = _parsed_base(base_pdf)
    overlay = PdfReader(io.BytesIO(_overlay(template, base.sizes, values, profile, images,
                                            options)))  # fmt: skip
    writer = PdfWriter()
    with base.lock:  # the reader reads its stream lazily, so one thread at a time
        added_pages = [writer.add_page(page) for page in base.reader.pages]
    for number, added in enumerate(added_pages, start=1):  # the base's catalog stays out
        _stamp(writer, added, overlay.pages[number - 1], number)
        _strip_page(added)
    writer.add_metadata({
        "/Title": template.title, "/Author": profile.name if profile else "",
        "/Producer": PRODUCER, "/Creator": PRODUCER,
        KEY_TEMPLATE: template.id, KEY_VERSION: str(template.version),
        KEY_VALUES: values_hash(template, values, profile), KEY_REQUEST: options.request_id,
        KEY_APPROVAL: options.approval,
    })  # fmt: skip
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass(frozen=True)
class _ParsedBase:
    reader: PdfReader
    sizes: list[tuple[float, float]]
    lock: threading.Lock


_BASES: OrderedDict[bytes, _ParsedBase] = OrderedDict()  # a preview re-renders every keystroke
_BASES_LOCK = threading.Lock()


def _parsed_base(base_pdf: bytes) -> _ParsedBase:
    """The base PDF parsed once and kept (the few most recent): pypdf's parse was a third
    of the render time. The writer copies pages out, so the kept reader is never changed."""
    with _BASES_LOCK:
        parsed = _BASES.get(base_pdf)
        if parsed is not None:
            _BASES.move_to_end(base_pdf)
            return parsed
    reader = PdfReader(io.BytesIO(base_pdf))
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]
    parsed = _ParsedBase(reader, sizes, threading.Lock())
    with _BASES_LOCK:
        _BASES[base_pdf] = parsed
        while len(_BASES) > 8:
            _BASES.popitem(last=False)
    return parsed


def _overlay(template: Template, sizes: list[tuple[float, float]], values: Mapping[str, str],
             profile: Profile | None, images: Mapping[str, Image.Image],
             options: RenderOptions) -> bytes:  # fmt: skip
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1, pageCompression=1)
    values, language = with_computed(template, values, profile), template.language
    for number, (width, height) in enumerate(sizes, start=1):
        canvas.setPageSize((width, height))
        for spec in template.fields:
            if spec.placement.page != number:
                continue
            if options.guides:
                _guide(canvas, spec, REFUSED if spec.key in options.refused else GUIDE)
            if spec.key in options.refused:
                _draw_refused(canvas, spec, value_of(spec, values, profile), language)
            else:
                _draw(canvas, spec, value_of(spec, values, profile), images, language)
        if options.draft:
            _watermark(canvas, width, height)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _draw(canvas: Canvas, spec: FieldSpec, value: str, images: Mapping[str, Image.Image],
          language: str) -> None:  # fmt: skip
    if not value.strip():
        return
    if spec.kind is FieldKind.IMAGE:
        picture = images.get(value)
        if picture is not None:
            _draw_image(canvas, spec, picture)
        return
    fitted = layout(display_text(spec, value, language), spec)
    if fitted is None:  # refused by validation; never drawn outside the box
        return
    _draw_lines(canvas, spec, fitted, spec.style.colour)


def _draw_lines(canvas: Canvas, spec: FieldSpec, fitted: Layout, colour: str) -> None:
    box, style = spec.placement, spec.style
    canvas.setFillColor(HexColor(colour))
    canvas.setFont(font_name(style.font), fitted.size)
    first = first_baseline(fitted, spec)
    for index, line in enumerate(fitted.lines):
        baseline = first - index * fitted.size * style.leading
        # Placed by the line's ink, not its advance: layout() made room for both.
        left, right = (side * fitted.size for side in overhang(line, style.font))
        if style.align is Align.LEFT:
            canvas.drawString(box.x + left, baseline, line)
        elif style.align is Align.CENTER:
            canvas.drawCentredString(box.x + (box.width + left - right) / 2, baseline, line)
        else:
            canvas.drawRightString(box.x + box.width - right, baseline, line)


GUIDE, REFUSED = "#7fa7d6", "#c0392b"


def _guide(canvas: Canvas, spec: FieldSpec, colour: str) -> None:
    """The field's box, dashed: where a value goes."""
    box = spec.placement
    canvas.saveState()
    canvas.setStrokeColor(HexColor(colour))
    canvas.setLineWidth(0.6)
    canvas.setDash(2, 2)
    canvas.rect(box.x, box.y, box.width, box.height, stroke=1, fill=0)
    canvas.restoreState()


def _draw_refused(canvas: Canvas, spec: FieldSpec, value: str, language: str) -> None:
    """A refused value as typed, in red, cut at the box: the rep sees what the form's
    message is about instead of the default. Text that cannot be printed at all
    (control characters, missing glyphs, far too long) is left out."""
    text = display_text(spec, value, language)
    if spec.kind is FieldKind.IMAGE or not text.strip() or not printable(spec, value):
        return
    box, style = spec.placement, spec.style
    fitted = layout(text, spec)
    if fitted is None:  # too long for the box: at the smallest size, clipped
        up, down = vertical_extent(text, style.font)
        size = style.min_size
        lines = (wrap(text, style.font, size, box.width) if spec.kind is FieldKind.PARAGRAPH
                 else [text])  # fmt: skip
        fitted = Layout(size, tuple(lines), up * size, down * size)
    canvas.saveState()
    clip = canvas.beginPath()
    clip.rect(box.x, box.y, box.width, box.height)
    canvas.clipPath(clip, stroke=0, fill=0)
    _draw_lines(canvas, spec, fitted, REFUSED)
    canvas.restoreState()


def _draw_image(canvas: Canvas, spec: FieldSpec, picture: Image.Image) -> None:
    """Scaled to fit the box, aspect kept, centred."""
    box = spec.placement
    scale = min(box.width / picture.width, box.height / picture.height)
    width, height = picture.width * scale, picture.height * scale
    canvas.drawImage(ImageReader(picture), box.x + (box.width - width) / 2,
                     box.y + (box.height - height) / 2, width, height, mask="auto")  # fmt: skip


def _stamp(writer: PdfWriter, page: PageObject, overlay: PageObject, number: int) -> None:
    """Draw the overlay page over `page` as one form XObject. Unlike pypdf's `merge_page`,
    neither content stream is parsed and rewritten (that was a third of the render time);
    the base's drawing is wrapped in q/Q so its graphics state cannot leak onto ours."""
    form: Any = overlay[NameObject("/Contents")].get_object().clone(writer)  # type: ignore[union-attr]
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject(FloatObject(v) for v in overlay.mediabox),
        NameObject("/Resources"): overlay[NameObject("/Resources")].clone(writer),
    })  # fmt: skip
    name = NameObject(f"/SatchelOverlay{number}")
    resources = DictionaryObject(
        page.get(NameObject("/Resources"), DictionaryObject()).get_object()
    )
    xobjects = DictionaryObject(
        resources.get(NameObject("/XObject"), DictionaryObject()).get_object()
    )
    xobjects[name] = writer._add_object(form)
    resources[NameObject("/XObject")] = xobjects
    page[NameObject("/Resources")] = resources  # a copy: other pages may share the base's
    contents = page.get(NameObject("/Contents"))
    original = [] if contents is None else (
        list(contents.get_object()) if isinstance(contents.get_object(), ArrayObject)
        else [contents])  # fmt: skip
    page[NameObject("/Contents")] = ArrayObject([
        writer._add_object(_stream(b"q\n")), *original,
        writer._add_object(_stream(f"\nQ\nq {name} Do Q\n".encode())),
    ])  # fmt: skip


def _stream(data: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream


def _watermark(canvas: Canvas, width: float, height: float) -> None:
    canvas.saveState()
    canvas.setFillColorRGB(0.8, 0.1, 0.1, alpha=0.18)
    canvas.setFont(font_name("sans-bold"), min(width, height) / 4)
    canvas.translate(width / 2, height / 2)
    canvas.rotate(45)
    canvas.drawCentredString(0, -min(width, height) / 12, "DRAFT")
    canvas.restoreState()


def _strip_page(page: DictionaryObject) -> None:
    """Remove page actions and every annotation that could run or carry something;
    links stay only when they go to a web or mail address or within the document."""
    page.pop(NameObject("/AA"), None)
    annotations = page.get("/Annots")
    if annotations is None:
        return
    kept = ArrayObject()
    for reference in annotations.get_object():
        annotation = reference.get_object()
        if _harmless(annotation):
            annotation.pop(NameObject("/AA"), None)
            kept.append(reference)
    if kept:
        page[NameObject("/Annots")] = kept
    else:
        page.pop(NameObject("/Annots"), None)


def _harmless(annotation: DictionaryObject) -> bool:
    subtype = annotation.get("/Subtype")
    if subtype in _ACTIVE_ANNOTATIONS:
        return False
    action = annotation.get("/A")
    if action is None:
        return subtype != "/Link" or "/Dest" in annotation
    action = action.get_object()
    kind = action.get("/S")
    if kind == "/URI":
        target = str(action.get("/URI", "")).strip().lower()
        return target.startswith(_SAFE_LINK_SCHEMES)
    return kind == "/GoTo"


def read_provenance(pdf: bytes) -> dict[str, str]:
    """The Satchel metadata of a PDF (empty if there is none or it cannot be read)."""
    try:
        info: Mapping[str, object] = PdfReader(io.BytesIO(pdf)).metadata or {}
    except Exception:  # noqa: BLE001 - any unreadable file simply has no provenance
        return {}
    keys = (KEY_TEMPLATE, KEY_VERSION, KEY_VALUES, KEY_REQUEST, KEY_APPROVAL, "/Title", "/Author")
    return {key: str(info.get(key, "")) for key in keys if isinstance(info.get(key, ""), str)}
