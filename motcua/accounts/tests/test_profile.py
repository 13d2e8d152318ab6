from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from motcua.accounts.models import User
from motcua.accounts.selectors import profile_prefill
from motcua.accounts.services import user_profile_update
from motcua.core.errors import NotAllowed

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen() -> User:
    return User.objects.create_user(username="an", email="an@example.vn", phone="+84912345678", password="x")


def test_profile_edit(client: Client, citizen: User) -> None:
    client.force_login(citizen)
    assert client.get("/tai-khoan/ho-so/").status_code == 200
    response = client.post(
        "/tai-khoan/ho-so/",
        {
            "full_name": "Nguyễn Văn An",
            "birth_date": "1990-01-15",
            "personal_id": "079090000001",
            "address": "1 Lê Lợi",
        },
    )
    assert response["Location"] == "/tai-khoan/ho-so/"
    citizen.refresh_from_db()
    assert (citizen.full_name, citizen.birth_date) == ("Nguyễn Văn An", dt.date(1990, 1, 15))
    response = client.post("/tai-khoan/ho-so/", {"full_name": "An", "personal_id": "12345"})
    assert response.status_code == 200
    assert "12 chữ số" in response.content.decode()


def test_fields_verified_through_the_identity_provider_are_read_only(client: Client, citizen: User) -> None:
    citizen.full_name = "Nguyễn Văn An"
    citizen.personal_id = "079090000001"
    citizen.identity_verified_at = timezone.now()
    citizen.identity_verified_fields = ["full_name", "personal_id"]
    citizen.save()
    client.force_login(citizen)
    page = client.get("/tai-khoan/ho-so/").content.decode()
    assert 'name="full_name"' in page and "disabled" in page
    client.post("/tai-khoan/ho-so/", {"full_name": "Tên khác", "personal_id": "001195000002", "address": "2 Lê Lợi"})
    citizen.refresh_from_db()
    assert (citizen.full_name, citizen.personal_id, citizen.address) == ("Nguyễn Văn An", "079090000001", "2 Lê Lợi")
    with pytest.raises(NotAllowed):
        user_profile_update(user=citizen, changes={"personal_id": "001195000002"})


def test_profile_needs_login(client: Client) -> None:
    assert client.get("/tai-khoan/ho-so/")["Location"].startswith("/dang-nhap/")


def test_prefill_keys(citizen: User) -> None:
    citizen.birth_date = dt.date(1990, 1, 15)
    citizen.save()
    assert profile_prefill(citizen) == {
        "full_name": "",
        "birth_date": "1990-01-15",
        "personal_id": "",
        "phone": "+84912345678",
        "email": "an@example.vn",
        "address": "",
        "province_code": "",
        "ward_code": "",
    }


def test_personal_id_must_agree_with_the_birth_year(client: Client, citizen: User) -> None:
    client.force_login(citizen)
    response = client.post(
        "/tai-khoan/ho-so/", {"full_name": "An", "birth_date": "1991-01-15", "personal_id": "079 090 000 001"}
    )
    assert response.status_code == 200
    assert "năm sinh 1990" in response.content.decode()
    client.post("/tai-khoan/ho-so/", {"full_name": "An", "birth_date": "1990-01-15", "personal_id": "079 090 000 001"})
    citizen.refresh_from_db()
    assert citizen.personal_id == "079090000001"
