"""`services.documents`: "My documents" — the PDFs a person generated, from the records
the library keeps of each: list them, hand one out again, say where it came from."""

from __future__ import annotations

from pathlib import Path

from satchel.core.blobs import named_copy
from satchel.core.domain.documents import DocumentRecord
from satchel.core.domain.permissions import Capability
from satchel.core.domain.templates import suggested_file_name
from satchel.core.services.context import Area
from satchel.core.storage import templates_repo, users_repo


class DocumentService(Area):
    """`services.documents`: the actor's own generated documents."""

    def mine(self) -> list[DocumentRecord]:
        """The documents the actor generated, newest first."""
        with self._ctx.library.db.read() as session:
            return templates_repo.documents_of(session, self._ctx.actor_id)

    def shareable_copy(self, document_id: str) -> Path:
        """The document, checked against its hash, as a file named for what it is (for
        the system viewer or the clipboard; the blob store's files have no names)."""
        self._ctx.allow(Capability.CUSTOMIZE, writes=False)
        record = self._record(document_id)
        source = self._ctx.library.blobs.verified_path(record.sha256,
                                                       f"the document for {record.for_whom}")  # fmt: skip
        folder = self._ctx.library.paths.root / "cache" / "share" / record.id
        return named_copy(source, folder / suggested_file_name(record.template, record.values),
                          record.sha256)  # fmt: skip

    def provenance(self, document_id: str) -> str:
        """Where the document came from, in lines a person reads."""
        record = self._record(document_id)
        with self._ctx.library.db.read() as session:
            maker = users_repo.signature(session, self._ctx.actor_id) or "nobody signed in"
        lines = [
            f"Template: “{record.template.title}” version {record.template.version}",
            f"For: {record.for_whom or '(no identifying values)'}",
            f"State: {record.state}",
            f"Made by {maker} on {record.made_at:%Y-%m-%d %H:%M} UTC",
            f"Request: {record.request_id}" if record.request_id else "",
            f"File SHA-256: {record.sha256}",
            "Values:",
            *(f"  {spec.label}: {record.values[spec.key]}" for spec in record.template.fields
              if record.values.get(spec.key)),
        ]  # fmt: skip
        return "\n".join(line for line in lines if line)

    def _record(self, document_id: str) -> DocumentRecord:
        with self._ctx.library.db.read() as session:
            return templates_repo.document_of(session, document_id, self._ctx.actor_id)
