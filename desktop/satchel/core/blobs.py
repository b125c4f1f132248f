"""Content-addressed store of immutable files: blobs/ab/cd/<sha256>.

Writes go to a staging file, are fsynced, then renamed into place, so a blob path
either holds the complete file or does not exist.
"""

from __future__ import annotations

import glob
import hashlib
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from satchel.core import failpoints
from satchel.core.errors import DamagedFileError, KnownError

_CHUNK = 1 << 20
DOWNLOAD = ".download"  # a file coming from the hub, part by part (see resume)
DOWNLOAD_KEPT_DAYS = 30


def _fsync_dir(path: Path) -> None:
    if os.name == "nt":  # Windows cannot open a directory for fsync
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Readable(Protocol):
    """What `stage` reads from: an open file, or the parts of a file coming from the hub."""

    def read(self, size: int = -1, /) -> bytes: ...


class StagedFile:
    """A copy of an incoming file in the staging folder, with its hash and size."""

    def __init__(self, path: Path, sha256: str, size: int) -> None:
        self.path = path
        self.sha256 = sha256
        self.size = size

    def discard(self) -> None:
        """Delete the staged copy (idempotent)."""
        self.path.unlink(missing_ok=True)


class BlobStore:
    """Immutable files named by their SHA-256."""

    def __init__(self, root: Path, staging: Path) -> None:
        self.root = root
        self.staging = staging

    def path_for(self, sha256: str) -> Path:
        """Where the blob with this hash lives."""
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def stage(self, source: Readable, max_size: int) -> StagedFile:
        """Copy a stream into staging, hashing as it goes; refuse files over `max_size`."""
        self.staging.mkdir(parents=True, exist_ok=True)
        path = self.staging / f"{secrets.token_hex(8)}.part"
        digest = hashlib.sha256()
        size = 0
        try:
            with open(path, "xb") as out:
                while chunk := source.read(_CHUNK):
                    size += len(chunk)
                    if size > max_size:
                        raise KnownError(
                            f"The file is larger than {max_size // (1 << 20)} MB, the most "
                            "Satchel imports."
                        )
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            failpoints.hit("blob.staged")
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return StagedFile(path, digest.hexdigest(), size)

    def commit(self, staged: StagedFile) -> Path:
        """Move a staged file to its final name; an identical blob already there wins."""
        target = self.path_for(staged.sha256)
        if target.exists():
            staged.discard()
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged.path, target)
        _fsync_dir(target.parent)
        failpoints.hit("blob.renamed")
        return target

    def read_verified(self, sha256: str, what: str) -> bytes:
        """The blob's bytes, after checking that they still hash to `sha256`.

        Every hand-out (export, copy, open, preview, rendering from a template) checks
        this way, so bit rot or tampering is refused instead of passed on; `what` names
        the file for the message. Hashing a collateral file of a few MB takes ms.
        """
        try:
            data = self.path_for(sha256).read_bytes()
        except FileNotFoundError:
            raise DamagedFileError(
                f"The stored file of {what} is missing from the library. Restore the library "
                "from a backup (satchel restore), or import the file again."
            ) from None
        if hashlib.sha256(data).hexdigest() != sha256:
            raise DamagedFileError(
                f"The stored file of {what} is damaged: its contents changed after it was "
                "imported (a failing disk or tampering), so Satchel will not hand it out. "
                "Restore the library from a backup (satchel restore), or import the file again."
            )
        return data

    def verified_path(self, sha256: str, what: str) -> Path:
        """The blob's path once `read_verified` has checked it (for tools that open a
        path: the parser process, the image decoder)."""
        self.read_verified(sha256, what)
        return self.path_for(sha256)

    def iter_hashes(self) -> Iterator[tuple[str, Path]]:
        """Every blob file on disk as (name, path); names are not re-hashed."""
        if not self.root.is_dir():
            return
        for first in sorted(self.root.iterdir()):
            if not first.is_dir() or first == self.staging:
                continue
            for second in sorted(first.iterdir()):
                if second.is_dir():
                    for blob in sorted(second.iterdir()):
                        yield blob.name, blob

    def iter_staging(self) -> Iterator[Path]:
        """Leftover staging files (garbage after a crash); a file coming from the hub
        that a sync left unfinished is not, for a month (the next sync goes on with it)."""
        if self.staging.is_dir():
            recent = time.time() - DOWNLOAD_KEPT_DAYS * 86_400
            for path in sorted(self.staging.iterdir()):
                if path.suffix != DOWNLOAD or path.stat().st_mtime < recent:
                    yield path

    def resume(self, sha256: str, parts: Callable[[int], Iterator[bytes]],
               part_sizes: list[int], max_size: int) -> StagedFile:  # fmt: skip
        """Fetch a file of known parts (`part_sizes`) into staging, going on from the
        whole parts an earlier, interrupted fetch left (`parts(n)` yields the parts from
        number n on); checked against `sha256` at the end, when a mismatch discards it."""
        if sum(part_sizes) > max_size:
            raise KnownError(f"The file is larger than {max_size // (1 << 20)} MB, the most "
                             "Satchel takes.")  # fmt: skip
        self.staging.mkdir(parents=True, exist_ok=True)
        path = self.staging / f"{sha256}{DOWNLOAD}"
        held = path.stat().st_size if path.exists() else 0
        first, kept = 0, 0
        while first < len(part_sizes) and kept + part_sizes[first] <= held:
            kept += part_sizes[first]
            first += 1
        digest = hashlib.sha256()
        with open(path, "ab" if held else "wb") as out:
            out.truncate(kept)  # a part cut short is fetched again whole
            with open(path, "rb") as done:
                while chunk := done.read(_CHUNK):
                    digest.update(chunk)
            for part in parts(first):
                digest.update(part)
                out.write(part)
                out.flush()
                failpoints.hit("sync.part")
            os.fsync(out.fileno())
        if digest.hexdigest() != sha256:
            path.unlink(missing_ok=True)
            raise DamagedFileError("A file from the hub arrived damaged (its SHA-256 does not "
                                   "match); it will be fetched again.")  # fmt: skip
        return StagedFile(path, sha256, kept + sum(part_sizes[first:]))

    @staticmethod
    def hash_file(path: Path) -> str:
        """SHA-256 of a file on disk."""
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
        return digest.hexdigest()


