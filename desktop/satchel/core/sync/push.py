"""Pushing what the laptop did: the outbox in order, then records (documents made,
usage, searches) in batches.

Each outbox entry's id is its idempotency key: the hub keeps the result of every applied
mutation, so an entry sent again after a dropped connection (or a kill between the
hub's answer and the local mark) is answered from that record and never applied twice.
A refusal (permission, conflict, validation) marks the entry refused with the hub's
sentence and the queue goes on; a hub that cannot be reached ends the push.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import exc, or_, select
from sqlalchemy.orm import Session

from satchel.core import failpoints
from satchel.core.errors import KnownError
from satchel.core.hub.connection import HubError
from satchel.core.storage.models import (
    Asset,
    FeedbackRow,
    GeneratedDocument,
    OutboxEntry,
    RequestRow,
    SearchLogEntry,
    TemplateVersion,
    UsageEvent,
)
from satchel.core.sync.hub_link import HubLink

T = TypeVar("T")
Write = Callable[[Callable[[Session], T]], T]
BATCH = 500

DECISIONS = {"approved": "approve", "approved_with_edits": "approve_with_edits",
             "changes_requested": "request_changes", "rejected": "reject"}  # fmt: skip


@dataclass(frozen=True)
class Pending:
    """An outbox entry to send, read out of its session."""

    position: int
    id: str
    kind: str
    payload: dict[str, Any]
    template_version_id: str  # the row id of its request's template version


@dataclass
class Pushed:
    sent: int = 0
    records: int = 0
    refused: list[str] = field(default_factory=list)  # "what: the hub's reason"


def mutation(entry: Pending) -> tuple[str, dict[str, Any]]:
    """The api function and arguments that carry one outbox entry."""
    payload = entry.payload
    request, step = payload["request"], json.loads(payload["event"]["text"])
    to_state = step["to"]
    if payload.get("reasons") is not None:  # a submission opens a round
        body = {"id": request["id"], "values": request["values"],
                "values_sha256": request["values_sha256"], "note": request["note"],
                "auto_approve": to_state == "auto_approved", "reasons": payload["reasons"]}  # fmt: skip
        if int(step["round"]) == 1:
            body |= {
                "template_version_id": entry.template_version_id,
                "customer": request["customer"],
            }
            return "submit_request", {"mutation": entry.id, "body": body}
        return "resubmit_request", {"mutation": entry.id, "body": body | {"diff": step["diff"]}}
    if to_state == "withdrawn":
        return "withdraw_request", {"mutation": entry.id, "request_id": request["id"]}
    if to_state in DECISIONS:
        edited = request["approved_values"] if to_state == "approved_with_edits" else None
        return "decide_request", {"mutation": entry.id, "request_id": request["id"],
                                  "on_round": int(step["round"]),
                                  "decision": DECISIONS[to_state],
                                  "comment": step.get("comment") or "", "edited": edited}  # fmt: skip
    raise KnownError(f"The outbox holds a step Satchel cannot send ({entry.kind}).")


def describe(entry: Pending) -> str:
    request = entry.payload.get("request", {})
    step = entry.kind.removeprefix("request.").replace("_", " ")
    return f"Request {str(request.get('id', ''))[:8]} ({step})"


def refusal_of(error: Exception) -> str | None:
    """The sentence of a refusal, or None when the hub could not be reached."""
    if isinstance(error, HubError):
        return None
    if isinstance(error, KnownError):
        return str(error)
    if isinstance(error, exc.IntegrityError):
        return "The hub does not know something this change refers to (it was made " \
               "against collateral the hub does not have)."  # fmt: skip
    return None


def push_outbox(link: HubLink, write: Write[Any], clock: Callable[[], dt.datetime],
                pending: list[Pending]) -> Pushed:  # fmt: skip
    """Send `pending` in order."""
    pushed = Pushed()
    for entry in pending:
        function, params = mutation(entry)
        reason = None
        try:
            link.call(function, **params)
        except (KnownError, exc.DBAPIError) as error:
            reason = refusal_of(error)
            if reason is None:
                raise
        failpoints.hit("sync.sent")
        write(partial(_mark, entry, reason, clock()))
        if reason is None:
            pushed.sent += 1
        else:
            pushed.refused.append(f"{describe(entry)}: {reason}")
    return pushed


def pending_outbox(session: Session) -> list[Pending]:
    entries = session.scalars(select(OutboxEntry).where(OutboxEntry.sent_at.is_(None),
                                                        OutboxEntry.refused.is_(None))
                              .order_by(OutboxEntry.position))  # fmt: skip
    out = []
    for entry in entries:
        row = session.get(RequestRow, entry.payload.get("request", {}).get("id", ""))
        out.append(Pending(entry.position, entry.id, entry.kind, dict(entry.payload),
                           row.template_version_id if row else ""))  # fmt: skip
    return out


def _mark(entry: Pending, reason: str | None, now: dt.datetime, session: Session) -> None:
    stored = session.get(OutboxEntry, entry.position)
    if stored is None:
        return
    if reason is None:
        stored.sent_at = now
    else:
        stored.refused = reason[:2000]
    request = session.get(RequestRow, entry.payload.get("request", {}).get("id", ""))
    if request is not None:
        request.dirty = False  # the hub's answer arrives with the pull


# --- records: many small rows, sent in batches -----------------------------------------


@dataclass(frozen=True)
class Records:
    """One kind of record the laptop sends as it makes them: the api function, what is
    waiting (as its arguments), and the model whose `dirty` flag marks it sent."""

    function: str
    model: type[UsageEvent] | type[GeneratedDocument] | type[SearchLogEntry] | type[FeedbackRow]
    waiting: Callable[[str, Session], list[dict[str, Any]]]  # (me, session)
    what: str


def _usage(me: str, session: Session) -> list[dict[str, Any]]:
    """My usage of assets the hub has (usage of the others waits for theirs)."""
    query = (select(UsageEvent).join(Asset, Asset.id == UsageEvent.asset_id)
             .where(UsageEvent.dirty, Asset.hub_rev.is_not(None),
                    or_(UsageEvent.user_id == me, UsageEvent.user_id.is_(None)))
             .order_by(UsageEvent.at, UsageEvent.id).limit(BATCH))  # fmt: skip
    return [{"mutation": row.id, "body": {"asset_id": row.asset_id, "action": row.action,
                                          "at": row.at.isoformat(), "detail": row.detail or {}}}
            for row in session.scalars(query)]  # fmt: skip


def _documents(me: str, session: Session) -> list[dict[str, Any]]:
    """My generated documents of template versions the hub has."""
    query = (select(GeneratedDocument)
             .join(TemplateVersion, TemplateVersion.id == GeneratedDocument.template_version_id)
             .where(GeneratedDocument.dirty, TemplateVersion.hub_rev.is_not(None),
                    or_(GeneratedDocument.user_id == me, GeneratedDocument.user_id.is_(None)))
             .order_by(GeneratedDocument.created_at, GeneratedDocument.id).limit(BATCH))  # fmt: skip
    return [{"mutation": row.id, "body": {
                "id": row.id, "template_version_id": row.template_version_id,
                "values": row.values or {}, "values_hash": row.values_hash,
                "output_sha256": row.output_sha256, "draft": row.draft,
                "request_id": row.request_id, "request_round": row.request_round}}
            for row in session.scalars(query)]  # fmt: skip


def _searches(me: str, session: Session) -> list[dict[str, Any]]:
    query = (select(SearchLogEntry)
             .where(SearchLogEntry.dirty,
                    or_(SearchLogEntry.user_id == me, SearchLogEntry.user_id.is_(None)))
             .order_by(SearchLogEntry.at, SearchLogEntry.id).limit(BATCH))  # fmt: skip
    return [{"mutation": row.id, "body": {"query": row.query, "results": row.results,
                                          "at": row.at.isoformat()}}
            for row in session.scalars(query)]  # fmt: skip


def _feedback(me: str, session: Session) -> list[dict[str, Any]]:
    """My feedback on assets the hub has, and my accounts' outcomes."""
    query = (select(FeedbackRow).outerjoin(Asset, Asset.id == FeedbackRow.asset_id)
             .where(FeedbackRow.dirty, FeedbackRow.user_id == me,
                    or_(FeedbackRow.asset_id.is_(None), Asset.hub_rev.is_not(None)))
             .order_by(FeedbackRow.at, FeedbackRow.id).limit(BATCH))  # fmt: skip
    return [{"mutation": row.id, "body": {"asset_id": row.asset_id, "kind": row.kind,
                                          "at": row.at.isoformat(), "body": row.body or {}}}
            for row in session.scalars(query)]  # fmt: skip


