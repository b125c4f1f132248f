"""What the field learns besides feedback on an asset: notes on the competition, content
requests ("we need something that does not exist") with their +1s and marketing's
answer, and sales initiatives marketing should know of; and the two lists marketing
keeps for them, the competitors and the objection tags.

Each is stored like feedback (domain/feedback.py): a kind and a body, which travel
through sync as they are. A list entry or an answer is a new record naming the one it
changes (the last one counts), so no two laptops ever edit the same row. All text is
untrusted: cleaned and cut to the limits below; every problem is named at once.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from satchel.core.domain.feedback import ACCOUNT_CHARS, COMPETITOR_CHARS, NOTE_CHARS
from satchel.core.domain.text import clean_line, clean_paragraphs
from satchel.core.errors import ValidationError

SHORT_CHARS = 200  # an audience, product, region, segment, owner
ALIASES = 20  # a competitor's other names
TAG_CHARS = 60
MAX_DEALS = 10_000
SIMILAR_AT = 0.5  # share of words in common from which a request is offered for a +1


class Answer(enum.StrEnum):
    """Marketing's answer to a content request."""

    ACCEPTED = "accepted"  # with a target date and an owner
    DECLINED = "declined"  # with a reason
    FULFILLED = "fulfilled"  # by an asset; the requesters hear of it once it is published


def folded(text: str) -> str:
    """Case and accents ignored: "Acmé  Corp" and "acme corp" are one name."""
    decomposed = unicodedata.normalize("NFKD", clean_line(text, SHORT_CHARS))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
                    .split())  # fmt: skip


def _date(value: str | dt.date | None, what: str, problems: list[str],
          today: dt.date | None = None) -> str:  # fmt: skip
    if value in (None, ""):
        return ""
    if isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            problems.append(f"{what} must be a date written like 2027-03-31, not "
                            f"{clean_line(str(value), 30)!r}.")  # fmt: skip
            return ""
    if today is not None and day < today:
        problems.append(f"{what} ({day.isoformat()}) is in the past.")
        return ""
    return day.isoformat()


def _raise(problems: list[str]) -> None:
    if problems:
        raise ValidationError(problems)


# --- Competitors and their notes --------------------------------------------------------


def checked_competitor(name: str, aliases: Iterable[str] = (), notes: str = "",
                       removed: bool = False) -> dict[str, Any]:  # fmt: skip
    """An entry of marketing's competitor list (name, other names, notes)."""
    clean = clean_line(name, COMPETITOR_CHARS)
    others = [alias for alias in dict.fromkeys(clean_line(a, COMPETITOR_CHARS) for a in aliases)
              if alias and folded(alias) != folded(clean)]  # fmt: skip
    problems = [] if clean else ["Name the competitor."]
    if len(others) > ALIASES:
        problems.append(f"Give a competitor at most {ALIASES} other names.")
    _raise(problems)
    return {"key": folded(clean), "name": clean, "aliases": others,
            "notes": clean_paragraphs(notes, NOTE_CHARS), "removed": removed}  # fmt: skip


def competitor_named(name: str, competitors: Sequence[dict[str, Any]]) -> str:
    """The list's name for what a rep typed ("msft" → "Microsoft" when an alias), or the
    typed name cleaned when the list does not know it (a new name)."""
    key = folded(name)
    for entry in competitors:
        if key == entry["key"] or key in (folded(alias) for alias in entry["aliases"]):
            return str(entry["name"])
    return clean_line(name, COMPETITOR_CHARS)


