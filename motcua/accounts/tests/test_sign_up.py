from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from motcua.accounts.models import CodePurpose, User, UserKind, VerificationCode
from motcua.accounts.services import CODE_MAX_ATTEMPTS, user_activate
from motcua.accounts.tests.conftest import last_code
from motcua.core.errors import InvalidInput
from motcua.notifications.channels import sms_sandbox

pytestmark = pytest.mark.django_db

PASSWORD = "Ch0-toi-dang-ky-2026"


def sign_up(client: Client, contact: str, **extra: str) -> Any:
    data = {"kind": "citizen", "full_name": "Nguyễn Thị Hoa", "contact": contact, "password1": PASSWORD}
    data |= {"password2": PASSWORD, "tax_code": ""} | extra
    return client.post("/tai-khoan/dang-ky/", data)


def test_sign_up_by_email_sends_a_code_by_mail_and_activates(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, "Hoa@Example.vn")
    assert response.status_code == 302
    assert response["Location"] == "/tai-khoan/dang-ky/xac-thuc/"
    user = User.objects.get(email="Hoa@example.vn")
    assert not user.is_active
    [message] = mail.outbox
    code = last_code("Hoa@example.vn")
    assert code in message.body
    row = VerificationCode.objects.get(address="Hoa@example.vn")
    assert code not in row.code_hash  # hashed at rest
    assert row.expires_at - row.created_at == dt.timedelta(minutes=10)

    page = client.get("/tai-khoan/dang-ky/xac-thuc/")
    assert "Hoa@example.vn" in page.content.decode()
    response = client.post("/tai-khoan/dang-ky/xac-thuc/", {"action": "verify", "code": code}, follow=True)
    assert response.redirect_chain[-1][0] == "/"
    user.refresh_from_db()
    assert user.is_active
    assert response.wsgi_request.user == user
    assert user.check_password(PASSWORD)
    with pytest.raises(InvalidInput, match="không đúng"):  # a code is used once
        user_activate(contact="hoa@example.vn", code=code)


def test_sign_up_by_phone_sends_an_sms_in_e164(client: Client, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client, "0912 345 678")
    user = User.objects.get(phone="+84912345678")
    assert user.username == "+84912345678"
    phone, text = sms_sandbox.OUTBOX[-1]
    assert phone == "+84912345678"
    code = last_code("+84912345678")
    assert code in text
    client.post("/tai-khoan/dang-ky/xac-thuc/", {"action": "verify", "code": code})
    user.refresh_from_db()
    assert user.is_active


def test_business_needs_a_valid_tax_code(client: Client) -> None:
    response = sign_up(client, "dn@example.vn", kind="business", tax_code="0100233489")
    assert response.status_code == 200
    assert "Mã số thuế không hợp lệ" in response.content.decode()
    response = sign_up(client, "dn@example.vn", kind="business", tax_code="0314409058-002")
    assert response.status_code == 302
    user = User.objects.get(email="dn@example.vn")
    assert (user.kind, user.tax_code) == (UserKind.BUSINESS, "0314409058-002")


def test_weak_password_and_taken_address_are_refused(client: Client) -> None:
    response = sign_up(client, "a@example.vn", password1="12345678", password2="12345678")
    assert "Mật khẩu chưa đủ an toàn" in response.content.decode()
    User.objects.create_user(username="b", email="b@example.vn", password="x")
    response = sign_up(client, "B@example.vn")
    assert "đã được dùng" in response.content.decode()


def test_wrong_code_counts_down_then_is_exhausted(client: Client) -> None:
    sign_up(client, "c@example.vn")
    code = last_code("c@example.vn")
    wrong = "000000" if code != "000000" else "111111"
    response = client.post("/tai-khoan/dang-ky/xac-thuc/", {"action": "verify", "code": wrong})
    assert f"còn {CODE_MAX_ATTEMPTS - 1} lần thử" in response.content.decode()
    for _ in range(CODE_MAX_ATTEMPTS - 1):
        response = client.post("/tai-khoan/dang-ky/xac-thuc/", {"action": "verify", "code": wrong})
    assert "hết lượt thử" in response.content.decode()
    # Even the right code is refused now.
    response = client.post("/tai-khoan/dang-ky/xac-thuc/", {"action": "verify", "code": code})
    assert "nhập sai quá số lần" in response.content.decode()
    assert not User.objects.get(email="c@example.vn").is_active


def test_expired_code_is_refused(client: Client) -> None:
    sign_up(client, "d@example.vn")
    code = last_code("d@example.vn")
    VerificationCode.objects.filter(address="d@example.vn").update(expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    response = client.post("/tai-khoan/dang-ky/xac-thuc/", {"action": "verify", "code": code})
    assert "đã hết hạn" in response.content.decode()


def test_resend_is_throttled_then_replaces_the_old_code(client: Client) -> None:
    sign_up(client, "e@example.vn")
    first = last_code("e@example.vn")
    response = client.post("/tai-khoan/dang-ky/xac-thuc/", {"action": "resend"}, follow=True)
    assert "Hãy chờ" in response.content.decode()
    assert VerificationCode.objects.filter(address="e@example.vn").count() == 1
    # A minute later.
    VerificationCode.objects.filter(address="e@example.vn").update(
        created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC), expires_at=dt.datetime(2099, 1, 1, tzinfo=dt.UTC)
    )
    response = client.post("/tai-khoan/dang-ky/xac-thuc/", {"action": "resend"}, follow=True)
    assert "Đã gửi mã mới" in response.content.decode()
    assert VerificationCode.objects.filter(address="e@example.vn", purpose=CodePurpose.SIGN_UP).count() == 2
    second = last_code("e@example.vn")
    if first != second:
        response = client.post("/tai-khoan/dang-ky/xac-thuc/", {"action": "verify", "code": first})
        assert "không đúng" in response.content.decode()
    client.post("/tai-khoan/dang-ky/xac-thuc/", {"action": "verify", "code": second})
    assert User.objects.get(email="e@example.vn").is_active


def test_signing_up_again_before_activation_takes_the_address_over(client: Client) -> None:
    sign_up(client, "f@example.vn", full_name="Người lạ")
    VerificationCode.objects.filter(address="f@example.vn").update(created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    sign_up(client, "f@example.vn", full_name="Chủ thật")
    user = User.objects.get(email="f@example.vn")
    assert user.full_name == "Chủ thật"


def test_english_messages(client: Client) -> None:
    client.cookies["django_language"] = "en"
    response = sign_up(client, "0281234567")
    assert "Enter an e-mail address or a Vietnamese mobile number" in response.content.decode()
