"""Pushing marketing's collateral: new and edited assets, their files, versions and
page texts, published template versions, then the tags on assets, the collections and
the search synonyms — parents first, files before the rows that name them.

Each push's idempotency key is derived from what it sends (the row's id, and for a
metadata edit the time of the edit), so a retry sends the same key and the hub answers
from its record. A file the hub already holds, or the parts of it that arrived before a
dropped connection, are never sent again (api.put_blob says which parts it has). A
metadata edit made against an older hub revision is refused by the hub as stale and
kept here as a conflict for the marketer, with the hub's version beside it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from satchel.core.blobs import BlobStore
from satchel.core.errors import KnownError
from satchel.core.hub.connection import HubConflictError
from satchel.core.storage.models import (
    Asset,
    AssetVersion,
    Blob,
    PageText,
    SyncConflict,
    Tag,
    TemplateVersion,
)
from satchel.core.sync.apply import COLUMNS, keep_conflict, local_value, rekey
from satchel.core.sync.hub_link import HubLink
from satchel.core.sync.push import Write, refusal_of

KEYS = uuid.UUID("6f1c1f0e-8d2a-4a55-9f43-5a7c1b0d2e11")  # namespace of derived mutation ids
CHUNK = 1 << 20  # a file part (the hub takes at most 1 MiB)
METADATA = COLUMNS["assets"][1]


@dataclass
class Published:
    assets: int = 0
    versions: int = 0
    files: int = 0
    bytes_sent: int = 0
    templates: int = 0
    library_rows: int = 0  # tags on assets, collections and their assets, synonyms
    conflicts: int = 0
    refused: list[str] = field(default_factory=list)


def key(*parts: object) -> str:
    return str(uuid.uuid5(KEYS, ":".join(str(part) for part in parts)))


def metadata_of(row: Asset) -> dict[str, Any]:
    values = {name: getattr(row, name) for name in METADATA}
    for name in ("expires_on", "review_on"):
        values[name] = values[name].isoformat() if values[name] else None
    return values


def push_collateral(link: HubLink, write: Write[Any], read: Callable[[Callable[[Session], Any]], Any],
                    blobs: BlobStore, clock: Callable[[], dt.datetime]) -> Published:  # fmt: skip
    published = Published()
    for asset in read(_dirty_assets):
        _push_asset(link, write, asset, published, clock)
    for version in read(_dirty_versions):
        try:
            _push_file(link, blobs, version, published)
            result = link.call("add_asset_version", mutation=key("version", version["id"]),
                               body=version["body"])  # fmt: skip
            link.call("put_page_texts", mutation=key("texts", version["id"]),
                      version_id=version["id"], texts=version["texts"])  # fmt: skip
        except KnownError as error:
            if (reason := refusal_of(error)) is None:
                raise
            published.refused.append(f"Version of “{version['title']}”: {reason}")
            continue
        write(partial(_numbered, AssetVersion, version["id"], "number", result))
        published.versions += 1
    for template in read(_dirty_templates):
        try:
            result = link.call("publish_template", mutation=key("template", template["id"]),
                               body=template)  # fmt: skip
        except KnownError as error:
            if (reason := refusal_of(error)) is None:
                raise
            published.refused.append(f"Template “{template['title']}”: {reason}")
            continue
        write(partial(_numbered, TemplateVersion, template["id"], "version", result))
        published.templates += 1
    for table in LIBRARY_ROWS:
        write(partial(_forget_unsent, table))
        rows = read(partial(_dirty_rows, table))
        for start in range(0, len(rows), ROWS_AT_ONCE):
            _push_rows(link, write, table, rows[start : start + ROWS_AT_ONCE], published)
    return published


# Parents first: a tag before the asset's link to it, a collection before its assets.
LIBRARY_ROWS = ("tags", "asset_tags", "collections", "collection_assets", "synonyms")
LABELS = {"tags": "Tag", "asset_tags": "An asset's tag", "collections": "Collection",
          "collection_assets": "An asset in a collection", "synonyms": "Synonym"}  # fmt: skip
ROWS_AT_ONCE = 500


def _push_rows(link: HubLink, write: Write[Any], table: str, rows: list[dict[str, Any]],
               published: Published) -> None:  # fmt: skip
    """Rows of one table in one hub transaction; a refused batch is sent again row by
    row, so one bad row (an asset the hub refused) holds back only itself."""
    try:
        result = link.call("put_library_rows", kind=table, body={"rows": [r["body"] for r in rows]},
                           mutation=key(table, *(f"{r['id']}@{r['edited']}" for r in rows)))  # fmt: skip
    except KnownError as error:
        if (reason := refusal_of(error)) is None:
            raise
        if len(rows) > 1:
            for row in rows:
                _push_rows(link, write, table, [row], published)
        else:
            published.refused.append(f"{LABELS[table]} “{rows[0]['label']}”: {reason}")
        return
    write(partial(_rows_sent, table, rows, dict(result.get("ids") or {})))
    published.library_rows += len(rows)


def _push_asset(link: HubLink, write: Write[Any], asset: dict[str, Any], published: Published,
                clock: Callable[[], dt.datetime]) -> None:  # fmt: skip
    body = {"id": asset["id"], **asset["metadata"]}
    if asset["hub_rev"] is not None:
        body["base_rev"] = asset["hub_rev"]
    try:
        result = link.call("publish_asset", mutation=key("asset", asset["id"], asset["edited"]),
                           body=body)  # fmt: skip
    except HubConflictError as error:
        theirs = link.by_id("assets", {asset["id"]})
        if theirs:
            write(partial(_stale, asset["id"], theirs[0].data, theirs[0].rev, str(error), clock()))
            published.conflicts += 1
        return
    except KnownError as error:
        if (reason := refusal_of(error)) is None:
            raise
        published.refused.append(f"“{asset['metadata']['title']}”: {reason}")
        return
    write(partial(_asset_sent, asset, int(result["rev"])))
    published.assets += 1


def _push_file(link: HubLink, blobs: BlobStore, version: dict[str, Any],
               published: Published) -> None:  # fmt: skip
    sha, size = version["sha256"], version["size"]
    parts = max(1, -(-size // CHUNK))
    state = link.call("put_blob", sha=sha, blob_size=size, blob_type=version["file_type"],
                      chunks=parts)  # fmt: skip
    if state.get("complete"):
        return
    have = set(state.get("have") or [])
    data = blobs.read_verified(sha, f"“{version['title']}”")
    for number in range(parts):
        if number not in have:
            part = data[number * CHUNK : (number + 1) * CHUNK]
            link.call("put_blob_chunk", sha=sha, chunk_number=number, chunk_data=part)
            published.bytes_sent += len(part)
    published.files += 1


# --- what waits to be sent, read out of its session -----------------------------------


def _dirty_assets(session: Session) -> list[dict[str, Any]]:
    open_conflicts = select(SyncConflict.asset_id).where(SyncConflict.resolved_at.is_(None))
    rows = session.scalars(select(Asset).where(Asset.dirty, Asset.id.not_in(open_conflicts))
                           .order_by(Asset.created_at, Asset.id))  # fmt: skip
    return [{"id": row.id, "hub_rev": row.hub_rev, "edited": row.updated_at.isoformat(),
             "metadata": metadata_of(row)} for row in rows]  # fmt: skip


def _dirty_versions(session: Session) -> list[dict[str, Any]]:
    query = (select(AssetVersion, Asset.title, Blob).join(Asset, Asset.id == AssetVersion.asset_id)
             .join(Blob, Blob.sha256 == AssetVersion.blob_sha256)
             .where(AssetVersion.dirty, Asset.hub_rev.is_not(None))
             .order_by(AssetVersion.created_at, AssetVersion.id))  # fmt: skip
    out = []
    for version, title, blob in session.execute(query):
        texts = [{"page": page, "text": text} for page, text in session.execute(
            select(PageText.page, PageText.text).where(PageText.version_id == version.id)
            .order_by(PageText.page))]  # fmt: skip
        body = {"id": version.id, "asset_id": version.asset_id, "blob_sha256": version.blob_sha256,
                "original_name": version.original_name, "page_count": version.page_count,
                "width": version.width, "height": version.height,
                "warnings": version.warnings or [], "changes": version.changes}  # fmt: skip
        out.append({"id": version.id, "title": title, "sha256": blob.sha256, "size": blob.size,
                    "file_type": blob.file_type, "body": body, "texts": texts})  # fmt: skip
    return out


def _dirty_templates(session: Session) -> list[dict[str, Any]]:
    query = (select(TemplateVersion).join(AssetVersion,
                                          AssetVersion.id == TemplateVersion.base_version_id)
             .where(TemplateVersion.dirty, AssetVersion.hub_rev.is_not(None))
             .order_by(TemplateVersion.created_at, TemplateVersion.id))  # fmt: skip
    return [{"id": row.id, "template_id": row.template_id, "asset_id": row.asset_id,
             "base_version_id": row.base_version_id, "title": row.title,
             "fields": row.fields} for row in session.scalars(query)]  # fmt: skip


def _forget_unsent(table: str, session: Session) -> None:
    """A row made and removed here before it ever reached the hub has nothing to send."""
    model: Any = COLUMNS[table][0]
    session.execute(update(model).where(model.dirty, model.hub_rev.is_(None),
                                        model.deleted_at.is_not(None)).values(dirty=False))  # fmt: skip


def _dirty_rows(table: str, session: Session) -> list[dict[str, Any]]:
    """Rows of `table` changed here and not yet on the hub, oldest first."""
    model: Any = COLUMNS[table][0]
    out = []
    for row in session.scalars(select(model).where(model.dirty).order_by(model.created_at,
                                                                          model.id)):  # fmt: skip
        body = {"id": row.id, "deleted": row.deleted_at is not None}
        body |= {name: getattr(row, name) for name in COLUMNS[table][1]}
        label = str(body.get("name") or body.get("term") or row.id[:8])
        out.append({"id": row.id, "edited": row.updated_at.isoformat(), "body": body,
                    "label": label})  # fmt: skip
    return out


# --- marks ---------------------------------------------------------------------------


def _stale(asset_id: str, theirs: dict[str, Any], rev: int, reason: str, now: dt.datetime,
           session: Session) -> None:  # fmt: skip
    row = session.get(Asset, asset_id)
    if row is not None:
        keep_conflict(session, row, theirs, rev, reason, now)


def _asset_sent(asset: dict[str, Any], rev: int, session: Session) -> None:
    row = session.get(Asset, asset["id"])
    if row is not None and row.updated_at.isoformat() == asset["edited"]:  # not edited since
        row.hub_rev, row.dirty = rev, False


def _rows_sent(table: str, rows: list[dict[str, Any]], hub_ids: dict[str, str],
               session: Session) -> None:  # fmt: skip
    """Sent rows are clean unless edited since; a tag the hub holds under another id (the
    same name made elsewhere) takes the hub's id here, with every link to it."""
    model: Any = COLUMNS[table][0]
    for sent in rows:
        row = session.get(model, sent["id"])
        if row is not None:
            row.hub_rev = row.hub_rev or 0  # on the hub now (its revision comes with the pull)
            row.dirty = row.dirty and row.updated_at.isoformat() != sent["edited"]
        hub_id = hub_ids.get(sent["id"])
        if table == "tags" and hub_id and hub_id != sent["id"]:
            rekey(session, Tag, sent["id"], hub_id)


