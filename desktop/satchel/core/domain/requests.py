"""Edit requests as values: their states, the decisions on them, and the events that
record each step (the rules are in core/workflow/requests.py)."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

MAX_COMMENT = 4000  # characters of a comment or a note to marketing
MAX_FOR = 200  # characters of the account or opportunity a request is for


class RequestState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    APPROVED_WITH_EDITS = "approved_with_edits"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    AUTO_APPROVED = "auto_approved"


APPROVED_STATES = frozenset({RequestState.APPROVED, RequestState.APPROVED_WITH_EDITS,
                             RequestState.AUTO_APPROVED})  # fmt: skip
DECIDED_STATES = APPROVED_STATES | {RequestState.CHANGES_REQUESTED, RequestState.REJECTED}
OPEN_STATES = frozenset({RequestState.SUBMITTED, RequestState.CHANGES_REQUESTED})


class Decision(enum.StrEnum):
    APPROVE = "approve"
    APPROVE_WITH_EDITS = "approve_with_edits"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"


@dataclass(frozen=True)
class Request:
    """One request as it stands."""

    id: str
    template_id: str
    template_version: int
    requester_id: str
    values: Mapping[str, str]
    values_sha256: str
    state: RequestState = RequestState.DRAFT
    round: int = 1
    customer: str = ""  # the account or opportunity it is for
    note: str = ""  # to marketing
    approved_values: Mapping[str, str] | None = None  # the approver's, when approved
    decided_by: str | None = None  # name of the decider of the current round
    decided_at: dt.datetime | None = None


@dataclass(frozen=True)
class Event:
    """One step of a request: who, when, from and to which state, in which round."""

    request_id: str
    actor_id: str
    at: dt.datetime
    from_state: RequestState
    to_state: RequestState
    round: int
    comment: str = ""
    diff: Mapping[str, tuple[str | None, str | None]] = field(default_factory=dict)


STATE_WORDS = {
    RequestState.DRAFT: "draft",
    RequestState.SUBMITTED: "waiting for marketing",
    RequestState.APPROVED: "approved",
    RequestState.APPROVED_WITH_EDITS: "approved with edits",
    RequestState.CHANGES_REQUESTED: "sent back for changes",
    RequestState.REJECTED: "rejected",
    RequestState.WITHDRAWN: "withdrawn",
    RequestState.AUTO_APPROVED: "approved automatically",
}

Changed = Mapping[str, tuple[str | None, str | None]]  # field → (before, after)


@dataclass(frozen=True)
class RequestSummary:
    """A request as a list shows it."""

    id: str
    template_id: str
    template_title: str
    template_version: int
    requester: str  # name
    territory: str
    customer: str
    state: RequestState
    round: int
    submitted_at: dt.datetime | None
    due_at: dt.datetime | None  # the review target (working days after submission)
    overdue: bool
    newer_version: int | None  # the template's newest version, when this one was replaced
    news: bool = False  # has a step the viewer has not seen yet

    @property
    def state_words(self) -> str:
        return STATE_WORDS[self.state]


@dataclass(frozen=True)
class RequestStep:
    """One event of a request, as its history shows it."""

    sequence: int
    at: dt.datetime
    actor: str
    from_state: RequestState
    to_state: RequestState
    round: int
    comment: str
    changes: Changed


@dataclass(frozen=True)
class RequestDetail:
    """Everything the rep's and the marketer's detail views show."""

    summary: RequestSummary
    request: Request
    note: str
    labels: Mapping[str, str]  # field key → label, in the template's order
    defaults: Mapping[str, str]  # field key → the template's default
    reasons: tuple[str, ...]  # the rules that sent the current round to review
    steps: tuple[RequestStep, ...]
    decided_by: str | None
    decided_at: dt.datetime | None
    approved_changes: Changed  # what an approve-with-edits changed, field by field

    @property
    def can_generate_final(self) -> bool:
        return self.request.state in APPROVED_STATES


@dataclass(frozen=True)
class RequestNews:
    """A step a person has not seen: a decision on their request, or a new request."""

    sequence: int
    request_id: str
    at: dt.datetime
    text: str  # "Mara Lindqvist approved “Price sheet” for Northwind"
