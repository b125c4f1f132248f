"""Content requests ("we need something that does not exist"): a rep asks, others +1
instead of filing the same again, marketing accepts with a date and an owner, declines
with a reason or names the asset that fulfils it; and the sales initiatives marketing
should know of."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from satchel.core.domain.changes import Changes
from satchel.core.domain.feedback import FeedbackRecord, Kind
from satchel.core.domain.field import (
    SIMILAR_AT,
    Answer,
    ask_words,
    checked_answer,
    checked_ask,
    checked_initiative,
    checked_vote,
    likeness,
)
from satchel.core.domain.permissions import Capability, allows
from satchel.core.errors import NotFoundError, ValidationError
from satchel.core.services.feedback import PAGE, FieldRecords
from satchel.core.storage import assets_repo, feedback_repo


@dataclass(frozen=True)
class AskView:
    """A content request as the lists show it: with its +1s and marketing's answer."""

    ask: FeedbackRecord
    votes: int = 0  # people who +1'd it
    deals: int = 0  # deals it affects: the requester's and the +1s'
    answer: FeedbackRecord | None = None
    fulfilled_by_published: bool = False  # the asset that fulfils it is published

    @property
    def state(self) -> str:
        return str(self.answer.body["answer"]) if self.answer else "open"


class AsksService(FieldRecords):
    """`services.asks`."""

    def ask(self, need: str, audience: str = "", product: str = "", language: str = "",
            region: str = "", by: str | dt.date | None = None, account: str = "",
            deals: int | str | None = None) -> tuple[AskView, Changes]:  # fmt: skip
        """File a content request (check `similar` first: a +1 beats a duplicate)."""
        body = checked_ask(need, audience, product, language, region, by, account, deals,
                           today=self._ctx.library.clock().date())  # fmt: skip
        record = self._record(Kind.ASK, body)
        return AskView(record, deals=body["deals"]), Changes(feedback=True)

    def similar(self, typed: str, limit: int = 5) -> list[AskView]:
        """Open requests like the one being typed, most alike first (offered for a +1)."""
        words = ask_words(typed)
        if not words:
            return []
        listed = self.asks(limit=2000)
        alike = [(likeness(words, ask_words(view.ask.body["need"])), view) for view in listed
                 if view.state in ("open", Answer.ACCEPTED)]  # fmt: skip
        alike.sort(key=lambda pair: -pair[0])
        return [view for score, view in alike if score >= SIMILAR_AT][:limit]

    def plus_one(self, ask_id: str, account: str = "",
                 deals: int | str | None = None) -> tuple[AskView, Changes]:  # fmt: skip
        """ "+1" someone's request: it needs me too (for my account and deals)."""
        self._ctx.allow(Capability.GIVE_FEEDBACK)  # before anything is looked up
        ask = self._find(ask_id)
        with self._ctx.library.db.read() as session:
            me = self._actor_id(session)
            if ask.user_id == me or feedback_repo.voted(session, me, ask.id):
                raise ValidationError(["You asked for this already; it counts you once."])
        self._record(Kind.VOTE, checked_vote(ask.id, account, deals))
        return self._view(ask), Changes(feedback=True)

    def asks(self, mine: bool = False, state: str = "", text: str = "",
             limit: int = PAGE) -> list[AskView]:  # fmt: skip
        """Newest first: everyone's (a rep sees who asked only on their own), or the
        actor's own and the ones they +1'd; of one state (open, accepted, …) or all;
        with `text` in what is needed, the audience, product or account."""
        with self._ctx.library.db.read() as session:
            me = self._actor_id(session) if mine else None
            listed = feedback_repo.records(session, None, None, max(limit, 2000) if state or mine
                                           else limit, kinds=(Kind.ASK,), text=text,
                                           in_fields=("need", "audience", "product",
                                                      "account"))  # fmt: skip
            views = self._views(session, listed)
            if me is not None:
                views = [v for v in views if v.ask.user_id == me
                         or feedback_repo.voted(session, me, v.ask.id)]  # fmt: skip
        return [v for v in views if not state or v.state == state][:limit]

    def answer(self, ask_id: str, answer: str | Answer, target: str | dt.date | None = None,
               owner: str = "", reason: str = "",
               asset_id: str = "") -> tuple[AskView, Changes]:  # fmt: skip
        """Marketing accepts (target date, owner), declines (reason) or names the asset
        that fulfils a request; its requesters see the answer after their next sync."""
        self._ctx.allow(Capability.DECIDE_REQUESTS)
        ask = self._find(ask_id)
        if asset_id:
            with self._ctx.library.db.read() as session:
                asset_id = assets_repo.get_row(session, asset_id).id
        body = checked_answer(ask.id, answer, target, owner, reason, asset_id,
                              today=self._ctx.library.clock().date())  # fmt: skip
        self._record(Kind.ANSWER, body, capability=Capability.DECIDE_REQUESTS)
        return self._view(ask), Changes(feedback=True)

    def fulfilled(self) -> list[AskView]:
        """The actor's requests (filed or +1'd) whose asset is published now: the news a
        requester gets."""
        return [view for view in self.asks(mine=True, state=Answer.FULFILLED)
                if view.fulfilled_by_published]  # fmt: skip

    def announce(self, what: str, starts: str | dt.date | None = None,
                 ends: str | dt.date | None = None, segment: str = "",
                 collateral: str = "") -> tuple[FeedbackRecord, Changes]:  # fmt: skip
        """A sales initiative marketing should know of (in their view and the pack)."""
        body = checked_initiative(what, starts, ends, segment, collateral)
        return self._record(Kind.INITIATIVE, body), Changes(feedback=True)

    def initiatives(self, limit: int = PAGE) -> list[FeedbackRecord]:
        with self._ctx.library.db.read() as session:
            return feedback_repo.records(session, None, None, limit, kinds=(Kind.INITIATIVE,))

    def _find(self, ask_id: str) -> FeedbackRecord:
        with self._ctx.library.db.read() as session:
            found = feedback_repo.records(session, None, None, 2, (Kind.ASK,), ask_id.strip())
        if len(found) != 1 or not ask_id.strip():
            raise NotFoundError(f"No content request has the id {ask_id!r}." if not found else
                                f"More than one request's id begins {ask_id!r}; give more of it.")  # fmt: skip
        return found[0]

    def _view(self, ask: FeedbackRecord) -> AskView:
        with self._ctx.library.db.read() as session:
            return self._views(session, [ask])[0]

    def _views(self, session: Session, asks: list[FeedbackRecord]) -> list[AskView]:
        ids = [ask.id for ask in asks]
        counts = feedback_repo.tallies(session, ids)
        answers = feedback_repo.referring(session, Kind.ANSWER, ids)
        everyone = self._ctx.actor is not None and allows(self._ctx.actor.role,
                                                          Capability.SEE_OTHERS_ACTIVITY)  # fmt: skip
        views = []
        for ask in asks:
            if not everyone and ask.user_id != self._ctx.actor_id:
                ask = _anonymous(ask)
            votes, deals = counts.get(ask.id, (0, 0))
            answer = answers.get(ask.id)
            published = False
            if answer is not None and answer.body.get("asset_id"):
                published = feedback_repo.is_published(session, str(answer.body["asset_id"]))
            views.append(AskView(ask, votes, int(ask.body.get("deals") or 0) + deals, answer,
                                 published))  # fmt: skip
        return views


def _anonymous(ask: FeedbackRecord) -> FeedbackRecord:
    """A rep reads the team's requests without who filed them (reps see the aggregate)."""
    return FeedbackRecord(ask.id, ask.asset_id, ask.asset_title, "", "a colleague", ask.kind,
                          ask.at, ask.body)  # fmt: skip
