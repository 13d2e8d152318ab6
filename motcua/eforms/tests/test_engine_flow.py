"""The session demo flow over HTTP: section pages, check-your-answers, the answers PDF."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from motcua.core.testing import assert_fonts_embedded
from motcua.eforms.models import FormDefinition
from motcua.eforms.tests.engine_helpers import every_kind_definition

pytestmark = pytest.mark.django_db
CODE = "moi-kieu"


@pytest.fixture(autouse=True)
def form() -> FormDefinition:
    data = every_kind_definition()
    return FormDefinition.objects.create(
        code=CODE, title="Tờ khai thử mọi kiểu", legal_reference="Mẫu thử", schema=data["schema"], layout=data["layout"]
    )


def url(number: int) -> str:
    return reverse("eforms:fill_section", kwargs={"code": CODE, "number": number})


def test_fill_every_page_check_and_print(client: Client) -> None:
    assert client.get(reverse("eforms:fill_start", kwargs={"code": CODE})).url == url(1)
    page = client.get(url(1))
    assert page.status_code == 200 and "Phần 1 trên 4" in page.content.decode()

    bad = client.post(url(1), {"ho_ten": "Nguyễn Thị Ánh", "ngay_sinh": "31/02/2025", "action": "next"})
    body = bad.content.decode()
    assert bad.status_code == 200 and "Cần sửa các mục sau" in body
    assert 'value="Nguyễn Thị Ánh"' in body and 'value="31/02/2025"' in body

    first = {
        "ho_ten": "Nguyễn Thị Ánh",
        "ngay_sinh": "02/03/2015",
        "gioi_tinh": "nam",
        "so_dinh_danh": "079215000001",
        "dien_thoai": "0912345678",
        "action": "next",
    }
    assert client.post(url(1), first).url == url(2)
    chosen = client.post(url(2), {"noi_o.tinh": "79", "action": "choose:noi_o.tinh"})
    assert chosen.url == url(2) + "#f-noi_o-tinh"
    assert "Phường Vũng Tàu" in client.get(url(2)).content.decode()
    assert client.post(url(2), {"noi_o.tinh": "79", "noi_o.xa": "26506", "co_vo_chong": "0"}).url == url(3)
    added = client.post(url(3), {"thanh_vien.__rows": "1", "thanh_vien.0.ho_ten": "Bình", "action": "add:thanh_vien"})
    assert added.url == url(3) + "#f-thanh_vien"
    assert 'name="thanh_vien.1.ho_ten"' in client.get(url(3)).content.decode()
    third = {
        "thanh_vien.__rows": "2",
        "thanh_vien.0.ho_ten": "Bình",
        "thanh_vien.0.thu_nhap": "1.500.000",
        "luong": "2.000.000",
    }
    assert client.post(url(3), third).url == url(4)
    assert client.post(url(4), {"action": "back"}).url == url(3)
    review_url = reverse("eforms:fill_review", kwargs={"code": CODE})
    assert client.post(url(4), {"cam_doan": "1"}).url == review_url

    review = client.get(review_url).content.decode()
    assert "Cần sửa" not in review
    assert "02/03/2015" in review and "Phường Vũng Tàu" in review and "3.500.000" in review
    assert f'href="{url(1)}"' in review

    pdf = client.get(reverse("eforms:fill_pdf", kwargs={"code": CODE}))
    assert pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Nguyễn Thị Ánh", "02/03/2015", "Phường Vũng Tàu", "Bình"):
        assert expected in text, expected
    assert_fonts_embedded(reader)


def test_review_lists_what_is_missing_with_links(client: Client) -> None:
    client.post(url(1), {"ho_ten": "An", "action": "stay"})
    review = client.get(reverse("eforms:fill_review", kwargs={"code": CODE})).content.decode()
    assert "Cần sửa các mục sau" in review and f'href="{url(1)}#f-ngay_sinh"' in review


def test_english_errors_over_http(client: Client) -> None:
    client.cookies["django_language"] = "en"
    page = client.post(url(1), {"ngay_sinh": "31/02/2025", "action": "next"}).content.decode()
    assert "There is no 31/02/2025 in the calendar" in page and "This is required" in page


def test_unknown_form_and_section_and_wards_json(client: Client) -> None:
    assert client.get(reverse("eforms:fill_section", kwargs={"code": "khong-co", "number": 1})).status_code == 404
    assert client.get(url(9)).status_code == 404
    wards = client.get(reverse("eforms:wards") + "?tinh=79").json()["wards"]
    assert [26506, "Phường Vũng Tàu"] in wards
