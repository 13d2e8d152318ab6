from __future__ import annotations

import pytest
from django.test import Client

from motcua.accounts.models import Role, User
from motcua.catalog.tests.factories import make_agency
from motcua.dossiers.tests.factories import make_citizen, make_official

pytestmark = pytest.mark.django_db


def test_officials_land_on_the_back_office_and_citizens_on_the_portal(client: Client) -> None:
    official = make_official(make_agency(), Role.RECEIVING_OFFICER, username="tn")
    response = client.post("/dang-nhap/", {"username": official.username, "password": "x"}, follow=True)
    assert response.redirect_chain[-1][0] == "/mot-cua/"
    client.post("/dang-xuat/")
    citizen = make_citizen(username="cd")
    response = client.post("/dang-nhap/", {"username": citizen.username, "password": "x"}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    response = client.post("/dang-xuat/", follow=True)
    assert response.redirect_chain[-1][0] == "/"


@pytest.fixture
def citizen() -> User:
    return User.objects.create_user(
        username="an", email="an@example.vn", phone="+84912345678", password="mat-khau-dai-1"
    )


@pytest.mark.parametrize("identifier", ["an", "an@example.vn", "AN@EXAMPLE.VN", "0912345678", "0912 345 678"])
def test_log_in_with_username_email_or_phone(client: Client, citizen: User, identifier: str) -> None:
    response = client.post("/dang-nhap/", {"username": identifier, "password": "mat-khau-dai-1"})
    assert response.status_code == 302
    assert response.wsgi_request.user == citizen


def test_unactivated_accounts_cannot_log_in(client: Client, citizen: User) -> None:
    citizen.is_active = False
    citizen.save()
    response = client.post("/dang-nhap/", {"username": "an@example.vn", "password": "mat-khau-dai-1"})
    assert response.status_code == 200
    assert "không đúng" in response.content.decode()


def test_five_failures_lock_the_account_and_say_until_when(client: Client, citizen: User) -> None:
    for _ in range(4):
        response = client.post("/dang-nhap/", {"username": "0912345678", "password": "sai"})
        assert "không đúng" in response.content.decode()
    response = client.post("/dang-nhap/", {"username": "an@example.vn", "password": "sai"})
    text = response.content.decode()
    assert "tạm thời bị khóa" in text
    assert "Hãy thử lại sau" in text
    # Locked: even the right password is refused, whichever identifier is used.
    response = client.post("/dang-nhap/", {"username": "an", "password": "mat-khau-dai-1"})
    assert "tạm thời bị khóa" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    # Another account from elsewhere is not affected.
    User.objects.create_user(username="binh", password="mat-khau-dai-2")
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post("/dang-nhap/", {"username": "binh", "password": "mat-khau-dai-2"}).status_code == 302


def test_many_failures_from_one_address_lock_that_address(client: Client, settings: object) -> None:
    setattr(settings, "LOGIN_FAILURE_LIMITS", {"account": 5, "ip": 3})  # noqa: B010
    User.objects.create_user(username="binh", password="mat-khau-dai-2")
    for name in ("x1", "x2", "x3"):
        client.post("/dang-nhap/", {"username": name, "password": "sai"})
    response = client.post("/dang-nhap/", {"username": "binh", "password": "mat-khau-dai-2"})
    assert "tạm thời bị khóa" in response.content.decode()


def test_login_page_links(client: Client, settings: object) -> None:
    setattr(settings, "OIDC_ISSUER", "https://sso.example.gov.vn")  # noqa: B010
    setattr(settings, "OIDC_CLIENT_ID", "motcua")  # noqa: B010
    text = client.get("/dang-nhap/").content.decode()
    assert 'href="/tai-khoan/dang-ky/"' in text
    assert 'href="/tai-khoan/quen-mat-khau/"' in text
    assert "Đăng nhập bằng VNeID" in text
    setattr(settings, "OIDC_ISSUER", "")  # noqa: B010
    assert "VNeID" not in client.get("/dang-nhap/").content.decode()
