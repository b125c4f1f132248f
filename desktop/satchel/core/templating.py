"""Template use cases over one library: publish, list, generate, verify.

`Services` exposes these; they are kept here so each module stays small.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass

from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from satchel.core.domain.assets import FileType
from satchel.core.domain.templates import (
    FieldIssue,
    FieldKind,
    Severity,
    Template,
    fields_from_json,
    fields_to_json,
)
from satchel.core.domain.text import clean_line
from satchel.core.domain.users import Profile
from satchel.core.errors import KnownError, NotFoundError, ValidationError
from satchel.core.ingest.images import open_image_safely
from satchel.core.ingest.limits import ImportLimits
from satchel.core.ingest.result import RejectedFile
from satchel.core.library import Library
from satchel.core.render.pdf import RenderOptions, read_provenance, render, values_hash
from satchel.core.render.validate import validate
from satchel.core.storage import assets_repo
from satchel.core.storage.models import (
    Asset,
    AssetVersion,
    Customization,
    GeneratedDocument,
    TemplateVersion,
)

MAX_OUTPUT = 200 << 20


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


_PARSED: dict[str, Template] = {}  # published versions never change: parse each once


def _to_template(row: TemplateVersion, base: AssetVersion) -> Template:
    if row.id in _PARSED:
        return _PARSED[row.id]
    sizes = tuple((float(w), float(h)) for w, h in [(base.width or 595, base.height or 842)])
    template = Template(
        id=row.template_id,
        asset_id=row.asset_id,
        version=row.version,
        title=row.title,
        base_sha256=base.blob_sha256,
        page_sizes=sizes * max(1, base.page_count),
        fields=fields_from_json(row.fields),
    )
    if row.id and row.version > 0:  # drafts (version 0, no id) are never cached
        if len(_PARSED) > 256:
            _PARSED.clear()
        _PARSED[row.id] = template
    return template


def draft(library: Library, asset_id: str, fields: object, title: str) -> Template:
    """An unpublished template (version 0) over the asset's current PDF."""
    specs = fields_from_json(fields)
    with library.db.read() as session:
        base = assets_repo.get_row(session, asset_id).versions[-1]
        if base.blob.file_type != FileType.PDF.value:
            raise ValidationError(["A template must be made from a PDF."])
        template = _to_template(
            TemplateVersion(template_id="draft", version=0, asset_id=asset_id, title=title,
                            fields=fields_to_json(specs)), base)  # fmt: skip
    return template


