"""Reading and writing field feedback (domain/feedback.py says what a record holds)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, Text, func, or_, select
from sqlalchemy.orm import Session

from satchel.core.domain.assets import AssetStatus
from satchel.core.domain.feedback import FeedbackRecord, Kind, Outcome, Used, derived_keys
from satchel.core.storage.models import Asset, FeedbackRow, User


def add(session: Session, row_id: str, asset_id: str | None, user_id: str, kind: Kind,
        body: dict[str, Any], now: dt.datetime) -> FeedbackRow:  # fmt: skip
    row = FeedbackRow(id=row_id, asset_id=asset_id, user_id=user_id, kind=kind.value, at=now,
                      body=body, **derived_keys(body), created_at=now,
                      updated_at=now)  # fmt: skip
    session.add(row)
    session.flush()
    return row


def _listed() -> Select[FeedbackRow, str, str]:
    return (select(FeedbackRow, Asset.title, User.name)
            .outerjoin(Asset, Asset.id == FeedbackRow.asset_id)
            .join(User, User.id == FeedbackRow.user_id)
            .where(FeedbackRow.deleted_at.is_(None))
            .order_by(FeedbackRow.at.desc(), FeedbackRow.id))  # fmt: skip


def records(session: Session, user_id: str | None, asset_id: str | None, limit: int,
            kinds: Iterable[Kind] = (Kind.ASSET, Kind.OUTCOME), id_prefix: str = "",
            having: str = "", text: str = "",
            in_fields: Sequence[str] = ()) -> list[FeedbackRecord]:  # fmt: skip
    """Newest first, of these kinds: one person's (`user_id`), or everyone's; of one
    asset, or all; whose id begins `id_prefix`; whose body's field `having` is not
    empty; with `text` in one of the body's `in_fields` (case ignored for ASCII)."""
    query = _listed().where(FeedbackRow.kind.in_([kind.value for kind in kinds]))
    if having:
        query = query.where(body_field(having) != "")
    if text.strip() and in_fields:
        query = query.where(or_(*(body_field(name).contains(text.strip(), autoescape=True)
                                  for name in in_fields)))  # fmt: skip
    if id_prefix:
        query = query.where(FeedbackRow.id.startswith(id_prefix, autoescape=True))
    if user_id is not None:
        query = query.where(FeedbackRow.user_id == user_id)
    if asset_id is not None:
        query = query.where(FeedbackRow.asset_id == asset_id)
    return [to_record(row, title, person) for row, title, person in
            session.execute(query.limit(limit))]  # fmt: skip


def body_field(name: str) -> ColumnElement[str]:
    """A field of the JSON body, for SQL (SQLite's json_extract)."""
    return func.json_extract(FeedbackRow.body, f"$.{name}", type_=Text)


def to_record(row: FeedbackRow, title: str | None, person: str) -> FeedbackRecord:
    return FeedbackRecord(row.id, row.asset_id, title or "", row.user_id, person,
                          Kind(row.kind), row.at, dict(row.body))  # fmt: skip


def latest_outcome(session: Session, key: str) -> Outcome | None:
    """The account's outcome as last recorded by anyone (one per account)."""
    latest = _latest_outcome(session, key)
    return latest[0] if latest else None


def _latest_outcome(session: Session, key: str) -> tuple[Outcome, dt.datetime] | None:
    row = session.execute(select(FeedbackRow.body, FeedbackRow.at)
                          .where(FeedbackRow.kind == Kind.OUTCOME.value,
                                 FeedbackRow.account_key == key, FeedbackRow.deleted_at.is_(None))
                          .order_by(FeedbackRow.at.desc(), FeedbackRow.id.desc()).limit(1)).first()  # fmt: skip
    return (Outcome(row[0]["outcome"]), row[1]) if row else None


def used_with(session: Session, key: str) -> list[str]:
    """The assets used with a customer for this account, by anyone."""
    query = (select(FeedbackRow.asset_id).where(
        FeedbackRow.kind == Kind.ASSET.value, FeedbackRow.account_key == key,
        FeedbackRow.deleted_at.is_(None), FeedbackRow.asset_id.is_not(None),
        body_field("used") == Used.YES.value).distinct())  # fmt: skip
    return sorted(str(asset_id) for asset_id in session.scalars(query))


