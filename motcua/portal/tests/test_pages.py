"""The citizen pages over HTTP: home, list with search and filters, procedure, agencies, 404."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from motcua.catalog import services
from motcua.catalog.models import AgencyKind, FeeKind, ProcedureStatus, Topic
from motcua.catalog.tests.factories import make_agency, make_form, make_procedure
from motcua.portal.templatetags.catalog_format import fee_words

pytestmark = pytest.mark.django_db


def text(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def test_fee_words_in_vietnamese() -> None:
    assert fee_words(1_500_000) == "1.500.000 đồng"
    assert fee_words(0) == "Miễn phí"
    assert fee_words(None) == "Theo mức HĐND tỉnh quy định"


def test_home_offers_search_and_every_way_to_browse_with_counts(client: Client) -> None:
    ward = make_agency(name="UBND Phường Bến Thành")
    birth = make_procedure(name="Đăng ký khai sinh", agency=ward, online_level="full")
    make_procedure(
        name="Đăng ký thành lập doanh nghiệp", field_name="Doanh nghiệp", for_businesses=True, online_level="partial"
    )
    topic = Topic.objects.create(slug="sinh-con", name="Sinh con")
    birth.topics.add(topic)

    page = text(client.get("/"))
    assert 'name="q"' in page
    for label in ("Công dân", "Doanh nghiệp", "Sinh con", "Hộ tịch", "UBND Phường Bến Thành", "Toàn trình", "Một phần"):
        assert label in page
    # ≤ 3 clicks: home -> topic -> procedure
    assert 'href="/thu-tuc/?topic=sinh-con"' in page
    listing = text(client.get("/thu-tuc/?topic=sinh-con"))
    assert f'href="/thu-tuc/{birth.key}/"' in listing
    assert re.search(r"Sinh con<span class=\"count\">1</span>", page)


def test_list_searches_without_accents_and_with_typos(client: Client) -> None:
    make_procedure(name="Đăng ký khai sinh", national_code="1.001193")
    make_procedure(name="Đăng ký kết hôn", national_code="1.000894")
    for q in ("dang ki khai snh", "ĐĂNG KÝ KHAI SINH", "1.001193"):
        page = text(client.get("/thu-tuc/", {"q": q}))
        assert 'href="/thu-tuc/1.001193/"' in page, q
        assert 'href="/thu-tuc/1.000894/"' not in page, q
        assert "1 thủ tục phù hợp" in page


def test_list_filters_combine_and_can_be_removed(client: Client) -> None:
    make_procedure(name="Đăng ký khai sinh", national_code="1.001193")
    make_procedure(
        name="Đăng ký thành lập doanh nghiệp",
        national_code="2.000001",
        for_citizens=False,
        for_businesses=True,
    )
    page = text(client.get("/thu-tuc/", {"q": "dang ky", "subject": "business"}))
    assert "/thu-tuc/2.000001/" in page
    assert "/thu-tuc/1.001193/" not in page
    assert 'href="?q=dang+ky"' in page  # the chip removing the subject filter
    # an unknown subject is ignored rather than failing
    page = text(client.get("/thu-tuc/", {"subject": "robots"}))
    assert "/thu-tuc/2.000001/" in page and "/thu-tuc/1.001193/" in page


def test_list_paginates(client: Client) -> None:
    for n in range(23):
        make_procedure(name=f"Cấp giấy phép loại {n:02d}")
    first = text(client.get("/thu-tuc/", {"q": "giay phep"}))
    assert "23 thủ tục" in first
    assert first.count('class="item"') == 20
    assert 'href="?q=giay+phep&amp;page=2"' in first
    second = text(client.get("/thu-tuc/", {"q": "giay phep", "page": "2"}))
    assert second.count('class="item"') == 3
    assert client.get("/thu-tuc/", {"q": "giay phep", "page": "9"}).status_code == 404


def test_no_results_helps(client: Client) -> None:
    make_procedure(name="Đăng ký khai sinh")
    page = text(client.get("/thu-tuc/", {"q": "xay dung nha o"}))
    assert "Không tìm thấy thủ tục nào" in page
    assert "gõ không dấu" in page
    page = text(client.get("/thu-tuc/", {"q": "khaii sinhh dangg"}))
    assert "Có phải bạn muốn tìm" in page


def test_procedure_page_shows_summary_first_then_every_level_one_item(client: Client) -> None:
    ward = make_agency(name="UBND Phường Bến Thành", address="45 Lê Duẩn")
    form = make_form(code="to-khai-khai-sinh", title="Tờ khai đăng ký khai sinh")
    procedure = make_procedure(
        name="Đăng ký khai sinh",
        national_code="1.001193",
        agency=ward,
        processing_time=Decimal("0"),
        same_day_cutoff=dt.time(15, 0),
        summary="Cha mẹ đăng ký khai sinh cho con trong 60 ngày.",
        competent_agency_text="Ủy ban nhân dân cấp xã",
        channel_online=True,
        online_level="full",
        legacy_level=4,
        requirements="Trong 60 ngày kể từ ngày sinh.",
        publishing_decision="Quyết định 1234/QĐ-UBND",
        fees=[
            services.FeeData(name="Lệ phí đăng ký", kind=FeeKind.FEE, amount_vnd=None, exemptions="Miễn khi đúng hạn"),
            services.FeeData(name="Phí bản sao", kind=FeeKind.CHARGE, amount_vnd=1_500_000),
        ],
        components=[
            services.ComponentData(name="Tờ khai đăng ký khai sinh", originals=1, copies=0, form=form),
            services.ComponentData(name="Giấy chứng sinh", originals=1, copies=2, required=False),
        ],
    )
    response = client.get(f"/thu-tuc/{procedure.key}/")
    assert response.status_code == 200
    page = text(response)
    summary_at = page.index("ai làm, được gì, mang gì, bao lâu, bao nhiêu")
    assert summary_at < page.index("Trình tự thực hiện") < page.index("Thành phần hồ sơ")
    for expected in (
        "1.001193",
        "Hộ tịch",
        "UBND Phường Bến Thành",
        "Ủy ban nhân dân cấp xã",
        "45 Lê Duẩn",
        "Nộp trực tiếp",
        "Nộp trực tuyến",
        "Nộp qua bưu chính công ích",
        "Nộp hồ sơ tại Bộ phận một cửa",
        "Giấy chứng sinh",
        "Trong ngày (nhận sau 15:00",
        "Giấy chứng nhận",
        "Trong 60 ngày kể từ ngày sinh.",
        "Theo mức HĐND tỉnh quy định",
        "1.500.000 đồng",
        "Miễn khi đúng hạn",
        "Luật Hộ tịch số 60/2014/QH13",
        "Quyết định 1234/QĐ-UBND",
        "Toàn trình",
        "Mức 4",
        "Phiên bản 1, hiệu lực từ ngày 01/07/2025",
    ):
        assert expected in page, expected
    assert "<table>" in page
    assert "Tạm ngừng" not in page
    pdf_url = reverse("eforms:pdf", kwargs={"code": form.code})
    docx_url = reverse("eforms:docx", kwargs={"code": form.code})
    assert pdf_url == "/bieu-mau/to-khai-khai-sinh.pdf"
    assert f'href="{pdf_url}"' in page
    assert f'href="{docx_url}"' in page


def test_procedure_page_in_words_when_facts_are_missing(client: Client) -> None:
    procedure = make_procedure(name="Chứng thực bản sao", processing_time=None, fees=[])
    page = text(client.get(f"/thu-tuc/{procedure.key}/"))
    assert "Chưa công bố" in page
    assert "Miễn phí" in page


def test_procedure_page_by_slug_and_suspended_banner(client: Client) -> None:
    procedure = make_procedure(name="Cấp phiếu lý lịch tư pháp", processing_time=Decimal("10"))
    procedure.status = ProcedureStatus.SUSPENDED
    procedure.save()
    page = text(client.get(f"/thu-tuc/{procedure.slug}/"))
    assert "10 ngày làm việc" in page
    assert "đang tạm ngừng thực hiện" in page


@pytest.mark.parametrize("url", ["/thu-tuc/9.999999/", "/co-quan/000.99.99.H29/", "/khong-co-trang-nay/"])
def test_unknown_pages_are_a_helpful_404(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 404
    page = text(response)
    assert "Không tìm thấy trang" in page
    assert 'role="search"' in page and 'name="q"' in page


def test_draft_procedures_are_not_public_and_abolished_ones_leave_the_list(client: Client) -> None:
    draft = make_procedure(name="Đăng ký giám hộ", publish=False)
    abolished = make_procedure(name="Đăng ký khai tử")
    abolished.status = ProcedureStatus.ABOLISHED
    abolished.save()
    assert client.get(f"/thu-tuc/{draft.key}/").status_code == 404
    assert abolished.key not in text(client.get("/thu-tuc/"))


def test_agency_tree_and_agency_page(client: Client) -> None:
    province = make_agency(code="000.00.00.H29", name="UBND Thành phố Hồ Chí Minh", kind=AgencyKind.PROVINCE_COMMITTEE)
    ward = make_agency(
        code="000.01.01.H29",
        name="UBND Phường Sài Gòn",
        parent=province,
        phone="028 1234 5678",
        address="45 Lê Duẩn",
        office_hours="Thứ Hai - Thứ Sáu: 07:30-17:00",
    )
    make_procedure(name="Đăng ký khai sinh", national_code="1.001193", agency=ward)
    tree = text(client.get("/co-quan/"))
    assert tree.index("UBND Thành phố Hồ Chí Minh") < tree.index("UBND Phường Sài Gòn")
    assert tree.count('<ul class="tree">') == 2  # the ward nested under the province
    page = text(client.get("/co-quan/000.01.01.H29/"))
    for expected in ("UBND Phường Sài Gòn", "028 1234 5678", "45 Lê Duẩn", "07:30-17:00", "/thu-tuc/1.001193/"):
        assert expected in page, expected
    assert "/co-quan/000.00.00.H29/" in page  # back to the parent


def test_english_switch(client: Client) -> None:
    procedure = make_procedure(name="Đăng ký khai sinh", name_en="Birth registration", fees=[])
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = text(client.get(f"/thu-tuc/{procedure.key}/"))
    assert '<html lang="en">' in page
    assert "Birth registration" in page
    assert "Free of charge" in page
    assert 'name="language" value="vi" lang="vi">' in page  # the switch back to Vietnamese
    page = text(client.get("/khong-co/"))
    assert "Page not found" in page


def test_language_switcher_in_header_posts_to_setlang(client: Client) -> None:
    page = text(client.get("/"))
    assert '<html lang="vi">' in page
    assert 'action="/i18n/setlang/"' in page and 'method="post"' in page
    assert 'value="en" lang="en">English<' in page


def test_css_is_small_and_local() -> None:
    from pathlib import Path

    css = Path(__file__).resolve().parents[1] / "static" / "portal" / "site.css"
    assert css.stat().st_size < 30_000
    assert "http" not in css.read_text(encoding="utf-8")


def test_vietnamese_first_even_when_the_browser_asks_for_english(client: Client) -> None:
    page = text(client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))
    assert '<html lang="vi">' in page
    client.cookies["django_language"] = "en"
    assert '<html lang="en">' in text(client.get("/"))
    client.cookies["django_language"] = "xx"  # unknown: back to Vietnamese
    assert '<html lang="vi">' in text(client.get("/"))


def test_abolished_procedure_keeps_its_page_with_a_banner_but_leaves_lists(client: Client) -> None:
    procedure = make_procedure(name="Cấp giấy phép bán lẻ rượu", national_code="2.000620")
    procedure.status = ProcedureStatus.ABOLISHED
    procedure.save()
    response = client.get("/thu-tuc/2.000620/")
    assert response.status_code == 200
    assert "Thủ tục này đã bị bãi bỏ" in text(response)
    assert "2.000620" not in text(client.get("/thu-tuc/?q=ban+le+ruou"))


@override_settings(DEBUG=True)
def test_unknown_procedure_gets_the_citizen_404_even_in_debug(client: Client) -> None:
    response = client.get("/thu-tuc/9.999999/")
    assert response.status_code == 404
    assert 'type="search"' in text(response)
