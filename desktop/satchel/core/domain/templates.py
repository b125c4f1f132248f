"""Templates: a base PDF plus field specs saying what a rep may change, and within what."""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

from satchel.core.domain.formula import FormulaError
from satchel.core.domain.formula import order as formula_order
from satchel.core.domain.formula import parse as parse_formula
from satchel.core.errors import ValidationError


class FieldKind(enum.StrEnum):
    """What a field holds (decides its checks and how it is drawn)."""

    TEXT = "text"
    PARAGRAPH = "paragraph"
    CHOICE = "choice"
    NUMBER = "number"
    PERCENT = "percent"
    CURRENCY = "currency"
    DATE = "date"
    EMAIL = "email"
    PHONE = "phone"
    URL = "url"
    IMAGE = "image"  # an image asset from an approved set
    PROFILE = "profile"  # filled from the rep's profile
    COMPUTED = "computed"  # a formula over other numeric fields; nobody types it


class Policy(enum.StrEnum):
    """Who may change a field."""

    LOCKED = "locked"  # shown, never editable
    SELF_SERVICE = "self_service"  # the rep, within the limits
    APPROVAL = "approval"  # any change from the default needs a marketer's decision


class Severity(enum.StrEnum):
    ERROR = "error"  # refused: the document cannot be made with this value
    NEEDS_APPROVAL = "needs_approval"  # allowed as a draft until marketing approves


