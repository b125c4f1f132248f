"""Rendered pages: golden images of the demo templates, and a property: whatever
validates is drawn inside its box."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from satchel.core.domain.templates import (
    Align,
    FieldKind,
    FieldSpec,
    Limits,
    Placement,
    Severity,
    Style,
    Template,
    VAlign,
)
from satchel.core.domain.users import Role
from satchel.core.render.pdf import render
from satchel.core.render.validate import validate
from satchel.core.services import Services
from tests.conftest import TEST_LIMITS, copy_library, open_as
from tests.core.services.test_templates import FIXED, PROFILE, QUOTE, TODAY
from tests.helpers.golden import assert_matches_golden, page_image

CASES = {
    "one-pager": ("Customer one-pager", {"customer": "Harlow Foods Ltd.",
                  "intro": "Your bottling lines lost 41 hours to unplanned stops last year. "
                           "Here is how we would cut that in half within a season."}),
    "quote": ("Price quote", {**QUOTE, "discount": "12.5"}),
    "co-branded": ("Co-branded brochure", {"customer": "Harlow Foods"}),
    "invitation": ("Event invitation", {"guest": "Dana Whitfield, Harlow Foods",
                   "event_date": "2026-12-14", "rsvp": "riley.chen@kestrel-systems.example"}),
}  # fmt: skip


@pytest.fixture(scope="module")
def library(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    root = copy_library(demo_template, tmp_path_factory.mktemp("golden"))
    with open_as(root, limits=TEST_LIMITS, clock=lambda: FIXED) as services:
        yield services


@pytest.mark.parametrize("name", sorted(CASES))
def test_rendered_pages_match_the_golden_images(library: Services, name: str) -> None:
    start, values = CASES[name]
    template = next(t for t in library.templates.list_all() if t.title.startswith(start))
    if name == "co-branded":
        values = {**values, "logo": template.field("logo").limits.image_set[0]}
    library.people.sign_in(next(u.id for u in library.people.list_all() if u.role is Role.REP))
    made, _ = library.templates.generate(template.id, values, record=False)
    assert_matches_golden(page_image(made.pdf), name)


def blank_pdf(width: float = 595, height: float = 842) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(width, height), invariant=1)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


BLANK = blank_pdf()
TEXT = st.text(
    alphabet=st.sampled_from(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?-()'&%€@/"
        "äöüßéèêçñÄÖÜÉαβγδΔΩπжзийклЖЗИЙ"
    ),
    max_size=120,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(
    value="f",
    kind=FieldKind.TEXT,
    width=40.0,
    height=13.0,
    size=12.0,
    align=Align.RIGHT,
    font="sans-italic",
    valign=VAlign.TOP,
)  # an italic f's ink pokes past its advance: found by Hypothesis
@example(value="f" * 8, kind=FieldKind.TEXT, width=40.0, height=30.0, size=24.0,
         align=Align.CENTER, font="sans-bold-italic", valign=VAlign.TOP)  # fmt: skip
@example(value="Ägypten gjq", kind=FieldKind.TEXT, width=200.0, height=14.0, size=12.0,
         align=Align.LEFT, font="sans", valign=VAlign.BOTTOM)  # fmt: skip
@given(
    value=TEXT,
    kind=st.sampled_from([FieldKind.TEXT, FieldKind.PARAGRAPH]),
    width=st.floats(min_value=40, max_value=400),
    height=st.floats(min_value=12, max_value=160),
    size=st.floats(min_value=8, max_value=24),
    align=st.sampled_from(list(Align)),
    font=st.sampled_from(["sans", "sans-bold", "sans-italic", "sans-bold-italic"]),
    valign=st.sampled_from(list(VAlign)),
)
def test_any_value_that_validates_is_drawn_inside_its_box(
    value: str, kind: FieldKind, width: float, height: float, size: float, align: Align,
    font: str, valign: VAlign,
) -> None:  # fmt: skip
    box = Placement(1, 100, 300, width, height)
    style = Style(font=font, size=size, min_size=min(size, 8), align=align, valign=valign)
    spec = FieldSpec("f", "Field", kind, box, style=style, limits=Limits())
    template = Template("t", "a", 1, "T", "0" * 64, ((595, 842),), (spec,))
    if any(i.severity is Severity.ERROR for i in validate(template, {"f": value}, PROFILE, TODAY)):
        return
    document = pdfium.PdfDocument(render(template, BLANK, {"f": value}, PROFILE, {}))
    try:
        text = document[0].get_textpage()
        slack = 0.25  # PDFium's glyph boxes and our ink measure round differently
        for index in range(text.count_chars()):
            left, bottom, right, top = text.get_charbox(index)
            if right - left <= 0:  # spaces and line ends have no ink
                continue
            assert box.x - slack <= left and right <= box.x + box.width + slack
            assert box.y - slack <= bottom and top <= box.y + box.height + slack
    finally:
        document.close()


def awkward_base() -> bytes:
    """Two pages that share one resources dictionary, the second with its drawing split
    over a content array, and the first leaving a scale in force (no q/Q around it)."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    font = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica")}))  # fmt: skip
    shared = writer._add_object(DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): font})}))  # fmt: skip

    def stream(data: bytes) -> object:
        content = DecodedStreamObject()
        content.set_data(data)
        return writer._add_object(content)

    for contents in ([b"2 0 0 2 0 0 cm BT /F1 12 Tf 40 380 Td (Base one) Tj ET"],
                     [b"BT /F1 12 Tf 80 760 Td", b"(Base two) Tj ET"]):  # fmt: skip
        page = writer.add_blank_page(595, 842)
        page[NameObject("/Resources")] = shared
        page[NameObject("/Contents")] = ArrayObject(stream(c) for c in contents)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_values_are_stamped_on_their_own_page_whatever_the_base_does() -> None:
    boxes = {1: Placement(1, 100, 600, 300, 30), 2: Placement(2, 100, 200, 300, 30)}
    specs = tuple(FieldSpec(f"p{n}", f"Page {n}", FieldKind.TEXT, box, style=Style(size=12),
                            limits=Limits()) for n, box in boxes.items())  # fmt: skip
    template = Template("t", "a", 1, "T", "0" * 64, ((595, 842),) * 2, specs)
    pdf = render(template, awkward_base(), {"p1": "Value one", "p2": "Value two"}, PROFILE, {})
    document = pdfium.PdfDocument(pdf)
    try:
        for number, words in ((1, ("Base one", "Value one")), (2, ("Base two", "Value two"))):
            text = document[number - 1].get_textpage()
            printed = text.get_text_bounded()
            assert all(w in printed for w in words)
            assert f"Value {'two' if number == 1 else 'one'}" not in printed
            start = printed.index(words[1])  # drawn where the box is: the base's scale is gone
            left, bottom, _, top = text.get_charbox(start)
            box = boxes[number]
            assert box.x - 1 <= left <= box.x + 5 and box.y <= bottom and top <= box.y + box.height
    finally:
        document.close()


