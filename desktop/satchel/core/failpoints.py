"""Failpoints: named durable steps where a test can make the process crash or fail.

`SATCHEL_FAILPOINT=name:action[,name:action…]` arms them; `name` may end in `*`.
Actions: `crash` (the process dies at once, as with kill -9), `ioerror` (an
input/output error), `diskfull` (no space left), and `after=N` (`name:crash:after=N`)
lets N hits pass first. Unset, a hit costs one dictionary lookup.
"""

from __future__ import annotations

import errno
import os
import signal

ENV = "SATCHEL_FAILPOINT"

POINTS = (
    "blob.staged",  # an incoming file copied into staging and fsynced
    "blob.renamed",  # the staged file renamed into the blob store
    "db.commit",  # a unit of work flushed, about to commit
    "db.committed",  # a unit of work committed
    "index.commit",  # a search-index update about to commit
    "index.subwriter",  # a rebuild's writer process, starting
    "render.output",  # a generated PDF written to its temp file, before the rename
    "copy.written",  # an exported copy written to its temp file, before the rename
    "backup.written",  # VACUUM INTO finished, before the snapshot is verified
    "backup.verified",  # the snapshot verified, before it gets its final name
    "restore.copied",  # the restored copy written and verified, before the swap
    "restore.swapped",  # the restored copy in place of the database
    "sync.page",  # a pulled page applied with its cursor, before its commit
    "sync.sent",  # the hub took an outbox entry, before the laptop marks it sent
    "sync.part",  # a part of a file from the hub appended to its download
)


def _armed() -> dict[str, tuple[str, int]]:
    armed = {}
    for item in filter(None, os.environ.get(ENV, "").split(",")):
        name, _, rest = item.strip().partition(":")
        action, _, option = rest.partition(":")
        after = int(option.removeprefix("after=")) if option.startswith("after=") else 0
        armed[name] = (action or "crash", after)
    return armed


_ARMED = _armed()
_hits: dict[str, int] = {}


def hit(name: str) -> None:
    """Called at a durable step; does what the environment armed for it, if anything."""
    if not _ARMED:
        return
    found = _ARMED.get(name) or next(
        (v for k, v in _ARMED.items() if k.endswith("*") and name.startswith(k[:-1])), None
    )
    if found is None:
        return
    action, after = found
    _hits[name] = _hits.get(name, 0) + 1
    if _hits[name] <= after:
        return
    if action == "crash":
        if hasattr(signal, "SIGKILL"):
            os.kill(os.getpid(), signal.SIGKILL)
        os._exit(137)  # Windows: as abrupt (no cleanup, no flush)
    if action == "ioerror":
        raise OSError(errno.EIO, f"Input/output error (failpoint {name})")
    if action == "diskfull":
        raise OSError(errno.ENOSPC, f"No space left on device (failpoint {name})")
    raise ValueError(f"unknown failpoint action {action!r} for {name}")
