"""One Satchel window per library: a second launch hands its files to the first and exits.

The launch sends one line of JSON ({"paths": [...]}) and the window answers with one
line ({"refused": ""} when it takes the files, else the reason), so the launch can
exit non-zero and say why when the import is refused.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QDir, QLockFile, QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger("satchel.ui")
TIMEOUT_MS = 2000
MAX_MESSAGE = 1 << 20  # a launch hands over paths, never megabytes


def server_name(library: Path) -> str:
    """A per-user, per-library name for the local socket."""
    digest = hashlib.sha256(str(library.resolve()).encode()).hexdigest()[:16]
    return f"satchel-{digest}"


# A later launch's paths in; "" if the window takes them, else why not.
Handler = Callable[[list[str]], str]


@dataclass(frozen=True)
class Handed:
    """How a hand-over went: whether the window answered, and its refusal if any."""

    answered: bool
    refusal: str = ""


class SingleInstance(QObject):
    """Holds the instance lock and listens for later launches; `handler` decides what
    to do with what they hand over."""

    def __init__(self, library: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.handler: Handler = lambda _paths: ""
        self.name = server_name(library)
        self._lock = QLockFile(QDir.temp().absoluteFilePath(f"{self.name}.lock"))
        self._lock.setStaleLockTime(0)  # a crashed owner's lock is detected by its pid
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        """True if this is the first instance (it then starts listening)."""
        if not self._lock.tryLock(100):
            return False
        QLocalServer.removeServer(self.name)  # a socket file left by a crash
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not self._server.listen(self.name):
            log.warning("single-instance server did not start: %s", self._server.errorString())
        self._server.newConnection.connect(self._accept)
        return True

    def send(self, paths: list[str]) -> Handed:
        """From a second instance: hand `paths` to the first and wait for its answer."""
        socket = QLocalSocket(self)
        try:
            socket.connectToServer(self.name)
            if not socket.waitForConnected(TIMEOUT_MS):
                return Handed(False)
            socket.write(QByteArray(json.dumps({"paths": paths}).encode() + b"\n"))
            socket.flush()
            while socket.bytesToWrite() and socket.waitForBytesWritten(TIMEOUT_MS):
                pass
            answer = bytearray()
            while b"\n" not in answer and socket.waitForReadyRead(TIMEOUT_MS):
                answer.extend(socket.readAll().data())
            socket.disconnectFromServer()
            try:
                refusal = json.loads(bytes(answer).split(b"\n")[0])["refused"]
            except (ValueError, KeyError, TypeError):
                return Handed(False)
            return Handed(True, str(refusal))
        finally:
            socket.deleteLater()

    def _accept(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            _Connection(socket, self, lambda paths: self.handler(paths))

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()


class _Connection(QObject):
    """One later launch talking to us: reads its line, answers with the handler's
    verdict. (A launch that hangs up without a newline is handled, unanswered.)"""

    def __init__(self, socket: QLocalSocket, parent: QObject, handler: Handler) -> None:
        super().__init__(parent)
        socket.setParent(self)  # Qt owns the socket through us: no dangling closures
        self._socket, self._handler = socket, handler
        self._buffer = bytearray()
        self._handled = False
        socket.readyRead.connect(self._read)
        socket.disconnected.connect(self._done)

    def _read(self) -> None:
        self._buffer.extend(self._socket.readAll().data())
        if len(self._buffer) > MAX_MESSAGE:
            log.warning("ignored an oversized message from another launch")
            self._socket.abort()
        elif b"\n" in self._buffer and not self._handled:
            refusal = self._handle()
            if refusal is not None:
                self._socket.write(QByteArray(json.dumps({"refused": refusal}).encode() + b"\n"))
                self._socket.flush()

    def _done(self) -> None:
        self._buffer.extend(self._socket.readAll().data())
        self.deleteLater()
        if not self._handled:
            self._handle()

    def _handle(self) -> str | None:
        """The handler's verdict on the paths, or None for a malformed message."""
        self._handled = True
        try:
            paths = json.loads(bytes(self._buffer).split(b"\n")[0])["paths"]
            if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
                raise ValueError("paths must be a list of strings")
        except (ValueError, KeyError, TypeError) as error:
            log.warning("ignored a malformed message from another launch: %s", error)
            return None
        return self._handler(paths)
