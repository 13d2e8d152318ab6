"""The OpenID Connect login, driven through the LOCAL SANDBOX provider over real HTTP.

The browser side (our pages and the sandbox's picker) goes through Django's test client; the
back-channel calls our client makes (discovery, token, JWKS) go over HTTP to the sandbox served
on pytest-django's live server. Nothing of ours is mocked.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from django.test import Client

from motcua.accounts.models import User, UserKind
from motcua.notifications.models import Notification, NotificationChannel

REDIRECT_URI = "http://testserver/tai-khoan/vneid/ve/"


@pytest.fixture
def sandbox(settings: Any, live_server: Any, tmp_path: Path) -> str:
    settings.OIDC_SANDBOX = True
    settings.OIDC_ISSUER = f"{live_server.url}/oidc-sandbox"
    settings.OIDC_DISCOVERY_URL = ""
    settings.OIDC_CLIENT_ID = "motcua-test"
    settings.OIDC_CLIENT_SECRET = "test-secret"
    settings.OIDC_REDIRECT_URI = REDIRECT_URI
    settings.VAR_DIR = tmp_path  # a new signing key for each test
    issuer: str = settings.OIDC_ISSUER
    return issuer


def start(client: Client) -> dict[str, str]:
    """Our login button: returns the authorization request's parameters."""
    response = client.get("/tai-khoan/vneid/")
    assert response.status_code == 302
    parts = urlsplit(response["Location"])
    assert parts.path == "/oidc-sandbox/authorize"
    return {k: v[0] for k, v in parse_qs(parts.query).items()}


def pick(client: Client, params: dict[str, str], citizen: int = 0, scenario: str = "ok") -> str:
    """The citizen at the provider picks who they are; returns our callback URL with the code."""
    page = client.get("/oidc-sandbox/authorize", params)
    assert page.status_code == 200
    assert "SANDBOX" in page.content.decode()
    response = client.post(
        "/oidc-sandbox/authorize", {**params, "citizen": citizen, "scenario": scenario, "decision": "allow"}
    )
    assert response.status_code == 302
    location: str = response["Location"]
    assert location.startswith(REDIRECT_URI)
    return location


def finish(client: Client, callback: str) -> Any:
    parts = urlsplit(callback)
    return client.get(parts.path, parse_qs(parts.query), follow=True)


@pytest.mark.django_db(transaction=True)
def test_full_flow_creates_a_verified_account(client: Client, sandbox: str) -> None:
    params = start(client)
    assert params["code_challenge_method"] == "S256"
    assert params["code_challenge"] and params["state"] and params["nonce"]
    assert "openid" in params["scope"].split()
    response = finish(client, pick(client, params, citizen=0))
    user = response.wsgi_request.user
    assert user.is_authenticated
    assert isinstance(user, User)
    assert response.redirect_chain[-1][0] == "/"
    assert user.identity_verified_at is not None
    assert user.identity_provider == sandbox
    assert user.identity_subject == "sandbox-citizen-1"
    assert (user.full_name, user.personal_id, user.phone) == ("Nguyễn Văn An", "079090000001", "+84912000001")
    assert user.birth_date is not None and user.birth_date.isoformat() == "1990-01-15"
    assert user.kind == UserKind.CITIZEN
    assert not user.has_usable_password()
    # Logging in again finds the same account.
    client.logout()
    response = finish(client, pick(client, start(client), citizen=0))
    assert response.wsgi_request.user.pk == user.pk
    assert User.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_links_the_existing_account_with_the_same_personal_id(client: Client, sandbox: str) -> None:
    existing = User.objects.create_user(
        username="binh", email="binh@example.vn", personal_id="001195000002", password="mat-khau-dai-1"
    )
    response = finish(client, pick(client, start(client), citizen=1))
    assert response.wsgi_request.user.pk == existing.pk
    existing.refresh_from_db()
    assert existing.identity_subject == "sandbox-citizen-2"
    assert existing.identity_verified_at is not None
    assert existing.email == "binh.tran@sandbox.example"  # the provider's verified address
    assert existing.check_password("mat-khau-dai-1")  # the password still works
    told = Notification.objects.get(channel=NotificationChannel.EMAIL)
    assert told.address == "binh@example.vn"  # the address the account had before
    assert "liên kết" in told.subject


