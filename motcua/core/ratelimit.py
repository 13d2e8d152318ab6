"""Counting attempts in a time window, in Django's cache (Redis in production, so the count is
shared by every web process; in-process memory in development)."""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by whoever sends the request. Behind a reverse
    # proxy, have the proxy overwrite REMOTE_ADDR (e.g. nginx real_ip) rather than trust a header.
    return str(request.META.get("REMOTE_ADDR", "unknown"))


def too_many(key: str, *, limit: int) -> bool:
    """True when `key` has already been hit `limit` times in its current window."""
    return int(cache.get(f"ratelimit:{key}", 0)) >= limit


def hit(key: str, *, window_seconds: int) -> int:
    """Count one attempt for `key`; the window starts at the first attempt."""
    full_key = f"ratelimit:{key}"
    if cache.add(full_key, 1, timeout=window_seconds):
        return 1
    try:
        return int(cache.incr(full_key))
    except ValueError:  # expired between add and incr
        cache.add(full_key, 1, timeout=window_seconds)
        return 1


def reset(key: str) -> None:
    cache.delete(f"ratelimit:{key}")
