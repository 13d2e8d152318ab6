"""A client for ClamAV's daemon (clamd), speaking its documented INSTREAM command.

Thirty lines of our own rather than the `clamd` package: that one has not been released since
2014, and the protocol is tiny (man clamd, "INSTREAM"):

    client: "zINSTREAM\\0", then chunks each preceded by its length (4 bytes, big-endian),
            then a zero length
    clamd:  "stream: OK\\0" or "stream: <signature> FOUND\\0" or "<message> ERROR\\0"
"""

from __future__ import annotations

import enum
import socket
import struct
from dataclasses import dataclass

CHUNK_BYTES = 64 * 1024
MAX_REPLY_BYTES = 4096


class Outcome(enum.Enum):
    CLEAN = "clean"
    INFECTED = "infected"


@dataclass(frozen=True, kw_only=True)
class Scanner:
    """Where clamd listens: a unix socket path, or a host and port."""

    socket_path: str = ""
    host: str = ""
    port: int = 3310
    timeout: float = 30.0

    @property
    def configured(self) -> bool:
        return bool(self.socket_path or self.host)

    def describe(self) -> str:
        return self.socket_path or f"{self.host}:{self.port}"


@dataclass(frozen=True, kw_only=True)
class Verdict:
    outcome: Outcome
    signature: str = ""  # the malware's name when infected


class ScanFailed(Exception):
    """clamd could not be reached, timed out or answered with an error: the file stays quarantined."""


def scan_bytes(scanner: Scanner, data: bytes) -> Verdict:
    if not scanner.configured:
        raise ScanFailed("no clamd configured")
    try:
        with _connect(scanner) as connection:
            connection.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), CHUNK_BYTES):
                chunk = data[start : start + CHUNK_BYTES]
                connection.sendall(struct.pack("!I", len(chunk)) + chunk)
            connection.sendall(struct.pack("!I", 0))
            reply = _read_reply(connection)
    except OSError as exc:  # refused, unreachable, timed out, reset
        raise ScanFailed(f"clamd at {scanner.describe()}: {exc}") from exc
    return parse_reply(reply)


def parse_reply(reply: str) -> Verdict:
    verdict = reply.removeprefix("stream:").strip()
    if verdict == "OK":
        return Verdict(outcome=Outcome.CLEAN)
    if verdict.endswith(" FOUND"):
        return Verdict(outcome=Outcome.INFECTED, signature=verdict.removesuffix(" FOUND").strip())
    raise ScanFailed(f"clamd answered: {reply or '(nothing)'}")  # "... ERROR", e.g. size limit exceeded


def _connect(scanner: Scanner) -> socket.socket:
    if scanner.socket_path:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(scanner.timeout)
        try:
            connection.connect(scanner.socket_path)
        except OSError:
            connection.close()
            raise
        return connection
    return socket.create_connection((scanner.host, scanner.port), timeout=scanner.timeout)


def _read_reply(connection: socket.socket) -> str:
    reply = b""
    while b"\0" not in reply and len(reply) < MAX_REPLY_BYTES:
        chunk = connection.recv(1024)
        if not chunk:
            break
        reply += chunk
    return reply.split(b"\0", 1)[0].decode("utf-8", "replace").strip()
