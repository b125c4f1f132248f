"""Edit requests: a rep's values for one template version, and marketing's decision.

Pure rules, no storage: each step takes a request and returns the request after it with
the event that records the step, or refuses in a sentence. The services keep both in
one transaction; the hub runs the same rules.

    draft → submitted → approved | approved_with_edits | changes_requested | rejected
    changes_requested → submitted (the next round)
    submitted | changes_requested → withdrawn
    draft → auto_approved (every value inside the self-service envelopes: no queue)

An approval approves exactly the values it saw: a request binds to its template version
and to the SHA-256 of its canonical values, and any change of the values after a
decision is a new round that needs a decision of its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import replace

from satchel.core.domain.permissions import Capability, allows, refusal
from satchel.core.domain.requests import (
    APPROVED_STATES,
    MAX_COMMENT,
    MAX_FOR,
    OPEN_STATES,
    Decision,
    Event,
    Request,
    RequestState,
)
from satchel.core.domain.text import clean_line, clean_paragraphs
from satchel.core.domain.users import Profile
from satchel.core.errors import KnownError, PermissionDeniedError, ValidationError

_WORDS = {
    RequestState.APPROVED: "approved",
    RequestState.APPROVED_WITH_EDITS: "approved with edits",
    RequestState.CHANGES_REQUESTED: "sent back for changes",
    RequestState.REJECTED: "rejected",
    RequestState.AUTO_APPROVED: "approved automatically",
    RequestState.WITHDRAWN: "withdrawn",
}

_DECISION_STATE = {
    Decision.APPROVE: RequestState.APPROVED,
    Decision.APPROVE_WITH_EDITS: RequestState.APPROVED_WITH_EDITS,
    Decision.REQUEST_CHANGES: RequestState.CHANGES_REQUESTED,
    Decision.REJECT: RequestState.REJECTED,
}
_NEEDS_COMMENT = {Decision.REQUEST_CHANGES: "Say what should change.",
                  Decision.REJECT: "Say why the request is rejected."}  # fmt: skip


class RequestConflictError(KnownError):
    """The request moved on meanwhile (someone else decided it first)."""


def canonical_values(values: Mapping[str, str]) -> str:
    """The values as hashed and stored: JSON with sorted keys, text as it is."""
    return json.dumps(dict(values), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def values_hash(values: Mapping[str, str]) -> str:
    return hashlib.sha256(canonical_values(values).encode()).hexdigest()


def diff(
    before: Mapping[str, str], after: Mapping[str, str]
) -> dict[str, tuple[str | None, str | None]]:
    """Field → (before, after) for every field whose value changed, was added or removed."""
    return {key: (before.get(key), after.get(key)) for key in sorted(before.keys() | after.keys())
            if before.get(key) != after.get(key)}  # fmt: skip


def new_request(request_id: str, actor: Profile, template_id: str, template_version: int,
                values: Mapping[str, str], customer: str = "", note: str = "") -> Request:  # fmt: skip
    """A draft of the actor's own: not in anyone's queue until submitted."""
    _may(actor, Capability.SUBMIT_REQUESTS)
    customer, note = (
        _text(customer, MAX_FOR, "The account it is for", one_line=True),
        _text(note, MAX_COMMENT, "The note"),
    )
    return Request(request_id, template_id, template_version, actor.id, dict(values),
                   values_hash(values), customer=customer, note=note)  # fmt: skip


def submit(request: Request, actor: Profile, needs_approval: bool,
           now: dt.datetime) -> tuple[Request, Event]:  # fmt: skip
    """Send a draft to marketing, or approve it at once when no value needs approval
    (`needs_approval`: what the template's validation found)."""
    _own(request, actor)
    if request.state is not RequestState.DRAFT:
        raise RequestConflictError(f"This request was already {state_words(request)}.")
    to = RequestState.SUBMITTED if needs_approval else RequestState.AUTO_APPROVED
    return _step(request, actor, to, now, approved=not needs_approval)


def resubmit(request: Request, actor: Profile, values: Mapping[str, str], needs_approval: bool,
             now: dt.datetime, note: str | None = None) -> tuple[Request, Event]:  # fmt: skip
    """The next round with these values: after changes were asked for, or a change of
    values after an approval (which approved only the values it saw)."""
    _own(request, actor)
    if request.state not in {RequestState.CHANGES_REQUESTED, *APPROVED_STATES}:
        raise RequestConflictError(f"This request was {state_words(request)}; start a new one.")
    changed = diff(request.values, values)
    if not changed and request.state is not RequestState.CHANGES_REQUESTED:
        raise ValidationError(["Nothing changed: the approved values stay approved."])
    to = RequestState.SUBMITTED if needs_approval else RequestState.AUTO_APPROVED
    after = replace(request, values=dict(values), values_sha256=values_hash(values),
                    round=request.round + 1, approved_values=None, decided_by=None,
                    decided_at=None,
                    note=request.note if note is None else _text(note, MAX_COMMENT, "The note"))  # fmt: skip
    return _step(after, actor, to, now, approved=not needs_approval, from_state=request.state,
                 changes=changed)  # fmt: skip


def withdraw(request: Request, actor: Profile, now: dt.datetime) -> tuple[Request, Event]:
    _own(request, actor)
    if request.state not in OPEN_STATES:
        raise RequestConflictError(f"This request was already {state_words(request)}.")
    return _step(request, actor, RequestState.WITHDRAWN, now)


def decide(request: Request, actor: Profile, decision: Decision, now: dt.datetime,
           comment: str = "", edited: Mapping[str, str] | None = None,
           problems: list[str] | None = None) -> tuple[Request, Event]:  # fmt: skip
    """Marketing's decision on the current round. `edited`: the approver's values (approve
    with edits); `problems`: what validating them against the template found."""
    _may(actor, Capability.DECIDE_REQUESTS)
    if actor.id == request.requester_id:
        raise PermissionDeniedError("Nobody can decide their own request; ask another marketer.")
    if request.state is not RequestState.SUBMITTED:
        raise RequestConflictError(_already(request))
    comment = _text(comment, MAX_COMMENT, "The comment")
    if decision in _NEEDS_COMMENT and not comment.strip():
        raise ValidationError([_NEEDS_COMMENT[decision]])
    approved: Mapping[str, str] | None = None
    changes: dict[str, tuple[str | None, str | None]] = {}
    if decision is Decision.APPROVE_WITH_EDITS:
        if edited is None or not (changes := diff(request.values, edited)):
            raise ValidationError(["Approve with edits needs at least one value changed; "
                                   "otherwise approve."])  # fmt: skip
        if problems:
            raise ValidationError(problems)
        approved = dict(edited)
    elif decision is Decision.APPROVE:
        approved = dict(request.values)
    after = replace(request, approved_values=approved, decided_by=actor.name, decided_at=now)
    return _step(after, actor, _DECISION_STATE[decision], now, comment=comment,
                 from_state=request.state, changes=changes)  # fmt: skip


def final_values(request: Request) -> Mapping[str, str] | None:
    """The values a final (not DRAFT) document may be generated from, or None."""
    if request.state not in APPROVED_STATES:
        return None
    return request.approved_values if request.approved_values is not None else request.values


def _step(request: Request, actor: Profile, to: RequestState, now: dt.datetime, *,
          comment: str = "", approved: bool = False, from_state: RequestState | None = None,
          changes: Mapping[str, tuple[str | None, str | None]] | None = None,
          ) -> tuple[Request, Event]:  # fmt: skip
    after = replace(request, state=to)
    if approved:  # within the envelopes: the values as they are
        after = replace(
            after, approved_values=dict(request.values), decided_by=None, decided_at=now
        )
    event = Event(request.id, actor.id, now, from_state or request.state, to, after.round,
                  comment, dict(changes or {}))  # fmt: skip
    return after, event


def _may(actor: Profile, capability: Capability) -> None:
    if not allows(actor.role, capability):
        raise PermissionDeniedError(refusal(actor.role, capability))


def _own(request: Request, actor: Profile) -> None:
    _may(actor, Capability.SUBMIT_REQUESTS)
    if actor.id != request.requester_id:
        raise PermissionDeniedError("Only the person who made a request can submit, change "
                                    "or withdraw it.")  # fmt: skip


def _text(value: str, limit: int, what: str, one_line: bool = False) -> str:
    """The text as kept: refused over `limit`; else without control or bidi-override
    characters (markup stays, as text)."""
    if len(value) > limit:
        raise ValidationError([f"{what} allows {limit:,} characters; it has {len(value):,}."])
    return clean_line(value, limit) if one_line else clean_paragraphs(value, limit)


def state_words(request: Request) -> str:
    """ "approved with edits", "withdrawn" … as a sentence says it."""
    return _WORDS.get(request.state, request.state.value.replace("_", " "))


def _already(request: Request) -> str:
    """ "Already approved by Mara Lindqvist at 14:02." """
    words = state_words(request)
    if request.state is RequestState.DRAFT:
        return "This request was not submitted yet."
    if request.decided_by and request.decided_at:
        return f"Already {words} by {request.decided_by} at {request.decided_at:%H:%M}."
    return f"This request was {words}."


DEFAULT_REVIEW_DAYS = 2  # working days marketing has for a request (setting requests.review_days)


def due_at(submitted: dt.datetime, working_days: int) -> dt.datetime:
    """The review target: `working_days` Monday-to-Friday days after `submitted` (a
    Friday's request with two days is due on Tuesday at the same time; one sent at the
    weekend counts from Monday morning, so it is due at the end of Tuesday)."""
    moment, left = _next_working_moment(submitted), working_days
    while left > 0:
        moment += dt.timedelta(days=1)
        if moment.weekday() < 5:
            left -= 1
    return moment


def overdue_cutoff(now: dt.datetime, working_days: int) -> dt.datetime:
    """The latest submission time that is overdue at `now`: a request is overdue
    exactly when it was submitted at or before this (`due_at(s) <= now`), so a query
    can select the overdue ones by submission time."""
    if now.weekday() >= 5:  # nothing falls due at a weekend: as at Friday's last moment
        now = _midnight(now) - dt.timedelta(days=now.weekday() - 5, microseconds=1)
    moment, left = now, working_days
    while left > 0:
        moment -= dt.timedelta(days=1)
        if moment.weekday() < 5:
            left -= 1
    return moment


def _midnight(moment: dt.datetime) -> dt.datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def _next_working_moment(moment: dt.datetime) -> dt.datetime:
    """`moment` itself on a weekday, else the Monday after at midnight."""
    if moment.weekday() < 5:
        return moment
    return _midnight(moment) + dt.timedelta(days=7 - moment.weekday())
