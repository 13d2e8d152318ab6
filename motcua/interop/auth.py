"""Bearer tokens for the API: issued for a username (or e-mail/phone) and password."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from motcua.accounts.models import User
from motcua.core.errors import NotAllowed
from motcua.core.ratelimit import client_ip, hit, too_many
from motcua.interop.models import ApiToken

TOKEN_LIFETIME = dt.timedelta(days=30)
LAST_USED_PRECISION = dt.timedelta(minutes=5)
FAILURES_ALLOWED = 10
FAILURE_WINDOW_SECONDS = 15 * 60


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_issue(request: HttpRequest, *, username: str, password: str) -> tuple[str, ApiToken]:
    """A new token for valid credentials; failures are counted per address and slowed down."""
    throttle = f"api-login:{client_ip(request)}"
    if too_many(throttle, limit=FAILURES_ALLOWED):
        raise NotAllowed("Đăng nhập sai nhiều lần, hãy thử lại sau 15 phút", "Too many failed logins, retry later")
    user = authenticate(request, username=username, password=password)
    if not isinstance(user, User) or not user.is_active:
        hit(throttle, window_seconds=FAILURE_WINDOW_SECONDS)
        raise NotAllowed("Sai tên đăng nhập hoặc mật khẩu", "Wrong username or password")
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, key_hash=_digest(key), expires_at=timezone.now() + TOKEN_LIFETIME)
    return key, token


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        # key_hash is unique: at most one row, so no ORDER BY (as .first() would add) is needed.
        row = next(iter(ApiToken.objects.select_related("user").filter(key_hash=_digest(token))[:1]), None)
        now = timezone.now()
        if row is None or row.expires_at <= now or not row.user.is_active:
            return None
        if row.last_used_at is None or now - row.last_used_at > LAST_USED_PRECISION:
            # A write per request would cost more than the request; to the minute is enough.
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user
