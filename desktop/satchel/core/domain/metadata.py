"""Parsing and validating metadata edits given as text (CLI `--set`, form fields)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import re
from collections.abc import Mapping
from typing import Any

from satchel.core.domain.assets import AssetKind, AssetMetadata, AssetStatus, FunnelStage
from satchel.core.domain.text import clean_line, clean_paragraphs
from satchel.core.errors import ValidationError

MAX_TITLE = 200
MAX_SUMMARY = 2000
MAX_SHORT = 80
MAX_TAG = 40
MAX_TAGS = 30
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")

EDITABLE_FIELDS = (
    "title",
    "summary",
    "kind",
    "product",
    "audience",
    "funnel_stage",
    "region",
    "language",
    "tags",
    "owner",
    "status",
    "expires_on",
    "review_on",
)


def _choice(field: str, value: str, enum_type: type[enum.Enum]) -> object:
    try:
        return enum_type(value.strip().lower())
    except ValueError:
        allowed = ", ".join(member.value for member in enum_type)
        raise ValidationError(
            [f"“{value}” is not a valid {field}; use one of: {allowed}."]
        ) from None


def _date(field: str, value: str) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(
            [f"“{value}” is not a date for {field}; write it as YYYY-MM-DD, e.g. 2027-03-31."]
        ) from None


def parse_tags(value: str) -> tuple[str, ...]:
    """Split a comma-separated tag list; tags are lower-case, unique, in given order."""
    tags: list[str] = []
    for raw in value.split(","):
        tag = clean_line(raw, 10_000).lower()
        if not tag:
            continue
        if len(tag) > MAX_TAG:
            raise ValidationError(
                [f"The tag “{tag[:MAX_TAG]}…” is longer than {MAX_TAG} characters."]
            )
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValidationError(
            [f"An asset can have at most {MAX_TAGS} tags; {len(tags)} were given."]
        )
    return tuple(tags)


def _short(field: str, value: str, limit: int) -> str:
    cleaned = clean_line(value, 10_000)
    if len(cleaned) > limit:
        raise ValidationError(
            [f"The {field} is {len(cleaned)} characters long; the limit is {limit}."]
        )
    return cleaned


def _convert(field: str, value: str) -> object:
    match field:
        case "title":
            title = _short("title", value, MAX_TITLE)
            if not title:
                raise ValidationError(["The title cannot be empty."])
            return title
        case "summary":
            summary = clean_paragraphs(value, 100_000)
            if len(summary) > MAX_SUMMARY:
                raise ValidationError(
                    [f"The summary is {len(summary)} characters long; the limit is {MAX_SUMMARY}."]
                )
            return summary
        case "kind":
            return _choice("kind", value, AssetKind)
        case "status":
            return _choice("status", value, AssetStatus)
        case "funnel_stage":
            return _choice("funnel stage", value, FunnelStage) if value.strip() else None
        case "language":
            code = value.strip()
            if code and not _LANGUAGE.match(code):
                raise ValidationError(
                    [f"“{value}” is not a language code; use one such as en, de or pt-BR."]
                )
            return code
        case "tags":
            return parse_tags(value)
        case "expires_on" | "review_on":
            return _date(field.replace("_on", " date").replace("expires", "expiry"), value)
        case "product" | "audience" | "region" | "owner":
            return _short(field, value, MAX_SHORT)
    raise ValidationError(
        [f"“{field}” is not a metadata field; use one of: {', '.join(EDITABLE_FIELDS)}."]
    )


def apply_changes(current: AssetMetadata, changes: Mapping[str, str]) -> AssetMetadata:
    """Return `current` with the textual `changes` applied, or raise with every problem found."""
    problems: list[str] = []
    values: dict[str, Any] = {}
    for field, raw in changes.items():
        key = field.strip().lower().replace("-", "_").replace(" ", "_")
        try:
            values[key] = _convert(key, raw)
        except ValidationError as error:
            problems.extend(error.problems)
    updated = dataclasses.replace(current, **values) if not problems else current
    if (
        not problems
        and updated.expires_on
        and updated.review_on
        and updated.review_on > updated.expires_on
    ):
        problems.append("The review date must not be after the expiry date.")
    if problems:
        raise ValidationError(problems)
    return updated


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    """Parse `key=value` strings as given on the command line."""
    result: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ValidationError([f"“{pair}” is not of the form key=value."])
        result[key.strip()] = value
    return result


def as_text(metadata: AssetMetadata) -> dict[str, str]:
    """Every editable field as the text a form shows (the inverse of `apply_changes`)."""
    text: dict[str, str] = {}
    for field in EDITABLE_FIELDS:
        value = getattr(metadata, field)
        if value is None:
            text[field] = ""
        elif field == "tags":
            text[field] = ", ".join(value)
        elif isinstance(value, dt.date):
            text[field] = value.isoformat()
        else:
            text[field] = str(value)
    return text
