"""Asset vocabulary: kinds, statuses and the DTOs services hand out."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from satchel.core.domain.versions import VersionChange


class AssetKind(enum.StrEnum):
    """What a piece of collateral is."""

    BROCHURE = "brochure"
    DATASHEET = "datasheet"
    CASE_STUDY = "case study"
    DECK = "deck"
    PRICE_SHEET = "price sheet"
    ONE_PAGER = "one-pager"
    IMAGE = "image"
    TEMPLATE = "template"


class AssetStatus(enum.StrEnum):
    """Where an asset is in its life."""

    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class FunnelStage(enum.StrEnum):
    """The buying stage an asset is made for."""

    AWARENESS = "awareness"
    CONSIDERATION = "consideration"
    DECISION = "decision"
    RETENTION = "retention"


class FileType(enum.StrEnum):
    """File formats Satchel imports, recognised by content."""

    PDF = "pdf"
    PNG = "png"
    JPEG = "jpeg"
    WEBP = "webp"
    DOCX = "docx"
    PPTX = "pptx"

    @property
    def mime(self) -> str:
        """The MIME type to hand to other programs."""
        return _MIME[self]

    @property
    def extension(self) -> str:
        """The usual file extension, with the dot."""
        return "." + ("jpg" if self is FileType.JPEG else self.value)


_MIME = {
    FileType.PDF: "application/pdf",
    FileType.PNG: "image/png",
    FileType.JPEG: "image/jpeg",
    FileType.WEBP: "image/webp",
    FileType.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileType.PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


@dataclass(frozen=True)
class AssetMetadata:
    """The describable part of an asset; every field is optional except the title."""

    title: str
    summary: str = ""
    kind: AssetKind = AssetKind.BROCHURE
    product: str = ""
    audience: str = ""
    funnel_stage: FunnelStage | None = None
    region: str = ""
    language: str = ""
    tags: tuple[str, ...] = ()
    owner: str = ""
    status: AssetStatus = AssetStatus.DRAFT
    expires_on: dt.date | None = None
    review_on: dt.date | None = None


@dataclass(frozen=True)
class AssetVersionInfo:
    """One immutable version of an asset's file."""

    id: str
    number: int
    sha256: str
    file_type: FileType
    size: int
    original_name: str
    page_count: int
    width: int | None
    height: int | None
    warnings: tuple[str, ...]
    created_at: dt.datetime
    added_by: str = ""  # the person's name, when known
    change: VersionChange | None = None  # against the version before (none for the first)


@dataclass(frozen=True)
class AssetSummary:
    """What a list row shows."""

    id: str
    metadata: AssetMetadata
    file_type: FileType
    page_count: int
    sha256: str
    updated_at: dt.datetime


@dataclass(frozen=True)
class AssetDetail:
    """Everything about one asset, for the detail view and `satchel show`."""

    id: str
    metadata: AssetMetadata
    versions: tuple[AssetVersionInfo, ...]
    created_at: dt.datetime
    updated_at: dt.datetime
    page_texts: tuple[str, ...] = field(default=(), repr=False)

    @property
    def current(self) -> AssetVersionInfo:
        """The newest version."""
        return self.versions[-1]
