"""A dossier's whole life at the ward's one-stop counter, driven through the back office's pages
only: intake with a scan, the receipt, a supplement with the clock stopped, the apology with a
new appointment, processing, approval, signature, return, then the public tracking page."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from typing import Any

import pytest
from pypdf import PdfReader, PdfWriter

from motcua.core.demo import DEMO_PASSWORD
from motcua.core.demo.seed import seed_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

APPLICANT = "Nguyễn Thị Ánh Tuyết"
ID_NUMBER = "079215000001"
PHONE = "0912345678"
CODE = re.compile(r"000\.00\.31\.H29-\d{6}-\d{4}")
WHEN = re.compile(r"\d{2}:\d{2} \d{2}/\d{2}/\d{4}")
CLOCK_STOPPED = "Đang dừng tính thời gian giải quyết"


def scan_pdf() -> dict[str, Any]:
    """A one-page blank PDF, as a scanner would hand it over."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return {"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": buffer.getvalue()}


def pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return unicodedata.normalize("NFC", text)


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/dang-nhap/?next=/mot-cua/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/mot-cua/**")


def log_out(page: Any) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Đăng xuất").click()


def act(page: Any, action: str, note: str = "") -> None:
    """Press one action button on the dossier page and wait for the page to come back."""
    if note:
        page.get_by_label("Ghi chú / lý do").fill(note)
    with page.expect_navigation():
        page.get_by_role("button", name=action, exact=True).click()
    assert_no_error(page)


def assert_no_error(page: Any) -> None:
    errors = page.locator("[role=alert]")
    assert errors.count() == 0, errors.all_inner_texts()


def status(page: Any) -> str:
    return str(page.locator(".status-line .tag").first.inner_text()).strip()


def appointment(page: Any) -> str:
    return str(page.locator("dl.facts dt:text-is('Ngày hẹn trả') + dd").inner_text())


def open_by_code(page: Any, code: str) -> None:
    """As at a busy counter: type the code from the paper into the quick search."""
    page.get_by_label("Tìm theo mã hồ sơ").fill(code)
    with page.expect_navigation():
        page.get_by_label("Tìm theo mã hồ sơ").press("Enter")
    with page.expect_navigation():
        page.get_by_role("link", name=code, exact=True).click()


def test_a_dossier_from_the_counter_to_its_return(transactional_db: None, live_server: Any, page: Any) -> None:
    seed_demo(accounts=True)
    base = live_server.url

    # -- The receiving officer takes in a paper dossier ------------------------------------------
    log_in(page, base, "tiepnhan")
    with page.expect_navigation():
        page.get_by_role("link", name="Tiếp nhận hồ sơ mới").click()
    page.get_by_label("Tên hoặc mã thủ tục").fill("xac nhan tinh trang hon nhan")
    with page.expect_navigation():
        page.get_by_label("Tên hoặc mã thủ tục").press("Enter")
    with page.expect_navigation():
        page.locator("ol.picks a").filter(has_text="1.004873").first.click()
    assert "Cấp Giấy xác nhận tình trạng hôn nhân" in page.locator("main .lead").inner_text()

    page.get_by_label("Họ và tên / tên tổ chức").fill(APPLICANT)
    page.get_by_label("Số định danh cá nhân hoặc mã số thuế").fill(ID_NUMBER)
    page.get_by_label("Số điện thoại").fill(PHONE)
    page.get_by_label("Địa chỉ", exact=True).fill("12 Lê Lợi, Phường Sài Gòn")
    components = page.locator("ol.components > li")
    form_row = components.filter(has_text="Tờ khai cấp Giấy xác nhận tình trạng hôn nhân")
    form_row.get_by_role("checkbox").check()
    form_row.locator("input[type=file]").set_input_files(scan_pdf())
    components.filter(has_text="Giấy tờ tùy thân").get_by_role("checkbox").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Tiếp nhận", exact=True).click()
    assert_no_error(page)

    page.wait_for_url(re.compile(r"/mot-cua/ho-so/\d+/$"))
    dossier_url = page.url
    code = page.locator("h1 .code").inner_text().strip()
    assert CODE.fullmatch(code), code
    assert status(page) == "Đã tiếp nhận"
    first_appointment = appointment(page)
    assert WHEN.search(first_appointment), first_appointment
    assert "to-khai.pdf" in page.locator("ol.components").inner_text()

    # The receipt (document 01), as printed for the applicant.
    receipt_href = page.get_by_role("link", name="In Giấy tiếp nhận và hẹn trả kết quả").get_attribute("href")
    receipt = page.request.get(base + receipt_href)
    assert receipt.ok and receipt.headers["content-type"] == "application/pdf"
    text = pdf_text(receipt.body())
    assert "GIẤY TIẾP NHẬN HỒ SƠ" in text, text[:500]
    assert code in text

    # -- Something is missing: the clock stops until the applicant brings it ---------------------
    act(page, "Bắt đầu xử lý")
    act(page, "Yêu cầu bổ sung", note="Giấy tờ tùy thân: bản chụp bị mờ")
    assert status(page) == "Yêu cầu bổ sung hồ sơ"
    assert page.locator(".banner.warn", has_text=CLOCK_STOPPED).is_visible()

    page.get_by_label("Tệp đính kèm (PDF, ảnh)").set_input_files({**scan_pdf(), "name": "bo-sung.pdf"})
    act(page, "Nhận hồ sơ bổ sung")
    assert status(page) == "Đã nhận hồ sơ bổ sung"
    assert page.locator(".banner.warn", has_text=CLOCK_STOPPED).count() == 0
    assert "bo-sung.pdf" in page.locator("ol.timeline").inner_text()
    act(page, "Bắt đầu xử lý")
    act(page, "Chuyển bước tiếp theo")
    assert status(page) == "Đang xử lý"
    log_out(page)

    # -- The specialist finds it in their inbox and proposes the result --------------------------
    log_in(page, base, "chuyenvien")
    with page.expect_navigation():
        page.get_by_role("link", name=code, exact=True).click()
    act(page, "Trình phê duyệt")
    assert status(page) == "Chờ phê duyệt"
    log_out(page)

    # -- The department head sends the apology with a new appointment, then approves ------------
    log_in(page, base, "truongphong")
    open_by_code(page, code)
    extend = page.locator("section.extend")
    old_due = dt.datetime.strptime(WHEN.findall(appointment(page))[0], "%H:%M %d/%m/%Y").date()
    new_due = old_due + dt.timedelta(days=7)
    extend.get_by_label("Lý do chậm trả kết quả").fill("Cần xác minh tình trạng hôn nhân tại nơi cư trú trước")
    extend.get_by_label("Ngày hẹn mới").fill(f"{new_due:%Y-%m-%d}")
    extend.get_by_label("Giờ hẹn mới").fill("10:30")
    with page.expect_navigation():
        extend.get_by_role("button", name="Lập phiếu xin lỗi và hẹn lại").click()
    assert_no_error(page)
    assert f"10:30 {new_due:%d/%m/%Y}" in appointment(page)
    assert "hẹn ban đầu" in appointment(page)
    assert "04. Phiếu xin lỗi và hẹn lại ngày trả kết quả" in page.locator("main").inner_text()
    assert "Cần xác minh tình trạng hôn nhân" in page.locator("ol.timeline").inner_text()
    act(page, "Phê duyệt")
    assert status(page) == "Chờ ký duyệt"
    log_out(page)

    # -- The leader signs ------------------------------------------------------------------------
    log_in(page, base, "lanhdao")
    open_by_code(page, code)
    act(page, "Ký kết quả")
    assert status(page) == "Đã có kết quả, chờ trả"
    log_out(page)

    # -- Back at the counter, the result is handed over ------------------------------------------
    log_in(page, base, "tiepnhan")
    with page.expect_navigation():
        page.get_by_role("link", name="Chờ trả kết quả").click()
    with page.expect_navigation():
        page.get_by_role("link", name=code, exact=True).click()
    assert page.url == dossier_url
    act(page, "Trả kết quả")
    assert status(page) == "Đã trả kết quả"
    assert "Bạn không có thao tác nào" in page.locator("aside").inner_text()
    log_out(page)

    # -- Anyone with the code sees how it stands, and nothing personal ---------------------------
    page.goto(f"{base}/tra-cuu/{code}/")
    page.get_by_label("4 số cuối số định danh (CCCD) của chủ hồ sơ").fill(ID_NUMBER[-4:])
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Tra cứu").click()
    main = page.locator("main").inner_text()
    assert code in main and "Đã trả kết quả" in main
    content = page.content()
    for personal in (APPLICANT, "Tuyết", ID_NUMBER, PHONE, "Lê Lợi"):
        assert personal not in content
