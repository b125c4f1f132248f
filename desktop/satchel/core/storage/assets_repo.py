"""Reading and writing assets in a session. Never commits: the caller owns the unit of work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from satchel.core.domain.assets import (
    AssetDetail,
    AssetKind,
    AssetMetadata,
    AssetStatus,
    AssetSummary,
    AssetVersionInfo,
    FileType,
    FunnelStage,
)
from satchel.core.domain.versions import VersionChange
from satchel.core.errors import KnownError, NotFoundError, ValidationError
from satchel.core.storage.models import (
    Asset,
    AssetTag,
    AssetVersion,
    Blob,
    PageText,
    Tag,
    User,
)


def _metadata(row: Asset) -> AssetMetadata:
    links = sorted(
        (link for link in row.tag_links if link.deleted_at is None), key=lambda link: link.position
    )
    return AssetMetadata(
        title=row.title,
        summary=row.summary,
        kind=AssetKind(row.kind),
        product=row.product,
        audience=row.audience,
        funnel_stage=FunnelStage(row.funnel_stage) if row.funnel_stage else None,
        region=row.region,
        language=row.language,
        tags=tuple(link.tag.name for link in links),
        owner=row.owner,
        status=AssetStatus(row.status),
        expires_on=row.expires_on,
        review_on=row.review_on,
    )


def _version(row: AssetVersion, names: Mapping[str, str]) -> AssetVersionInfo:
    return AssetVersionInfo(
        id=row.id,
        number=row.number,
        sha256=row.blob_sha256,
        file_type=FileType(row.blob.file_type),
        size=row.blob.size,
        original_name=row.original_name,
        page_count=row.page_count,
        width=row.width,
        height=row.height,
        warnings=tuple(row.warnings or ()),
        created_at=row.created_at,
        added_by=names.get(row.added_by or "", ""),
        change=VersionChange.from_json(row.changes) if row.changes else None,
    )


def _live_assets() -> Select[Asset]:
    return (
        select(Asset)
        .where(Asset.deleted_at.is_(None))
        .options(
            selectinload(Asset.versions).selectinload(AssetVersion.blob),
            selectinload(Asset.tag_links).selectinload(AssetTag.tag),
        )
    )


def to_summary(row: Asset) -> AssetSummary:
    current = row.versions[-1]
    return AssetSummary(
        id=row.id,
        metadata=_metadata(row),
        file_type=FileType(current.blob.file_type),
        page_count=current.page_count,
        sha256=current.blob_sha256,
        updated_at=row.updated_at,
    )


def list_summaries(session: Session, kind: AssetKind | None = None) -> list[AssetSummary]:
    """Live assets, newest first."""
    query = _live_assets().order_by(Asset.created_at.desc(), Asset.id)
    if kind is not None:
        query = query.where(Asset.kind == kind.value)
    return [to_summary(row) for row in session.scalars(query)]


def get_row(session: Session, asset_id: str) -> Asset:
    """The live asset row with this id or unique id prefix (at least 4 characters)."""
    asset_id = asset_id.strip().lower()
    if len(asset_id) < 4:
        raise NotFoundError("Give at least the first 4 characters of the asset id.")
    rows = list(
        session.scalars(
            _live_assets().where(Asset.id.startswith(asset_id, autoescape=True)).limit(2)
        )
    )
    if not rows:
        raise NotFoundError(f"There is no asset with id {asset_id}.")
    if len(rows) > 1:
        raise KnownError(f"More than one asset id starts with {asset_id}; give more characters.")
    return rows[0]


def to_detail(session: Session, row: Asset, with_text: bool = False) -> AssetDetail:
    adders = {v.added_by for v in row.versions if v.added_by}
    names = {user_id: name for user_id, name in
             session.execute(select(User.id, User.name).where(User.id.in_(adders)))
             } if adders else {}  # fmt: skip
    texts: tuple[str, ...] = ()
    if with_text:
        texts = tuple(
            session.scalars(
                select(PageText.text)
                .where(PageText.version_id == row.versions[-1].id)
                .order_by(PageText.page)
            )
        )
    return AssetDetail(
        id=row.id,
        metadata=_metadata(row),
        versions=tuple(_version(v, names) for v in row.versions),
        created_at=row.created_at,
        updated_at=row.updated_at,
        page_texts=texts,
    )


def find_by_hash(session: Session, sha256: str) -> Asset | None:
    """A live asset whose some version has exactly this content."""
    return session.scalar(
        select(Asset)
        .join(AssetVersion)
        .where(AssetVersion.blob_sha256 == sha256, Asset.deleted_at.is_(None))
        .limit(1)
    )


def write_metadata(
    session: Session, row: Asset, meta: AssetMetadata, now: dt.datetime, new_id: Callable[[], str]
) -> None:
    """Copy `meta` onto the row and its tag links; marks the row dirty for sync."""
    row.title, row.summary, row.kind = meta.title, meta.summary, meta.kind.value
    row.product, row.audience, row.region = meta.product, meta.audience, meta.region
    row.funnel_stage = meta.funnel_stage.value if meta.funnel_stage else None
    row.language, row.owner, row.status = meta.language, meta.owner, meta.status.value
    row.expires_on, row.review_on = meta.expires_on, meta.review_on
    row.updated_at, row.dirty = now, True
    _write_tags(session, row, meta.tags, now, new_id)


def _write_tags(
    session: Session, row: Asset, names: Sequence[str], now: dt.datetime, new_id: Callable[[], str]
) -> None:
    existing = {link.tag.name: link for link in row.tag_links}
    for position, name in enumerate(names):
        link = existing.pop(name, None)
        if link is None:
            tag = session.scalar(select(Tag).where(Tag.name == name))
            if tag is None:
                tag = Tag(id=new_id(), name=name, created_at=now, updated_at=now)
                session.add(tag)
            link = AssetTag(id=new_id(), tag=tag, created_at=now, updated_at=now)
            row.tag_links.append(link)
        if link.deleted_at is not None or link.position != position:
            link.deleted_at, link.position, link.updated_at, link.dirty = None, position, now, True
    for link in existing.values():  # tombstone, so the removal syncs
        if link.deleted_at is None:
            link.deleted_at, link.updated_at, link.dirty = now, now, True


def ensure_blob(
    session: Session, sha256: str, size: int, file_type: FileType, now: dt.datetime
) -> None:
    """Record a blob once."""
    if session.get(Blob, sha256) is None:
        session.add(Blob(sha256=sha256, size=size, file_type=file_type.value, created_at=now))


def count_live(session: Session) -> int:
    return (
        session.scalar(select(func.count()).select_from(Asset).where(Asset.deleted_at.is_(None)))
        or 0
    )


def rows_with_versions(session: Session, ids: Sequence[str]) -> dict[str, Asset]:
    """Asset rows by id with their versions and blobs loaded (deleted ones included)."""
    query = (
        select(Asset)
        .where(Asset.id.in_(ids))
        .options(selectinload(Asset.versions).selectinload(AssetVersion.blob))
    )
    return {row.id: row for row in session.scalars(query)}


def facet_labels(
    session: Session, names: Sequence[str], fold: Callable[[str], str]
) -> dict[str, dict[str, str]]:
    """For each facet column, its values as written keyed by their folded form."""
    labels: dict[str, dict[str, str]] = {}
    for name in names:
        column = getattr(Asset, name)
        values = session.scalars(select(column).distinct().where(column.is_not(None)))
        labels[name] = {fold(v): v for v in values if v}
    return labels


def counts_by_kind(session: Session) -> dict[str, int]:
    """Live assets per kind."""
    query = select(Asset.kind, func.count()).where(Asset.deleted_at.is_(None)).group_by(Asset.kind)
    return {kind: count for kind, count in session.execute(query)}


def ids_of(session: Session, product: str = "", kind: str = "") -> frozenset[str]:
    """The live assets of this product and kind ("" for any), whatever the case."""
    query = select(Asset.id).where(Asset.deleted_at.is_(None))
    for column, value in ((Asset.product, product), (Asset.kind, kind)):
        if value.strip():
            query = query.where(func.lower(column) == value.strip().lower())
    return frozenset(session.scalars(query))


def unindexed_titles(session: Session, words: Sequence[str], *, drafts: bool,
                     hidden_too: bool, today: dt.date) -> list[tuple[str, str]]:  # fmt: skip
    """(id, title) of the live assets the search index has not seen yet whose title
    holds each of `words` (ASCII ones narrow in SQL, case-insensitively; the caller
    checks every word): retired and expired ones only `hidden_too`, drafts only with
    `drafts`. Reads the dirty rows through their partial index."""
    query = select(Asset.id, Asset.title).where(Asset.search_dirty.is_(True),
                                                Asset.deleted_at.is_(None))  # fmt: skip
    for word in words:
        if word.isascii():
            query = query.where(Asset.title.icontains(word, autoescape=True))
    if not drafts:
        query = query.where(Asset.status != AssetStatus.DRAFT.value)
    if not hidden_too:
        query = query.where(Asset.status != AssetStatus.RETIRED.value,
                            (Asset.expires_on.is_(None)) | (Asset.expires_on >= today))  # fmt: skip
    return [(row.id, row.title) for row in session.execute(query)]


def due_ids(session: Session, horizon: dt.date) -> list[str]:
    """Unretired assets that expire or are due for review by `horizon`, soonest first."""
    due = func.min(func.coalesce(Asset.expires_on, "9999-12-31"),
                   func.coalesce(Asset.review_on, "9999-12-31"))  # fmt: skip
    return list(
        session.scalars(
            select(Asset.id)
            .where(Asset.deleted_at.is_(None), Asset.status != "retired")
            .where((Asset.expires_on <= horizon) | (Asset.review_on <= horizon))
            .order_by(due, Asset.title)
        )
    )


def pdf_base(session: Session, asset_id: str) -> AssetVersion:
    """The current version of a PDF asset: the base a template is drawn over."""
    base = get_row(session, asset_id).versions[-1]
    if base.blob.file_type != FileType.PDF.value:
        raise ValidationError(["A template must be made from a PDF."])
    return base


def live_current_file(session: Session, asset_id: str) -> tuple[str, str] | None:
    """(sha256, title) of a live asset's current file; None when it is gone."""
    row = session.get(Asset, asset_id)
    if row is None or row.deleted_at is not None:
        return None
    return row.versions[-1].blob_sha256, row.title


def page_texts(session: Session, version_id: str) -> dict[int, str]:
    """A version's extracted text by page number (pages without text are absent)."""
    query = select(PageText.page, PageText.text).where(PageText.version_id == version_id)
    return {page: text for page, text in session.execute(query)}