def open_accounts(session: Session, user_id: str, before: dt.datetime) -> list[tuple[str, str]]:
    """(key, name as first written) of the accounts this person used an asset with before
    `before` whose outcome is not known yet (none, or "open" said before `before`),
    oldest first."""
    query = (select(FeedbackRow.account_key, func.min(FeedbackRow.at),
                    func.min(body_field("account")))
             .where(FeedbackRow.user_id == user_id, FeedbackRow.kind == Kind.ASSET.value,
                    FeedbackRow.account_key != "", FeedbackRow.deleted_at.is_(None),
                    body_field("used") == Used.YES.value)
             .group_by(FeedbackRow.account_key)
             .having(func.min(FeedbackRow.at) <= before)
             .order_by(func.min(FeedbackRow.at)))  # fmt: skip
    due = []
    for key, _first, name in session.execute(query):
        latest = _latest_outcome(session, key)  # "still open" is asked again as long after
        if latest is None or (latest[0] is Outcome.OPEN and latest[1] <= before):
            due.append((str(key), str(name)))
    return due


def accounts(session: Session, user_id: str) -> list[str]:
    """The accounts this person named, most recent first (remembered for the prompt)."""
    query = (select(body_field("account"), func.max(FeedbackRow.at))
             .where(FeedbackRow.user_id == user_id, FeedbackRow.account_key != "")
             .group_by(FeedbackRow.account_key).order_by(func.max(FeedbackRow.at).desc()))  # fmt: skip
    return [str(name) for name, _ in session.execute(query)]


def referring(session: Session, kind: Kind, refs: Iterable[str]) -> dict[str, FeedbackRecord]:
    """For each of `refs`, the last record of `kind` referring to it (the answer to a
    request, the triage of a note)."""
    query = (_listed().where(FeedbackRow.kind == kind.value,
                             FeedbackRow.ref_key.in_(list(refs)))
             .order_by(None).order_by(FeedbackRow.at, FeedbackRow.id))  # fmt: skip
    return {row.ref_key: to_record(row, title, person) for row, title, person in
            session.execute(query)}  # fmt: skip


def tallies(session: Session, refs: Iterable[str]) -> dict[str, tuple[int, int]]:
    """For each content request of `refs`: how many others +1'd it, and the deals they
    named."""
    query = (select(FeedbackRow.ref_key, func.count(func.distinct(FeedbackRow.user_id)),
                    func.coalesce(func.sum(body_field("deals")), 0))
             .where(FeedbackRow.kind == Kind.VOTE.value, FeedbackRow.ref_key.in_(list(refs)),
                    FeedbackRow.deleted_at.is_(None))
             .group_by(FeedbackRow.ref_key))  # fmt: skip
    return {str(ref): (int(votes), int(deals)) for ref, votes, deals in session.execute(query)}


def voted(session: Session, user_id: str, ask_id: str) -> bool:
    return (session.scalar(select(func.count()).where(
        FeedbackRow.kind == Kind.VOTE.value, FeedbackRow.ref_key == ask_id,
        FeedbackRow.user_id == user_id, FeedbackRow.deleted_at.is_(None))) or 0) > 0  # fmt: skip


def list_entries(session: Session, kind: Kind) -> dict[str, dict[str, Any]]:
    """Marketing's list of `kind` (competitors, objection tags) by key, as its last record
    for each says; removed entries left out."""
    query = (select(FeedbackRow.ref_key, FeedbackRow.body)
             .where(FeedbackRow.kind == kind.value, FeedbackRow.deleted_at.is_(None))
             .order_by(FeedbackRow.at, FeedbackRow.id))  # fmt: skip
    entries = {str(key): dict(body) for key, body in session.execute(query)}
    return {key: body for key, body in sorted(entries.items()) if not body.get("removed")}


def is_published(session: Session, asset_id: str) -> bool:
    """The asset is in the library and published (a fulfilled request's news is due)."""
    status = session.scalar(select(Asset.status).where(Asset.id == asset_id,
                                                       Asset.deleted_at.is_(None)))  # fmt: skip
    return status == AssetStatus.PUBLISHED.value
