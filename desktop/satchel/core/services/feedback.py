"""Feedback from the field: a rep's word on an asset after using it, and the outcome of
an account, recorded in milliseconds and offline; each record goes to the hub with the
next sync (and marketing's laptops receive the team's)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from satchel.core.domain.changes import Changes
from satchel.core.domain.feedback import (
    FeedbackRecord,
    Kind,
    Outcome,
    Used,
    account_key,
    checked_feedback,
    checked_outcome,
)
from satchel.core.domain.permissions import Capability
from satchel.core.errors import PermissionDeniedError
from satchel.core.services.context import Area
from satchel.core.storage import assets_repo, feedback_repo, users_repo

PAGE = 200
OUTCOME_AFTER_DAYS = 14  # an account used this long ago comes back as "outcome to record"


class FieldRecords(Area):
    """What every area of field records shares: a record is written by a signed-in
    person, checked for their role first."""

    def _record(self, kind: Kind, body: dict[str, Any], asset_id: str | None = None,
                capability: Capability = Capability.GIVE_FEEDBACK) -> FeedbackRecord:  # fmt: skip
        """Keep one record of the actor's (of an asset: its id or first characters),
        outbox-ready: it goes to the hub with the next sync."""
        self._ctx.allow(capability)
        library = self._ctx.library
        with library.db.write() as session:
            asset = assets_repo.get_row(session, asset_id) if asset_id else None
            row = feedback_repo.add(session, library.new_id(), asset.id if asset else None,
                                    self._actor_id(session), kind, body, library.clock())  # fmt: skip
            return feedback_repo.to_record(row, asset.title if asset else "",
                                           self._ctx.actor.name if self._ctx.actor else "")  # fmt: skip

    def _actor_id(self, session: Session | None = None) -> str:
        actor_id = self._ctx.actor_id
        if session is None:
            with self._ctx.library.db.read() as reading:
                return self._actor_id(reading)
        if actor_id is None or users_repo.live_row(session, actor_id) is None:
            raise PermissionDeniedError("Sign in first: feedback is given by a person.")
        return actor_id


class FeedbackService(FieldRecords):
    """`services.feedback`."""

    def give(self, asset_id: str, used: str | Used, account: str = "", stage: str = "",
             rating: int | str | None = None, missing: str = "", objections: str = "",
             competitor: str = "") -> tuple[FeedbackRecord, Changes]:  # fmt: skip
        """Record the actor's feedback on an asset (used with a customer? for which
        account, funnel stage, a 1–5 rating, what was missing, objections, a
        competitor), checked first: every problem named, nothing kept."""
        feedback = checked_feedback(used, account, stage, rating, missing, objections, competitor)
        return self._record(Kind.ASSET, feedback.body(), asset_id), Changes(feedback=True)

    def record_outcome(
        self, account: str, outcome: str | Outcome
    ) -> tuple[FeedbackRecord, Changes]:
        """Won, lost, no decision or still open: one outcome per account, for every asset
        anyone used with it (the last one recorded counts)."""
        name, chosen = checked_outcome(account, outcome)
        record = self._record(Kind.OUTCOME, {"account": name, "outcome": chosen.value})
        return record, Changes(feedback=True)

    def mine(self, limit: int = PAGE) -> list[FeedbackRecord]:
        """The actor's own records, newest first."""
        with self._ctx.library.db.read() as session:
            return feedback_repo.records(session, self._actor_id(session), None, limit)

    def team(self, asset_id: str | None = None, limit: int = PAGE) -> list[FeedbackRecord]:
        """Everyone's records (of one asset, or all), newest first: marketing's view."""
        self._ctx.allow(Capability.SEE_OTHERS_ACTIVITY, writes=False)
        with self._ctx.library.db.read() as session:
            return feedback_repo.records(session, None, asset_id, limit)

    def outcomes_due(self, after_days: int = OUTCOME_AFTER_DAYS) -> list[str]:
        """The accounts the actor used collateral with at least `after_days` ago whose
        outcome is not recorded yet ("How did Northwind Foods go?"), oldest first."""
        before = self._ctx.library.clock() - dt.timedelta(days=after_days)
        with self._ctx.library.db.read() as session:
            return [name for _, name in feedback_repo.open_accounts(session, self._actor_id(session),
                                                                    before)]  # fmt: skip

    def outcome_of(self, account: str) -> tuple[Outcome | None, list[str]]:
        """The account's outcome (None before one is recorded) and the assets used with it."""
        key = account_key(account)
        with self._ctx.library.db.read() as session:
            return feedback_repo.latest_outcome(session, key), feedback_repo.used_with(session, key)

    def accounts(self) -> list[str]:
        """The accounts the actor named before, most recent first (for the prompt)."""
        with self._ctx.library.db.read() as session:
            return feedback_repo.accounts(session, self._actor_id(session))
