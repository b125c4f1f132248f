"""Reading and writing field feedback (domain/feedback.py says what a record holds)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from satchel.core.domain.feedback import FeedbackRecord, Kind, Outcome, Used, account_key
from satchel.core.storage.models import Asset, FeedbackRow, User


def add(session: Session, row_id: str, asset_id: str | None, user_id: str, kind: Kind,
        body: dict[str, Any], now: dt.datetime) -> FeedbackRow:  # fmt: skip
    row = FeedbackRow(id=row_id, asset_id=asset_id, user_id=user_id, kind=kind.value, at=now,
                      body=body, account_key=account_key(str(body.get("account") or "")),
                      created_at=now, updated_at=now)  # fmt: skip
    session.add(row)
    session.flush()
    return row


def _listed() -> Select[FeedbackRow, str, str]:
    return (select(FeedbackRow, Asset.title, User.name)
            .outerjoin(Asset, Asset.id == FeedbackRow.asset_id)
            .join(User, User.id == FeedbackRow.user_id)
            .where(FeedbackRow.deleted_at.is_(None))
            .order_by(FeedbackRow.at.desc(), FeedbackRow.id))  # fmt: skip


def records(session: Session, user_id: str | None, asset_id: str | None,
            limit: int) -> list[FeedbackRecord]:  # fmt: skip
    """Newest first: one person's (`user_id`), or everyone's; of one asset, or all."""
    query = _listed()
    if user_id is not None:
        query = query.where(FeedbackRow.user_id == user_id)
    if asset_id is not None:
        query = query.where(FeedbackRow.asset_id == asset_id)
    return [to_record(row, title, person) for row, title, person in
            session.execute(query.limit(limit))]  # fmt: skip


def to_record(row: FeedbackRow, title: str | None, person: str) -> FeedbackRecord:
    return FeedbackRecord(row.id, row.asset_id, title or "", row.user_id, person,
                          Kind(row.kind), row.at, dict(row.body))  # fmt: skip


def latest_outcome(session: Session, key: str) -> Outcome | None:
    """The account's outcome as last recorded by anyone (one per account)."""
    body = session.scalar(select(FeedbackRow.body)
                          .where(FeedbackRow.kind == Kind.OUTCOME.value,
                                 FeedbackRow.account_key == key, FeedbackRow.deleted_at.is_(None))
                          .order_by(FeedbackRow.at.desc(), FeedbackRow.id.desc()).limit(1))  # fmt: skip
    return Outcome(body["outcome"]) if body else None


def used_with(session: Session, key: str) -> list[str]:
    """The assets used with a customer for this account, by anyone."""
    query = (select(FeedbackRow.asset_id).where(
        FeedbackRow.kind == Kind.ASSET.value, FeedbackRow.account_key == key,
        FeedbackRow.deleted_at.is_(None), FeedbackRow.asset_id.is_not(None),
        func.json_extract(FeedbackRow.body, "$.used") == Used.YES.value).distinct())  # fmt: skip
    return sorted(str(asset_id) for asset_id in session.scalars(query))


def open_accounts(session: Session, user_id: str, before: dt.datetime) -> list[tuple[str, str]]:
    """(key, name as first written) of the accounts this person used an asset with before
    `before` whose outcome is not known yet (none, or "open"), oldest first."""
    query = (select(FeedbackRow.account_key, func.min(FeedbackRow.at),
                    func.min(func.json_extract(FeedbackRow.body, "$.account")))
             .where(FeedbackRow.user_id == user_id, FeedbackRow.kind == Kind.ASSET.value,
                    FeedbackRow.account_key != "", FeedbackRow.deleted_at.is_(None),
                    func.json_extract(FeedbackRow.body, "$.used") == Used.YES.value)
             .group_by(FeedbackRow.account_key)
             .having(func.min(FeedbackRow.at) <= before)
             .order_by(func.min(FeedbackRow.at)))  # fmt: skip
    due = []
    for key, _first, name in session.execute(query):
        if latest_outcome(session, key) in (None, Outcome.OPEN):
            due.append((str(key), str(name)))
    return due


def accounts(session: Session, user_id: str) -> list[str]:
    """The accounts this person named, most recent first (remembered for the prompt)."""
    query = (select(func.json_extract(FeedbackRow.body, "$.account"), func.max(FeedbackRow.at))
             .where(FeedbackRow.user_id == user_id, FeedbackRow.account_key != "")
             .group_by(FeedbackRow.account_key).order_by(func.max(FeedbackRow.at).desc()))  # fmt: skip
    return [str(name) for name, _ in session.execute(query)]