class Align(enum.StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


class VAlign(enum.StrEnum):
    """Where the lines sit in the box's height."""

    TOP = "top"  # the first line's ink at the top edge
    MIDDLE = "middle"  # the lines centred
    BASELINE = "baseline"  # the last line on the box's baseline, the font's descent up
    BOTTOM = "bottom"  # the last line's ink on the bottom edge


NUMERIC_KINDS = (FieldKind.NUMBER, FieldKind.PERCENT, FieldKind.CURRENCY)
NUMBER_FORMATS = ("number", "currency", "percent")  # how a computed value is written
TEXT_KINDS = (FieldKind.TEXT, FieldKind.PARAGRAPH, FieldKind.EMAIL, FieldKind.PHONE,
              FieldKind.URL, FieldKind.PROFILE, FieldKind.CHOICE, FieldKind.DATE)  # fmt: skip
PROFILE_FIELDS = ("name", "title", "email", "phone", "territory")
FONTS = ("sans", "sans-bold", "sans-italic", "sans-bold-italic")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class Placement:
    """Where a field goes: page (1-based) and a box in PDF points from the bottom left."""

    page: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Style:
    """How a value is drawn. `min_size` is how far shrink-to-fit may go."""

    font: str = "sans"
    size: float = 11
    min_size: float = 8
    colour: str = "#1a1a1a"
    align: Align = Align.LEFT
    valign: VAlign = VAlign.TOP
    leading: float = 1.25  # line height as a multiple of the font size


@dataclass(frozen=True)
class Limits:
    """Everything a value must satisfy; None or empty means no such limit."""

    required: bool = False
    min_chars: int | None = None
    max_chars: int | None = None
    min_words: int | None = None
    max_words: int | None = None
    max_lines: int | None = None
    fit: bool = True  # must fit its box at the minimum font size
    pattern: str | None = None
    pattern_message: str = ""
    choices: tuple[str, ...] = ()
    minimum: float | None = None  # hard limits: beyond them a value is refused
    maximum: float | None = None
    step: float | None = None
    envelope_min: float | None = None  # self-service envelope inside the hard limits
    envelope_max: float | None = None
    date_min_days: int | None = None  # date window relative to today
    date_max_days: int | None = None
    banned_terms: tuple[str, ...] = ()
    image_set: tuple[str, ...] = ()  # asset ids of the approved images


TEXT_LIMITS = ("min_chars", "max_chars", "min_words", "max_words", "max_lines", "fit", "pattern",
               "pattern_message", "banned_terms")  # fmt: skip
NUMBER_LIMITS = ("minimum", "maximum", "step", "envelope_min", "envelope_max")
DATE_LIMITS = ("date_min_days", "date_max_days")


def limits_for(kind: FieldKind) -> tuple[str, ...]:
    """The limits that mean something for a kind (the designer shows only these, and
    a field keeps only these when its kind changes)."""
    if kind in NUMERIC_KINDS:
        return ("required", "fit", *NUMBER_LIMITS)
    return {
        FieldKind.DATE: ("required", "fit", *DATE_LIMITS),
        FieldKind.CHOICE: ("required", "fit", "choices"),
        FieldKind.IMAGE: ("required", "image_set"),
        FieldKind.PROFILE: ("fit",),  # from the profile: nothing for the rep to meet
        # Computed: hard limits refuse, the envelope asks for approval (a large total
        # discount); no step, since a formula's result is not typed.
        FieldKind.COMPUTED: ("fit", "minimum", "maximum", "envelope_min", "envelope_max"),
    }.get(kind, ("required", *TEXT_LIMITS))


@dataclass(frozen=True)
class FieldSpec:
    """One modifiable (or visibly locked) value on the template."""

    key: str
    label: str
    kind: FieldKind
    placement: Placement
    policy: Policy = Policy.SELF_SERVICE
    default: str = ""
    help: str = ""
    style: Style = field(default_factory=Style)
    limits: Limits = field(default_factory=Limits)
    profile_field: str = ""  # which profile field fills it (kind profile) or prefills it
    currency: str = "EUR"  # for kind currency, and computed amounts of money
    formula: str = ""  # kind computed: e.g. "round(subtotal * discount / 100, 2)"
    number_format: str = "number"  # kind computed: number, currency or percent


@dataclass(frozen=True)
class Template:
    """One published version of a template."""

    id: str
    asset_id: str
    version: int
    title: str
    base_sha256: str  # the base PDF (an asset version's blob)
    page_sizes: tuple[tuple[float, float], ...]
    fields: tuple[FieldSpec, ...]
    language: str = ""  # the base asset's (en, de, es): how numbers and dates are written

    def field(self, key: str) -> FieldSpec:
        return next(f for f in self.fields if f.key == key)


@dataclass(frozen=True)
class FieldIssue:
    """A problem with one value, in a sentence a rep understands."""

    field: str
    severity: Severity
    message: str


def fields_to_json(fields: tuple[FieldSpec, ...]) -> list[dict[str, Any]]:
    """Field specs as plain JSON values (stored with each template version)."""
    return [asdict(spec) for spec in fields]


def fields_from_json(data: object) -> tuple[FieldSpec, ...]:
    """Parse and check field specs; every problem is listed in one ValidationError."""
    if not isinstance(data, list):
        raise ValidationError(["The fields must be a list."])
    specs, problems, keys = [], [], set()
    for number, item in enumerate(data, start=1):
        try:
            spec = _field_from(item)
        except (TypeError, ValueError, KeyError) as error:
            problems.append(f"Field {number}: {error}.")
            continue
        if spec.key in keys:
            problems.append(f"Field {number}: the key {spec.key!r} is used twice.")
        keys.add(spec.key)
        problems += [f"Field {spec.key!r}: {p}" for p in check_spec(spec)]
        specs.append(spec)
    if not problems:
        problems = check_formulas(specs)
    if problems:
        raise ValidationError(problems)
    return tuple(specs)


def check_formulas(specs: Sequence[FieldSpec]) -> list[str]:
    """Each computed field reads only numeric or computed fields, and no formula
    reads itself round a circle."""
    numeric = {s.key for s in specs if s.kind in NUMERIC_KINDS or s.kind is FieldKind.COMPUTED}
    formulas, problems = {}, []
    for spec in specs:
        if spec.kind is not FieldKind.COMPUTED:
            continue
        formulas[spec.key] = formula = parse_formula(spec.formula)
        for name in sorted(formula.names - numeric):
            problems.append(f"Field {spec.key!r}: the formula reads “{name}”, which is not a "
                            "number, percent, amount or computed field of this template.")  # fmt: skip
    if not problems:
        try:
            formula_order(formulas)
        except FormulaError as error:
            problems.append(f"The formulas cannot be computed: {error}.")
    return problems


def _field_from(item: object) -> FieldSpec:
    if not isinstance(item, Mapping):
        raise TypeError("each field must be an object")
    data = dict(item)
    style_data = dict(data.pop("style", None) or {})
    for name, choices, what in (("align", Align, "the alignment"),
                                ("valign", VAlign, "the vertical alignment")):  # fmt: skip
        if name in style_data:
            style_data[name] = _one_of(choices, style_data[name], what)
    style = Style(**style_data)
    limits_data = dict(data.pop("limits", {}) or {})
    for name in ("choices", "banned_terms", "image_set"):
        if name in limits_data:
            limits_data[name] = tuple(str(v) for v in limits_data[name])
    return FieldSpec(
        key=str(data.pop("key")),
        label=str(data.pop("label")),
        kind=_one_of(FieldKind, data.pop("kind"), "the kind"),
        placement=Placement(**data.pop("placement")),
        policy=_one_of(Policy, data.pop("policy", "self_service"), "the policy"),
        style=style,
        limits=Limits(**limits_data),
        **{k: str(v) for k, v in data.items()},
    )


E = TypeVar("E", bound=enum.StrEnum)


def _one_of(choices: type[E], value: object, what: str) -> E:
    try:
        return choices(str(value))
    except ValueError:
        allowed = ", ".join(c.value for c in choices)
        raise ValueError(f"{what} “{value}” is not one of: {allowed}") from None


def check_spec(spec: FieldSpec) -> list[str]:
    """Problems with a field spec itself (what a marketer set up)."""
    problems = []
    box, style, limits = spec.placement, spec.style, spec.limits
    if not _KEY.match(spec.key):
        problems.append("a key is 1–40 lower-case letters, digits or _, starting with a letter.")
    if box.page < 1 or box.width <= 0 or box.height <= 0 or box.x < 0 or box.y < 0:
        problems.append("the box must be on a page and have a positive size.")
    if style.font not in FONTS:
        problems.append(f"the font must be one of {', '.join(FONTS)}.")
    if not (4 <= style.min_size <= style.size <= 96):
        problems.append("font sizes must satisfy 4 ≤ minimum ≤ size ≤ 96.")
    if not (1.2 <= style.leading <= 3):  # below 1.2, DejaVu's descenders leave the box
        problems.append("the line height must be between 1.2 and 3 times the font size.")
    if not _COLOUR.match(style.colour):
        problems.append("the colour must be written #rrggbb.")
    if spec.kind is FieldKind.CHOICE and not limits.choices:
        problems.append("a choice field needs its choices.")
    if spec.kind is FieldKind.IMAGE and not limits.image_set:
        problems.append("an image field needs its approved images.")
    if spec.kind is FieldKind.COMPUTED:
        try:
            parse_formula(spec.formula)
        except FormulaError as error:
            problems.append(f"{error}.")
        if spec.number_format not in NUMBER_FORMATS:
            problems.append(f"a computed value is written as one of {', '.join(NUMBER_FORMATS)}.")
    if spec.kind is FieldKind.PROFILE and spec.profile_field not in PROFILE_FIELDS:
        problems.append(f"a profile field takes one of {', '.join(PROFILE_FIELDS)}.")
    elif spec.profile_field and spec.profile_field not in PROFILE_FIELDS:
        problems.append(f"a field filled from the profile takes one of "
                        f"{', '.join(PROFILE_FIELDS)}.")  # fmt: skip
    if limits.pattern is not None:
        try:
            re.compile(limits.pattern)
        except re.error as error:
            problems.append(f"the pattern is not a valid regular expression ({error}).")
    low, high = limits.minimum, limits.maximum
    if low is not None and high is not None and low > high:
        problems.append("the minimum is above the maximum.")
    for bound in (limits.envelope_min, limits.envelope_max):
        if bound is not None and ((low is not None and bound < low) or
                                  (high is not None and bound > high)):  # fmt: skip
            problems.append("the self-service envelope must lie inside the hard limits.")
            break
    return problems


_NOT_IN_FILE_NAMES = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


def identifying_values(template: Template, values: Mapping[str, str]) -> list[str]:
    """The one-line values a rep must fill in, patterned ones (a quote number) first:
    what tells one document of a template from another ("Q-2026-0042", "Müller")."""
    wanted = [f for f in template.fields if f.limits.required and f.policy is not Policy.LOCKED
              and f.kind in (FieldKind.TEXT, FieldKind.CHOICE)]  # fmt: skip
    wanted.sort(key=lambda f: f.limits.pattern is None)  # stable: form order otherwise
    return [str(values.get(f.key, "")) for f in wanted[:3] if str(values.get(f.key, ""))]


def suggested_file_name(template: Template, values: Mapping[str, str]) -> str:
    """A name for the generated PDF that says what it is and for whom: the template's
    title without "(template)", then its identifying values —
    "Price quote Q-2026-0042 Müller Getränke.pdf"."""
    parts = [template.title.split(" (")[0], *identifying_values(template, values)]
    name = " ".join(_NOT_IN_FILE_NAMES.sub(" ", part).strip(" .") for part in parts)
    name = " ".join(name.split())[:120].strip(" .") or "Document"
    return f"{name}.pdf"
