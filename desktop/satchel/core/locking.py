"""The single-writer guard: an OS lock on `satchel.lock` that records who holds it.

The operating system drops the lock when its process dies, so a lock file left by a
killed process never blocks anyone. The file itself only says who had it last.
(Hand-written rather than `filelock`: that library truncates the file on every
attempt, which would erase the holder's pid and host before we could report them.)
"""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path

from satchel.core.errors import LibraryLockedError

if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class WriterLock:
    """Held while a process may write to the library."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise `LibraryLockedError` naming the holder."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        if not _try_lock(fd):
            holder = self._read_holder(fd)
            os.close(fd)
            raise LibraryLockedError(
                f"This library is open in another Satchel ({holder}). Close it there, "
                "or open this library read-only."
            )
        os.ftruncate(fd, 0)
        info = {"pid": os.getpid(), "host": socket.gethostname()}
        # Windows locks byte 0, so the record starts after it.
        os.lseek(fd, 1, os.SEEK_SET)
        os.write(fd, json.dumps(info).encode())
        os.fsync(fd)
        self._fd = fd

    @staticmethod
    def _read_holder(fd: int) -> str:
        try:
            os.lseek(fd, 1, os.SEEK_SET)
            info = json.loads(os.read(fd, 4096).decode("utf-8", "replace"))
            return f"process {int(info['pid'])} on {str(info['host'])[:100]}"
        except (OSError, ValueError, KeyError, TypeError):
            return "another process"

    def release(self) -> None:
        """Give the lock up (also happens when the process ends)."""
        if self._fd is not None:
            _unlock(self._fd)
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None
