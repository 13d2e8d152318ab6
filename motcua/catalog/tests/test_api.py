"""The public catalogue API, over HTTP."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from motcua.catalog import services
from motcua.catalog.models import AgencyKind
from motcua.catalog.tests.factories import current, make_agency, make_form, make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue() -> dict[str, Any]:
    root = make_agency(code="000.00.00.H29", name="UBND Thành phố Hồ Chí Minh", kind=AgencyKind.PROVINCE_COMMITTEE)
    ward = make_agency(code="000.01.01.H29", name="UBND Phường Sài Gòn", parent=root, phone="028 1234 5678")
    form = make_form(code="to-khai-khai-sinh", title="Tờ khai đăng ký khai sinh")
    birth = make_procedure(
        name="Đăng ký khai sinh",
        national_code="1.001193",
        agency=ward,
        channel_online=True,
        online_level="full",
        legacy_level=4,
        publishing_decision="Quyết định 1872/QĐ-BTP",
        requirements="Không",
        components=[
            services.ComponentData(name="Tờ khai đăng ký khai sinh", originals=1, copies=0, form=form),
            services.ComponentData(name="Giấy chứng sinh", originals=1),
        ],
    )
    current(birth).channel_times.create(channel="online", value=2, unit="working_days")
    copy = make_procedure(
        name="Chứng thực bản sao từ bản chính",
        field_name="Chứng thực",
        agency=root,
        processing_time=0,
        same_day_cutoff=dt.time(15),
        fees=[services.FeeData(name="Phí chứng thực", kind="charge", amount_vnd=2000)],
        online_level="partial",
        for_businesses=True,
    )
    for i in range(3):
        make_procedure(name=f"Thủ tục đất đai số {i}", field_name="Đất đai", agency=root)
    make_procedure(name="Bản nháp chưa công bố", publish=False)
    return {"birth": birth, "copy": copy, "root": root, "ward": ward}


def test_list_has_items_with_every_key(client: Client, catalogue: dict[str, Any]) -> None:
    response = client.get("/api/v1/procedures")
    assert response.status_code == 200
    data = response.json()
    assert (data["total"], data["count"], data["page"], data["pages"]) == (5, 5, 1, 1)
    birth = next(item for item in data["items"] if item["code"] == "1.001193")
    assert birth["name"] == "Đăng ký khai sinh"
    assert birth["field"]["name"] == "Hộ tịch"
    assert birth["agency"] == {"code": "000.01.01.H29", "name": "UBND Phường Sài Gòn"}
    assert birth["processing_time"]["value"] == 3
    assert birth["processing_time"]["unit"] == "working_days"
    assert birth["processing_time"]["text"] == "3 ngày làm việc"
    assert birth["fees"][0]["amount"] == 8000
    assert birth["fees"][0]["formatted"] == "8.000 đồng"
    assert birth["service_level"]["online_level"] == "full"
    assert birth["service_level"]["legacy_level"] == 4
    assert birth["url"] == "http://testserver/thu-tuc/1.001193/"
    copy = next(item for item in data["items"] if item["name"].startswith("Chứng thực"))
    assert copy["code"] == catalogue["copy"].slug
    assert copy["processing_time"]["value"] == 0
    assert copy["processing_time"]["same_day_cutoff"] == "15:00"
    assert copy["processing_time"]["text"].startswith("Trong ngày")


def test_search_is_accent_insensitive_and_filters_combine(client: Client, catalogue: dict[str, Any]) -> None:
    names = lambda **params: [i["name"] for i in client.get("/api/v1/procedures", params).json()["items"]]  # noqa: E731
    assert names(q="dang ky khai sinh")[0] == "Đăng ký khai sinh"
    assert names(q="1.001193") == ["Đăng ký khai sinh"]
    assert names(field="chung-thuc") == ["Chứng thực bản sao từ bản chính"]
    assert names(agency="000.01.01.H29") == ["Đăng ký khai sinh"]
    assert names(level="partial") == ["Chứng thực bản sao từ bản chính"]
    assert names(level="4") == ["Đăng ký khai sinh"]
    assert names(subject="business") == ["Chứng thực bản sao từ bản chính"]
    assert names(q="dat dai", field="dat-dai") == [f"Thủ tục đất đai số {i}" for i in range(3)]
    assert names(field="khong-co") == []


def test_pagination(client: Client, catalogue: dict[str, Any]) -> None:
    first = client.get("/api/v1/procedures", {"page_size": 2}).json()
    assert (first["count"], first["total"], first["pages"], first["previous"]) == (2, 5, 3, None)
    assert first["next"].endswith("page=2") and "page_size=2" in first["next"]
    last = client.get("/api/v1/procedures", {"page_size": 2, "page": 3}).json()
    assert (last["count"], last["next"]) == (1, None)
    assert "page=2" in last["previous"]
    seen = [
        i["code"]
        for p in (1, 2, 3)
        for i in client.get("/api/v1/procedures", {"page_size": 2, "page": p}).json()["items"]
    ]
    assert len(set(seen)) == 5
    assert client.get("/api/v1/procedures", {"page": 0}).status_code == 422
    assert client.get("/api/v1/procedures", {"page_size": 1000}).status_code == 422


def test_detail_has_every_level_1_item(client: Client, catalogue: dict[str, Any]) -> None:
    response = client.get("/api/v1/procedures/1.001193")
    assert response.status_code == 200
    data = response.json()
    assert data["version"] == 1
    assert data["effective_from"] == "2025-07-01"
    assert data["summary"].startswith("Tóm tắt")
    assert data["steps"] == ["Nộp hồ sơ tại Bộ phận một cửa", "Cán bộ thẩm định", "Trả kết quả"]
    assert data["legal_bases"] == ["Luật Hộ tịch số 60/2014/QH13"]
    assert [c["channel"] for c in data["channels"]] == ["counter", "online"]
    assert data["channel_times"][0]["channel"] == "online"
    assert data["channel_times"][0]["processing_time"]["text"] == "2 ngày làm việc"
    assert data["result"] == "Giấy chứng nhận"
    assert data["requirements"] == "Không"
    assert data["publishing_decision"] == "Quyết định 1872/QĐ-BTP"
    assert data["subjects"] == ["citizen"]
    assert data["receiving_agencies"] == [{"code": "000.01.01.H29", "name": "UBND Phường Sài Gòn"}]
    with_form, without_form = data["components"]
    assert with_form["form"] == {
        "code": "to-khai-khai-sinh",
        "title": "Tờ khai đăng ký khai sinh",
        "pdf_url": "http://testserver/bieu-mau/to-khai-khai-sinh.pdf",
        "docx_url": "http://testserver/bieu-mau/to-khai-khai-sinh.docx",
    }
    assert (with_form["originals"], with_form["copies"], with_form["required"]) == (1, 0, True)
    assert without_form["form"] is None
    # a procedure without a national code is reached by its slug
    assert client.get(f"/api/v1/procedures/{catalogue['copy'].slug}").status_code == 200


def test_unknown_procedure_is_a_bilingual_404(client: Client, catalogue: dict[str, Any]) -> None:
    response = client.get("/api/v1/procedures/9.999999")
    assert response.status_code == 404
    data = response.json()
    assert data["message_vi"] == "Không tìm thấy thủ tục 9.999999"
    assert data["message_en"] == "No procedure 9.999999"
    # a draft-only procedure is not public
    draft_only = client.get("/api/v1/procedures", {"q": "ban nhap"}).json()
    assert draft_only["total"] == 0


def test_agencies_form_a_tree(client: Client, catalogue: dict[str, Any]) -> None:
    data = client.get("/api/v1/agencies").json()
    by_code = {a["code"]: a for a in data}
    assert by_code["000.00.00.H29"]["parent_code"] is None
    assert by_code["000.01.01.H29"]["parent_code"] == "000.00.00.H29"
    assert by_code["000.01.01.H29"]["kind"] == "ward_committee"
    assert by_code["000.01.01.H29"]["province_code"] == 79
    assert by_code["000.01.01.H29"]["contact"]["phone"] == "028 1234 5678"
    assert client.get("/api/v1/agencies/000.01.01.H29").json()["name"] == "UBND Phường Sài Gòn"
    missing = client.get("/api/v1/agencies/000.09.09.H29")
    assert missing.status_code == 404
    assert missing.json()["message_en"] == "No agency 000.09.09.H29"


def test_openapi_and_docs_are_served(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/v1/procedures", "/api/v1/procedures/{code}", "/api/v1/agencies"} <= set(paths)
    assert client.get("/api/v1/docs").status_code == 200
