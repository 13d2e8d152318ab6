"""LOCAL SANDBOX SMS gateway: nothing leaves the machine.

It behaves as a gateway would for our side of the protocol (validates the number, caps the
length like a concatenated SMS, returns a message id, keeps what was "sent" for tests and for
the demo) so the rest of the system is exercised for real. Replace it in production with the
agency's brand-name SMS gateway adapter through settings.SMS_PROVIDER.
"""

from __future__ import annotations

import itertools
import logging

import phonenumbers

from motcua.notifications.channels.base import DeliveryError, SmsProvider
from motcua.notifications.templating import SMS_MAX_LENGTH

logger = logging.getLogger("motcua.sms.sandbox")
MAX_LENGTH = SMS_MAX_LENGTH  # three concatenated GSM-7 parts; Vietnamese without accents is sent in GSM-7

_ids = itertools.count(1)
OUTBOX: list[tuple[str, str]] = []


class SandboxSmsProvider(SmsProvider):
    def send(self, *, phone: str, text: str, reference: str = "") -> str:
        try:
            number = phonenumbers.parse(phone, "VN")
        except phonenumbers.NumberParseException as exc:
            raise DeliveryError(f"Số điện thoại không hợp lệ / invalid phone number: {phone}", permanent=True) from exc
        if phonenumbers.number_type(number) != phonenumbers.PhoneNumberType.MOBILE:
            raise DeliveryError(f"Không phải số di động / not a mobile number: {phone}", permanent=True)
        if len(text) > MAX_LENGTH:
            raise DeliveryError(f"Tin nhắn dài quá {MAX_LENGTH} ký tự / message too long", permanent=True)
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        OUTBOX.append((e164, text))
        logger.info("SANDBOX SMS to %s: %s", e164, text)
        return f"sandbox-{next(_ids)}"
