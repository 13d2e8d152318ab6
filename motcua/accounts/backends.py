"""Log in with a username, an e-mail address or a mobile number, with lockout after failures."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from motcua.accounts.models import User
from motcua.accounts.selectors import user_find_by_identifier
from motcua.accounts.throttle import login_failure_record, login_locked_until, login_success_record


def client_ip(request: HttpRequest | None) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client says unless a trusted proxy
    # rewrites it. Behind a reverse proxy, have the proxy set REMOTE_ADDR (e.g. uwsgi/gunicorn
    # forwarded-allow-ips) rather than trusting the header here.
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def account_key(identifier: str, user: User | None) -> str:
    return f"user:{user.pk}" if user is not None else f"name:{identifier.strip().lower()}"


class IdentifierBackend(ModelBackend):
    """Like ModelBackend, but `username` may be an e-mail address or a phone number, and an
    account or address with too many recent failures is refused until its lock ends (the
    login form tells when: `throttle.login_locked_until`)."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if username is None or password is None:
            return None
        user = user_find_by_identifier(username)
        account = account_key(username, user)
        ip = client_ip(request)
        if login_locked_until(account=account, ip=ip) is not None:
            return None
        if user is None:
            # Hash anyway so the response time does not tell which accounts exist.
            User().set_password(password)
        elif user.check_password(password) and self.user_can_authenticate(user):
            login_success_record(account=account)
            return user
        login_failure_record(account=account, ip=ip)
        return None
