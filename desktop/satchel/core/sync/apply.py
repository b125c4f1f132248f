"""Applying a page of hub rows to the local library, in the caller's transaction.

A row the laptop already holds at the same or a newer revision is skipped, so a page
applied twice (a retry after a kill) changes nothing. A tombstone removes the row from
view (the row is kept with `deleted_at`, as local deletes are). Ids are the hub's,
which are the laptops' own client UUIDs; where a row made here before the laptop met
the hub shares a natural key with the hub's (a person's email, a tag's name), the local
row takes the hub's id (`rekey`).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Column, insert, select, text, update
from sqlalchemy.orm import Session

from satchel.core.domain.feedback import derived_keys
from satchel.core.domain.requests import Event, RequestState
from satchel.core.storage import requests_repo
from satchel.core.storage.models import (
    Asset,
    AssetTag,
    AssetVersion,
    Base,
    Blob,
    Collection,
    CollectionAsset,
    FeedbackRow,
    PageText,
    RequestEventRow,
    RequestRound,
    RequestRow,
    SyncConflict,
    SynonymRow,
    Tag,
    TemplateVersion,
    UsageEvent,
    User,
)
from satchel.core.sync.hub_link import PULLED, HubRow

# Which hub columns each pulled table copies into its local row, as they are named.
COLUMNS: dict[str, tuple[type[Base], tuple[str, ...]]] = {
    "profiles": (User, ("name", "title", "email", "phone", "territory", "role")),
    "tags": (Tag, ("name",)),
    "synonyms": (SynonymRow, ("term", "equivalent", "both_ways", "position")),
    "collections": (Collection, ("name", "description", "shared_roles", "shared_territories")),
    "assets": (Asset, ("title", "summary", "kind", "product", "audience", "funnel_stage",
                       "region", "language", "owner", "status", "expires_on", "review_on")),
    "asset_versions": (AssetVersion, ("asset_id", "number", "blob_sha256", "original_name",
                                      "page_count", "width", "height", "warnings", "added_by",
                                      "changes")),
    "asset_tags": (AssetTag, ("asset_id", "tag_id", "position")),
    "collection_assets": (CollectionAsset, ("collection_id", "asset_id", "position")),
    "template_versions": (TemplateVersion, ("template_id", "version", "asset_id",
                                            "base_version_id", "title", "fields", "published_by")),
    "requests": (RequestRow, ("template_id", "template_version_id", "requester_id", "customer",
                              "note", "state", "round", "values", "values_sha256",
                              "approved_values", "decided_by", "decided_at", "submitted_at")),
    "request_rounds": (RequestRound, ("request_id", "round", "values", "values_sha256",
                                      "reasons", "submitted_at", "outcome", "decided_by",
                                      "decided_at")),
    "usage_events": (UsageEvent, ("asset_id", "user_id", "action", "at", "detail")),
    "feedback": (FeedbackRow, ("asset_id", "user_id", "kind", "at", "body")),
}  # fmt: skip

# A row's parents on the hub (column → table): a page must hold them, or the laptop.
PARENTS: dict[str, tuple[tuple[str, str], ...]] = {
    "asset_versions": (("asset_id", "assets"),),
    "page_texts": (("version_id", "asset_versions"),),
    "asset_tags": (("asset_id", "assets"), ("tag_id", "tags")),
    "collection_assets": (("collection_id", "collections"), ("asset_id", "assets")),
    "template_versions": (("asset_id", "assets"), ("base_version_id", "asset_versions"),
                          ("published_by", "profiles")),
    "requests": (("template_version_id", "template_versions"), ("requester_id", "profiles"),
                 ("decided_by", "profiles")),
    "request_rounds": (("request_id", "requests"), ("decided_by", "profiles")),
    "request_events": (("request_id", "requests"), ("actor_id", "profiles")),
    "usage_events": (("asset_id", "assets"), ("user_id", "profiles")),
    "feedback": (("asset_id", "assets"), ("user_id", "profiles")),
}  # fmt: skip

# Rows found by a natural key when the id is not the hub's (made here before syncing, or
# a round this laptop opened itself). Versions are not: two marketers' version 2 of one
# asset are two versions, which the hub numbers 2 and 3.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "profiles": ("email",), "tags": ("name",), "asset_tags": ("asset_id", "tag_id"),
    "collection_assets": ("collection_id", "asset_id"), "request_rounds": ("request_id", "round"),
}  # fmt: skip

# What people edit on their own laptop: an edit not yet on the hub is never overwritten.
EDITED_HERE = frozenset({"assets", "tags", "synonyms", "collections", "asset_tags",
                         "collection_assets"})  # fmt: skip

TIMES = frozenset({"decided_at", "submitted_at", "at"})
DATES = frozenset({"expires_on", "review_on"})
RANK = {table: place for place, table in enumerate(PULLED)}


@dataclass
class Applied:
    """What a page changed here."""

    rows: int = 0
    cursor: int = 0  # the hub revision applied with the page
    skipped: int = 0  # already held at this revision, or newer
    kept_local: int = 0  # an edit made here that the hub has not taken yet
    assets: set[str] = field(default_factory=set)  # to re-index
    requests: bool = False
    events: int = 0
    made_here: dict[str, bool] = field(default_factory=dict)  # see _made_here
    present: set[tuple[str, str]] = field(default_factory=set)  # rows held here, see _preload
    loaded: dict[tuple[str, str], Any] = field(default_factory=dict)  # their objects
    new: dict[Any, list[dict[str, Any]]] = field(default_factory=dict)  # see _insert_new


def hub_time(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    return dt.datetime.fromisoformat(value).astimezone(dt.UTC)


def local_value(column: str, value: Any) -> Any:
    if column in TIMES:
        return hub_time(value)
    if column in DATES:
        return dt.date.fromisoformat(value) if value else None
    return value


def parents_of(row: HubRow) -> Iterable[tuple[str, str]]:
    """(table, id) of each parent the row names."""
    for column, table in PARENTS.get(row.table, ()):
        value = row.data.get(column)
        if value:
            yield table, str(value)


def held(refs: set[tuple[str, str]], session: Session) -> set[tuple[str, str]]:
    """Which of these (table, id) parent rows the laptop holds (any revision): one
    query per table."""
    found = set()
    for table in {table for table, _ in refs}:
        model: Any = COLUMNS[table][0]
        ids = sorted(row_id for t, row_id in refs if t == table)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            found |= {(table, row_id) for row_id in session.scalars(
                select(model.id).where(model.id.in_(chunk)))}  # fmt: skip
    return found


def _preload(session: Session, rows: list[HubRow], applied: Applied) -> None:
    """The local rows the page will update, in the session in one query per table, and
    the keys of those it holds: a row not among them is new, and is added without asking
    the database for it (each question would also flush the session)."""
    for table in {row.table for row in rows} & set(COLUMNS):
        model: Any = COLUMNS[table][0]
        ids = sorted({str(row.data["id"]) for row in rows if row.table == table})
        for start in range(0, len(ids), 500):
            found = session.scalars(select(model).where(model.id.in_(ids[start : start + 500])))
            # Held here, not by the session alone (its identity map keeps objects weakly).
            applied.loaded |= {(table, row.id): row for row in found}
    applied.present |= set(applied.loaded)
    versions = sorted({str(row.data["version_id"]) for row in rows if row.table == "page_texts"})
    for start in range(0, len(versions), 500):
        pages = session.execute(select(PageText.version_id, PageText.page)
                                .where(PageText.version_id.in_(versions[start : start + 500])))  # fmt: skip
        applied.present |= {("page_texts", f"{version}/{page}") for version, page in pages}
    hashes = sorted({str(row.data["blob_sha256"]) for row in rows if row.table == "asset_versions"})
    for start in range(0, len(hashes), 500):
        found = session.scalars(
            select(Blob.sha256).where(Blob.sha256.in_(hashes[start : start + 500]))
        )
        applied.present |= {("blobs", sha) for sha in found}


def apply_rows(session: Session, rows: list[HubRow], clock: Callable[[], dt.datetime],
               blob_of: Callable[[str], Blob]) -> Applied:  # fmt: skip
    """Apply `rows` parents first; `blob_of(sha)` gives the Blob row of a version's file
    the hub holds (not yet kept here: the round fetches the wanted files after the pull)."""
    applied = Applied()
    newest: dict[tuple[str, str], HubRow] = {}
    for row in rows:  # a parent fetched for the page may be in the page itself
        key = (row.table, str(row.data["id"]))
        if key not in newest or newest[key].rev < row.rev:
            newest[key] = row
    rows = list(newest.values())
    _preload(session, rows, applied)
    previous = ""
    with session.no_autoflush:
        for row in sorted(rows, key=lambda r: (RANK[r.table], r.rev)):
            if row.table != previous:  # parents are in the database before their children
                _insert_new(session, applied)
                session.flush()
                previous = row.table
            if row.table == "request_events":
                _event(session, row, clock, applied)
            elif row.table == "page_texts":
                _page_text(session, row, applied)
            else:
                _upsert(session, row, applied, blob_of)
    _insert_new(session, applied)
    session.flush()
    return applied


def _insert_new(session: Session, applied: Applied) -> None:
    """The page's new rows, one INSERT per table through the table itself (a first sync
    is mostly new rows: as ORM objects, or ORM bulk rows, they cost several times more)."""
    for model, values in applied.new.items():
        if values:
            session.connection().execute(insert(model.__table__), values)
    applied.new.clear()


def _upsert(session: Session, row: HubRow, applied: Applied,
            blob_of: Callable[[str], Blob]) -> None:  # fmt: skip
    model, columns = COLUMNS[row.table]
    data = row.data
    local: Any = applied.loaded.get((row.table, str(data["id"])))
    if local is None and row.table in NATURAL_KEYS and _made_here(session, model, applied):
        key = {name: data[name] for name in NATURAL_KEYS[row.table]}
        local = session.scalar(select(model).filter_by(**key))
        if local is not None:
            rekey(session, model, local.id, data["id"])
            session.expire(local)
            local = session.get(model, data["id"])
    if local is not None and local.hub_rev is not None and local.hub_rev >= row.rev:
        applied.skipped += 1
        return
    changed = hub_time(data.get("changed_at")) or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    # An edit made here that the hub has not taken, and the hub moved on: both kept.
    if (local is not None and local.dirty and row.table in EDITED_HERE
            and (row.table != "assets" or keep_conflict(session, local, data, row.rev,
                                                        "Changed on the hub too.", changed))):  # fmt: skip
        applied.kept_local += 1
        return
    if row.table == "asset_versions" and ("blobs", data["blob_sha256"]) not in applied.present:
        blob = blob_of(data["blob_sha256"])  # inserted before the versions (dicts keep order)
        applied.new.setdefault(Blob, []).append({
            "sha256": blob.sha256, "size": blob.size, "file_type": blob.file_type,
            "created_at": blob.created_at, "stored": blob.stored})  # fmt: skip
        applied.present.add(("blobs", data["blob_sha256"]))
    gone = data.get("deleted") or (row.table == "profiles" and not data.get("active", True))
    values = {column: local_value(column, data.get(column)) for column in columns}
    values |= {"deleted_at": changed if gone else None, "updated_at": changed,
               "hub_rev": row.rev, "dirty": False}  # fmt: skip
    if row.table == "assets":
        values["search_dirty"] = True
    elif row.table == "feedback":  # kept here to find an account's records
        values |= derived_keys(data.get("body") or {})
    if local is None:
        applied.new.setdefault(model, []).append({"id": data["id"], "created_at": changed,
                                                   **values})  # fmt: skip
    else:
        for column, value in values.items():
            setattr(local, column, value)
    if row.table == "assets":
        applied.assets.add(data["id"])
    elif row.table in ("asset_versions", "asset_tags", "collection_assets"):
        applied.assets.add(str(data["asset_id"]))
    elif row.table in ("requests", "request_rounds"):
        applied.requests = True
    applied.rows += 1


def _made_here(session: Session, model: Any, applied: Applied) -> bool:
    """Whether the table holds rows the hub has not numbered (asked once per page)."""
    name = model.__tablename__
    if name not in applied.made_here:
        applied.made_here[name] = session.scalar(
            select(model.id).where(model.hub_rev.is_(None)).limit(1)) is not None  # fmt: skip
    return applied.made_here[name]


def _page_text(session: Session, row: HubRow, applied: Applied) -> None:
    data = row.data
    key = ("page_texts", f"{data['version_id']}/{data['page']}")
    local = (
        session.get(PageText, (data["version_id"], data["page"]))
        if key in applied.present
        else None
    )
    applied.present.add(key)
    if data.get("deleted"):
        if local is not None:
            session.delete(local)
    elif local is None:
        applied.new.setdefault(PageText, []).append(
            {"version_id": data["version_id"], "page": data["page"], "text": data["text"]}
        )
    else:
        local.text = data["text"]
    applied.assets.add(str(data["asset_id"]))
    applied.rows += 1


def _event(session: Session, row: HubRow, clock: Callable[[], dt.datetime],
           applied: Applied) -> None:  # fmt: skip
    """A step the hub recorded, appended to this laptop's own chain unless the laptop
    recorded the same step itself (its own submission, its own decision)."""
    body = json.loads(row.data["text"])
    step = (body["request"], body["actor"], body["from"], body["to"], body["round"])
    for mine in requests_repo.events_of(session, body["request"]):
        known = json.loads(mine.text)
        if (known["request"], known["actor"], known["from"], known["to"], known["round"]) == step:
            if mine.hub_rev is None:
                mine.hub_rev = row.rev
            applied.skipped += 1
            return
    at = hub_time(body["at"]) or clock()
    last = requests_repo.head(session)
    if last is not None:  # the chain's times never go back (audit.verify checks that)
        previous = session.scalar(select(RequestEventRow.at)
                                  .where(RequestEventRow.sequence == last[0]))  # fmt: skip
        at = max(at, previous) if previous else at
    diff = {key: (pair[0], pair[1]) for key, pair in dict(body.get("diff") or {}).items()}
    event = Event(body["request"], body["actor"], at, RequestState(body["from"]),
                  RequestState(body["to"]), int(body["round"]), body.get("comment") or "", diff)  # fmt: skip
    requests_repo.append_event(session, event, str(row.data["id"]))
    session.flush()
    stored = session.get(RequestEventRow, str(row.data["id"]))
    if stored is not None:
        stored.hub_rev = row.rev
    applied.events += 1
    applied.requests = True
    applied.rows += 1


def keep_conflict(session: Session, asset: Asset, theirs: dict[str, Any], rev: int,
                  reason: str, now: dt.datetime) -> bool:  # fmt: skip
    """Keep an edit made here beside the hub's newer version of the asset, as a conflict
    for the marketer (the open one is brought up to date). False when the two agree on
    every field: then there is nothing to choose and the hub's row may be taken."""
    hub = {name: local_value(name, theirs.get(name)) for name in COLUMNS["assets"][1]}
    mine = {name: getattr(asset, name) for name in hub if getattr(asset, name) != hub[name]}
    if not mine:
        return False
    json_ready = {name: value.isoformat() if isinstance(value, dt.date) else value
                  for name, value in hub.items()}  # fmt: skip
    ours = {name: value.isoformat() if isinstance(value, dt.date) else value
            for name, value in mine.items()}  # fmt: skip
    open_one = session.scalar(select(SyncConflict).where(SyncConflict.asset_id == asset.id,
                                                         SyncConflict.resolved_at.is_(None)))  # fmt: skip
    if open_one is None:
        open_one = SyncConflict(id=str(uuid.uuid4()), asset_id=asset.id, created_at=now,
                                reason=reason)  # fmt: skip
        session.add(open_one)
    open_one.mine = ours
    open_one.theirs = {name: json_ready[name] for name in ours}
    open_one.theirs_rev = rev
    return True


# Columns that hold a user id without a foreign key (kept free for history's sake).
USER_COLUMNS = (("asset_versions", "added_by"), ("request_events", "actor_id"))


def rekey(session: Session, model: type[Base], old: str, new: str) -> None:
    """Give a local row the hub's id, and every row that points at it too."""
    if old == new:
        return
    session.flush()
    session.execute(text("PRAGMA defer_foreign_keys = ON"))  # children and parent move together
    table = Base.metadata.tables[str(model.__tablename__)]
    for other in Base.metadata.sorted_tables:
        for key in other.foreign_keys:
            if key.column.table is table:
                column: Column[Any] = key.parent
                session.execute(update(other).where(column == old).values({column.name: new}))
    if table.name == "users":
        for name, column_name in USER_COLUMNS:
            other = Base.metadata.tables[name]
            session.execute(update(other).where(other.c[column_name] == old)
                            .values({column_name: new}))  # fmt: skip
    session.execute(update(table).where(table.c.id == old).values(id=new))
