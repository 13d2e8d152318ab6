"""A citizen applies online from a cheap phone: finds the procedure, fills the form, attaches a
scan, stops, continues on another device, submits; the ward receives it; the receipt appears in
"Hồ sơ của tôi". Once with JavaScript, once without (the pages must work either way)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfWriter

from motcua.core.demo import DEMO_PASSWORD
from motcua.core.demo.seed import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "vi-VN"}
CODE = re.compile(r"\d{3}\.\d{2}\.\d{2}\.H\d{2}-\d{6}-\d{4}")


def scan_pdf() -> dict[str, Any]:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return {"name": "giay-to.pdf", "mimeType": "application/pdf", "buffer": buffer.getvalue()}


def shots(tmp_path: Path) -> Path:
    """Screenshots under var/artefacts/ (kept for review), in the test's tmp folder otherwise."""
    folder = Path("var/artefacts/online-journey") if Path("var").is_dir() else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def log_in(page: Any, base: str, username: str, next_url: str) -> None:
    page.goto(f"{base}/dang-nhap/?next={next_url}")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Đăng nhập").click()


def press(page: Any, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).first.click()


def fill_if_empty(page: Any, label: str, value: str) -> None:
    box = page.get_by_label(label).first
    if not box.input_value():
        box.fill(value)


def citizen_part(browser: Any, base: str, folder: Path, *, javascript: bool) -> str:
    """Everything the citizen does up to the confirmation; returns the dossier code."""
    first = browser.new_context(java_script_enabled=javascript, **PHONE)
    page = first.new_page()
    page.set_default_timeout(15_000)
    page.goto(base + "/")
    page.get_by_role("searchbox").first.fill("xac nhan tinh trang hon nhan")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    with page.expect_navigation():
        page.get_by_role("link", name="Cấp Giấy xác nhận tình trạng hôn nhân").first.click()
    with page.expect_navigation():
        page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    assert "/dang-nhap/" in page.url  # login first, then straight back here
    page.get_by_label("Tên đăng nhập").fill("congdan")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Đăng nhập").click()
    assert "/nop-truc-tuyen/" in page.url
    # Several wards receive it: the citizen picks the demo ward (where `tiepnhan` works).
    ward = page.locator("#agency option", has_text="Sài Gòn").first.get_attribute("value")
    page.get_by_label("Nơi nộp hồ sơ").select_option(ward)
    press(page, "Bắt đầu")
    # Page 1: the requester, mostly prefilled from the profile.
    assert "Phần 1" in page.content()
    page.screenshot(path=str(folder / f"1-form-js{int(javascript)}.png"), full_page=True)
    fill_if_empty(page, "Họ, chữ đệm, tên", "NGUYỄN VĂN AN")
    fill_if_empty(page, "Giấy tờ tùy thân (loại, số)", "Căn cước số 079090000123")
    fill_if_empty(page, "Nơi cư trú", "12 Lê Lợi, phường Sài Gòn, TP Hồ Chí Minh")
    page.get_by_label("Quan hệ với người được xác nhận").fill("bản thân")
    press(page, "Tiếp tục")
    # Page 2: the person certified.
    page.get_by_label("Họ, chữ đệm, tên").first.fill("NGUYỄN VĂN AN")
    page.get_by_label("Ngày, tháng, năm sinh").fill("17/05/1990")
    page.get_by_label("Nam", exact=True).check()
    page.get_by_label("Dân tộc").fill("Kinh")
    page.get_by_label("Quốc tịch").fill("Việt Nam")
    page.get_by_label("Giấy tờ tùy thân (loại, số)").fill("Căn cước số 079090000123")
    page.get_by_label("Nơi cư trú").fill("12 Lê Lợi, phường Sài Gòn, TP Hồ Chí Minh")
    press(page, "Tiếp tục")
    # Page 3: what is certified.
    page.get_by_label("Chưa đăng ký kết hôn với ai").check()
    page.get_by_label("Mục đích sử dụng Giấy xác nhận").fill("Để đăng ký kết hôn")
    page.get_by_label("Số lượng Giấy xác nhận đề nghị cấp").fill("1")
    press(page, "Tiếp tục")
    # Attachments: a scan for every required paper.
    assert "Giấy tờ đính kèm" in page.locator("h1").inner_text()
    for section in page.locator("section.apply-component").all():
        if "Bắt buộc" in section.locator("h2").inner_text():
            section.locator("input[type=file]").set_input_files(scan_pdf())
            with page.expect_navigation():
                section.get_by_role("button", name="Tải lên").click()
    page.screenshot(path=str(folder / f"2-attachments-js{int(javascript)}.png"), full_page=True)
    assert "giay-to.pdf" in page.content()
    first.close()  # the phone's battery dies

    # Another device: log in again, "Hồ sơ của tôi", "Tiếp tục" lands on the attachments page.
    second = browser.new_context(java_script_enabled=javascript, **PHONE)
    page = second.new_page()
    page.set_default_timeout(15_000)
    log_in(page, base, "congdan", "/ho-so-cua-toi/")
    with page.expect_navigation():
        page.get_by_role("link", name="Tiếp tục").first.click()
    assert "giay-to.pdf" in page.content()
    press(page, "Tiếp tục")
    assert "Kiểm tra lại" in page.locator("h1").first.inner_text()
    assert page.locator("[role=alert]").count() == 0, page.locator("[role=alert]").all_inner_texts()
    assert "Để đăng ký kết hôn" in page.content()
    page.screenshot(path=str(folder / f"3-review-js{int(javascript)}.png"), full_page=True)
    press(page, "Nộp hồ sơ")
    code = page.locator("#dossier-code").inner_text().strip()
    assert CODE.fullmatch(code), code
    assert "8 giờ làm việc" in page.content()
    page.screenshot(path=str(folder / f"4-submitted-js{int(javascript)}.png"), full_page=True)
    second.close()
    return code


def test_online_application_with_javascript(live_server: Any, browser: Any, tmp_path: Path) -> None:
    seed_demo(accounts=True)
    base = live_server.url
    folder = shots(tmp_path)
    code = citizen_part(browser, base, folder, javascript=True)

    # The ward's receiving officer takes it in.
    office = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = office.new_page()
    page.set_default_timeout(15_000)
    log_in(page, base, "tiepnhan", "/mot-cua/")
    page.get_by_label("Tìm theo mã hồ sơ").fill(code)
    with page.expect_navigation():
        page.get_by_label("Tìm theo mã hồ sơ").press("Enter")
    with page.expect_navigation():
        page.get_by_role("link", name=code, exact=True).click()
    assert "giay-to.pdf" in page.content()
    with page.expect_navigation():
        page.get_by_role("button", name="Tiếp nhận", exact=True).click()
    assert page.locator("[role=alert]").count() == 0, page.locator("[role=alert]").all_inner_texts()
    office.close()

    # Back as the citizen: the receipt is in "Hồ sơ của tôi".
    phone = browser.new_context(**PHONE)
    page = phone.new_page()
    page.set_default_timeout(15_000)
    log_in(page, base, "congdan", "/ho-so-cua-toi/")
    assert code in page.locator("main").inner_text()
    page.goto(f"{base}/ho-so-cua-toi/{code}/")
    assert "Giấy tiếp nhận" in page.content()
    page.screenshot(path=str(folder / "5-receipt.png"), full_page=True)
    phone.close()


def test_online_application_without_javascript(live_server: Any, browser: Any, tmp_path: Path) -> None:
    seed_demo(accounts=True)
    code = citizen_part(browser, live_server.url, shots(tmp_path), javascript=False)
    assert code
