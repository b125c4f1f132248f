"""Templates: marketing publishes them, reps customize them within their limits.

ReportLab, pypdf and Pillow load on first use (the window opens without them)."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from satchel.core.blobs import write_atomic
from satchel.core.domain.assets import FileType
from satchel.core.domain.changes import Changes
from satchel.core.domain.documents import (
    ApprovalStamp,
    Generated,
    SavedCustomization,
    Verification,
)
from satchel.core.domain.permissions import Capability
from satchel.core.domain.templates import (
    FieldIssue,
    FieldKind,
    FieldSpec,
    Severity,
    Template,
    fields_from_json,
    fields_to_json,
)
from satchel.core.domain.text import clean_line
from satchel.core.domain.users import Profile
from satchel.core.errors import KnownError, NotFoundError, ValidationError, explain_os_error
from satchel.core.services.context import Area
from satchel.core.storage import assets_repo, templates_repo, users_repo

if TYPE_CHECKING:
    from PIL import Image

    from satchel.core.render.pdf import RenderOptions

MAX_OUTPUT = 200 << 20


def field_issues(template: Template, values: Mapping[str, str], profile: Profile | None,
                 today: dt.date) -> list[FieldIssue]:  # fmt: skip
    """Every problem with the values. Pure (no library, nothing stored): fast enough for
    the form to check each keystroke on the spot."""
    from satchel.core.render.validate import validate

    return validate(template, values, profile, today)


def refuse_errors(issues: list[FieldIssue]) -> None:
    """`ValidationError` listing each refused value, if any."""
    errors = [i for i in issues if i.severity is Severity.ERROR]
    if errors:
        raise ValidationError([f"{i.field}: {i.message}" for i in errors])


def computed_texts(template: Template, values: Mapping[str, str],
                   profile: Profile | None) -> dict[str, str]:  # fmt: skip
    """Each computed field's result as the document will print it ("$6,360.00"; blank
    while an input is not a number)."""
    from satchel.core.render.validate import display_text, with_computed

    merged = with_computed(template, values, profile)
    return {spec.key: display_text(spec, merged.get(spec.key, ""), template.language)
            for spec in template.fields if spec.kind is FieldKind.COMPUTED}  # fmt: skip


def prefilled(spec: FieldSpec, profile: Profile | None) -> str:
    """What a field shows before anyone types: its default, or the rep's profile value."""
    from satchel.core.render.validate import value_of

    return value_of(spec, {}, profile)


