"""Delivery channels behind one small interface; the SMS gateway is a plugin (settings.SMS_PROVIDER)."""

from __future__ import annotations

from abc import ABC, abstractmethod


class DeliveryError(Exception):
    pass


class SmsProvider(ABC):
    @abstractmethod
    def send(self, *, phone: str, text: str) -> str:
        """Send `text` to `phone` (E.164); return the gateway's message id, or raise DeliveryError."""
