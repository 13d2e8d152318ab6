"""The clamd INSTREAM client against the FAKE clamd of conftest.py (a test sandbox on a local
socket speaking the real framing)."""

from __future__ import annotations

import socket

import pytest

from motcua.uploads import clamav
from motcua.uploads.tests import samples
from motcua.uploads.tests.conftest import FakeClamd


def test_a_clean_file_over_a_unix_socket(unix_clamd: tuple[FakeClamd, str]) -> None:
    server, path = unix_clamd
    data = b"%PDF-" + bytes(range(256)) * 1000  # 256 KB: several chunks
    verdict = clamav.scan_bytes(clamav.Scanner(socket_path=path, timeout=5), data)
    assert verdict == clamav.Verdict(outcome=clamav.Outcome.CLEAN)
    assert server.received == [data]
    assert max(server.chunk_sizes) == clamav.CHUNK_BYTES and len(server.chunk_sizes) == 4


def test_an_infected_file_over_tcp(tcp_clamd: tuple[FakeClamd, int]) -> None:
    _server, port = tcp_clamd
    verdict = clamav.scan_bytes(clamav.Scanner(host="127.0.0.1", port=port, timeout=5), samples.EICAR)
    assert verdict.outcome is clamav.Outcome.INFECTED and verdict.signature == "Eicar-Test-Signature"


def test_an_error_reply_is_a_failure_not_a_verdict(tcp_clamd: tuple[FakeClamd, int]) -> None:
    server, port = tcp_clamd
    server.reply = "INSTREAM size limit exceeded. ERROR"
    with pytest.raises(clamav.ScanFailed, match="size limit"):
        clamav.scan_bytes(clamav.Scanner(host="127.0.0.1", port=port, timeout=5), b"data")


def test_a_scanner_that_is_down_is_a_failure() -> None:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()  # nobody listens there now
    with pytest.raises(clamav.ScanFailed, match=f"127.0.0.1:{port}"):
        clamav.scan_bytes(clamav.Scanner(host="127.0.0.1", port=port, timeout=2), b"data")
    with pytest.raises(clamav.ScanFailed):
        clamav.scan_bytes(clamav.Scanner(socket_path="/nonexistent/clamd.sock", timeout=2), b"data")


def test_replies_are_parsed_strictly() -> None:
    assert clamav.parse_reply("stream: OK").outcome is clamav.Outcome.CLEAN
    assert clamav.parse_reply("stream: Win.Trojan.Agent-1 FOUND").signature == "Win.Trojan.Agent-1"
    for reply in ["", "stream: OKAY", "UNKNOWN COMMAND"]:
        with pytest.raises(clamav.ScanFailed):
            clamav.parse_reply(reply)
