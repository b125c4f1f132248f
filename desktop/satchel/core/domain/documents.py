"""What customizing a template gives back: the document, kept values, a verification."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from satchel.core.domain.templates import FieldIssue, Template


@dataclass(frozen=True)
class Generated:
    """A generated PDF and its record."""

    id: str
    pdf: bytes
    sha256: str
    draft: bool
    issues: tuple[FieldIssue, ...]  # needs-approval notes (errors refuse generation)
    template: Template


@dataclass(frozen=True)
class DocumentRecord:
    """A PDF someone generated, as "My documents" lists it."""

    id: str
    template: Template  # the version it was made with
    values: dict[str, str]
    for_whom: str  # the identifying values ("Q-2026-0042 Müller Getränke")
    draft: bool
    request_id: str
    sha256: str
    made_at: dt.datetime

    @property
    def state(self) -> str:
        return "Draft (awaits approval)" if self.draft else "Final"


@dataclass(frozen=True)
class SavedCustomization:
    """A rep's values kept for a template version, and their state."""

    id: str
    template_id: str
    version: int
    title: str
    values: dict[str, str]
    state: str
    created_at: dt.datetime


@dataclass(frozen=True)
class ApprovalStamp:
    """Which approval a final document comes from, as its provenance names it."""

    request_id: str
    round: int
    text: str  # "round 2, approved by Mara Lindqvist on 2026-12-02 14:02 UTC"


@dataclass(frozen=True)
class Verification:
    """What `verify` found out about a PDF."""

    genuine: bool
    message: str
    template_id: str = ""
    template_title: str = ""
    version: int = 0
    request_id: str = ""
    draft: bool = False
    created_at: dt.datetime | None = None
    made_by: str = ""  # "Name <email>" of who generated it, when someone was signed in
    approval: str = ""  # of a final document from a request: its round, approver and time