RECORDS = (Records("record_document", GeneratedDocument, _documents, "Document record"),
           Records("record_usage", UsageEvent, _usage, "Usage record"),
           Records("record_search", SearchLogEntry, _searches, "Search record"),
           Records("record_feedback", FeedbackRow, _feedback, "Feedback record"))  # fmt: skip


def push_records(link: HubLink, write: Write[Any], read: Callable[[Callable[[Session], Any]], Any],
                 me: str) -> Pushed:  # fmt: skip
    """Each kind in batches of one transaction; a batch the hub refuses is sent again
    one by one, so one bad record is refused alone and the rest land."""
    pushed = Pushed()
    for kind in RECORDS:
        while batch := read(partial(kind.waiting, me)):
            try:
                link.call_many(kind.function, batch)
                sent: list[str] = [call["mutation"] for call in batch]
                refused: list[tuple[str, str]] = []
            except (KnownError, exc.DBAPIError) as error:
                if refusal_of(error) is None:
                    raise
                sent, refused = _one_by_one(link, kind, batch)
            write(partial(_records_sent, kind.model, sent + [r for r, _ in refused]))
            pushed.records += len(sent)
            pushed.refused += [f"{kind.what} {r[:8]}: {reason}" for r, reason in refused]
    return pushed


def _one_by_one(link: HubLink, kind: Records,
                batch: list[dict[str, Any]]) -> tuple[list[str], list[tuple[str, str]]]:  # fmt: skip
    sent, refused = [], []
    for call in batch:
        try:
            link.call(kind.function, **call)
            sent.append(call["mutation"])
        except (KnownError, exc.DBAPIError) as error:
            if (reason := refusal_of(error)) is None:
                raise
            refused.append((call["mutation"], reason))
    return sent, refused


def _records_sent(model: type[Any], ids: list[str], session: Session) -> None:
    for row in session.scalars(select(model).where(model.id.in_(ids))):
        row.dirty = False
