"""Feedback from the field: a rep's word on an asset after using it, and the outcome of
an account, recorded in milliseconds and offline; each record goes to the hub with the
next sync (and marketing's laptops receive the team's)."""

from __future__ import annotations

import datetime as dt

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


class FeedbackService(Area):
    """`services.feedback`."""

    def give(self, asset_id: str, used: str | Used, account: str = "", stage: str = "",
             rating: int | str | None = None, missing: str = "", objections: str = "",
             competitor: str = "") -> tuple[FeedbackRecord, Changes]:  # fmt: skip
        """Record the actor's feedback on an asset (used with a customer? for which
        account, funnel stage, a 1–5 rating, what was missing, objections, a
        competitor), checked first: every problem named, nothing kept."""
        self._ctx.allow(Capability.GIVE_FEEDBACK)
        feedback = checked_feedback(used, account, stage, rating, missing, objections, competitor)
        library = self._ctx.library
        with library.db.write() as session:
            asset = assets_repo.get_row(session, asset_id)  # an id, or its first characters
            row = feedback_repo.add(session, library.new_id(), asset.id, self._actor_id(),
                                    Kind.ASSET, feedback.body(), library.clock())  # fmt: skip
            record = feedback_repo.to_record(
                row, asset.title, self._ctx.actor.name if self._ctx.actor else ""
            )
        return record, Changes(feedback=True)

    def record_outcome(
        self, account: str, outcome: str | Outcome
    ) -> tuple[FeedbackRecord, Changes]:
        """Won, lost, no decision or still open: one outcome per account, for every asset
        anyone used with it (the last one recorded counts)."""
        self._ctx.allow(Capability.GIVE_FEEDBACK)
        name, chosen = checked_outcome(account, outcome)
        library = self._ctx.library
        with library.db.write() as session:
            row = feedback_repo.add(session, library.new_id(), None, self._actor_id(),
                                    Kind.OUTCOME, {"account": name, "outcome": chosen.value},
                                    library.clock())  # fmt: skip
            record = feedback_repo.to_record(
                row, "", self._ctx.actor.name if self._ctx.actor else ""
            )
        return record, Changes(feedback=True)

    def mine(self, limit: int = PAGE) -> list[FeedbackRecord]:
        """The actor's own records, newest first."""
        with self._ctx.library.db.read() as session:
            return feedback_repo.records(session, self._actor_id(), None, limit)

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
            return [name for _, name in feedback_repo.open_accounts(session, self._actor_id(),
                                                                    before)]  # fmt: skip

    def outcome_of(self, account: str) -> tuple[Outcome | None, list[str]]:
        """The account's outcome (None before one is recorded) and the assets used with it."""
        key = account_key(account)
        with self._ctx.library.db.read() as session:
            return feedback_repo.latest_outcome(session, key), feedback_repo.used_with(session, key)

    def accounts(self) -> list[str]:
        """The accounts the actor named before, most recent first (for the prompt)."""
        with self._ctx.library.db.read() as session:
            return feedback_repo.accounts(session, self._actor_id())

    def _actor_id(self) -> str:
        actor_id = self._ctx.actor_id
        if actor_id is None:
            raise PermissionDeniedError("Sign in first: feedback is given by a person.")
        with self._ctx.library.db.read() as session:
            if users_repo.live_row(session, actor_id) is None:
                raise PermissionDeniedError("Sign in first: feedback is given by a person.")
        return actor_id
