"""Fixtures of the upload tests: a private storage of the test's own, and a FAKE clamd.

The fake clamd is a TEST SANDBOX started on a local socket: it speaks the real INSTREAM framing
and answers like clamd, but scans nothing; it only looks for the EICAR test string.
"""

from __future__ import annotations

import socket
import struct
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from motcua.uploads.tests import samples


@pytest.fixture(autouse=True)
def private_storage(settings: Any, tmp_path: Path) -> Path:
    """settings_test.py has no "private" storage: each test gets a folder of its own."""
    location = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "motcua.uploads.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }
    return location


class FakeClamd:
    """Test sandbox: accepts connections, checks the INSTREAM framing, replies as clamd does."""

    def __init__(self, listener: socket.socket, reply: str | None = None) -> None:
        self.listener = listener
        self.reply = reply  # a fixed answer (e.g. an ERROR), or None to judge the stream
        self.received: list[bytes] = []
        self.chunk_sizes: list[int] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            with connection:
                connection.settimeout(5)
                self._answer(connection)

    def _read(self, connection: socket.socket, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = connection.recv(size - len(data))
            if not chunk:
                raise ConnectionError("client went away")
            data += chunk
        return data

    def _answer(self, connection: socket.socket) -> None:
        command = self._read(connection, len(b"zINSTREAM\0"))
        if command != b"zINSTREAM\0":
            connection.sendall(b"UNKNOWN COMMAND\0")
            return
        stream = b""
        while True:
            (length,) = struct.unpack("!I", self._read(connection, 4))
            if length == 0:
                break
            self.chunk_sizes.append(length)
            stream += self._read(connection, length)
        self.received.append(stream)
        if self.reply is not None:
            connection.sendall(self.reply.encode() + b"\0")
        elif samples.EICAR in stream:
            connection.sendall(b"stream: Eicar-Test-Signature FOUND\0")
        else:
            connection.sendall(b"stream: OK\0")

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def unix_clamd() -> Iterator[tuple[FakeClamd, str]]:
    # A short path of our own: unix socket paths are limited to ~100 bytes, pytest's tmp_path is long.
    with tempfile.TemporaryDirectory(prefix="clamd-") as folder:
        path = str(Path(folder) / "clamd.sock")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(path)
        listener.listen()
        server = FakeClamd(listener)
        yield server, path
        server.close()


@pytest.fixture
def tcp_clamd() -> Iterator[tuple[FakeClamd, int]]:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    server = FakeClamd(listener)
    yield server, listener.getsockname()[1]
    server.close()
