"""A GENERIC brand-name SMS gateway over HTTPS with JSON: not any one provider's protocol.

Vietnamese brand-name SMS providers all offer much the same REST call (a POST with an API key,
the brand name registered with the carriers, the number and the text; a JSON answer with a
result code and a message id), each with its own field names. This adapter speaks the simple
shape below; to use a given provider, put a small translating proxy in front of it, or subclass
this class and override `payload` and `parse` (a few lines) after checking that provider's
documentation. Select it with SMS_PROVIDER=motcua.notifications.channels.sms_http.HttpSmsProvider.

Request::

    POST {SMS_HTTP_URL}
    Authorization: Bearer {SMS_HTTP_API_KEY}
    Content-Type: application/json; charset=utf-8
    {"to": "84912345678", "brandname": "{SMS_BRANDNAME}", "message": "...", "reference": "motcua-42"}

Answer (any HTTP status; the JSON decides)::

    {"code": "00", "message_id": "abc123"}            delivered to the gateway
    {"code": "<other>", "message": "why"}              refused: see PROVIDER_ERRORS

`reference` is ours and the same on every retry of one message, so a gateway that de-duplicates
on it sends a message once even when our first attempt timed out after it had been accepted.
The number is sent as 84xxxxxxxxx (international form without "+"), the usual form for
Vietnamese gateways. TLS is verified against the system's CA store; plain http is refused
except to this machine (tests and a local proxy).
"""

from __future__ import annotations

import ipaddress
import json
import ssl
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

import phonenumbers
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from motcua.notifications.channels.base import DeliveryError, SmsProvider

SUCCESS = "00"
# code -> (Vietnamese, English, permanent: trying again cannot help)
PROVIDER_ERRORS: dict[str, tuple[str, str, bool]] = {
    "01": ("Số điện thoại không hợp lệ", "invalid phone number", True),
    "02": ("Tên thương hiệu (brandname) chưa được đăng ký", "brand name not registered", False),
    "03": ("Tài khoản hết tiền", "insufficient balance", False),
    "04": ("Nội dung tin nhắn không được chấp nhận", "message content rejected", True),
    "05": ("Sai khoá API", "authentication failed", False),
    "06": ("Gửi quá nhiều tin, cần chờ", "rate limited", False),
    "99": ("Lỗi hệ thống của nhà cung cấp", "provider system error", False),
}
_LOCAL_HOSTS = {"localhost"}


def _is_local(host: str) -> bool:
    if host in _LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class HttpSmsProvider(SmsProvider):
    def __init__(
        self,
        *,
        url: str | None = None,
        api_key: str | None = None,
        brandname: str | None = None,
        timeout: float | None = None,
    ) -> None:
        self.url = url if url is not None else settings.SMS_HTTP_URL
        self.api_key = api_key if api_key is not None else settings.SMS_HTTP_API_KEY
        self.brandname = brandname if brandname is not None else settings.SMS_BRANDNAME
        self.timeout = timeout if timeout is not None else settings.SMS_HTTP_TIMEOUT
        parts = urlsplit(self.url)
        if not self.url or not parts.hostname:
            raise ImproperlyConfigured("SMS_HTTP_URL is required for the HTTP SMS gateway")
        if parts.scheme != "https" and not (parts.scheme == "http" and _is_local(parts.hostname)):
            raise ImproperlyConfigured("SMS_HTTP_URL must be https:// (plain http only to this machine)")
        if not self.api_key:
            raise ImproperlyConfigured("SMS_HTTP_API_KEY (or SMS_HTTP_API_KEY_FILE) is required")
        if not self.brandname:
            raise ImproperlyConfigured("SMS_BRANDNAME is required")
        # Verifies the certificate and the host name (the default context does both).
        self.tls = ssl.create_default_context()

    def payload(self, *, number: str, text: str, reference: str) -> dict[str, Any]:
        return {"to": number, "brandname": self.brandname, "message": text, "reference": reference}

    def parse(self, answer: dict[str, Any]) -> str:
        """The message id, or DeliveryError with the provider's code mapped to our words."""
        code = str(answer.get("code", ""))
        if code == SUCCESS:
            return str(answer.get("message_id", ""))
        vi, en, permanent = PROVIDER_ERRORS.get(code, ("Nhà cung cấp từ chối", "refused by the provider", False))
        detail = str(answer.get("message", ""))[:200]
        raise DeliveryError(f"SMS {code}: {vi} / {en}" + (f" ({detail})" if detail else ""), permanent=permanent)

    def send(self, *, phone: str, text: str, reference: str = "") -> str:
        try:
            parsed = phonenumbers.parse(phone, "VN")
        except phonenumbers.NumberParseException as exc:
            raise DeliveryError(f"Số điện thoại không hợp lệ / invalid phone number: {phone}", permanent=True) from exc
        if not phonenumbers.is_valid_number(parsed):
            raise DeliveryError(f"Số điện thoại không hợp lệ / invalid phone number: {phone}", permanent=True)
        number = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164).lstrip("+")
        request = urllib.request.Request(  # noqa: S310 - the scheme is checked in __init__ (https, or http to loopback)
            self.url,
            data=json.dumps(self.payload(number=number, text=text, reference=reference)).encode(),
            headers={
                "Authorization": f"Bearer {self.api_key}",
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout, context=self.tls) as response:  # noqa: S310
                status = response.status
                raw = response.read(65536)
        except urllib.error.HTTPError as error:
            # Providers answer refusals with 4xx and a JSON body: read it for the code.
            status = error.code
            raw = error.read(65536)
            if not raw:
                raise DeliveryError(f"SMS HTTP {error.code}") from error
        except TimeoutError as error:
            raise DeliveryError(f"SMS: hết thời gian chờ / timed out after {self.timeout}s") from error
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise DeliveryError(f"SMS: hết thời gian chờ / timed out after {self.timeout}s") from error
            raise DeliveryError(f"SMS: không kết nối được / cannot connect: {error.reason}") from error
        try:
            answer = json.loads(raw)
        except ValueError as error:
            raise DeliveryError("SMS: câu trả lời không phải JSON / the answer is not JSON") from error
        if not isinstance(answer, dict) or "code" not in answer:
            raise DeliveryError(f"SMS HTTP {status}: câu trả lời không có mã kết quả / no result code")
        return self.parse(answer)
