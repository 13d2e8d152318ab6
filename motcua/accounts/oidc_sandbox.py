"""LOCAL SANDBOX OpenID Connect provider: a stand-in for VNeID / the national portal's SSO.

NOTHING HERE IS A REAL IDENTITY. It serves the protocol as a real provider does, so the
relying-party code (`oidc.py`) is exercised for real in development and tests:

- discovery document (`/.well-known/openid-configuration`);
- authorization endpoint: a page to pick a fake citizen (and, for testing the relying party,
  a faulty answer: a token signed by a key the JWKS does not publish, a wrong nonce, a wrong
  audience, an expired token); PKCE S256 is required;
- token endpoint: client authentication (basic or post), one-time codes bound to the client,
  redirect URI and code challenge; RS256-signed ID tokens;
- JWKS endpoint.

The signing key is generated on first use into var/ (never committed). Served only when
settings.OIDC_SANDBOX is true (default: when DEBUG); every view answers 404 otherwise. The one
registered client is MotCua itself: OIDC_CLIENT_ID / OIDC_CLIENT_SECRET / its redirect URI.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import tempfile
import threading
import time
from collections.abc import Callable
from functools import cache, wraps
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus, urlencode

from django.conf import settings
from django.core.cache import cache as django_cache
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from joserfc import jwt
from joserfc.jwk import RSAKey

from motcua.accounts.oidc import redirect_uri as registered_redirect_uri

CODE_LIFETIME_SECONDS = 60
TOKEN_LIFETIME_SECONDS = 300

# Fake citizens. Personal ID numbers follow §9 of the regulations note (province, century/sex,
# birth year, 6 digits) but belong to nobody.
CITIZENS: list[dict[str, str]] = [
    {
        "sub": "sandbox-citizen-1",
        "name": "Nguyễn Văn An",
        "birthdate": "1990-01-15",
        "personal_id": "079090000001",
        "phone_number": "+84912000001",
        "email": "an.nguyen@sandbox.example",
    },
    {
        "sub": "sandbox-citizen-2",
        "name": "Trần Thị Bình",
        "birthdate": "1995-06-30",
        "personal_id": "001195000002",
        "phone_number": "+84912000002",
        "email": "binh.tran@sandbox.example",
    },
    {
        "sub": "sandbox-citizen-3",
        "name": "Lê Văn Cường",
        "birthdate": "1989-11-02",
        "personal_id": "079089000003",
        "phone_number": "+84912000003",
        "email": "",
    },
]

SCENARIOS = {
    "ok": "Bình thường",
    "rogue_key": "Ký bằng khóa không công bố (kiểm thử chữ ký sai)",
    "wrong_nonce": "Sai nonce",
    "wrong_audience": "Sai audience",
    "expired": "Token đã hết hạn",
}

_key_lock = threading.Lock()


def _key_file() -> Path:
    return Path(settings.VAR_DIR) / "oidc-sandbox-key.json"


def signing_key() -> RSAKey:
    """The sandbox's RSA key, generated into var/ on first use (several processes may race:
    the file appears atomically, and whoever loses reads the winner's)."""
    path = _key_file()
    with _key_lock:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            key = RSAKey.generate_key(2048, private=True)
            data = json.dumps(key.as_dict(private=True, kid=key.thumbprint(), use="sig", alg="RS256"))
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".oidc-key-")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(data)
            os.chmod(tmp, 0o600)
            try:
                os.link(tmp, path)  # fails if another process got there first
            except FileExistsError:
                pass
            finally:
                os.unlink(tmp)
        return _load_key(str(path), path.stat().st_mtime_ns)


@cache
def _load_key(path: str, _mtime: int) -> RSAKey:
    return RSAKey.import_key(json.loads(Path(path).read_text(encoding="utf-8")))


@cache
def _rogue_key(kid: str) -> RSAKey:
    """A key nobody publishes, carrying the real key's id: only a signature check tells them apart."""
    key = RSAKey.generate_key(2048, private=True)
    return RSAKey.import_key(key.as_dict(private=True, kid=kid, use="sig", alg="RS256"))


def sandbox_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.OIDC_SANDBOX:
            raise Http404("OIDC sandbox is off")
        return view(request, *args, **kwargs)

    return wrapped


def _issuer(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("oidc_sandbox:discovery")).removesuffix(
        "/.well-known/openid-configuration"
    )


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@sandbox_only
@require_GET
def discovery(request: HttpRequest) -> HttpResponse:
    return JsonResponse(
        {
            "issuer": _issuer(request),
            "authorization_endpoint": request.build_absolute_uri(reverse("oidc_sandbox:authorize")),
            "token_endpoint": request.build_absolute_uri(reverse("oidc_sandbox:token")),
            "jwks_uri": request.build_absolute_uri(reverse("oidc_sandbox:jwks")),
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "profile", "email", "phone"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nonce", *settings.OIDC_CLAIMS.values()],
        }
    )


@sandbox_only
@require_GET
def jwks(request: HttpRequest) -> HttpResponse:
    key = signing_key()
    return JsonResponse({"keys": [key.as_dict(private=False, kid=key.kid, use="sig", alg="RS256")]})


def _redirect_with(redirect_uri: str, params: dict[str, str]) -> HttpResponse:
    separator = "&" if "?" in redirect_uri else "?"
    return HttpResponseRedirect(f"{redirect_uri}{separator}{urlencode(params)}")


