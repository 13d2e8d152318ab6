"""Login lockout: too many failed logins for one account, or from one address, lock it for a while.

Counters live in Django's cache (Redis in production, shared by every worker; in-process memory
in development). A lost cache only forgets failures, which errs toward letting people in; the
passwords themselves are still hashed slowly.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from motcua.core.ratelimit import hit, reset


def _limit(scope: str) -> int:
    limit: int = settings.LOGIN_FAILURE_LIMITS[scope]
    return limit


def _window() -> int:
    seconds: int = settings.LOGIN_LOCKOUT_SECONDS
    return seconds


def _keys(scope: str, value: str) -> tuple[str, str]:
    return f"login-failures:{scope}:{value}", f"login-locked:{scope}:{value}"


def login_locked_until(*, account: str, ip: str) -> dt.datetime | None:
    """When the account or the address may try again, if either is locked now."""
    latest = None
    for scope, value in (("account", account), ("ip", ip)):
        if not value:
            continue
        until_ts = cache.get(_keys(scope, value)[1])
        if until_ts is not None:
            until = dt.datetime.fromtimestamp(until_ts, tz=dt.UTC)
            if until > timezone.now() and (latest is None or until > latest):
                latest = until
    return latest


def login_failure_record(*, account: str, ip: str) -> dt.datetime | None:
    """Count one failed login; returns the lock's end if this failure locked something."""
    locked = None
    for scope, value in (("account", account), ("ip", ip)):
        if not value:
            continue
        counter, lock = _keys(scope, value)
        failures = hit(counter, window_seconds=_window())
        if failures >= _limit(scope):
            until = timezone.now() + dt.timedelta(seconds=_window())
            cache.set(lock, until.timestamp(), timeout=_window())
            reset(counter)
            locked = until
    return locked


def login_success_record(*, account: str) -> None:
    """A correct password clears the account's count (not the address's: one good account
    must not reset an attacker's budget from the same address)."""
    reset(_keys("account", account)[0])
