"""Delivery channels behind one small interface; the SMS gateway is a plugin (settings.SMS_PROVIDER)."""

from __future__ import annotations

from abc import ABC, abstractmethod


class DeliveryError(Exception):
    """The message was not delivered. `permanent` when trying again cannot help (a landline, a
    number that does not exist, a message the gateway will never accept): the row fails at once
    instead of being retried for an hour and a half."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class SmsProvider(ABC):
    @abstractmethod
    def send(self, *, phone: str, text: str, reference: str = "") -> str:
        """Send `text` to `phone` (E.164 or a Vietnamese national number); return the gateway's
        message id, or raise DeliveryError. `reference` is our id for the message, the same on
        every retry, so a gateway that honours it sends a retried message once."""
