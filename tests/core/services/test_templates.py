"""Templates: validation rules, rendering read back, sanitizing, provenance, versions."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from satchel.core.domain.templates import (
    FieldKind,
    FieldSpec,
    Limits,
    Placement,
    Policy,
    Severity,
    Style,
    Template,
    fields_from_json,
    limits_for,
    suggested_file_name,
)
from satchel.core.domain.users import Profile, Role
from satchel.core.errors import ValidationError
from satchel.core.render.fonts import text_width
from satchel.core.render.validate import check_field, validate
from satchel.core.services import Services
from tests.conftest import TEST_LIMITS, open_as
from tests.helpers import files

TODAY = dt.date(2026, 11, 23)
X_AT_MIN = int(200 // text_width("x", "sans", 8))  # "x"s that fit a 200 pt box at 8 pt
FIXED = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
PROFILE = Profile("u1", "Riley Chen", "riley@example.com", Role.REP, "Account Executive",
                  "+1 412 555 0142", "Midwest")  # fmt: skip


def spec(kind: FieldKind = FieldKind.TEXT, width: float = 200, height: float = 20,
         policy: Policy = Policy.SELF_SERVICE, default: str = "", **limits: object) -> FieldSpec:  # fmt: skip
    return FieldSpec("f", "Customer", kind, Placement(1, 50, 700, width, height), policy,
                     default, style=Style(size=12, min_size=8),
                     limits=Limits(**limits))  # type: ignore[arg-type]  # fmt: skip


def issues(field: FieldSpec, value: str | None) -> list[tuple[Severity, str]]:
    values = {} if value is None else {"f": value}
    return [(i.severity, i.message) for i in check_field(field, values, PROFILE, TODAY)]


# --- validation: each limit says what is wrong in words -----------------------------


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        (spec(required=True), "  ", "Customer is required."),
        (spec(max_chars=5), "Harlow", "Customer allows 5 characters; remove 1."),
        (spec(min_words=2), "Harlow", "Customer needs at least 2 words."),
        (spec(pattern=r"Q-\d{4}", pattern_message="Write it as Q-NNNN."), "Q12", "Write it as Q-NNNN."),
        (spec(FieldKind.CHOICE, choices=("A", "B")), "C", "Choose one of: A, B."),
        (spec(FieldKind.NUMBER, minimum=0, maximum=10), "11", "Customer cannot be above 10."),
        (spec(FieldKind.NUMBER, step=0.5), "1.2", "Customer goes in steps of 0.5."),
        (spec(FieldKind.NUMBER), "lots", "Customer must be a number."),
        (spec(FieldKind.DATE, date_min_days=7), "2026-11-25", "Customer must be on or after 2026-11-30."),
        (spec(FieldKind.DATE, date_max_days=90), "2027-06-01", "Customer must be on or before 2027-02-21."),
        (spec(FieldKind.DATE), "next week", "Write the date as YYYY-MM-DD, e.g. 2026-12-07."),
        (spec(FieldKind.EMAIL), "riley at example", "“riley at example” is not an email address."),
        (spec(FieldKind.PHONE), "call me", "A phone number may hold digits, spaces and + ( ) . / - only."),
        (spec(FieldKind.URL), "javascript:alert(1)", "A web address must start with http:// or https:// and name a site."),
        (spec(banned_terms=("cheapest",)), "The CHÉAPEST gateway", "“cheapest” may not be used here."),
        (spec(FieldKind.IMAGE, image_set=("a1",)), "../../etc/passwd", "Choose customer from the approved images."),
        (spec(), "x" * 60, f"Too long for the box: shorten by about {60 - X_AT_MIN} characters."),
        (spec(), "Grüße 😀", "The font has no “😀”; these characters cannot be printed."),
        (spec(), "line\nbreak", "Customer cannot hold line breaks."),
        (spec(policy=Policy.LOCKED, default="Kestrel"), "Other", "Customer is set by marketing and cannot be changed."),
    ],
)  # fmt: skip
def test_each_limit_refuses_with_a_sentence(field: FieldSpec, value: str, expected: str) -> None:
    assert issues(field, value) == [(Severity.ERROR, expected)]


def test_the_self_service_envelope_needs_approval_between_envelope_and_limit() -> None:
    discount = spec(FieldKind.PERCENT, minimum=0, maximum=15, envelope_max=10)
    assert issues(discount, "10") == []
    assert issues(discount, "12.5") == [
        (Severity.NEEDS_APPROVAL, "Customer above 10 % needs marketing approval.")
    ]
    assert issues(discount, "16") == [(Severity.ERROR, "Customer cannot be above 15 %.")]


def test_approval_fields_need_approval_only_when_changed() -> None:
    headline = spec(policy=Policy.APPROVAL, default="Catch failures early")
    assert issues(headline, None) == []
    assert issues(headline, "Catch failures early") == []
    assert issues(headline, "Never fail again") == [
        (Severity.NEEDS_APPROVAL, "Changing customer needs marketing approval.")
    ]


def test_banned_terms_match_whole_words_only() -> None:
    field = spec(banned_terms=("free",))
    assert issues(field, "Freedom of choice") == []
    assert issues(field, "Install for FREE!")[0][0] is Severity.ERROR


def test_unknown_fields_and_bad_specs_are_refused() -> None:
    template = Template("t", "a", 1, "T", "0" * 64, ((595, 842),), (spec(),))
    assert [i.message for i in validate(template, {"nope": "x"}, PROFILE, TODAY)] == [
        "This template has no field “nope”."
    ]
    with pytest.raises(ValidationError) as caught:
        fields_from_json([
            {"key": "Bad Key", "label": "x", "kind": "text",
             "placement": {"page": 1, "x": 0, "y": 0, "width": 0, "height": 10}},
            {"key": "c", "label": "c", "kind": "choice",
             "placement": {"page": 1, "x": 0, "y": 0, "width": 10, "height": 10}},
        ])  # fmt: skip
    text = " ".join(caught.value.problems)
    assert "a key is 1–40 lower-case" in text and "positive size" in text
    assert "needs its choices" in text
    with pytest.raises(ValidationError) as caught:
        fields_from_json([{"key": "a", "label": "a", "kind": "txt",
                           "placement": {"page": 1, "x": 0, "y": 0, "width": 9, "height": 9}},
                          {"key": "b", "label": "b", "kind": "text", "style": {"valign": "up"},
                           "placement": {"page": 1, "x": 0, "y": 0, "width": 9, "height": 9}}])  # fmt: skip
    assert caught.value.problems == [
        "Field 1: the kind “txt” is not one of: text, paragraph, choice, number, percent, "
        "currency, date, email, phone, url, image, profile, computed.",
        "Field 2: the vertical alignment “up” is not one of: top, middle, baseline, bottom.",
    ]


def test_the_suggested_file_name_says_what_and_for_whom() -> None:
    number = FieldSpec("quote_number", "Quote number", FieldKind.TEXT, Placement(1, 0, 0, 9, 9),
                       limits=Limits(required=True, pattern=r"Q-\d+"))  # fmt: skip
    customer = FieldSpec("customer", "Customer", FieldKind.TEXT, Placement(1, 0, 0, 9, 9),
                         limits=Limits(required=True))  # fmt: skip
    note = FieldSpec("note", "Note", FieldKind.PARAGRAPH, Placement(1, 0, 0, 9, 9))
    quote = Template("t", "a", 1, "Price quote (template)", "0" * 64, ((595, 842),),
                     (customer, number, note))  # fmt: skip
    values = {"customer": "Müller Getränke", "quote_number": "Q-2026-0042", "note": "x"}
    assert suggested_file_name(quote, values) == "Price quote Q-2026-0042 Müller Getränke.pdf"
    hostile = {"customer": 'A/B: "C"?\x00 <D>|*', "quote_number": "..\\.."}
    assert suggested_file_name(quote, hostile) == "Price quote A B C D.pdf"
    assert suggested_file_name(quote, {"customer": "x" * 500}).endswith("x.pdf")
    assert len(suggested_file_name(quote, {"customer": "x" * 500})) == 124


def test_limits_follow_the_kind() -> None:
    assert "max_chars" in limits_for(FieldKind.TEXT) and "minimum" not in limits_for(FieldKind.TEXT)
    assert "envelope_max" in limits_for(FieldKind.PERCENT)
    assert "max_chars" not in limits_for(FieldKind.PERCENT)
    assert set(limits_for(FieldKind.DATE)) >= {"date_min_days", "date_max_days"}
    assert "image_set" in limits_for(FieldKind.IMAGE) and "required" not in limits_for(
        FieldKind.PROFILE
    )


# --- rendering, against the demo templates -----------------------------------------


@pytest.fixture
def demo(demo_dir: Path) -> Iterator[Services]:
    with open_as(demo_dir, limits=TEST_LIMITS, workers=1, clock=lambda: FIXED) as services:
        services.people.sign_in(
            rep_id(services)
        )  # the person customizing; publishing signs in a marketer
        yield services


def template_named(services: Services, start: str) -> Template:
    return next(t for t in services.templates.list_all() if t.title.startswith(start))


def rep_id(services: Services) -> str:
    return next(u.id for u in services.people.list_all() if u.role is Role.REP)


QUOTE = {"customer": "Harlow Foods Ltd.", "quote_number": "Q-2026-0042", "qty_0": "4",
         "qty_1": "120", "discount": "7.5", "valid_until": "2026-12-23",
         "note": "Includes commissioning and a two-day training."}  # fmt: skip


def text_of(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_rendered_values_read_back_and_are_recorded(demo: Services) -> None:
    quote = template_named(demo, "Price quote")
    made, _ = demo.templates.generate(quote.id, QUOTE)
    assert not made.draft
    text = text_of(made.pdf)
    for expected in ("Harlow Foods Ltd.", "Q-2026-0042", "7.5%", "December 23, 2026",
                     "Includes commissioning and a two-day training.",
                     "$6,360.00", "$23,880.00", "$30,240.00", "$2,268.00", "$27,972.00"):  # fmt: skip
        assert expected in text
    assert "DRAFT" not in text
    info = PdfReader(io.BytesIO(made.pdf)).metadata
    assert info is not None
    assert info["/SatchelTemplate"] == quote.id and info["/Author"] == "Riley Chen"
    assert demo._ctx.library.blobs.path_for(made.sha256).read_bytes() == made.pdf
    assert demo.templates.verify(made.pdf).genuine


def test_profile_fields_come_from_the_reps_profile(demo: Services) -> None:
    one_pager = template_named(demo, "Customer one-pager")
    made, _ = demo.templates.generate(one_pager.id, {"customer": "Brauerei Lenz"})
    text = text_of(made.pdf)
    assert "Riley Chen" in text and "Account Executive" in text and "+1 412 555 0142" in text
    with pytest.raises(ValidationError, match="comes from your profile"):
        demo.templates.generate(one_pager.id, {"customer": "X", "rep_name": "Somebody Else"})


def test_a_field_can_be_prefilled_from_the_profile_and_changed(demo: Services) -> None:
    invitation = template_named(demo, "Event invitation")
    values = {"guest": "Dana Whitfield", "event_date": "2026-12-14"}
    made, _ = demo.templates.generate(invitation.id, values)
    assert "riley.chen@kestrel-systems.example" in text_of(made.pdf)  # the rep's own address
    made, _ = demo.templates.generate(invitation.id, {**values, "rsvp": "events@example.com"})
    assert "events@example.com" in text_of(made.pdf)


def test_values_needing_approval_make_a_watermarked_draft(demo: Services) -> None:
    quote = template_named(demo, "Price quote")
    made, _ = demo.templates.generate(quote.id, {**QUOTE, "discount": "12.5"})
    assert made.draft
    assert [i.message for i in made.issues] == ["Discount above 10 % needs marketing approval."]
    assert "DRAFT" in text_of(made.pdf)
    assert demo.templates.verify(made.pdf).draft


def test_refused_values_make_nothing(demo: Services) -> None:
    quote = template_named(demo, "Price quote")
    before = list(demo._ctx.library.blobs.iter_hashes())
    with pytest.raises(ValidationError) as caught:
        demo.templates.generate(quote.id, {**QUOTE, "discount": "40", "quote_number": "42"})
    assert len(caught.value.problems) == 2
    assert list(demo._ctx.library.blobs.iter_hashes()) == before


def test_verify_rejects_any_changed_byte(demo: Services, tmp_path: Path) -> None:
    made, _ = demo.templates.generate(template_named(demo, "Event invitation").id,
                         {"guest": "Dana Whitfield", "event_date": "2026-12-14",
                          "rsvp": "riley@example.com"})  # fmt: skip
    verified = demo.templates.verify(made.pdf)
    assert verified.message.startswith("Unmodified Satchel output: “Event invitation")
    assert " made by Riley Chen <riley.chen@kestrel-systems.example> on 2026-11-23 09:00 UTC." in (
        verified.message
    )
    assert verified.made_by == "Riley Chen <riley.chen@kestrel-systems.example>"
    for position in (0, len(made.pdf) // 2, len(made.pdf) - 2):
        changed = bytearray(made.pdf)
        changed[position] ^= 0x01
        result = demo.templates.verify(bytes(changed))
        assert not result.genuine
    assert not demo.templates.verify(files.pdf_bytes(1)).genuine


def test_images_come_from_the_approved_set(demo: Services) -> None:
    brochure = template_named(demo, "Co-branded brochure")
    logos = brochure.field("logo").limits.image_set
    made, _ = demo.templates.generate(brochure.id, {"customer": "Harlow Foods", "logo": logos[0]})
    page = pdfium.PdfDocument(made.pdf)[0]
    assert any(obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects())
    other_image = next(a.id for a in demo.assets.list_all() if a.metadata.title.endswith("photo"))
    with pytest.raises(ValidationError, match="approved images"):
        demo.templates.generate(brochure.id, {"customer": "Harlow Foods", "logo": other_image})


@pytest.mark.parametrize(
    "make",
    [files.pdf_with_javascript, files.pdf_with_launch_action, files.pdf_with_attachment],
    ids=["javascript", "launch", "attachment"],
)
def test_active_content_of_the_base_is_stripped(demo: Services, tmp_path: Path, make) -> None:  # type: ignore[no-untyped-def]
    marketer = next(u.id for u in demo.people.list_all() if u.role is Role.MARKETER)
    hostile = files.write(tmp_path / "hostile.pdf", make())
    demo.people.sign_in(marketer)
    report, _ = demo.assets.import_paths([hostile])
    asset_id = report.results[0].asset_id
    assert asset_id
    fields = [{"key": "customer", "label": "Customer", "kind": "text",
               "placement": {"page": 1, "x": 50, "y": 600, "width": 300, "height": 24}}]  # fmt: skip
    template, _ = demo.templates.publish(asset_id, fields, "Hostile base")
    demo.people.sign_in(rep_id(demo))
    made, _ = demo.templates.generate(template.id, {"customer": "ACME"})
    assert active_content(made.pdf) == []
    assert "ACME" in text_of(made.pdf)


def active_content(pdf: bytes) -> list[str]:
    """Scripts, actions, attachments and non-web links anywhere in a PDF."""
    found = [m.decode() for m in (b"/JavaScript", b"/Launch", b"/EmbeddedFile", b"/RichMedia")
             if m in pdf]  # fmt: skip
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    found += [key for key in ("/OpenAction", "/AA", "/AcroForm", "/Names") if key in root]
    for page in reader.pages:
        found += ["page /AA"] if "/AA" in page else []
        for annotation in page.get("/Annots", []):
            action = annotation.get_object().get("/A")
            if action is not None and action.get_object().get("/S") not in ("/URI", "/GoTo"):
                found.append(str(action.get_object().get("/S")))
    return found


def test_publishing_makes_a_new_version_and_old_ones_keep_working(demo: Services) -> None:
    marketer = next(u.id for u in demo.people.list_all() if u.role is Role.MARKETER)
    invitation = template_named(demo, "Event invitation")
    fields = [{"key": "guest", "label": "Guest", "kind": "text", "limits": {"max_chars": 20},
               "placement": {"page": 1, "x": 48, "y": 700, "width": 499, "height": 26}}]  # fmt: skip
    demo.people.sign_in(marketer)
    newer, changes = demo.templates.publish(invitation.asset_id, fields, None)
    demo.people.sign_in(rep_id(demo))
    assert changes.templates and newer.id == invitation.id and newer.version == 2
    assert template_named(demo, "Event invitation").version == 2
    values = {"guest": "Dana Whitfield of Harlow Foods", "event_date": "2026-12-14",
              "rsvp": "riley@example.com"}  # fmt: skip
    with pytest.raises(ValidationError):  # v2 has no date, and a shorter guest
        demo.templates.generate(invitation.id, values)
    old, _ = demo.templates.generate(invitation.id, values, version=1)
    assert demo.templates.verify(old.pdf).version == 1


# --- hostile field values: printed literally or refused with a reason --------------

HOSTILE = [
    "<b>bold</b> <font color='red'>red</font>", "<a href='javascript:alert(1)'>x</a>",
    "<img src='/etc/passwd'/>", "<para>unclosed", "&amp; &lt; &#x41; &nbsp;",
    "Robert'); DROP TABLE assets;--", "{0} %s %(name)s ${HOME} {{7*7}}",
    "Ελληνικά και кириллица", "e\u0301te\u0301 (combining marks)", "x" * 600,
    "\x00nul", "bell\x07", "lone \ud800 surrogate", "emoji 😀", "中文标题",
    "עברית", "العربية", "zero\u200bwidth", "rlo \u202eevil", "soft\u00adhyphen",
    "\n".join(["many"] * 40), "supercalifragilisticexpialidocious" * 3,
]  # fmt: skip


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_print_literally_or_are_refused(demo: Services, value: str) -> None:
    one_pager = template_named(demo, "Customer one-pager")
    values = {"customer": "Harlow Foods", "intro": value}
    found = demo.templates.check_values(one_pager.id, values)
    errors = [i for i in found if i.severity is Severity.ERROR]
    if errors:
        assert all(i.field == "intro" and i.message.endswith(".") for i in errors)
        with pytest.raises(ValidationError):
            demo.templates.generate(one_pager.id, values, record=False)
        return
    made, _ = demo.templates.generate(one_pager.id, values, record=False)
    printed = "".join(text_of(made.pdf).split())  # line breaks may fall anywhere
    expected = "".join(unicodedata.normalize("NFC", value).split())
    assert expected in printed  # every character, none interpreted as markup
