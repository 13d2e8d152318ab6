"""OpenID Connect login (relying party) for VNeID / the national portal's SSO, through Authlib.

Authorization-code flow with PKCE (S256), `state` and `nonce` kept in the session; the ID token's
signature is checked against the provider's JWKS (fetched again once when the key id is
unknown, so the provider may rotate keys), and its `iss`, `aud`, `exp`, `nonce` and `at_hash`.
Everything comes from settings (OIDC_*), so the same code talks to the local sandbox
(`oidc_sandbox.py`) and to a real provider.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from joserfc.errors import JoseError
from requests import RequestException

from motcua.core.errors import MotCuaError

logger = logging.getLogger("motcua.accounts.oidc")
CLIENT_NAME = "oidc"

_apps: dict[tuple[str, ...], DjangoOAuth2App] = {}
_apps_lock = threading.Lock()


class OidcLoginFailed(MotCuaError):
    pass


def oidc_enabled() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID)


def redirect_uri() -> str:
    """Where the provider sends the browser back (registered with the provider)."""
    return settings.OIDC_REDIRECT_URI or f"{settings.SITE_URL}{reverse('accounts:oidc_callback')}"


def discovery_url() -> str:
    return settings.OIDC_DISCOVERY_URL or f"{settings.OIDC_ISSUER}/.well-known/openid-configuration"


def _app() -> DjangoOAuth2App:
    """One client per configuration; it keeps the discovery document and JWKS in memory."""
    config = (
        discovery_url(),
        settings.OIDC_CLIENT_ID,
        settings.OIDC_CLIENT_SECRET,
        settings.OIDC_SCOPES,
        str(settings.OIDC_HTTP_TIMEOUT),
    )
    with _apps_lock:
        if config not in _apps:
            oauth = OAuth()
            _apps[config] = oauth.register(
                name=CLIENT_NAME,
                client_id=settings.OIDC_CLIENT_ID,
                client_secret=settings.OIDC_CLIENT_SECRET,
                server_metadata_url=discovery_url(),
                client_kwargs={
                    "scope": settings.OIDC_SCOPES,
                    "code_challenge_method": "S256",
                    "default_timeout": settings.OIDC_HTTP_TIMEOUT,
                },
            )
        return _apps[config]


def oidc_authorize_redirect(request: HttpRequest) -> HttpResponse:
    """Send the browser to the provider, with a fresh state, nonce and PKCE verifier in the session."""
    try:
        response: HttpResponse = _app().authorize_redirect(request, redirect_uri(), ui_locales="vi")
    except (OAuthError, RequestException, ValueError, KeyError) as exc:
        raise OidcLoginFailed(
            "Không kết nối được với hệ thống định danh điện tử. Hãy thử lại sau.",
            "The electronic identity provider cannot be reached. Try again later.",
        ) from exc
    return response


def oidc_callback_claims(request: HttpRequest) -> dict[str, Any]:
    """The verified ID-token claims for the provider's answer in `request`.

    Raises OidcLoginFailed for anything wrong: an error from the provider, a state that is not
    ours, a code the provider refuses (e.g. a wrong PKCE verifier), a bad signature, a nonce,
    audience, issuer or expiry that does not match.
    """
    if error := request.GET.get("error"):
        raise OidcLoginFailed(
            "Đăng nhập bằng định danh điện tử đã bị hủy hoặc bị từ chối.",
            f"Login with the electronic identity was cancelled or refused ({error}).",
        )
    try:
        token = _app().authorize_access_token(
            request, claims_options={"iss": {"essential": True, "values": [settings.OIDC_ISSUER]}}
        )
    except (OAuthError, JoseError, RequestException, ValueError, KeyError) as exc:
        logger.warning("OIDC login refused: %r", exc)
        raise OidcLoginFailed(
            "Không xác thực được thông tin từ hệ thống định danh điện tử. Hãy thử lại.",
            f"The answer of the electronic identity provider could not be verified ({type(exc).__name__}).",
        ) from exc
    userinfo = token.get("userinfo")
    if not userinfo or not userinfo.get("sub"):
        raise OidcLoginFailed(
            "Hệ thống định danh điện tử không trả về thông tin định danh.",
            "The identity provider returned no ID token.",
        )
    return dict(userinfo)


def provider_id() -> str:
    """How accounts record the provider (the issuer URL)."""
    issuer: str = settings.OIDC_ISSUER
    return issuer
