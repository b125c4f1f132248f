"""What the competition is saying: field notes logged by reps in seconds, the
competitor list and objection tags marketing keeps, and marketing's triage of the notes
(tags, duplicates merged, a battlecard linked)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from satchel.core.domain.changes import Changes
from satchel.core.domain.feedback import FeedbackRecord, Kind
from satchel.core.domain.field import (
    checked_competitor,
    checked_note,
    checked_tags,
    checked_triage,
    folded,
    named_tags,
    suggested_tags,
)
from satchel.core.domain.permissions import Capability, allows
from satchel.core.errors import NotFoundError
from satchel.core.services.feedback import PAGE, FieldRecords
from satchel.core.storage import assets_repo, feedback_repo


@dataclass(frozen=True)
class Competitor:
    name: str
    aliases: tuple[str, ...]
    notes: str


@dataclass(frozen=True)
class NoteView:
    """A note with marketing's triage of it."""

    note: FeedbackRecord
    tags: tuple[str, ...] = ()
    duplicate_of: str = ""  # the note it repeats (merged into)
    counter_asset: str = ""  # the battlecard's asset id


@dataclass(frozen=True)
class Objection:
    """Feedback naming what a customer objected to, with the tags its text names."""

    feedback: FeedbackRecord
    tags: tuple[str, ...] = ()


class FieldNotesService(FieldRecords):
    """`services.notes`."""

    def note(self, competitor: str, claim: str, account: str = "",
             asset_id: str | None = None) -> tuple[FeedbackRecord, Changes]:  # fmt: skip
        """Log what a competitor claimed or offered (a name the list knows by an alias is
        written as the list names it; a new name is kept as typed)."""
        with self._ctx.library.db.read() as session:
            known = list(feedback_repo.list_entries(session, Kind.COMPETITOR).values())
        body = checked_note(competitor, claim, account, known)
        return self._record(Kind.NOTE, body, asset_id), Changes(feedback=True)

    def notes(self, competitor: str = "", text: str = "", limit: int = PAGE,
              with_duplicates: bool = False) -> list[NoteView]:  # fmt: skip
        """Newest first: the actor's own, or everyone's for marketing; of one competitor
        or all; with `text` in the competitor, claim or account; notes merged into
        another left out unless `with_duplicates`."""
        with self._ctx.library.db.read() as session:
            listed = feedback_repo.records(session, self._whose(session), None, limit * 2,
                                           kinds=(Kind.NOTE,), text=text,
                                           in_fields=("competitor", "claim", "account"))  # fmt: skip
            triage = feedback_repo.referring(session, Kind.TRIAGE, (n.id for n in listed))
        views = [_view(note, triage.get(note.id)) for note in listed
                 if not competitor or folded(note.body["competitor"]) == folded(competitor)]  # fmt: skip
        return [view for view in views if with_duplicates or not view.duplicate_of][:limit]

    def objections(self, tag: str = "", text: str = "", limit: int = PAGE) -> list[Objection]:
        """Feedback that names the customer's objections, newest first (the actor's own,
        or everyone's for marketing), with the tags its text names; of one tag or all."""
        known = self.objection_tags()
        with self._ctx.library.db.read() as session:
            listed = feedback_repo.records(session, self._whose(session), None,
                                           limit * 4 if tag else limit, kinds=(Kind.ASSET,),
                                           having="objections", text=tag or text,
                                           in_fields=("objections", "account"))  # fmt: skip
        views = [Objection(r, tuple(named_tags(r.body["objections"], known))) for r in listed]
        return [view for view in views if not tag or tag in view.tags][:limit]

    def _whose(self, session: Session) -> str | None:
        """Marketing reads everyone's records; a rep their own."""
        everyone = self._ctx.actor is not None and allows(self._ctx.actor.role,
                                                          Capability.SEE_OTHERS_ACTIVITY)  # fmt: skip
        return None if everyone else self._actor_id(session)

    def triage(self, note_id: str, tags: Iterable[str] | None = None,
               duplicate_of: str | None = None,
               counter_asset: str | None = None) -> tuple[NoteView, Changes]:  # fmt: skip
        """Marketing's word on a note: tags, the note it repeats, its counter-asset;
        what is not given stays as the newest word on it said ("" clears it)."""
        self._ctx.allow(Capability.SEE_OTHERS_ACTIVITY)
        with self._ctx.library.db.read() as session:
            note = self._note(session, note_id)
            said = _view(
                note, feedback_repo.referring(session, Kind.TRIAGE, [note.id]).get(note.id)
            )
            if duplicate_of is None:
                original = said.duplicate_of
            else:
                original = self._note(session, duplicate_of).id if duplicate_of else ""
            if counter_asset is None:
                battlecard = said.counter_asset
            else:
                battlecard = assets_repo.get_row(session, counter_asset).id if counter_asset else ""
        body = checked_triage(note.id, said.tags if tags is None else tags, original, battlecard)
        record = self._record(Kind.TRIAGE, body, capability=Capability.SEE_OTHERS_ACTIVITY)
        return _view(note, record), Changes(feedback=True)

    def competitors(self) -> list[Competitor]:
        with self._ctx.library.db.read() as session:
            entries = feedback_repo.list_entries(session, Kind.COMPETITOR)
        return [Competitor(e["name"], tuple(e["aliases"]), e["notes"]) for e in entries.values()]

    def keep_competitor(self, name: str, aliases: Iterable[str] = (), notes: str = "",
                        remove: bool = False) -> tuple[Competitor, Changes]:  # fmt: skip
        """Add or change (by name, whatever the case) or remove a competitor."""
        body = checked_competitor(name, aliases, notes, remove)
        self._record(Kind.COMPETITOR, body, capability=Capability.EDIT_METADATA)
        return Competitor(body["name"], tuple(body["aliases"]), body["notes"]), Changes(
            feedback=True
        )

    def objection_tags(self) -> list[str]:
        with self._ctx.library.db.read() as session:
            return [e["name"] for e in feedback_repo.list_entries(session, Kind.OBJECTION_TAG)
                    .values()]  # fmt: skip

    def keep_objection_tags(self, add: Iterable[str] = (),
                            remove: Iterable[str] = ()) -> tuple[list[str], Changes]:  # fmt: skip
        """Marketing's objection tags ("price", "integration", "security review")."""
        self._ctx.allow(Capability.EDIT_METADATA)  # refused even when nothing is given
        for name, removed in [(n, False) for n in checked_tags(add)] + [
                (n, True) for n in checked_tags(remove)]:  # fmt: skip
            self._record(Kind.OBJECTION_TAG, {"key": name, "name": name, "removed": removed},
                         capability=Capability.EDIT_METADATA)  # fmt: skip
        return self.objection_tags(), Changes(feedback=True)

    def suggest_tags(self, typed: str) -> list[str]:
        """Tags offered as a rep types the customer's objections."""
        return suggested_tags(typed, self.objection_tags())

    def _note(self, session: Session, note_id: str) -> FeedbackRecord:
        found = feedback_repo.records(session, None, None, 2, (Kind.NOTE,), note_id.strip())
        if len(found) != 1 or not note_id.strip():
            raise NotFoundError(f"No field note has the id {note_id!r}." if not found else
                                f"More than one note's id begins {note_id!r}; give more of it.")  # fmt: skip
        return found[0]


def _view(note: FeedbackRecord, triage: FeedbackRecord | None) -> NoteView:
    if triage is None:
        return NoteView(note)
    body = triage.body
    return NoteView(note, tuple(body.get("tags") or ()), str(body.get("duplicate_of") or ""),
                    str(body.get("counter_asset") or ""))  # fmt: skip
