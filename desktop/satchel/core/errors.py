"""The two kinds of failure: KnownError is shown to the person, anything else is a bug."""

from __future__ import annotations

import errno
from pathlib import Path


class KnownError(Exception):
    """A failure caused by the environment or the input, explained in plain words.

    The message is a complete sentence a person understands; callers show it as is.
    """


class LibraryLockedError(KnownError):
    """Another process holds the library's single-writer lock."""


class LibraryLocationError(KnownError):
    """The folder cannot hold a live library (network share, cloud-sync folder)."""


class DamagedLibraryError(KnownError):
    """The library database cannot be read (not a database, corrupt pages)."""


class NewerSchemaError(KnownError):
    """The library was written by a newer Satchel than this one."""


class ReadOnlyLibraryError(KnownError):
    """A change was asked of a library that is open read-only."""


class ValidationError(KnownError):
    """One or more values are not allowed; each problem is a sentence."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


class NotFoundError(KnownError):
    """A referenced asset, user or file does not exist."""


class DiskFullError(KnownError):
    """The disk holding the library (or an output) has no room left."""


class DamagedFileError(KnownError):
    """A stored file's bytes no longer match the SHA-256 they were stored under."""


class PermissionDeniedError(KnownError):
    """The acting user's role may not do this; the message names the action and the roles."""


ENVIRONMENTAL = frozenset(
    {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO}
)


def is_environmental(error: BaseException) -> bool:
    """A failure of the disk or its permissions, not of Satchel: worth a sentence."""
    return isinstance(error, OSError) and error.errno in ENVIRONMENTAL


def explain_os_error(error: OSError, where: Path) -> KnownError:
    """An operating-system failure while reading or writing `where`, in plain words."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        from satchel.core.disk import disk_full  # it measures the disk; disk imports us

        return disk_full(where)
    if error.errno == errno.EROFS:
        return ReadOnlyLibraryError(
            f"{where} is on read-only media, so nothing can be written there."
        )
    if error.errno in (errno.EACCES, errno.EPERM):
        return KnownError(f"Satchel is not allowed to write to {where}; nothing was changed.")
    if error.errno == errno.EIO:
        return KnownError(
            f"The disk holding {where} reported an input/output error. Check the disk or its "
            "connection; nothing was changed."
        )
    return KnownError(f"{where} could not be read or written ({error.strerror or error}).")
