from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.core.cache import cache

from motcua.notifications.channels import sms_sandbox
from motcua.notifications.models import Notification

CODE = re.compile(r"\b(\d{6})\b")


@pytest.fixture(autouse=True)
def _fresh_cache_and_sms() -> Iterator[None]:
    # Lockout counters and the sandbox's codes live in the (in-process) cache.
    cache.clear()
    sms_sandbox.OUTBOX.clear()
    yield
    cache.clear()


def last_code(address: str) -> str:
    """The code in the newest message queued for `address` (the notification outbox row)."""
    row = Notification.objects.filter(address=address).order_by("-created_at", "-pk").first()
    assert row is not None, f"nothing sent to {address}"
    match = CODE.search(row.body)
    assert match is not None
    return match.group(1)
