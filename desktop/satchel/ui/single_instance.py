"""One Satchel window per library: a second launch hands its files to the first and exits."""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QDir, QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger("satchel.ui")
TIMEOUT_MS = 2000


def server_name(library: Path) -> str:
    """A per-user, per-library name for the local socket."""
    digest = hashlib.sha256(str(library.resolve()).encode()).hexdigest()[:16]
    return f"satchel-{digest}"


class SingleInstance(QObject):
    """Holds the instance lock and listens for later launches.

    Signals:
        message(list): a later launch asked to raise the window and import these paths.
    """

    message = Signal(list)

    def __init__(self, library: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
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

    def send(self, paths: list[str]) -> bool:
        """From a second instance: hand `paths` to the first; True if it answered."""
        socket = QLocalSocket(self)
        socket.connectToServer(self.name)
        if not socket.waitForConnected(TIMEOUT_MS):
            return False
        socket.write(QByteArray(json.dumps({"paths": paths}).encode()))
        socket.flush()
        ok = socket.waitForBytesWritten(TIMEOUT_MS)
        socket.disconnectFromServer()
        return ok

    def _accept(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.setParent(self)
            buffer = bytearray()

            def read(socket: QLocalSocket = socket, buffer: bytearray = buffer) -> None:
                buffer.extend(socket.readAll().data())

            def done(socket: QLocalSocket = socket, buffer: bytearray = buffer) -> None:
                buffer.extend(socket.readAll().data())
                socket.deleteLater()
                try:
                    paths = json.loads(bytes(buffer))["paths"]
                    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
                        raise ValueError("paths must be a list of strings")
                except (ValueError, KeyError, TypeError) as error:
                    log.warning("ignored a malformed message from another launch: %s", error)
                    return
                self.message.emit(paths)

            socket.readyRead.connect(read)
            socket.disconnected.connect(done)

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()