def char_boxes(pdf: bytes) -> dict[str, tuple[float, float, float, float]]:
    """The first glyph box of each character on page 1 (left, bottom, right, top)."""
    document = pdfium.PdfDocument(pdf)
    try:
        text = document[0].get_textpage()
        boxes: dict[str, tuple[float, float, float, float]] = {}
        for index in range(text.count_chars()):
            boxes.setdefault(text.get_text_range(index, 1), text.get_charbox(index))
        return boxes
    finally:
        document.close()


@pytest.mark.parametrize("valign", list(VAlign))
def test_vertical_alignment_places_the_line(valign: VAlign) -> None:
    box = Placement(1, 100, 300, 300, 40)
    descent = 0.240234375 * 12  # DejaVu's, at 12 pt

    def bottom_of_m(value: str) -> float:
        spec = FieldSpec("f", "Field", FieldKind.TEXT, box,
                         style=Style(size=12, min_size=12, valign=valign))  # fmt: skip
        template = Template("t", "a", 1, "T", "0" * 64, ((595, 842),), (spec,))
        return char_boxes(render(template, BLANK, {"f": value}, PROFILE, {}))["M"][1]

    plain, deep = bottom_of_m("Müller"), bottom_of_m("My gjpq")  # "M" sits on the baseline
    expected = {
        VAlign.TOP: box.y + box.height - 0.76 * 12,  # the font's ascent below the top
        VAlign.MIDDLE: box.y + (box.height - 12) / 2 + descent,
        VAlign.BASELINE: box.y + descent,
        VAlign.BOTTOM: None,
    }[valign]
    if expected is not None:
        assert abs(plain - expected) < 0.5 and abs(deep - expected) < 0.5  # one line for all
    else:  # on the edge by its own ink: no descenders, lower; with them, on the baseline
        assert abs(plain - box.y) < 0.5 and abs(deep - (box.y + descent)) < 1.0


def test_the_preview_shows_guides_and_a_refused_value_in_red_and_the_output_neither(
    library: Services,
) -> None:  # fmt: skip
    quote = next(t for t in library.templates.list_all() if t.title.startswith("Price quote"))
    library.people.sign_in(next(u.id for u in library.people.list_all() if u.role is Role.REP))
    discount = quote.field("discount").placement
    px = 900 / 842  # the preview's scale: its longer side is 900 px

    def inside(image: Image.Image, place: Placement, inset: float) -> list[tuple[int, ...]]:
        left, right = int((place.x + inset) * px), int((place.x + place.width - inset) * px)
        top = int((842 - place.y - place.height + inset) * px)
        bottom = int((842 - place.y - inset) * px)
        return [image.getpixel((x, y)) for x in range(left, right) for y in range(top, bottom)]

    def red(pixels: list[tuple[int, ...]]) -> int:
        return sum(1 for r, g, b, *_ in pixels if r > 150 and g < 110 and b < 110)

    def preview(values: dict[str, str]) -> Image.Image:
        png = library.templates.preview(quote, values, 900)
        return Image.open(io.BytesIO(png)).convert("RGB")

    typed = preview({**QUOTE, "discount": "40"})  # above the 15 % limit: refused
    assert red(inside(typed, discount, 1.5)) > 20  # "40 %" in red where it would print
    fine = preview({**QUOTE, "discount": "5"})
    assert red(inside(fine, discount, 1.5)) == 0
    edge = inside(fine, discount, -0.5)  # the dashed guide around the box
    assert any(b > r + 40 for r, _g, b, *_ in edge)
    assert preview({**QUOTE, "discount": "4\x00\u202e0"}).size == typed.size  # drawn, not sent

    made, _ = library.templates.generate(quote.id, {**QUOTE, "discount": "5"}, record=False)
    page = pdfium.PdfDocument(made.pdf)[0].render(scale=px).to_pil().convert("RGB")
    assert not any(b > r + 40 for r, _g, b, *_ in inside(page, discount, -0.5))  # no guide
