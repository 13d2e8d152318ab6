from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from motcua.accounts.models import User
from motcua.accounts.tests.conftest import last_code
from motcua.notifications.models import Notification

pytestmark = pytest.mark.django_db

NEW = "Mat-khau-moi-2026"


def test_reset_by_phone_code_then_log_in(client: Client) -> None:
    user = User.objects.create_user(username="an", phone="+84912345678", password="cu-mat-khau-1")
    response = client.post("/tai-khoan/quen-mat-khau/", {"contact": "0912345678"})
    assert response["Location"] == "/tai-khoan/quen-mat-khau/dat-lai/"
    code = last_code("+84912345678")
    response = client.post(
        "/tai-khoan/quen-mat-khau/dat-lai/", {"action": "confirm", "code": code, "password1": NEW, "password2": NEW}
    )
    assert response["Location"] == "/dang-nhap/"
    user.refresh_from_db()
    assert user.check_password(NEW)
    response = client.post("/dang-nhap/", {"username": "0912345678", "password": NEW})
    assert response.wsgi_request.user == user


def test_reset_by_email_with_a_wrong_code(client: Client) -> None:
    user = User.objects.create_user(username="an", email="an@example.vn", password="cu-mat-khau-1")
    client.post("/tai-khoan/quen-mat-khau/", {"contact": "an@example.vn"})
    code = last_code("an@example.vn")
    wrong = "000000" if code != "000000" else "111111"
    response = client.post(
        "/tai-khoan/quen-mat-khau/dat-lai/", {"action": "confirm", "code": wrong, "password1": NEW, "password2": NEW}
    )
    assert "không đúng" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("cu-mat-khau-1")


def test_unknown_address_looks_the_same_and_sends_nothing(client: Client) -> None:
    response = client.post("/tai-khoan/quen-mat-khau/", {"contact": "ai@example.vn"}, follow=True)
    assert "Nếu" in response.content.decode()
    assert not Notification.objects.exists()
    assert mail.outbox == []
