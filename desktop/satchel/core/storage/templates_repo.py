"""Template versions, generated-document records and kept customizations.
Never commits: the caller owns the unit of work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from satchel.core.domain.documents import DocumentRecord, SavedCustomization
from satchel.core.domain.templates import Template, fields_from_json, identifying_values
from satchel.core.errors import KnownError, NotFoundError
from satchel.core.storage.models import (
    AssetVersion,
    Customization,
    GeneratedDocument,
    TemplateVersion,
)

# Published versions never change: each is parsed once (per language of its asset,
# which is metadata a marketer may correct).
_PARSED: dict[tuple[str, str], Template] = {}


def to_template(row: TemplateVersion, base: AssetVersion) -> Template:
    """The domain template of a version row over its base asset version."""
    language = base.asset.language
    if (row.id, language) in _PARSED:
        return _PARSED[row.id, language]
    sizes = tuple((float(w), float(h)) for w, h in [(base.width or 595, base.height or 842)])
    template = Template(
        id=row.template_id,
        asset_id=row.asset_id,
        version=row.version,
        title=row.title,
        base_sha256=base.blob_sha256,
        page_sizes=sizes * max(1, base.page_count),
        fields=fields_from_json(row.fields),
        language=language,
    )
    if row.id and row.version > 0:  # drafts (version 0, no id) are never cached
        if len(_PARSED) > 256:
            _PARSED.clear()
        _PARSED[row.id, language] = template
    return template


def _base(session: Session, row: TemplateVersion) -> AssetVersion:
    # The asset comes in the same query: its language picks the template's number format.
    base = session.get(AssetVersion, row.base_version_id,
                       options=[joinedload(AssetVersion.asset)])  # fmt: skip
    if base is None:
        raise NotFoundError(f"The PDF under the template “{row.title}” is missing.")
    return base


def newest_of_asset(session: Session, asset_id: str) -> TemplateVersion | None:
    query = select(TemplateVersion).where(TemplateVersion.asset_id == asset_id)
    return session.scalars(query.order_by(TemplateVersion.version.desc()).limit(1)).first()


def add_version(session: Session, new_id: Callable[[], str], base: AssetVersion, title: str,
                fields_json: object, user_id: str | None, now: dt.datetime) -> Template:  # fmt: skip
    """A new version of the template over `base`'s asset (its first, when it has none)."""
    previous = newest_of_asset(session, base.asset_id)
    row = TemplateVersion(
        id=new_id(),
        template_id=previous.template_id if previous else new_id(),
        version=previous.version + 1 if previous else 1,
        asset_id=base.asset_id,
        base_version_id=base.id,
        title=title,
        fields=fields_json,
        published_by=user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    return to_template(row, base)


def draft_template(base: AssetVersion, title: str, fields_json: object) -> Template:
    """A template stored nowhere (version 0) over `base`."""
    row = TemplateVersion(template_id="draft", version=0, asset_id=base.asset_id, title=title,
                          fields=fields_json)  # fmt: skip
    return to_template(row, base)


def latest_templates(session: Session) -> list[Template]:
    """The newest version of every live template, by title."""
    newest = (
        select(TemplateVersion.template_id, func.max(TemplateVersion.version).label("v"))
        .where(TemplateVersion.deleted_at.is_(None))
        .group_by(TemplateVersion.template_id)
        .subquery()
    )
    joined = (newest.c.template_id == TemplateVersion.template_id) & (
        newest.c.v == TemplateVersion.version
    )
    rows = session.scalars(
        select(TemplateVersion).join(newest, joined).order_by(TemplateVersion.title)
    )
    return [to_template(row, _base(session, row)) for row in rows]


def find_template(session: Session, key: str, version: int | None) -> Template:
    """A template by id prefix (or its asset's id prefix), newest version unless asked."""
    query = select(TemplateVersion).where(
        TemplateVersion.template_id.startswith(key, autoescape=True)
        | TemplateVersion.asset_id.startswith(key, autoescape=True)
    )
    if version is not None:
        query = query.where(TemplateVersion.version == version)
    rows = list(session.scalars(query.order_by(TemplateVersion.version.desc())))
    if len({row.template_id for row in rows}) > 1:
        raise KnownError(f"More than one template id starts with {key}; give more characters.")
    if not rows:
        raise NotFoundError(f"There is no template {key}"
                            f"{f' version {version}' if version else ''}.")  # fmt: skip
    return to_template(rows[0], _base(session, rows[0]))


def version_id(session: Session, template: Template) -> str | None:
    """The row id of a published template version (None for a draft)."""
    return session.scalar(
        select(TemplateVersion.id).where(TemplateVersion.template_id == template.id,
                                         TemplateVersion.version == template.version)
    )  # fmt: skip


def add_document(session: Session, document_id: str, template: Template, user_id: str | None,
                 values: Mapping[str, str], values_hash: str, output_sha256: str, draft: bool,
                 request_id: str, now: dt.datetime,
                 request_round: int | None = None) -> None:  # fmt: skip
    """The record of a generated document (its file goes to the blob store)."""
    session.add(GeneratedDocument(
        id=document_id, template_version_id=version_id(session, template), user_id=user_id,
        values=dict(values), values_hash=values_hash, output_sha256=output_sha256,
        draft=draft, request_id=request_id or None, request_round=request_round,
        created_at=now, updated_at=now,
    ))  # fmt: skip


def document_by_output(
    session: Session, sha256: str
) -> tuple[GeneratedDocument, TemplateVersion] | None:
    """The generated-document record whose output has this hash, and its version."""
    query = select(GeneratedDocument).where(GeneratedDocument.output_sha256 == sha256)
    row = session.scalars(query).first()
    version = session.get(TemplateVersion, row.template_version_id) if row else None
    return (row, version) if row is not None and version is not None else None


def documents_of(session: Session, user_id: str | None,
                 document_id: str | None = None) -> list[DocumentRecord]:  # fmt: skip
    """The documents a user generated (or just `document_id`), newest first, each with
    its template version."""
    query = (select(GeneratedDocument, TemplateVersion)
             .join(TemplateVersion, GeneratedDocument.template_version_id == TemplateVersion.id)
             .where(GeneratedDocument.user_id == user_id, GeneratedDocument.deleted_at.is_(None))
             .order_by(GeneratedDocument.created_at.desc(), GeneratedDocument.id))  # fmt: skip
    if document_id is not None:
        query = query.where(GeneratedDocument.id == document_id)
    records = []
    for row, version in session.execute(query):
        template = to_template(version, _base(session, version))
        values = {str(k): str(v) for k, v in dict(row.values or {}).items()}
        records.append(DocumentRecord(
            row.id, template, values, " ".join(identifying_values(template, values)), row.draft,
            row.request_id or "", row.output_sha256, row.created_at))  # fmt: skip
    return records


def document_of(session: Session, document_id: str, user_id: str | None) -> DocumentRecord:
    """One of the user's documents, or NotFoundError."""
    found = documents_of(session, user_id, document_id)
    if not found:
        raise NotFoundError("That document is not among yours.")
    return found[0]


def add_customization(session: Session, new_id: Callable[[], str], version_row_id: str,
                      user_id: str | None, values: Mapping[str, str],
                      now: dt.datetime) -> Customization:  # fmt: skip
    row = Customization(id=new_id(), template_version_id=version_row_id, user_id=user_id,
                        values=dict(values), state="draft", created_at=now, updated_at=now)  # fmt: skip
    session.add(row)
    return row


def customizations_of(session: Session, user_id: str | None) -> list[SavedCustomization]:
    """A person's kept customizations, newest first."""
    rows = session.execute(
        select(Customization, TemplateVersion)
        .join(TemplateVersion, TemplateVersion.id == Customization.template_version_id)
        .where(Customization.user_id == user_id, Customization.deleted_at.is_(None))
        .order_by(Customization.created_at.desc())
    ).all()
    return [SavedCustomization(c.id, v.template_id, v.version, v.title, dict(c.values),
                               c.state, c.created_at) for c, v in rows]  # fmt: skip
