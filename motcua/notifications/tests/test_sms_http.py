"""The HTTP SMS gateway adapter against a gateway played by a local HTTP server (no network)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from motcua.notifications.channels.base import DeliveryError
from motcua.notifications.channels.sms_http import HttpSmsProvider
from motcua.notifications.models import DeliveryStatus
from motcua.notifications.services import notification_send, notify


@dataclass
class Gateway:
    url: str
    answer: tuple[int, dict[str, Any]] = (200, {"code": "00", "message_id": "gw-1"})
    requests: list[dict[str, Any]] = field(default_factory=list)
    hang: threading.Event | None = None


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    state = Gateway(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.requests.append({"path": self.path, "headers": dict(self.headers), "json": json.loads(body)})
            if state.hang is not None:
                state.hang.wait(5)  # longer than the client waits
                return
            status, answer = state.answer
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/api/sms/send"
    yield state
    if state.hang is not None:
        state.hang.set()
    server.shutdown()
    server.server_close()


def _provider(gateway: Gateway, timeout: float = 2) -> HttpSmsProvider:
    return HttpSmsProvider(url=gateway.url, api_key="k-123", brandname="UBND-PHUONG", timeout=timeout)


def test_a_message_is_posted_as_documented_and_the_gateway_id_returned(gateway: Gateway) -> None:
    assert _provider(gateway).send(phone="0912 345 678", text="Ho so da tiep nhan", reference="motcua-7") == "gw-1"
    [request] = gateway.requests
    assert request["path"] == "/api/sms/send"
    assert request["headers"]["Authorization"] == "Bearer k-123"
    assert request["headers"]["Content-Type"].startswith("application/json")
    assert request["json"] == {
        "to": "84912345678",
        "brandname": "UBND-PHUONG",
        "message": "Ho so da tiep nhan",
        "reference": "motcua-7",
    }


@pytest.mark.parametrize(
    ("status", "answer", "words", "permanent"),
    [
        (200, {"code": "03", "message": "balance 0"}, r"insufficient balance \(balance 0\)", False),
        (400, {"code": "01"}, "invalid phone number", True),
        (401, {"code": "05"}, "authentication failed", False),
        (200, {"code": "42"}, "refused by the provider", False),
        (500, {"unexpected": True}, "HTTP 500: .* no result code", False),
    ],
)
def test_provider_errors_become_delivery_errors(
    gateway: Gateway, status: int, answer: dict[str, Any], words: str, permanent: bool
) -> None:
    gateway.answer = (status, answer)
    with pytest.raises(DeliveryError, match=words) as error:
        _provider(gateway).send(phone="0912345678", text="x")
    assert error.value.permanent is permanent


def test_a_gateway_that_does_not_answer_in_time_is_a_temporary_failure(gateway: Gateway) -> None:
    gateway.hang = threading.Event()
    with pytest.raises(DeliveryError, match="timed out") as error:
        _provider(gateway, timeout=0.3).send(phone="0912345678", text="x")
    assert not error.value.permanent


def test_a_bad_number_is_refused_before_any_request(gateway: Gateway) -> None:
    with pytest.raises(DeliveryError) as error:
        _provider(gateway).send(phone="12", text="x")
    assert error.value.permanent
    assert gateway.requests == []


def test_plain_http_is_refused_except_to_this_machine() -> None:
    with pytest.raises(ImproperlyConfigured, match="https"):
        HttpSmsProvider(url="http://sms.example.vn/send", api_key="k", brandname="B")
    with pytest.raises(ImproperlyConfigured, match="API_KEY"):
        HttpSmsProvider(url="https://sms.example.vn/send", api_key="", brandname="B")
    HttpSmsProvider(url="https://sms.example.vn/send", api_key="k", brandname="B")


@pytest.mark.django_db
def test_an_outbox_row_goes_through_the_configured_gateway(gateway: Gateway) -> None:
    with override_settings(
        SMS_PROVIDER="motcua.notifications.channels.sms_http.HttpSmsProvider",
        SMS_HTTP_URL=gateway.url,
        SMS_HTTP_API_KEY="k-123",
        SMS_BRANDNAME="UBND-PHUONG",
    ):
        [row] = notify(subject="Hồ sơ đã có kết quả", body="Mời ông/bà đến nhận", phone="0912345678")
        assert notification_send(row.pk) == DeliveryStatus.SENT
        gateway.answer = (200, {"code": "03"})
        [again] = notify(subject="x", body="y", phone="0912345678")
        assert notification_send(again.pk) == DeliveryStatus.PENDING
    row.refresh_from_db()
    assert row.provider_reference == "gw-1"
    assert gateway.requests[0]["json"]["message"] == "Ho so da co ket qua. Moi ong/ba den nhan"
    assert gateway.requests[0]["json"]["reference"] == f"motcua-{row.pk}"
    again.refresh_from_db()
    assert "insufficient balance" in again.error
