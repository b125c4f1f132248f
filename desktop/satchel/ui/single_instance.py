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
MAX_MESSAGE = 1 << 20  # a launch hands over paths, never megabytes


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
        try:
            socket.connectToServer(self.name)
            if not socket.waitForConnected(TIMEOUT_MS):
                return False
            socket.write(QByteArray(json.dumps({"paths": paths}).encode()))
            socket.flush()
            while socket.bytesToWrite() and socket.waitForBytesWritten(TIMEOUT_MS):
                pass
            sent = socket.bytesToWrite() == 0
            socket.disconnectFromServer()
            return sent
        finally:
            socket.deleteLater()

    def _accept(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            connection = _Connection(socket, self)
            connection.received.connect(self.message)

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()


class _Connection(QObject):
    """One later launch talking to us: collects its message until it hangs up.

    Signals:
        received(list): the paths it handed over.
    """

    received = Signal(list)

    def __init__(self, socket: QLocalSocket, parent: QObject) -> None:
        super().__init__(parent)
        socket.setParent(self)  # Qt owns the socket through us: no dangling closures
        self._socket = socket
        self._buffer = bytearray()
        socket.readyRead.connect(self._read)
        socket.disconnected.connect(self._done)

    def _read(self) -> None:
        self._buffer.extend(self._socket.readAll().data())
        if len(self._buffer) > MAX_MESSAGE:
            log.warning("ignored an oversized message from another launch")
            self._socket.abort()

    def _done(self) -> None:
        self._buffer.extend(self._socket.readAll().data())
        self.deleteLater()
        try:
            paths = json.loads(bytes(self._buffer))["paths"]
            if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
                raise ValueError("paths must be a list of strings")
        except (ValueError, KeyError, TypeError) as error:
            log.warning("ignored a malformed message from another launch: %s", error)
            return
        self.received.emit(paths)
