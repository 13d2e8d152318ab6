"""A citizen on a phone finds a procedure, reads it and downloads its form."""

from __future__ import annotations

from typing import Any

import pytest
from pypdf import PdfReader

from motcua.core.demo.seed import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(transactional_db: None) -> None:
    seed_demo(accounts=False)


def test_citizen_searches_without_accents_reads_and_downloads_form(
    demo: None, live_server: Any, page: Any, tmp_path: Any
) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("searchbox").first.fill("dang ky khai sinh")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Đăng ký khai sinh", exact=True).first.click()

    assert page.locator("h1").inner_text().strip() == "Đăng ký khai sinh"
    body = page.locator("main").inner_text()
    assert "1.001193" in body
    assert "Khi em bé chào đời" in body  # the plain-language summary comes first
    assert body.index("Khi em bé chào đời") < body.index("Trình tự thực hiện")
    assert "8.000 đồng" in body

    with page.expect_download() as download_info:
        page.locator("a[href$='.pdf']").first.click()
    pdf_path = tmp_path / "form.pdf"
    download_info.value.save_as(pdf_path)
    text = "".join(p.extract_text() for p in PdfReader(pdf_path).pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text


def test_procedure_is_three_clicks_from_home_by_life_event(demo: None, live_server: Any, page: Any) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Nhà, đất").first.click()  # 1: life event
    page.get_by_role("link", name="Cấp lại Giấy chứng nhận", exact=False).first.click()  # 2: procedure
    assert "Cấp lại Giấy chứng nhận" in page.locator("h1").inner_text()
    assert "1.012786" in page.locator("main").inner_text()


def test_switch_to_english(demo: None, live_server: Any, page: Any) -> None:
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.locator("button[name=language][value=en]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Vietnamese" not in page.locator("header").inner_text()
    page.locator("button[name=language][value=vi]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "vi"