def write_atomic(path: Path, data: bytes, failpoint: str = "file.written") -> None:
    """Write a file (thumbnail, settings, a generated PDF) via temp → fsync → rename;
    `failpoint` names the step between the two for the fault tests."""
    _replace_atomically(path, lambda out: out.write(data), failpoint)


def copy_atomically(source: Path, path: Path) -> None:
    """Copy a file so that `path` is either the whole copy or untouched."""

    def copy(out: BinaryIO) -> None:
        with open(source, "rb") as handle:
            shutil.copyfileobj(handle, out, _CHUNK)

    _replace_atomically(path, copy, "copy.written")


def named_copy(source: Path, target: Path, sha256: str) -> Path:
    """A copy of a stored file under a readable name (for a viewer or the clipboard;
    the store's own files have no names and must stay unchanged), made again only when
    `target` does not hold that content already."""
    if not target.is_file() or BlobStore.hash_file(target) != sha256:
        copy_atomically(source, target)
    return target


def _replace_atomically(path: Path, write: Callable[[BinaryIO], object], failpoint: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_temps(path)
    # The writer's pid is in the name, so a later save can tell a crashed writer's file.
    temp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        with open(temp, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        failpoints.hit(failpoint)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _remove_abandoned_temps(path: Path) -> None:
    """Delete temp files a crashed earlier save of `path` left (its process is gone)."""
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*-*.tmp"):
        import psutil  # only when there is a leftover: psutil stays out of start-up

        pid = leftover.name.removeprefix(f".{path.name}.").split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not psutil.pid_exists(int(pid)):
            leftover.unlink(missing_ok=True)
