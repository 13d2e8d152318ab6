"""Errors raised by services: a message in Vietnamese first, English second."""

from __future__ import annotations


class MotCuaError(Exception):
    """A refused action. `message_vi` is shown to users; `message_en` to English readers."""

    def __init__(self, message_vi: str, message_en: str = "", *, problems: list[str] | None = None):
        super().__init__(message_vi)
        self.message_vi = message_vi
        self.message_en = message_en or message_vi
        self.problems = problems or []

    def __str__(self) -> str:
        text = self.message_vi if self.message_en == self.message_vi else f"{self.message_vi} / {self.message_en}"
        if self.problems:
            text += "\n" + "\n".join(f"- {p}" for p in self.problems)
        return text


class NotAllowed(MotCuaError):
    pass


class InvalidInput(MotCuaError):
    pass