@pytest.mark.django_db(transaction=True)
def test_officials_are_never_linked(client: Client, sandbox: str) -> None:
    official = User.objects.create_user(username="cb", personal_id="079090000001", kind=UserKind.OFFICIAL)
    response = finish(client, pick(client, start(client), citizen=0))
    assert response.wsgi_request.user.pk != official.pk


@pytest.mark.parametrize("scenario", ["rogue_key", "wrong_nonce", "wrong_audience", "expired"])
@pytest.mark.django_db(transaction=True)
def test_bad_id_tokens_are_refused(client: Client, sandbox: str, scenario: str) -> None:
    # First a good login, so our client holds the provider's JWKS (the rogue key carries the same key id).
    finish(client, pick(client, start(client)))
    client.logout()
    response = finish(client, pick(client, start(client), scenario=scenario))
    assert not response.wsgi_request.user.is_authenticated
    assert response.redirect_chain[-1][0] == "/dang-nhap/"
    assert "Không xác thực được" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_state_that_is_not_ours_is_refused(client: Client, sandbox: str) -> None:
    callback = pick(client, start(client))
    parts = urlsplit(callback)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()} | {"state": "forged"}
    response = client.get(parts.path, query, follow=True)
    assert not response.wsgi_request.user.is_authenticated
    assert "Không xác thực được" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_wrong_pkce_verifier_is_refused(client: Client, sandbox: str) -> None:
    params = start(client)
    callback = pick(client, params)
    # Our stored verifier no longer matches the challenge sent: the provider must refuse the code.
    session = client.session
    key = f"_state_oidc_{params['state']}"
    saved = session[key]
    saved["data"]["code_verifier"] = "x" * 64
    session[key] = saved
    session.save()
    response = finish(client, callback)
    assert not response.wsgi_request.user.is_authenticated
    assert "Không xác thực được" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_sandbox_token_endpoint_checks_pkce_and_single_use(client: Client, sandbox: str) -> None:
    params = start(client)
    code = parse_qs(urlsplit(pick(client, params)).query)["code"][0]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}
    response = requests.post(
        f"{sandbox}/token", data=form | {"code_verifier": "y" * 64}, auth=("motcua-test", "test-secret"), timeout=5
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    # The code died with the failed attempt.
    verifier = client.session[f"_state_oidc_{params['state']}"]["data"]["code_verifier"]
    response = requests.post(
        f"{sandbox}/token", data=form | {"code_verifier": verifier}, auth=("motcua-test", "test-secret"), timeout=5
    )
    assert response.status_code == 400
    # A wrong client secret.
    response = requests.post(f"{sandbox}/token", data=form, auth=("motcua-test", "wrong"), timeout=5)
    assert response.status_code == 401


@pytest.mark.django_db(transaction=True)
def test_discovery_and_jwks(sandbox: str) -> None:
    metadata = requests.get(f"{sandbox}/.well-known/openid-configuration", timeout=5).json()
    assert metadata["issuer"] == sandbox
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    [key] = requests.get(metadata["jwks_uri"], timeout=5).json()["keys"]
    assert key["kty"] == "RSA" and key["alg"] == "RS256"
    assert "d" not in key  # never the private part


@pytest.mark.django_db
def test_the_sandbox_is_off_unless_enabled(client: Client, settings: Any) -> None:
    settings.OIDC_SANDBOX = False
    assert client.get("/oidc-sandbox/.well-known/openid-configuration").status_code == 404
    assert client.get("/oidc-sandbox/jwks").status_code == 404


@pytest.mark.django_db
def test_the_sandbox_refuses_unregistered_redirects(client: Client, settings: Any) -> None:
    settings.OIDC_SANDBOX = True
    settings.OIDC_CLIENT_ID = "motcua-test"
    settings.OIDC_REDIRECT_URI = REDIRECT_URI
    query = {"client_id": "motcua-test", "redirect_uri": "https://evil.example/cb", "response_type": "code"}
    assert client.get(f"/oidc-sandbox/authorize?{urlencode(query)}").status_code == 400
    query["redirect_uri"] = REDIRECT_URI
    query |= {"scope": "openid", "state": "s"}  # no PKCE
    response = client.get(f"/oidc-sandbox/authorize?{urlencode(query)}")
    assert response.status_code == 302
    assert "error=invalid_request" in response["Location"]


@pytest.mark.django_db
def test_login_button_is_404_when_not_configured(client: Client, settings: Any) -> None:
    settings.OIDC_ISSUER = ""
    assert client.get("/tai-khoan/vneid/").status_code == 404
