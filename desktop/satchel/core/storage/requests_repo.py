"""Requests, their rounds, the audit chain, the outbox and the read marks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from sqlalchemy import func, literal_column, select
from sqlalchemy.orm import Session

from satchel.core.domain.requests import OPEN_STATES, Event, Request, RequestState
from satchel.core.errors import KnownError, NotFoundError
from satchel.core.storage.models import (
    LibraryInfo,
    NotificationRead,
    OutboxEntry,
    RequestEventRow,
    RequestRound,
    RequestRow,
    TemplateVersion,
    User,
)
from satchel.core.workflow import audit

HEAD_KEY = "audit.head"  # "sequence hash" of the last event: a deleted tail shows


def to_request(row: RequestRow, template_version: int, decider: str | None) -> Request:
    return Request(
        id=row.id, template_id=row.template_id, template_version=template_version,
        requester_id=row.requester_id, values=dict(row.values),
        values_sha256=row.values_sha256, state=RequestState(row.state), round=row.round,
        customer=row.customer, note=row.note,
        approved_values=None if row.approved_values is None else dict(row.approved_values),
        decided_by=decider, decided_at=row.decided_at,
    )  # fmt: skip


def find_row(session: Session, key: str) -> RequestRow:
    """A request by id or unique id prefix (at least 4 characters)."""
    key = key.strip().lower()
    if len(key) < 4:
        raise NotFoundError("Give at least the first 4 characters of the request id.")
    rows = list(session.scalars(
        select(RequestRow).where(RequestRow.id.startswith(key, autoescape=True)).limit(2)
    ))  # fmt: skip
    if len(rows) > 1:
        raise KnownError(f"More than one request id starts with {key}; give more characters.")
    if not rows:
        raise NotFoundError(f"There is no request {key}.")
    return rows[0]


def load(session: Session, row: RequestRow) -> Request:
    version = session.get(TemplateVersion, row.template_version_id)
    decider = session.get(User, row.decided_by) if row.decided_by else None
    return to_request(row, version.version if version else 0, decider.name if decider else None)


def save(session: Session, request: Request, version_row_id: str, decided_by: str | None,
         submitted_at: dt.datetime | None, now: dt.datetime) -> RequestRow:  # fmt: skip
    """Insert or update the request's row to match `request` (`decided_by`: the user id
    of the current round's decider)."""
    row = session.get(RequestRow, request.id)
    if row is None:
        row = RequestRow(id=request.id, created_at=now, template_id=request.template_id,
                         template_version_id=version_row_id, requester_id=request.requester_id)  # fmt: skip
        session.add(row)
    row.customer, row.note, row.state, row.round = (
        request.customer,
        request.note,
        request.state.value,
        request.round,
    )
    row.values, row.values_sha256 = dict(request.values), request.values_sha256
    row.approved_values = None if request.approved_values is None else dict(request.approved_values)
    row.decided_by, row.decided_at = decided_by, request.decided_at
    row.submitted_at, row.updated_at, row.dirty = submitted_at, now, True
    return row


def open_round(session: Session, new_id: Callable[[], str], request: Request,
               reasons: list[str], now: dt.datetime) -> None:  # fmt: skip
    session.add(RequestRound(id=new_id(), request_id=request.id, round=request.round,
                             values=dict(request.values), values_sha256=request.values_sha256,
                             reasons=reasons, submitted_at=now, created_at=now, updated_at=now))  # fmt: skip


def close_round(session: Session, request: Request, decider_id: str | None,
                now: dt.datetime) -> None:  # fmt: skip
    """Record how the current round ended (decided, withdrawn, approved automatically)."""
    row = session.scalar(select(RequestRound).where(RequestRound.request_id == request.id,
                                                    RequestRound.round == request.round))  # fmt: skip
    if row is not None:
        row.outcome, row.decided_by, row.decided_at = request.state.value, decider_id, now
        row.updated_at, row.dirty = now, True


def rounds(session: Session, request_id: str) -> list[RequestRound]:
    query = select(RequestRound).where(RequestRound.request_id == request_id)
    return list(session.scalars(query.order_by(RequestRound.round)))


# --- the audit chain ------------------------------------------------------------------


def append_event(session: Session, event: Event, event_id: str) -> audit.Link:
    """Add `event` to the chain after the current head, in the caller's transaction
    (a writer holds the database's write lock, so two appends never race)."""
    info = session.get(LibraryInfo, HEAD_KEY)
    last = None
    if info is not None:
        sequence, hash_ = info.value.split(" ")
        last = audit.Link(int(sequence), "", "", hash_)
    made = audit.link(event, event_id, last)
    session.add(RequestEventRow(id=event_id, sequence=made.sequence, request_id=event.request_id,
                                actor_id=event.actor_id, at=event.at, text=made.text,
                                previous=made.previous, hash=made.hash))  # fmt: skip
    value = f"{made.sequence} {made.hash}"
    if info is None:
        session.add(LibraryInfo(key=HEAD_KEY, value=value))
    else:
        info.value = value
    return made


def links(session: Session) -> Iterator[audit.Link]:
    """Every event in the order it was stored (SQLite's rowid), not by its sequence:
    a moved event must show as moved."""
    columns = (RequestEventRow.sequence, RequestEventRow.text, RequestEventRow.previous,
               RequestEventRow.hash)  # fmt: skip
    rows = session.execute(select(*columns).order_by(literal_column("rowid")))
    for sequence, text, previous, hash_ in rows:
        yield audit.Link(sequence, text, previous, hash_)


def head(session: Session) -> tuple[int, str] | None:
    info = session.get(LibraryInfo, HEAD_KEY)
    if info is None:
        return None
    sequence, hash_ = info.value.split(" ")
    return int(sequence), hash_


def events_of(session: Session, request_id: str) -> list[RequestEventRow]:
    query = select(RequestEventRow).where(RequestEventRow.request_id == request_id)
    return list(session.scalars(query.order_by(RequestEventRow.sequence)))


# --- outbox and news ------------------------------------------------------------------


def add_outbox(session: Session, entry_id: str, kind: str, payload: Mapping[str, Any],
               now: dt.datetime) -> None:  # fmt: skip
    session.add(OutboxEntry(id=entry_id, kind=kind, payload=dict(payload), created_at=now))


def outbox(session: Session) -> list[OutboxEntry]:
    """What is still to send, in order."""
    query = select(OutboxEntry).where(OutboxEntry.sent_at.is_(None), OutboxEntry.refused.is_(None))
    return list(session.scalars(query.order_by(OutboxEntry.position)))


def seen(session: Session, user_id: str) -> int:
    row = session.get(NotificationRead, user_id)
    return row.seen_sequence if row is not None else 0


def mark_seen(session: Session, user_id: str, sequence: int) -> None:
    row = session.get(NotificationRead, user_id)
    if row is None:
        session.add(NotificationRead(user_id=user_id, seen_sequence=sequence))
    else:
        row.seen_sequence = max(row.seen_sequence, sequence)


def open_count(session: Session) -> int:
    query = select(func.count()).select_from(RequestRow)
    return session.scalar(query.where(RequestRow.state.in_([s.value for s in OPEN_STATES]))) or 0
