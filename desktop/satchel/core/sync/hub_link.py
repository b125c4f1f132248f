"""The laptop's side of the conversation with the hub: who I am, pages of rows above a
cursor, parents by id, files by hash, and the `api` calls that carry the outbox.

Every read goes through row-level security as the signed-in person, so a rep's pull
holds only what a rep may see. Revisions are handed out under one lock held to commit
(hub migration 0003), so what one statement sees is always every revision up to some
number: a page that ends at revision r never skips a row below r that commits late.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, text

from satchel.core.hub.bootstrap import REVISIONS
from satchel.core.hub.connection import HubError, connect, hub_errors

# The tables a laptop pulls, parents before children (the order a page is applied in).
PULLED = ("profiles", "tags", "synonyms", "collections", "assets", "asset_versions",
          "page_texts", "asset_tags", "collection_assets", "template_versions", "requests",
          "request_rounds", "request_events", "usage_events", "feedback")  # fmt: skip


@dataclass(frozen=True)
class Hello:
    """What the hub says at the start of a round."""

    me: dict[str, Any]  # api.whoami(): id, name, email, role, territory …
    epoch: str  # changes when the hub is reset or restored
    revision: int  # the last revision given out
    tombstones_from: int  # a cursor below this has missed purged tombstones


@dataclass(frozen=True)
class HubRow:
    table: str
    rev: int
    data: dict[str, Any]  # the row as to_jsonb gives it


class HubLink:
    """One person's connection to the hub for sync rounds."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._engine = connect(url)

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> HubLink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def hello(self, device: str, device_name: str) -> Hello:
        with hub_errors(self.url), self._engine.begin() as hub:
            me = hub.execute(text("SELECT api.whoami()")).scalar_one()
            hub.execute(text("SELECT api.register_device(:device, :name)"),
                        {"device": device, "name": device_name})  # fmt: skip
            epoch, purged, revision, schema = hub.execute(text(
                "SELECT s.epoch::text, s.tombstones_from, CASE WHEN r.is_called "
                "THEN r.last_value ELSE 0 END, (SELECT version_num FROM satchel.alembic_version) "
                "FROM satchel.hub_state s, satchel.revisions r"
            )).one()  # fmt: skip
        if schema not in REVISIONS:
            raise HubError(f"The team hub was upgraded (its schema is {schema}; this Satchel "
                           f"knows up to {REVISIONS[-1]}): update Satchel to sync again.")  # fmt: skip
        return Hello(dict(me), epoch, int(revision), int(purged))

    def page(self, cursor: int, limit: int) -> list[HubRow]:
        """The first `limit` rows above `cursor`, by revision, over every pulled table."""
        parts = [f"(SELECT '{table}' AS t, rev, to_jsonb(x) AS j FROM satchel.{table} x "
                 "WHERE rev > :cursor ORDER BY rev LIMIT :limit)" for table in PULLED]  # fmt: skip
        sql = " UNION ALL ".join(parts) + " ORDER BY rev LIMIT :limit"
        with hub_errors(self.url), self._engine.begin() as hub:
            found = hub.execute(text(sql), {"cursor": cursor, "limit": limit})
            return [HubRow(t, int(rev), dict(j)) for t, rev, j in found]

    def by_id(self, table: str, ids: set[str]) -> list[HubRow]:
        """Rows of `table` by id (the parents a page needs that it does not hold)."""
        if table not in PULLED:
            raise ValueError(table)
        query = text(f"SELECT rev, to_jsonb(x) FROM satchel.{table} x "
                     "WHERE id = ANY(CAST(:ids AS uuid[]))")  # fmt: skip
        with hub_errors(self.url), self._engine.begin() as hub:
            found = hub.execute(query, {"ids": sorted(ids)})
            return [HubRow(table, int(rev), dict(j)) for rev, j in found]

    def versions_of(self, asset_ids: set[str]) -> list[HubRow]:
        """Every version of these assets (an asset arrives with its files' rows)."""
        query = text("SELECT rev, to_jsonb(x) FROM satchel.asset_versions x "
                     "WHERE asset_id = ANY(CAST(:ids AS uuid[]))")  # fmt: skip
        with hub_errors(self.url), self._engine.begin() as hub:
            found = hub.execute(query, {"ids": sorted(asset_ids)})
            return [HubRow("asset_versions", int(rev), dict(j)) for rev, j in found]

    def blob_sizes(self, hashes: set[str]) -> dict[str, tuple[int, str]]:
        """(size, file type) of each complete file the hub holds and this person may read."""
        with hub_errors(self.url), self._engine.begin() as hub:
            rows = hub.execute(text("SELECT sha256, size, file_type FROM satchel.blobs "
                                    "WHERE sha256 = ANY(:hashes) AND complete"),
                               {"hashes": sorted(hashes)})  # fmt: skip
            return {str(sha): (int(size), str(kind)) for sha, size, kind in rows}

    def part_sizes(self, sha256: str) -> list[int]:
        """The sizes of the file's parts, in order (no part is read for it)."""
        query = text("SELECT octet_length(data) FROM satchel.blob_chunks WHERE sha256 = :sha "
                     "ORDER BY chunk")  # fmt: skip
        with hub_errors(self.url), self._engine.begin() as hub:
            return [int(size) for size in hub.execute(query, {"sha": sha256}).scalars()]

    def blob_chunks(self, sha256: str, first: int = 0) -> Iterator[bytes]:
        """The file's parts in order from part `first`, one query each (memory holds
        one part at a time)."""
        query = text("SELECT data FROM satchel.blob_chunks WHERE sha256 = :sha AND chunk = :n")
        number = first
        while True:
            with hub_errors(self.url), self._engine.begin() as hub:
                data = hub.execute(query, {"sha": sha256, "n": number}).scalar()
            if data is None:
                return
            yield bytes(data)
            number += 1

    def call(self, function: str, **params: Any) -> dict[str, Any]:
        """`api.<function>(...)` with these named arguments, in its own transaction;
        a refusal leaves as the KnownError `hub_errors` chooses."""
        return self.call_many(function, [params])[0]

    def call_many(self, function: str, calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Several calls of one function in one transaction (all land, or none)."""
        results = []
        with hub_errors(self.url), self._engine.begin() as hub:
            for params in calls:
                result = hub.execute(_api_call(function, params), params).scalar()
                results.append(dict(result) if isinstance(result, dict) else {"result": result})
        return results


def _api_call(function: str, params: dict[str, Any]) -> Any:
    from sqlalchemy.dialects.postgresql import JSONB  # not on the window's start-up path

    names = ", ".join(f"{key} => :{key}" for key in params)
    query = text(f"SELECT api.{function}({names})")
    json_params = [key for key, value in params.items() if isinstance(value, dict | list)
                   or (value is None and key in JSON_ARGUMENTS)]  # fmt: skip
    return query.bindparams(*(bindparam(key, type_=JSONB(none_as_null=True))
                              for key in json_params))  # fmt: skip


JSON_ARGUMENTS = frozenset({"body", "edited"})
