"""What the field tells marketing: feedback on an asset, and an account's outcome.

A record is stored as the hub keeps it — a kind and a JSON body — so it travels through
sync as it is. Everything in a body comes from the field and is untrusted: each text
is cleaned and cut to the limits below, and a value outside its choices is refused
with a sentence naming it.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Any

from satchel.core.domain.text import clean_line, clean_paragraphs
from satchel.core.errors import ValidationError

ACCOUNT_CHARS = 200  # an account or opportunity's name
COMPETITOR_CHARS = 100
NOTE_CHARS = 2000  # what was missing or wrong; the objections raised
STAGES = ("awareness", "consideration", "decision", "retention")


class Kind(enum.StrEnum):
    ASSET = "asset"  # feedback on one asset
    OUTCOME = "outcome"  # won / lost / … for an account (every asset used with it)
    NOTE = "note"  # a competitor's claim or offer heard in the field (domain/field.py)
    ASK = "ask"  # a content request
    VOTE = "vote"  # a "+1" on someone's content request
    INITIATIVE = "initiative"  # a sales push marketing should know of
    # Marketing's records:
    COMPETITOR = "competitor"  # an entry of the competitor list (the last per name counts)
    OBJECTION_TAG = "objection tag"  # an entry of the objection tags
    ANSWER = "answer"  # to a content request: accepted, declined, fulfilled
    TRIAGE = "triage"  # on a note: its tags, the note it repeats, its battlecard
    CAMPAIGN = "campaign"  # a launch and its collateral (domain/campaigns.py; the last counts)


SHARED = frozenset({Kind.ASK, Kind.VOTE, Kind.INITIATIVE, Kind.COMPETITOR,
                    Kind.OBJECTION_TAG, Kind.ANSWER, Kind.CAMPAIGN})  # fmt: skip
"""Kinds every person on the team reads (the rest: their writer and marketing)."""
MARKETING_KINDS = frozenset({Kind.COMPETITOR, Kind.OBJECTION_TAG, Kind.ANSWER, Kind.TRIAGE,
                             Kind.CAMPAIGN})  # fmt: skip
"""Kinds only marketers and admins write."""


class Used(enum.StrEnum):
    """Used with a customer?"""

    YES = "yes"
    NOT_YET = "not yet"
    NO = "no"


class Outcome(enum.StrEnum):
    WON = "won"
    LOST = "lost"
    NO_DECISION = "no decision"
    OPEN = "open"


@dataclass(frozen=True)
class AssetFeedback:
    """One rep's word on one asset."""

    used: Used
    account: str = ""
    stage: str = ""
    rating: int | None = None  # 1–5
    missing: str = ""  # what was missing or wrong
    objections: str = ""
    competitor: str = ""

    def body(self) -> dict[str, Any]:
        return {"used": self.used.value, "account": self.account, "stage": self.stage,
                "rating": self.rating, "missing": self.missing, "objections": self.objections,
                "competitor": self.competitor}  # fmt: skip


@dataclass(frozen=True)
class FeedbackRecord:
    """A stored record, as a list shows it."""

    id: str
    asset_id: str | None
    asset_title: str
    user_id: str
    person: str
    kind: Kind
    at: dt.datetime
    body: dict[str, Any]


def account_key(account: str) -> str:
    """Accounts are one per name whatever the case and spacing ("Northwind  foods")."""
    return clean_line(account, ACCOUNT_CHARS).casefold()


def derived_keys(body: dict[str, Any]) -> dict[str, str]:
    """The columns kept beside a body to find records by: the account, and the record
    or list entry it refers to (a +1's or an answer's request, a triage's note, a
    list entry's name). Written the same on the laptop that made it and on those that
    receive it."""
    ref = body.get("ask_id") or body.get("note_id") or body.get("key") or ""
    return {"account_key": account_key(str(body.get("account") or "")),
            "ref_key": clean_line(str(ref), ACCOUNT_CHARS)}  # fmt: skip


def _choice(enum_type: type[enum.StrEnum], value: str | enum.StrEnum, what: str,
            problems: list[str]) -> Any:  # fmt: skip
    text = str(value).strip().lower().replace("-", " ").replace("_", " ")
    for member in enum_type:
        if member.value == text:
            return member
    choices = ", ".join(member.value for member in enum_type)
    problems.append(f"{what} must be one of {choices}, not {clean_line(str(value), 40)!r}.")
    return None


def checked_feedback(used: str | Used, account: str = "", stage: str = "",
                     rating: int | str | None = None, missing: str = "", objections: str = "",
                     competitor: str = "") -> AssetFeedback:  # fmt: skip
    """The feedback cleaned and checked: every problem named at once, or none."""
    problems: list[str] = []
    chosen = _choice(Used, used, "Used with a customer", problems)
    stage_text = clean_line(stage, 40).lower()
    if stage_text and stage_text not in STAGES:
        problems.append(f"The funnel stage must be one of {', '.join(STAGES)}, "
                        f"not {stage_text!r}.")  # fmt: skip
    score: int | None = None
    if rating not in (None, ""):
        try:
            score = int(str(rating).strip())
        except ValueError:
            score = 0
        if not 1 <= score <= 5:
            problems.append(f"The rating must be a whole number from 1 to 5, not "
                            f"{clean_line(str(rating), 20)!r}.")  # fmt: skip
    if problems:
        raise ValidationError(problems)
    return AssetFeedback(chosen, clean_line(account, ACCOUNT_CHARS), stage_text, score,
                         clean_paragraphs(missing, NOTE_CHARS),
                         clean_paragraphs(objections, NOTE_CHARS),
                         clean_line(competitor, COMPETITOR_CHARS))  # fmt: skip


def checked_outcome(account: str, outcome: str | Outcome) -> tuple[str, Outcome]:
    problems: list[str] = []
    name = clean_line(account, ACCOUNT_CHARS)
    if not name:
        problems.append("Name the account or opportunity the outcome is for.")
    chosen = _choice(Outcome, outcome, "The outcome", problems)
    if problems:
        raise ValidationError(problems)
    return name, chosen