@never_cache
@sandbox_only
@require_http_methods(["GET", "POST"])
def authorize(request: HttpRequest) -> HttpResponse:
    params = request.GET if request.method == "GET" else request.POST
    client_id = params.get("client_id", "")
    redirect_uri = params.get("redirect_uri", "")
    # Errors about the client or its redirect URI are shown here, never sent to an unchecked URI.
    if client_id != settings.OIDC_CLIENT_ID:
        return HttpResponseBadRequest("unknown client_id")
    if redirect_uri != registered_redirect_uri():
        return HttpResponseBadRequest("redirect_uri is not registered")
    state = params.get("state", "")
    base = {"state": state} if state else {}
    if params.get("response_type") != "code":
        return _redirect_with(redirect_uri, {**base, "error": "unsupported_response_type"})
    if "openid" not in params.get("scope", "").split():
        return _redirect_with(redirect_uri, {**base, "error": "invalid_scope"})
    if not params.get("code_challenge") or params.get("code_challenge_method") != "S256":
        return _redirect_with(
            redirect_uri, {**base, "error": "invalid_request", "error_description": "PKCE S256 required"}
        )
    if request.method == "GET":
        keep = ["client_id", "redirect_uri", "response_type", "scope", "state", "nonce"]
        keep += ["code_challenge", "code_challenge_method"]
        return render(
            request,
            "accounts/oidc_sandbox_authorize.html",
            {"citizens": CITIZENS, "scenarios": SCENARIOS, "hidden": [(k, params.get(k, "")) for k in keep]},
        )
    if params.get("decision") != "allow":
        return _redirect_with(redirect_uri, {**base, "error": "access_denied"})
    try:
        citizen = CITIZENS[int(params.get("citizen", ""))]
    except (ValueError, IndexError):
        return HttpResponseBadRequest("pick a citizen")
    code = secrets.token_urlsafe(32)
    django_cache.set(
        f"oidc-sandbox-code:{code}",
        {
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "code_challenge": params["code_challenge"],
            "nonce": params.get("nonce", ""),
            "sub": citizen["sub"],
            "scenario": params.get("scenario", "ok") if params.get("scenario") in SCENARIOS else "ok",
            "auth_time": int(time.time()),
        },
        timeout=CODE_LIFETIME_SECONDS,
    )
    return _redirect_with(redirect_uri, {**base, "code": code})


def _token_error(error: str, status: int = 400, description: str = "") -> JsonResponse:
    body = {"error": error, **({"error_description": description} if description else {})}
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _client_credentials(request: HttpRequest) -> tuple[str, str]:
    header = request.headers.get("Authorization", "")
    if header.startswith("Basic "):
        try:
            decoded = base64.b64decode(header[6:]).decode("utf-8")
        except ValueError:
            return "", ""
        client_id, _, secret = decoded.partition(":")
        return unquote_plus(client_id), unquote_plus(secret)
    return request.POST.get("client_id", ""), request.POST.get("client_secret", "")


@csrf_exempt  # a back-channel call from the client's server, authenticated by its secret
@sandbox_only
@require_POST
def token(request: HttpRequest) -> HttpResponse:
    client_id, secret = _client_credentials(request)
    if client_id != settings.OIDC_CLIENT_ID or not hmac.compare_digest(
        secret.encode(), settings.OIDC_CLIENT_SECRET.encode()
    ):
        return _token_error("invalid_client", 401)
    if request.POST.get("grant_type") != "authorization_code":
        return _token_error("unsupported_grant_type")
    code = request.POST.get("code", "")
    grant = django_cache.get(f"oidc-sandbox-code:{code}") if code else None
    django_cache.delete(f"oidc-sandbox-code:{code}")  # one use, whatever happens next
    if grant is None or grant["client_id"] != client_id:
        return _token_error("invalid_grant", description="unknown or used code")
    if request.POST.get("redirect_uri") != grant["redirect_uri"]:
        return _token_error("invalid_grant", description="redirect_uri mismatch")
    verifier = request.POST.get("code_verifier", "")
    challenge = _b64url(hashlib.sha256(verifier.encode("ascii", "replace")).digest())
    if not verifier or not hmac.compare_digest(challenge, grant["code_challenge"]):
        return _token_error("invalid_grant", description="PKCE verification failed")

    citizen = next(c for c in CITIZENS if c["sub"] == grant["sub"])
    access_token = secrets.token_urlsafe(32)
    now = int(time.time())
    scenario = grant["scenario"]
    claims: dict[str, Any] = {
        "iss": _issuer(request),
        "sub": citizen["sub"],
        "aud": "someone-else" if scenario == "wrong_audience" else client_id,
        "iat": now - (2 * TOKEN_LIFETIME_SECONDS if scenario == "expired" else 0),
        "exp": now + (-TOKEN_LIFETIME_SECONDS if scenario == "expired" else TOKEN_LIFETIME_SECONDS),
        "auth_time": grant["auth_time"],
        "nonce": "not-your-nonce" if scenario == "wrong_nonce" else grant["nonce"],
        # at_hash: the left half of SHA-256 of the access token (OIDC Core 3.1.3.6).
        "at_hash": _b64url(hashlib.sha256(access_token.encode("ascii")).digest()[:16]),
    }
    claim_names = settings.OIDC_CLAIMS
    for field, source in (
        ("full_name", "name"),
        ("birth_date", "birthdate"),
        ("personal_id", "personal_id"),
        ("phone", "phone_number"),
        ("email", "email"),
    ):
        if citizen[source]:
            claims[claim_names[field]] = citizen[source]
    key = signing_key()
    if scenario == "rogue_key":
        key = _rogue_key(key.kid or "")
    id_token = jwt.encode({"alg": "RS256", "kid": key.kid, "typ": "JWT"}, claims, key)
    response = JsonResponse(
        {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": TOKEN_LIFETIME_SECONDS,
            "id_token": id_token,
        }
    )
    response["Cache-Control"] = "no-store"
    return response
