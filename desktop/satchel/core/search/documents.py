"""Reading what the index needs from the database, in batches."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from sqlalchemy import func, select, true
from sqlalchemy.orm import Session

from satchel.core.search.index import IndexDoc
from satchel.core.search.schema import FACETS
from satchel.core.storage.models import Asset, AssetTag, AssetVersion, PageText, Tag, UsageEvent

BATCH = 500
# How much of page 1 feeds the "did you mean" vocabulary (with title, tags and summary):
# the words a document opens with. All of page 1 made it a quarter of every build; with
# 500 characters the benchmark's typos are corrected as often (18 of 20) and a 10k build
# takes 52 s instead of 66 s.
OPENING_CHARS = 500


def live_ids(session: Session) -> list[str]:
    return list(
        session.scalars(select(Asset.id).where(Asset.deleted_at.is_(None)).order_by(Asset.id))
    )


def dirty_ids(session: Session) -> list[str]:
    # "= 1", as the partial index ix_assets_search_dirty is defined (SQLite would not use
    # it for "IS 1").
    return list(session.scalars(select(Asset.id).where(Asset.search_dirty == true())))


def load_docs(session: Session, ids: Sequence[str], text: bool = True) -> Iterator[IndexDoc]:
    """Index documents for the live assets among `ids`, `BATCH` at a time; without
    `text`, their metadata alone (titles, summaries, tags, facets)."""
    for start in range(0, len(ids), BATCH):
        yield from _batch(session, ids[start : start + BATCH], text)


def _batch(session: Session, ids: Sequence[str], text: bool) -> Iterator[IndexDoc]:
    assets = session.scalars(
        select(Asset).where(Asset.id.in_(ids), Asset.deleted_at.is_(None))
    ).all()
    tags: dict[str, list[str]] = defaultdict(list)
    for asset_id, name in session.execute(
        select(AssetTag.asset_id, Tag.name)
        .join(Tag, Tag.id == AssetTag.tag_id)
        .where(AssetTag.asset_id.in_(ids), AssetTag.deleted_at.is_(None))
        .order_by(AssetTag.asset_id, AssetTag.position)
    ):
        tags[asset_id].append(name)
    newest = (
        select(AssetVersion.asset_id, func.max(AssetVersion.number).label("number"))
        .where(AssetVersion.asset_id.in_(ids))
        .group_by(AssetVersion.asset_id)
        .subquery()
    )
    version_of = dict(
        session.execute(
            select(AssetVersion.asset_id, AssetVersion.id).join(
                newest,
                (newest.c.asset_id == AssetVersion.asset_id)
                & (newest.c.number == AssetVersion.number),
            )
        ).all()
    )
    pages: dict[str, list[str]] = defaultdict(list)
    for version_id, page in session.execute(
        select(PageText.version_id, PageText.text)
        .where(PageText.version_id.in_(list(version_of.values()) if text else []))
        .order_by(PageText.version_id, PageText.page)
    ):
        pages[version_id].append(page)
    uses = dict(
        session.execute(
            select(UsageEvent.asset_id, func.count())
            .where(UsageEvent.asset_id.in_(ids))
            .group_by(UsageEvent.asset_id)
        ).all()
    )
    for asset in assets:
        texts = pages.get(version_of.get(asset.id, ""), [])
        yield IndexDoc(
            id=asset.id,
            title=asset.title,
            summary=asset.summary,
            tags=tuple(tags.get(asset.id, ())),
            body="\n".join(texts),
            opening=texts[0][:OPENING_CHARS] if texts else "",
            facets={name: getattr(asset, name) or "" for name in FACETS},
            updated=asset.updated_at,
            expires=asset.expires_on,
            popularity=uses.get(asset.id, 0),
            review_on=asset.review_on,
        )


def page_texts(session: Session, asset_ids: Sequence[str]) -> dict[str, list[tuple[int, str]]]:
    """(page, text) of the current version of each asset, for snippets."""
    rows = session.execute(
        select(AssetVersion.asset_id, AssetVersion.number, PageText.page, PageText.text)
        .join(PageText, PageText.version_id == AssetVersion.id)
        .where(AssetVersion.asset_id.in_(asset_ids))
        .order_by(AssetVersion.asset_id, AssetVersion.number.desc(), PageText.page)
    )
    result: dict[str, list[tuple[int, str]]] = defaultdict(list)
    newest: dict[str, int] = {}
    for asset_id, number, page, text in rows:
        if newest.setdefault(asset_id, number) == number:
            result[asset_id].append((page, text))
    return result