def publish(library: Library, asset_id: str, fields: object, title: str | None,
            user_id: str | None) -> Template:  # fmt: skip
    """A new version of the template over a PDF asset's current version."""
    specs = fields_from_json(fields)
    now = library.clock()
    with library.db.write() as session:
        asset = assets_repo.get_row(session, asset_id)
        base = asset.versions[-1]
        if base.blob.file_type != FileType.PDF.value:
            raise ValidationError(["A template must be made from a PDF."])
        problems = [f"Field {s.key!r} is on page {s.placement.page}, but the PDF has "
                    f"{base.page_count} page(s)." for s in specs
                    if s.placement.page > base.page_count]  # fmt: skip
        if problems:
            raise ValidationError(problems)
        previous = session.scalars(
            select(TemplateVersion).where(TemplateVersion.asset_id == asset.id)
            .order_by(TemplateVersion.version.desc()).limit(1)
        ).first()  # fmt: skip
        row = TemplateVersion(
            id=library.new_id(),
            template_id=previous.template_id if previous else library.new_id(),
            version=previous.version + 1 if previous else 1,
            asset_id=asset.id,
            base_version_id=base.id,
            title=clean_line(title or asset.title, 200),
            fields=fields_to_json(specs),
            published_by=user_id,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        session.flush()
        return _to_template(row, base)


def _latest(session: Session) -> list[TemplateVersion]:
    newest = (
        select(TemplateVersion.template_id, func.max(TemplateVersion.version).label("v"))
        .where(TemplateVersion.deleted_at.is_(None))
        .group_by(TemplateVersion.template_id)
        .subquery()
    )
    return list(session.scalars(
        select(TemplateVersion).join(newest, (newest.c.template_id == TemplateVersion.template_id)
                                     & (newest.c.v == TemplateVersion.version))
        .order_by(TemplateVersion.title)
    ))  # fmt: skip


def list_templates(library: Library) -> list[Template]:
    """The newest version of every template."""
    with library.db.read() as session:
        return [_to_template(row, session.get(AssetVersion, row.base_version_id))  # type: ignore[arg-type]
                for row in _latest(session)]  # fmt: skip


def get_template(library: Library, template_id: str, version: int | None = None) -> Template:
    """A template by id (or unique id prefix, or its asset's id), newest version unless asked."""
    key = template_id.strip().lower()
    if len(key) < 4:
        raise NotFoundError("Give at least the first 4 characters of the template id.")
    with library.db.read() as session:
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
            raise NotFoundError(f"There is no template {template_id}"
                                f"{f' version {version}' if version else ''}.")  # fmt: skip
        return _to_template(rows[0], session.get(AssetVersion, rows[0].base_version_id))  # type: ignore[arg-type]


def _images(library: Library, template: Template, values: Mapping[str, str],
            limits: ImportLimits) -> dict[str, Image.Image]:  # fmt: skip
    chosen = {values.get(f.key, f.default) for f in template.fields if f.kind is FieldKind.IMAGE}
    pictures = {}
    with library.db.read() as session:
        for asset_id in chosen - {""}:
            asset = session.get(Asset, asset_id)
            if asset is None or asset.deleted_at is not None:
                raise NotFoundError("The chosen image is no longer in the library.")
            path = library.blobs.verified_path(asset.versions[-1].blob_sha256,
                                               f"the image “{asset.title}”")  # fmt: skip
            try:
                pictures[asset_id] = open_image_safely(path, limits)
            except RejectedFile as error:
                raise KnownError(f"The chosen image cannot be used: {error}") from None
    return pictures


def _base_pdf(library: Library, template: Template) -> bytes:
    """The template's base PDF, checked against its hash: a changed base must never
    give a "final" document that `verify` then vouches for."""
    return library.blobs.read_verified(template.base_sha256, f"the template “{template.title}”")


def generate(library: Library, template: Template, values: Mapping[str, str],
             profile: Profile | None, limits: ImportLimits, request_id: str = "",
             record: bool = True) -> Generated:  # fmt: skip
    """Validate, render and (with `record`) keep the output and its record.

    Errors refuse the document (`ValidationError` listing every issue); values that
    need approval give a draft with a DRAFT watermark.
    """
    issues = validate(template, values, profile, library.clock().date())
    errors = [i for i in issues if i.severity is Severity.ERROR]
    if errors:
        raise ValidationError([f"{i.field}: {i.message}" for i in errors])
    draft = any(i.severity is Severity.NEEDS_APPROVAL for i in issues)
    base = _base_pdf(library, template)
    pdf = render(template, base, values, profile, _images(library, template, values, limits),
                 RenderOptions(draft=draft, request_id=request_id))  # fmt: skip
    sha256 = hashlib.sha256(pdf).hexdigest()
    document_id = library.new_id()
    if record:
        _record(library, template, values, profile, pdf, sha256, draft, request_id, document_id)
    return Generated(document_id, pdf, sha256, draft, tuple(issues), template)


def preview(
    library: Library,
    template: Template,
    values: Mapping[str, str],
    profile: Profile | None,
    limits: ImportLimits,
) -> bytes:
    """The document as it stands while a rep types: fields whose values are refused
    show their default instead (the form says why); nothing is recorded."""
    issues = validate(template, values, profile, library.clock().date())
    refused = {i.field for i in issues if i.severity is Severity.ERROR}
    usable = {key: value for key, value in values.items() if key not in refused}
    draft = any(i.severity is Severity.NEEDS_APPROVAL for i in issues)
    base = _base_pdf(library, template)
    pictures = _images(library, template, usable, limits) if not refused & {
        f.key for f in template.fields if f.kind is FieldKind.IMAGE} else {}  # fmt: skip
    return render(template, base, usable, profile, pictures, RenderOptions(draft=draft))


def _record(library: Library, template: Template, values: Mapping[str, str],
            profile: Profile | None, pdf: bytes, sha256: str, draft: bool, request_id: str,
            document_id: str) -> None:  # fmt: skip
    staged = library.blobs.stage(io.BytesIO(pdf), MAX_OUTPUT)
    now = library.clock()
    try:
        with library.db.write() as session:
            version_id = session.scalar(
                select(TemplateVersion.id).where(TemplateVersion.template_id == template.id,
                                                 TemplateVersion.version == template.version)
            )  # fmt: skip
            assets_repo.ensure_blob(session, sha256, len(pdf), FileType.PDF, now)
            session.add(GeneratedDocument(
                id=document_id, template_version_id=version_id,
                user_id=profile.id if profile else None, values=dict(values),
                values_hash=values_hash(template, values, profile), output_sha256=sha256,
                draft=draft, request_id=request_id or None, created_at=now, updated_at=now,
            ))  # fmt: skip
            library.blobs.commit(staged)  # the file is in place before the row commits
    except BaseException:
        staged.discard()
        raise


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


def save_customization(library: Library, template: Template, values: Mapping[str, str],
                       profile: Profile | None) -> SavedCustomization:  # fmt: skip
    """Keep values that need approval as a draft (refused values are not kept)."""
    issues = validate(template, values, profile, library.clock().date())
    errors = [i for i in issues if i.severity is Severity.ERROR]
    if errors:
        raise ValidationError([f"{i.field}: {i.message}" for i in errors])
    now = library.clock()
    with library.db.write() as session:
        version_id = session.scalar(
            select(TemplateVersion.id).where(TemplateVersion.template_id == template.id,
                                             TemplateVersion.version == template.version)
        )  # fmt: skip
        if version_id is None:
            raise NotFoundError("Only a published template's values can be kept.")
        row = Customization(id=library.new_id(), template_version_id=version_id,
                            user_id=profile.id if profile else None, values=dict(values),
                            state="draft", created_at=now, updated_at=now)  # fmt: skip
        session.add(row)
    return SavedCustomization(row.id, template.id, template.version, template.title,
                              dict(values), row.state, now)  # fmt: skip


def list_customizations(library: Library, user_id: str | None) -> list[SavedCustomization]:
    """A person's kept customizations, newest first."""
    with library.db.read() as session:
        rows = session.execute(
            select(Customization, TemplateVersion)
            .join(TemplateVersion, TemplateVersion.id == Customization.template_version_id)
            .where(Customization.user_id == user_id, Customization.deleted_at.is_(None))
            .order_by(Customization.created_at.desc())
        ).all()
        return [SavedCustomization(c.id, v.template_id, v.version, v.title, dict(c.values),
                                   c.state, c.created_at) for c, v in rows]  # fmt: skip


def verify(library: Library, pdf: bytes) -> Verification:
    """Is this exactly a PDF Satchel generated here? Any changed byte says no."""
    sha256 = hashlib.sha256(pdf).hexdigest()
    with library.db.read() as session:  # read everything before the session ends
        row = session.scalars(
            select(GeneratedDocument).where(GeneratedDocument.output_sha256 == sha256)
        ).first()
        version = session.get(TemplateVersion, row.template_version_id) if row else None
        if row is not None and version is not None:
            state = "a draft (values awaiting approval)" if row.draft else "final"
            request = f", request {row.request_id}" if row.request_id else ""
            return Verification(
                True,
                f"Unmodified Satchel output: “{version.title}” version {version.version}"
                f"{request}, {state}, made {row.created_at:%Y-%m-%d %H:%M} UTC.",
                version.template_id, version.title, version.version, row.request_id or "",
                row.draft, row.created_at,
            )  # fmt: skip
    claimed = read_provenance(pdf).get("/SatchelTemplate")
    message = (
        "This file says it comes from a Satchel template, but it is not an unmodified "
        "Satchel output: it has been changed or was not made with this library."
        if claimed else "This file was not generated by Satchel from this library."
    )  # fmt: skip
    return Verification(False, message)
