"""The citizen journey over the API: token, idempotent submission, reading, withdrawal."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from motcua.catalog.tests.factories import make_agency, make_procedure
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import make_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(client: Client) -> str:
    cache.clear()
    citizen = make_citizen(username="an")
    citizen.personal_id = "079215000001"
    citizen.save()
    response = client.post("/api/v1/auth/token", {"username": "an", "password": "x"}, content_type="application/json")
    assert response.status_code == 200
    return str(response.json()["token"])


def test_submit_twice_with_one_key_read_and_withdraw(client: Client, token: str) -> None:
    agency = make_agency(code="000.00.31.H29")
    make_procedure(
        name="Cấp Giấy xác nhận tình trạng hôn nhân", national_code="1.004873", agency=agency, channel_online=True
    )
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_IDEMPOTENCY_KEY": "5f1c-retry"}
    body = {"procedure": "1.004873", "form_data": {"to-khai": {"version": 1, "answers": {"ho_ten": "Lê An"}}}}
    first = client.post("/api/v1/dossiers", body, content_type="application/json", **auth)
    assert first.status_code == 201, first.content
    again = client.post("/api/v1/dossiers", body, content_type="application/json", **auth)
    assert again.status_code == 200 and again.json()["code"] == first.json()["code"]
    assert Dossier.objects.get().applicant_id_number == "079215000001"  # from the profile, not retyped
    code = first.json()["code"]
    read = client.get(f"/api/v1/dossiers/{code}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert read.json()["national_status"] == 1 and read.json()["events"][0]["action"] == "submit"
    withdrawn = client.post(
        f"/api/v1/dossiers/{code}/withdraw",
        {"reason": "Nộp nhầm"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["national_status"] == 7


def test_refusals(client: Client, token: str) -> None:
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    body = {"procedure": "9.999999"}
    assert client.post("/api/v1/dossiers", body, content_type="application/json").status_code == 401
    no_key = client.post("/api/v1/dossiers", body, content_type="application/json", **bearer)
    assert no_key.status_code == 400 and "Idempotency-Key" in no_key.json()["detail"]
    unknown = client.post("/api/v1/dossiers", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k", **bearer)
    assert unknown.status_code == 404
    assert client.get("/api/v1/dossiers/000.00.31.H29-260101-0001", **bearer).status_code == 404
    assert client.get("/api/v1/dossiers/x", HTTP_AUTHORIZATION="Bearer forged").status_code == 401
    wrong = client.post("/api/v1/auth/token", {"username": "an", "password": "no"}, content_type="application/json")
    assert wrong.status_code == 401 and wrong.json()["message_vi"] == "Sai tên đăng nhập hoặc mật khẩu"