def _numbered(model: type[AssetVersion] | type[TemplateVersion], row_id: str, column: str,
              result: dict[str, Any], session: Session) -> None:  # fmt: skip
    """The hub numbers versions: a version two marketers made at once may be renumbered."""
    row: Any = session.get(model, row_id)
    if row is None:
        return
    if column in result and getattr(row, column) != int(result[column]):
        setattr(row, column, int(result[column]))
    row.hub_rev, row.dirty = int(result["rev"]), False


def resolve(session: Session, conflict_id: str, choices: dict[str, str], now: dt.datetime) -> str:
    """Resolve a conflict: each field "mine" or "theirs" (unnamed fields: theirs). The
    asset then carries the hub's revision as its base, so the next push is no longer
    stale; keeping only theirs sends nothing. Returns the asset's id."""
    conflict = session.get(SyncConflict, conflict_id)
    if conflict is None or conflict.resolved_at is not None:
        raise KnownError("That conflict is already resolved.")
    row = session.get(Asset, conflict.asset_id)
    if row is None:
        raise KnownError("The asset of this conflict is gone.")
    keep_mine = {name for name, choice in choices.items() if choice == "mine"} & set(conflict.mine)
    for name, value in conflict.theirs.items():
        if name not in keep_mine:
            setattr(row, name, local_value(name, value))
    row.hub_rev, row.dirty = conflict.theirs_rev, bool(keep_mine)
    row.updated_at, row.search_dirty = now, True
    conflict.resolved_at = now
    return row.id
