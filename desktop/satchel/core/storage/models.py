"""ORM rows for the library database (DESIGN §3.2). They never leave the storage package."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, MetaData, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from satchel.core.storage.types import Flag, ISODate, JSONText, UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

STRICT = {"sqlite_strict": True}


class Base(DeclarativeBase):
    """Declarative base with constraint naming that Alembic can diff."""

    metadata = MetaData(naming_convention=NAMING)


class Synced:
    """Columns every syncable row carries: client UUID, UTC stamps, hub revision, tombstone."""

    id: Mapped[str] = mapped_column(Text, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    hub_rev: Mapped[int | None] = mapped_column(Integer, default=None)
    dirty: Mapped[bool] = mapped_column(Flag, default=True)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)


class LibraryInfo(Base):
    """Key/value facts about the library itself (its id, the search generation stamp)."""

    __tablename__ = "library_info"
    __table_args__ = STRICT
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class User(Synced, Base):
    """A person with a profile and a role (rep, marketer, admin)."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("email"), STRICT)
    name: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(Text)
    phone: Mapped[str] = mapped_column(Text, default="")
    territory: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str] = mapped_column(Text)


class Blob(Base):
    """An immutable file in the blob store, named by its SHA-256 (so it needs no UUID)."""

    __tablename__ = "blobs"
    __table_args__ = STRICT
    sha256: Mapped[str] = mapped_column(Text, primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    file_type: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    hub_rev: Mapped[int | None] = mapped_column(Integer, default=None)
    # False: a file the team has that is not kept on this laptop (fetched when wanted).
    stored: Mapped[bool] = mapped_column(Flag, default=True, server_default="1")


class Asset(Synced, Base):
    """One piece of collateral and its description."""

    __tablename__ = "assets"
    __table_args__ = (
        Index("ix_assets_kind_status", "kind", "status"),
        # The assets the search index has not seen yet: every search asks (migration 0006).
        Index("ix_assets_search_dirty", "id", sqlite_where=text("search_dirty = 1"),
              postgresql_where=text("search_dirty = 1")),
        STRICT,
    )  # fmt: skip
    title: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(Text)
    product: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[str] = mapped_column(Text, default="")
    funnel_stage: Mapped[str | None] = mapped_column(Text, default=None)
    region: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(Text)
    expires_on: Mapped[dt.date | None] = mapped_column(ISODate, default=None)
    review_on: Mapped[dt.date | None] = mapped_column(ISODate, default=None)
    # Set in the same transaction as any change; cleared once the search index has it.
    search_dirty: Mapped[bool] = mapped_column(Flag, default=True, server_default="1")

    versions: Mapped[list[AssetVersion]] = relationship(
        back_populates="asset", order_by="AssetVersion.number"
    )
    tag_links: Mapped[list[AssetTag]] = relationship(back_populates="asset")


class AssetVersion(Synced, Base):
    """One immutable version of an asset, pointing at its blob."""

    __tablename__ = "asset_versions"
    __table_args__ = (UniqueConstraint("asset_id", "number"), STRICT)
    asset_id: Mapped[str] = mapped_column(ForeignKey("assets.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"), index=True)
    original_name: Mapped[str] = mapped_column(Text)
    page_count: Mapped[int] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer, default=None)
    height: Mapped[int | None] = mapped_column(Integer, default=None)
    warnings: Mapped[Any] = mapped_column(JSONText, default=list)
    added_by: Mapped[str | None] = mapped_column(Text, default=None)  # a user id
    changes: Mapped[Any] = mapped_column(JSONText, default=None, nullable=True)  # from v2 on

    asset: Mapped[Asset] = relationship(back_populates="versions")
    blob: Mapped[Blob] = relationship()


class PageText(Base):
    """Text extracted from one page (PDF), slide (PPTX) or paragraph group (DOCX)."""

    __tablename__ = "page_texts"
    __table_args__ = STRICT
    version_id: Mapped[str] = mapped_column(ForeignKey("asset_versions.id"), primary_key=True)
    page: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)


class Tag(Synced, Base):
    """A free-form label."""

    __tablename__ = "tags"
    __table_args__ = (UniqueConstraint("name"), STRICT)
    name: Mapped[str] = mapped_column(Text)


