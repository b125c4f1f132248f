"""The audit trail: request events in one hash chain, so a silent edit shows.

Each event is stored as the exact text that was hashed — canonical JSON with sorted
keys, times in UTC with microseconds — together with the hash of the event before it.
Its own hash is SHA-256 over that text. Nothing is recomputed from other columns, so a
chain verifies the same after a backup and restore, or a round trip through another
database. Verifying walks the chain in its stored order and names the first event that
was edited, deleted, inserted or moved.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from satchel.core.workflow.requests import Event

GENESIS = "0" * 64  # the "previous hash" of a library's first event


@dataclass(frozen=True)
class Link:
    """One stored event: its place in the chain, its text and the hashes."""

    sequence: int  # 1, 2, 3 … in the order appended
    text: str
    previous: str
    hash: str


def utc_text(moment: dt.datetime) -> str:
    """A time as the chain stores it: UTC, microseconds, always the same width."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_text(event: Event, event_id: str, sequence: int, previous: str) -> str:
    """The canonical text of an event, which is what gets hashed and stored."""
    body = {
        "id": event_id,
        "sequence": sequence,
        "previous": previous,
        "request": event.request_id,
        "actor": event.actor_id,
        "at": utc_text(event.at),
        "from": event.from_state.value,
        "to": event.to_state.value,
        "round": event.round,
        "comment": event.comment,
        "diff": {key: list(pair) for key, pair in sorted(event.diff.items())},
    }
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def link(event: Event, event_id: str, last: Link | None) -> Link:
    """The link that appends `event` after `last` (None: the first event)."""
    sequence = 1 if last is None else last.sequence + 1
    previous = GENESIS if last is None else last.hash
    text = event_text(event, event_id, sequence, previous)
    return Link(sequence, text, previous, digest(text))


def parse_time(text: str) -> dt.datetime:
    """A time as `utc_text` wrote it."""
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ")


def verify(links: Iterable[Link], head: tuple[int, str] | None = None) -> str | None:
    """None when the chain is whole; else a sentence naming the first broken event.
    `links` in their stored order (the order the events were written in); `head`, the
    (sequence, hash) kept of the last event written, shows a deleted tail."""
    links = list(links)
    expected_previous, expected_sequence, last_time = GENESIS, 1, ""
    for place, item in enumerate(links):
        try:
            body = json.loads(item.text)
        except ValueError:
            return f"Event {item.sequence} cannot be read: it was edited."
        if digest(item.text) != item.hash:
            return f"Event {item.sequence} was edited after it was written."
        if body.get("sequence") != item.sequence or item.previous != body.get("previous"):
            return f"Event {item.sequence} was edited after it was written."
        if item.sequence != expected_sequence or item.previous != expected_previous:
            later = [other.sequence for other in links[place + 1 :]]
            if item.sequence > expected_sequence and expected_sequence in later:
                return (f"Event {expected_sequence} was moved: it is stored after "
                        f"event {item.sequence}.")  # fmt: skip
            if item.sequence > expected_sequence:
                return (f"Event {expected_sequence} is missing: it was deleted "
                        f"(the chain goes on at event {item.sequence}).")  # fmt: skip
            return f"Event {item.sequence} does not follow event {expected_sequence - 1}: it was inserted or moved."
        if body["at"] < last_time:
            return f"Event {item.sequence} is dated before the event it follows: it was moved."
        expected_previous, expected_sequence, last_time = item.hash, item.sequence + 1, body["at"]
    if head is not None and (expected_sequence - 1, expected_previous) != (head[0], head[1]):
        if head[0] >= expected_sequence:
            return (f"Event {expected_sequence} is missing: it was deleted (the chain "
                    f"should end at event {head[0]}).")  # fmt: skip
        return f"Event {expected_sequence - 1} was edited after it was written."
    return None
