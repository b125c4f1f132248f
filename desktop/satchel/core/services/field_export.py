"""`satchel export feedback|notes|asks|initiatives --csv FILE`: the field's records as a
spreadsheet for marketing (a rep exports their own), every text cell shown as text."""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from satchel.core.domain.feedback import FeedbackRecord
from satchel.core.domain.permissions import Capability, allows
from satchel.core.services.asks import AsksService
from satchel.core.services.context import Context
from satchel.core.services.csv_files import write_csv
from satchel.core.services.feedback import FeedbackService, FieldRecords
from satchel.core.services.field_notes import FieldNotesService

ALL = 1_048_575  # every record: as many rows as a spreadsheet holds under its header

Rows = Iterable[Sequence[object]]


class Exported(enum.StrEnum):
    FEEDBACK = "feedback"
    NOTES = "notes"
    ASKS = "asks"
    INITIATIVES = "initiatives"


def pseudonym(user_id: str) -> str:
    """The same rep always gets the same name in reports, which says nothing of who."""
    return "Rep " + hashlib.sha256(f"satchel pseudonym {user_id}".encode()).hexdigest()[:6]


class FieldExportService(FieldRecords):
    """`services.field_export`."""

    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self._feedback = FeedbackService(context)
        self._notes = FieldNotesService(context)
        self._asks = AsksService(context)

    def csv(self, what: Exported | str, path: Path, pseudonymize: bool = False) -> int:
        """Write the records to `path`; the number of rows. Marketing exports the team's,
        anyone else their own; with `pseudonymize`, people are named by `pseudonym`."""
        self._ctx.allow(Capability.VIEW, writes=False)
        me = self._actor_id()
        everyone = self._sees_everyone()

        def shown(records: Iterable[FeedbackRecord]) -> Iterable[FeedbackRecord]:
            return (r for r in records if everyone or r.user_id == me)

        def person(record: FeedbackRecord) -> str:
            return pseudonym(record.user_id) if pseudonymize else record.person

        header, rows = self._tables()[Exported(what)](shown, person)
        return write_csv(path, header, rows)

    def _tables(self) -> dict[Exported, Callable[..., tuple[list[str], Rows]]]:
        return {Exported.FEEDBACK: self._feedback_rows, Exported.NOTES: self._note_rows,
                Exported.ASKS: self._ask_rows, Exported.INITIATIVES: self._initiative_rows}  # fmt: skip

    def _feedback_rows(self, shown: Callable[..., Iterable[FeedbackRecord]],
                       person: Callable[[FeedbackRecord], str]) -> tuple[list[str], Rows]:  # fmt: skip
        fields = ("used", "account", "stage", "rating", "missing", "objections", "competitor",
                  "outcome")  # fmt: skip
        everyone = self._sees_everyone()
        records = self._feedback.team(limit=ALL) if everyone else self._feedback.mine(ALL)
        return (["time (UTC)", "person", "asset", "kind", *fields],
                ([r.at.isoformat(), person(r), r.asset_title, r.kind.value,
                  *(_cell(r.body.get(field)) for field in fields)] for r in shown(records)))  # fmt: skip

    def _note_rows(self, shown: Callable[..., Iterable[FeedbackRecord]],
                   person: Callable[[FeedbackRecord], str]) -> tuple[list[str], Rows]:  # fmt: skip
        views = {view.note.id: view for view in self._notes.notes(limit=ALL,
                                                                  with_duplicates=True)}  # fmt: skip
        return (["time (UTC)", "person", "competitor", "claim", "account", "asset", "tags",
                 "duplicate of", "counter-asset"],
                ([n.at.isoformat(), person(n), n.body["competitor"], n.body["claim"],
                  n.body.get("account", ""), n.asset_title, ", ".join(views[n.id].tags),
                  views[n.id].duplicate_of, views[n.id].counter_asset]
                 for n in shown(view.note for view in views.values())))  # fmt: skip

    def _ask_rows(self, shown: Callable[..., Iterable[FeedbackRecord]],
                  person: Callable[[FeedbackRecord], str]) -> tuple[list[str], Rows]:  # fmt: skip
        fields = ("need", "audience", "product", "language", "region", "by", "account")
        views = {view.ask.id: view for view in self._asks.asks(limit=ALL)}
        answers = ("target", "owner", "reason", "asset_id")

        def row(ask: FeedbackRecord) -> list[object]:
            view = views[ask.id]
            answer = view.answer.body if view.answer else {}
            return [ask.at.isoformat(), person(ask),
                    *(ask.body.get(f, "") for f in fields), view.deals, view.votes, view.state,
                    *(answer.get(f, "") for f in answers)]  # fmt: skip

        return (["time (UTC)", "person", *fields, "deals", "+1s", "state", "target date",
                 "owner", "reason", "fulfilled by"],
                (row(ask) for ask in shown(v.ask for v in views.values())))  # fmt: skip

    def _initiative_rows(self, shown: Callable[..., Iterable[FeedbackRecord]],
                         person: Callable[[FeedbackRecord], str]) -> tuple[list[str], Rows]:  # fmt: skip
        fields = ("what", "starts", "ends", "segment", "collateral")
        return (["time (UTC)", "person", *fields],
                ([r.at.isoformat(), person(r), *(r.body.get(f, "") for f in fields)]
                 for r in shown(self._asks.initiatives(limit=ALL))))  # fmt: skip

    def _sees_everyone(self) -> bool:
        return self._ctx.actor is not None and allows(self._ctx.actor.role,
                                                      Capability.SEE_OTHERS_ACTIVITY)  # fmt: skip


def _cell(value: object) -> object:
    return "" if value is None else value