class TemplateService(Area):
    """`services.templates`."""

    def list_all(self) -> list[Template]:
        """The newest version of every template."""
        with self._ctx.library.db.read() as session:
            return templates_repo.latest_templates(session)

    def get(self, template_id: str, version: int | None = None) -> Template:
        """A template by id (or unique id prefix, or its asset's id), newest version
        unless asked."""
        key = template_id.strip().lower()
        if len(key) < 4:
            raise NotFoundError("Give at least the first 4 characters of the template id.")
        with self._ctx.library.db.read() as session:
            return templates_repo.find_template(session, key, version)

    def publish(self, asset_id: str, fields: object,
                title: str | None = None) -> tuple[Template, Changes]:  # fmt: skip
        """Publish a new version of the template over a PDF asset (fields as JSON values);
        earlier customizations keep the version they were made with."""
        self._ctx.allow(Capability.PUBLISH_TEMPLATES)
        specs = fields_from_json(fields)
        library = self._ctx.library
        with library.db.write() as session:
            base = assets_repo.pdf_base(session, asset_id)
            problems = [f"Field {s.key!r} is on page {s.placement.page}, but the PDF has "
                        f"{base.page_count} page(s)." for s in specs
                        if s.placement.page > base.page_count]  # fmt: skip
            if problems:
                raise ValidationError(problems)
            template = templates_repo.add_version(
                session, library.new_id, base, clean_line(title or base.asset.title, 200),
                fields_to_json(specs), self._ctx.actor_id, library.clock())  # fmt: skip
        return template, Changes(templates=True)

    def draft(self, asset_id: str, fields: object, title: str) -> Template:
        """Field specs not yet published, over a PDF asset: for trying values in the
        designer (checked like a publication, stored nowhere)."""
        self._ctx.allow(Capability.PUBLISH_TEMPLATES, writes=False)
        specs = fields_from_json(fields)
        with self._ctx.library.db.read() as session:
            base = assets_repo.pdf_base(session, asset_id)
            return templates_repo.draft_template(base, title, fields_to_json(specs))

    def check_values(self, template_id: str, values: Mapping[str, str]) -> list[FieldIssue]:
        """Every problem with the values, without rendering (inline checks as a rep types)."""
        return self._issues(self.get(template_id), values)

    def _issues(self, template: Template, values: Mapping[str, str]) -> list[FieldIssue]:
        return field_issues(template, values, self._ctx.actor, self._ctx.library.clock().date())

    def generate(self, template_id: str, values: Mapping[str, str],
                 version: int | None = None, request_id: str = "",
                 record: bool = True) -> tuple[Generated, Changes]:  # fmt: skip
        """Validate and render a customized PDF for the actor; recorded and kept unless
        `record` is False. Refused values raise `ValidationError` listing each; values
        that need approval give a draft with a DRAFT watermark."""
        from satchel.core.render.pdf import RenderOptions

        self._ctx.allow(Capability.CUSTOMIZE, writes=record)
        template = self.get(template_id, version)
        issues = self._issues(template, values)
        refuse_errors(issues)
        draft = any(i.severity is Severity.NEEDS_APPROVAL for i in issues)
        options = RenderOptions(draft=draft, request_id=request_id)
        return self._make(template, values, self._ctx.actor, issues, options, record)

    def generate_approved(self, template: Template, values: Mapping[str, str],
                          requester: Profile, issues: list[FieldIssue],
                          approval: ApprovalStamp) -> tuple[Generated, Changes]:  # fmt: skip
        """The final document of an approved request (for `services.requests`, which
        has checked the approval): no DRAFT, and its provenance names the approval."""
        from satchel.core.render.pdf import RenderOptions

        self._ctx.allow(Capability.CUSTOMIZE)
        refuse_errors(issues)
        options = RenderOptions(request_id=approval.request_id, approval=approval.text)
        return self._make(template, values, requester, issues, options, True, approval.round)

    def _make(self, template: Template, values: Mapping[str, str], profile: Profile | None,
              issues: list[FieldIssue], options: RenderOptions, record: bool,
              request_round: int | None = None) -> tuple[Generated, Changes]:  # fmt: skip
        from satchel.core.render.pdf import render

        pdf = render(template, self._base_pdf(template), values, profile,
                     self._images(template, values), options)  # fmt: skip
        made = Generated(self._ctx.library.new_id(), pdf, hashlib.sha256(pdf).hexdigest(),
                         options.draft, tuple(issues), template)  # fmt: skip
        if not record:
            return made, Changes()
        self._record(made, values, profile, options.request_id, request_round)
        return made, Changes(documents=frozenset({made.id}))

    def preview(self, template: Template, values: Mapping[str, str], max_px: int,
                approved: bool = False) -> bytes:  # fmt: skip
        """Page 1 of the document these values make with `template` (published, or a
        draft from `draft`), as PNG, with each field's box as a guide: refused values
        show as typed, in red (the form says why). Nothing is recorded."""
        from satchel.core.render.pdf import RenderOptions, render
        from satchel.core.render.raster import page_png

        issues = self._issues(template, values)
        refused = {i.field for i in issues if i.severity is Severity.ERROR}
        usable = {key: value for key, value in values.items() if key not in refused}
        # `approved`: a request's approved values, shown as their final PDF will be.
        draft = not approved and any(i.severity is Severity.NEEDS_APPROVAL for i in issues)
        images = {f.key for f in template.fields if f.kind is FieldKind.IMAGE}
        pictures = self._images(template, usable) if not refused & images else {}
        # Red marks a value that was typed and refused; a field not filled in yet (a
        # required one still empty) keeps its plain guide.
        typed = frozenset(key for key in refused if str(values.get(key, "")).strip())
        options = RenderOptions(draft=draft, guides=True, refused=typed)
        pdf = render(template, self._base_pdf(template), values, self._ctx.actor, pictures,
                     options)  # fmt: skip
        return page_png(pdf, 1, max_px)

    @staticmethod
    def save_document(pdf: bytes, path: Path) -> Path:
        """Write a generated PDF where the person asked, whole or not at all."""
        try:
            write_atomic(path, pdf, failpoint="render.output")
        except OSError as error:
            raise explain_os_error(error, path) from None
        return path

    def save_customization(self, template: Template,
                           values: Mapping[str, str]) -> tuple[SavedCustomization, Changes]:  # fmt: skip
        """Keep the actor's values that need approval as a draft until the request
        workflow decides (refused values are not kept)."""
        self._ctx.allow(Capability.SUBMIT_REQUESTS)
        refuse_errors(self._issues(template, values))
        library = self._ctx.library
        now = library.clock()
        with library.db.write() as session:
            version_row = templates_repo.version_id(session, template)
            if version_row is None:
                raise NotFoundError("Only a published template's values can be kept.")
            row = templates_repo.add_customization(session, library.new_id, version_row,
                                                   self._ctx.actor_id, values, now)  # fmt: skip
        saved = SavedCustomization(row.id, template.id, template.version, template.title,
                                   dict(values), row.state, now)  # fmt: skip
        return saved, Changes(customizations=frozenset({saved.id}))

    def list_customizations(self) -> list[SavedCustomization]:
        """The actor's kept customizations, newest first."""
        with self._ctx.library.db.read() as session:
            return templates_repo.customizations_of(session, self._ctx.actor_id)

    def verify(self, pdf: bytes) -> Verification:
        """Whether `pdf` is exactly a PDF Satchel generated here (any changed byte says
        no), and of what."""
        from satchel.core.render.pdf import KEY_APPROVAL, read_provenance

        provenance = read_provenance(pdf)
        with self._ctx.library.db.read() as session:  # read everything before it ends
            found = templates_repo.document_by_output(session, hashlib.sha256(pdf).hexdigest())
            if found is not None:  # the very bytes recorded: the provenance inside is ours
                row, version = found
                state = "a draft (values awaiting approval)" if row.draft else "final"
                approval = str(provenance.get(KEY_APPROVAL) or "")
                request = f", request {row.request_id}" if row.request_id else ""
                request += f" ({approval})" if approval else ""
                made_by = users_repo.signature(session, row.user_id)
                by = f" by {made_by}" if made_by else " (nobody signed in)"
                return Verification(
                    True,
                    f"Unmodified Satchel output: “{version.title}” version {version.version}"
                    f"{request}, {state}, made{by} on {row.created_at:%Y-%m-%d %H:%M} UTC.",
                    version.template_id, version.title, version.version, row.request_id or "",
                    row.draft, row.created_at, made_by, approval,
                )  # fmt: skip
        claimed = provenance.get("/SatchelTemplate")
        message = (
            "This file says it comes from a Satchel template, but it is not an unmodified "
            "Satchel output: it has been changed or was not made with this library."
            if claimed else "This file was not generated by Satchel from this library."
        )  # fmt: skip
        return Verification(False, message)

    # --- helpers ----------------------------------------------------------------

    def _base_pdf(self, template: Template) -> bytes:
        """The template's base PDF, checked against its hash: a changed base must never
        give a "final" document that `verify` then vouches for."""
        what = f"the template “{template.title}”"
        self._ctx.ensure_file(template.base_sha256, what)
        return self._ctx.library.blobs.read_verified(template.base_sha256, what)

    def _images(self, template: Template, values: Mapping[str, str]) -> dict[str, Image.Image]:
        from satchel.core.ingest.images import open_image_safely
        from satchel.core.ingest.result import RejectedFile

        chosen = {values.get(f.key, f.default) for f in template.fields
                  if f.kind is FieldKind.IMAGE} - {""}  # fmt: skip
        library = self._ctx.library
        with library.db.read() as session:
            files = {asset_id: assets_repo.live_current_file(session, asset_id)
                     for asset_id in chosen}  # fmt: skip
        pictures = {}
        for asset_id, current in files.items():
            if current is None:
                raise NotFoundError("The chosen image is no longer in the library.")
            sha256, title = current
            self._ctx.ensure_file(sha256, f"the image “{title}”")
            path = library.blobs.verified_path(sha256, f"the image “{title}”")
            try:
                pictures[asset_id] = open_image_safely(path, self._ctx.limits)
            except RejectedFile as error:
                raise KnownError(f"The chosen image cannot be used: {error}") from None
        return pictures

    def _record(self, made: Generated, values: Mapping[str, str], profile: Profile | None,
                request_id: str, request_round: int | None) -> None:  # fmt: skip
        """Keep the output in the blob store and its record in the database."""
        from satchel.core.render.pdf import values_hash

        library = self._ctx.library
        staged = library.blobs.stage(io.BytesIO(made.pdf), MAX_OUTPUT)
        now = library.clock()
        try:
            with library.db.write() as session:
                assets_repo.ensure_blob(session, made.sha256, len(made.pdf), FileType.PDF, now)
                templates_repo.add_document(
                    session, made.id, made.template, self._ctx.actor_id, values,
                    values_hash(made.template, values, profile), made.sha256, made.draft,
                    request_id, now, request_round)  # fmt: skip
                library.blobs.commit(staged)  # the file is in place before the row commits
        except BaseException:
            staged.discard()
            raise