def checked_note(competitor: str, claim: str, account: str = "",
                 competitors: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:  # fmt: skip
    """A field note: which competitor, what they claimed or offered, for which account."""
    name = competitor_named(competitor, competitors) if competitor.strip() else ""
    said = clean_paragraphs(claim, NOTE_CHARS)
    problems = [] if name else ["Name the competitor the note is about."]
    if not said:
        problems.append("Say what the competitor claimed or offered.")
    _raise(problems)
    return {"competitor": name, "claim": said, "account": clean_line(account, ACCOUNT_CHARS)}


def checked_triage(note_id: str, tags: Iterable[str] = (), duplicate_of: str = "",
                   counter_asset: str = "") -> dict[str, Any]:  # fmt: skip
    """Marketing's word on a note: its tags, the note it repeats, its battlecard."""
    return {"note_id": note_id, "tags": checked_tags(tags), "duplicate_of": duplicate_of,
            "counter_asset": counter_asset}  # fmt: skip


# --- Objection tags ---------------------------------------------------------------------


def checked_tags(tags: Iterable[str]) -> list[str]:
    """Tags cleaned, lower case, each once, in the order given."""
    cleaned = [clean_line(tag, TAG_CHARS).lower() for tag in tags]
    return list(dict.fromkeys(tag for tag in cleaned if tag))


def named_tags(text: str, known: Sequence[str]) -> list[str]:
    """The known tags a text names, as words ("the price was high" names "price")."""
    plain = folded(text)
    return [tag for tag in known if re.search(rf"\b{re.escape(folded(tag))}\b", plain)]


def suggested_tags(typed: str, known: Sequence[str], limit: int = 5) -> list[str]:
    """The known tags that the last word being typed begins, or that the text already
    names ("the price was" → "price"): offered as the rep types."""
    words = folded(typed).split()
    last = words[-1] if words and not typed.endswith(" ") else ""
    named = named_tags(typed, known)
    started = [tag for tag in known if last and folded(tag).startswith(last) and tag not in named]
    return (named + started)[:limit]


# --- Content requests -------------------------------------------------------------------


def checked_ask(need: str, audience: str = "", product: str = "", language: str = "",
                region: str = "", by: str | dt.date | None = None, account: str = "",
                deals: int | str | None = None,
                today: dt.date | None = None) -> dict[str, Any]:  # fmt: skip
    """A content request: what is needed, for whom, by when, and how many deals wait."""
    problems: list[str] = []
    what = clean_paragraphs(need, NOTE_CHARS)
    if not what:
        problems.append("Say what collateral is needed.")
    needed_by = _date(by, "The date it is needed by", problems, today)
    count = _deals(deals, problems)
    _raise(problems)
    return {"need": what, "audience": clean_line(audience, SHORT_CHARS),
            "product": clean_line(product, SHORT_CHARS),
            "language": clean_line(language, 20).lower(),
            "region": clean_line(region, SHORT_CHARS), "by": needed_by,
            "account": clean_line(account, ACCOUNT_CHARS), "deals": count}  # fmt: skip


def _deals(deals: int | str | None, problems: list[str]) -> int:
    if deals in (None, ""):
        return 0
    try:
        count = int(str(deals).strip())
    except ValueError:
        count = -1
    if not 0 <= count <= MAX_DEALS:
        problems.append(f"The deals it affects must be a whole number from 0 to {MAX_DEALS:,}, "
                        f"not {clean_line(str(deals), 20)!r}.")  # fmt: skip
    return count


def checked_vote(ask_id: str, account: str = "", deals: int | str | None = None) -> dict[str, Any]:
    """A "+1" on someone's request instead of a duplicate: my account and deals too."""
    problems: list[str] = []
    count = _deals(deals, problems)
    _raise(problems)
    return {"ask_id": ask_id, "account": clean_line(account, ACCOUNT_CHARS), "deals": count}


def checked_answer(ask_id: str, answer: str | Answer, target: str | dt.date | None = None,
                   owner: str = "", reason: str = "", asset_id: str = "",
                   today: dt.date | None = None) -> dict[str, Any]:  # fmt: skip
    """Marketing's answer: accepted with a target date and an owner, declined with a
    reason, or fulfilled by an asset."""
    problems: list[str] = []
    text = str(answer).strip().lower()
    chosen = next((member for member in Answer if member.value == text), None)
    if chosen is None:
        problems.append(f"The answer must be one of {', '.join(a.value for a in Answer)}, "
                        f"not {clean_line(text, 30)!r}.")  # fmt: skip
    day = _date(target, "The target date", problems, today)
    who, why = clean_line(owner, SHORT_CHARS), clean_paragraphs(reason, NOTE_CHARS)
    if chosen is Answer.ACCEPTED and not (day and who):
        problems.append("Give an accepted request a target date and an owner.")
    if chosen is Answer.DECLINED and not why:
        problems.append("Say why the request is declined; the rep reads it.")
    if chosen is Answer.FULFILLED and not asset_id:
        problems.append("Name the asset that fulfils the request.")
    _raise(problems)
    return {"ask_id": ask_id, "answer": str(chosen), "target": day, "owner": who,
            "reason": why, "asset_id": asset_id}  # fmt: skip


_WORD = re.compile(r"\w+")
_COMMON = frozenset(["a", "an", "and", "the", "for", "of", "to", "in", "on", "with", "about", "we", "need", "our", "new", "some", "any", "that", "this", "is", "are", "be", "it", "de", "la", "el", "en", "y", "para", "un", "una", "der", "die", "das", "und", "für", "ein", "eine", "mit"])  # fmt: skip


def ask_words(text: str) -> frozenset[str]:
    """The words that say what a request is about (case, accents, plurals and common
    words ignored), to find the same request filed before."""
    words = (word.rstrip("s") if len(word) > 3 else word
             for word in _WORD.findall(folded(text)) if word not in _COMMON)  # fmt: skip
    return frozenset(words)


def likeness(a: frozenset[str], b: frozenset[str]) -> float:
    """Words in common over the words of the shorter request (0 to 1)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


# --- Sales initiatives ------------------------------------------------------------------


def checked_initiative(what: str, starts: str | dt.date | None = None,
                       ends: str | dt.date | None = None, segment: str = "",
                       collateral: str = "") -> dict[str, Any]:  # fmt: skip
    """A push marketing should know of: what, when, for which segment or accounts, and
    the collateral it needs."""
    problems: list[str] = []
    said = clean_paragraphs(what, NOTE_CHARS)
    if not said:
        problems.append("Say what the initiative is.")
    first, last = _date(starts, "The start", problems), _date(ends, "The end", problems)
    if first and last and last < first:
        problems.append("The initiative ends before it starts.")
    _raise(problems)
    return {"what": said, "starts": first, "ends": last,
            "segment": clean_line(segment, SHORT_CHARS),
            "collateral": clean_paragraphs(collateral, NOTE_CHARS)}  # fmt: skip