class AssetTag(Synced, Base):
    """The link between an asset and a tag (a row so it can be synced and tombstoned)."""

    __tablename__ = "asset_tags"
    __table_args__ = (UniqueConstraint("asset_id", "tag_id"), STRICT)
    asset_id: Mapped[str] = mapped_column(ForeignKey("assets.id"), index=True)
    tag_id: Mapped[str] = mapped_column(ForeignKey("tags.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    asset: Mapped[Asset] = relationship(back_populates="tag_links")
    tag: Mapped[Tag] = relationship()


class Collection(Synced, Base):
    """A named, ordered set of assets (e.g. "Q3 healthcare push")."""

    __tablename__ = "collections"
    __table_args__ = STRICT
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text, default="")
    # Who sees it besides marketing (marketers and admins see every collection).
    shared_roles: Mapped[Any] = mapped_column(
        JSONText, default=lambda: ["admin", "marketer", "rep"],
        server_default='["admin", "marketer", "rep"]')  # fmt: skip
    shared_territories: Mapped[Any] = mapped_column(JSONText, default=list, server_default="[]")


class SynonymRow(Synced, Base):
    """A search synonym: `term` finds `equivalent` (and back, when `both_ways`)."""

    __tablename__ = "synonyms"
    __table_args__ = STRICT
    term: Mapped[str] = mapped_column(Text)
    equivalent: Mapped[str] = mapped_column(Text)
    both_ways: Mapped[bool] = mapped_column(Flag, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class CollectionAsset(Synced, Base):
    """Membership of an asset in a collection."""

    __tablename__ = "collection_assets"
    __table_args__ = (UniqueConstraint("collection_id", "asset_id"), STRICT)
    collection_id: Mapped[str] = mapped_column(ForeignKey("collections.id"), index=True)
    asset_id: Mapped[str] = mapped_column(ForeignKey("assets.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class UsageEvent(Synced, Base):
    """Something a person did with an asset (viewed, previewed, exported …)."""

    __tablename__ = "usage_events"
    __table_args__ = (Index("ix_usage_events_asset_at", "asset_id", "at"),
                      Index("ix_usage_events_action_at", "action", "at"), STRICT)  # fmt: skip
    asset_id: Mapped[str] = mapped_column(ForeignKey("assets.id"))
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    action: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    detail: Mapped[Any] = mapped_column(JSONText, default=dict)


class FeedbackRow(Synced, Base):
    """What the field told marketing: feedback on an asset, or an account's outcome (see
    domain/feedback.py), kept as the hub keeps it: a kind and a body."""

    __tablename__ = "feedback"
    __table_args__ = (Index("ix_feedback_asset_at", "asset_id", "at"),
                      Index("ix_feedback_user_at", "user_id", "at"),
                      Index("ix_feedback_account", "account_key"),
                      Index("ix_feedback_kind_at", "kind", "at"),
                      Index("ix_feedback_kind_ref", "kind", "ref_key"), STRICT)  # fmt: skip
    asset_id: Mapped[str | None] = mapped_column(ForeignKey("assets.id"), default=None)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    body: Mapped[Any] = mapped_column(JSONText, default=dict)
    account_key: Mapped[str] = mapped_column(Text, default="")  # domain.feedback.account_key
    ref_key: Mapped[str] = mapped_column(Text, default="", server_default="")  # .ref_key


class SearchLogEntry(Base):
    """A search that found little or nothing: content demand for the insights reports."""

    __tablename__ = "search_log"
    __table_args__ = (Index("ix_search_log_at", "at"), STRICT)
    id: Mapped[str] = mapped_column(Text, primary_key=True)
    query: Mapped[str] = mapped_column(Text)
    results: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    dirty: Mapped[bool] = mapped_column(Flag, default=True, server_default="1")  # not on the hub


class TemplateVersion(Synced, Base):
    """One published version of a template: a base asset version plus field specs.

    Versions are never changed; publishing makes a new one, so customizations made
    with an older version keep it.
    """

    __tablename__ = "template_versions"
    __table_args__ = (UniqueConstraint("template_id", "version"), STRICT)
    template_id: Mapped[str] = mapped_column(Text, index=True)  # stable across versions
    version: Mapped[int] = mapped_column(Integer)
    asset_id: Mapped[str] = mapped_column(ForeignKey("assets.id"), index=True)
    base_version_id: Mapped[str] = mapped_column(ForeignKey("asset_versions.id"))
    title: Mapped[str] = mapped_column(Text)
    fields: Mapped[Any] = mapped_column(JSONText, default=list)  # validated field specs
    published_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)


class GeneratedDocument(Synced, Base):
    """A PDF made from a template version: who, when, with which values, which output."""

    __tablename__ = "generated_documents"
    __table_args__ = (Index("ix_generated_documents_output", "output_sha256"), STRICT)
    template_version_id: Mapped[str] = mapped_column(ForeignKey("template_versions.id"))
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    values: Mapped[Any] = mapped_column(JSONText, default=dict)
    values_hash: Mapped[str] = mapped_column(Text)
    output_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256"))
    draft: Mapped[bool] = mapped_column(Flag, default=False)
    request_id: Mapped[str | None] = mapped_column(Text, default=None)
    request_round: Mapped[int | None] = mapped_column(Integer, default=None)


class Customization(Synced, Base):
    """A rep's values for one template version, kept until it is decided (the request
    workflow builds on these)."""

    __tablename__ = "customizations"
    __table_args__ = STRICT
    template_version_id: Mapped[str] = mapped_column(ForeignKey("template_versions.id"))
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    values: Mapped[Any] = mapped_column(JSONText, default=dict)
    state: Mapped[str] = mapped_column(Text, default="draft")


class RequestRow(Synced, Base):
    """A rep's request as it stands: the values of its current round and its state."""

    __tablename__ = "requests"
    __table_args__ = (Index("ix_requests_state_submitted", "state", "submitted_at"), STRICT)
    template_id: Mapped[str] = mapped_column(Text)
    template_version_id: Mapped[str] = mapped_column(ForeignKey("template_versions.id"))
    requester_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    customer: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(Text)
    round: Mapped[int] = mapped_column(Integer, default=1)
    values: Mapped[Any] = mapped_column(JSONText, default=dict)
    values_sha256: Mapped[str] = mapped_column(Text)
    approved_values: Mapped[Any | None] = mapped_column(JSONText, default=None, nullable=True)
    decided_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)


class RequestRound(Synced, Base):
    """One round of a request: the values submitted, why they needed review, and how
    the round ended (turnaround and rounds-until-approval come from these)."""

    __tablename__ = "request_rounds"
    __table_args__ = (UniqueConstraint("request_id", "round"), STRICT)
    request_id: Mapped[str] = mapped_column(ForeignKey("requests.id"))
    round: Mapped[int] = mapped_column(Integer)
    values: Mapped[Any] = mapped_column(JSONText, default=dict)
    values_sha256: Mapped[str] = mapped_column(Text)
    reasons: Mapped[Any] = mapped_column(JSONText, default=list)  # rules that sent it to review
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(Text, default=None)  # the state it ended in
    decided_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"), default=None)
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)


class RequestEventRow(Base):
    """One link of the audit chain: the event's canonical text exactly as hashed.

    Appended, never updated or deleted by the application; the columns beside the text
    are for finding events, and the text alone is what `audit verify` trusts."""

    __tablename__ = "request_events"
    __table_args__ = (UniqueConstraint("sequence"), STRICT)
    id: Mapped[str] = mapped_column(Text, primary_key=True)  # client UUID
    sequence: Mapped[int] = mapped_column(Integer)
    request_id: Mapped[str] = mapped_column(ForeignKey("requests.id"), index=True)
    actor_id: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    text: Mapped[str] = mapped_column(Text)
    previous: Mapped[str] = mapped_column(Text)
    hash: Mapped[str] = mapped_column(Text)
    hub_rev: Mapped[int | None] = mapped_column(Integer, default=None)


class OutboxEntry(Base):
    """A change still to send to the hub, in the order it was made; its id (the event's
    client UUID) is the hub's idempotency key."""

    __tablename__ = "outbox"
    __table_args__ = (UniqueConstraint("id"), STRICT)
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)  # "request.submit", "request.decide" …
    payload: Mapped[Any] = mapped_column(JSONText, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
    refused: Mapped[str | None] = mapped_column(Text, default=None)  # the hub's reason


class NotificationRead(Base):
    """How far a person has read the request news (an event sequence): the news are the
    events after it, so nothing is lost while the window is closed."""

    __tablename__ = "notification_reads"
    __table_args__ = STRICT
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    seen_sequence: Mapped[int] = mapped_column(Integer, default=0)


class SyncConflict(Base):
    """A metadata edit made here that the hub refused as stale: both sides kept until
    the marketer resolves it (`mine` and `theirs` are the edited fields' values)."""

    __tablename__ = "sync_conflicts"
    __table_args__ = STRICT
    id: Mapped[str] = mapped_column(Text, primary_key=True)
    asset_id: Mapped[str] = mapped_column(ForeignKey("assets.id"), index=True)
    mine: Mapped[Any] = mapped_column(JSONText)
    theirs: Mapped[Any] = mapped_column(JSONText)
    theirs_rev: Mapped[int] = mapped_column(Integer)  # the hub's revision they came from
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, default=None)
