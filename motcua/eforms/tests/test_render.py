"""The printed files, read back as a citizen's PDF reader or Word would."""

from __future__ import annotations

import io
import unicodedata

import pytest
from docx import Document
from pypdf import PdfReader

from motcua.core.testing import assert_fonts_embedded
from motcua.eforms.printable import NATIONAL_MOTTO, NATIONAL_NAME
from motcua.eforms.render import render_docx, render_pdf
from motcua.eforms.tests.helpers import builtin_form


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@pytest.fixture(scope="module")
def birth_pdf() -> PdfReader:
    return PdfReader(io.BytesIO(render_pdf(builtin_form("to-khai-dang-ky-khai-sinh"))))


def test_pdf_has_the_national_heading_and_labels_with_diacritics(birth_pdf: PdfReader) -> None:
    text = _nfc("\n".join(page.extract_text() for page in birth_pdf.pages))
    assert NATIONAL_NAME in text
    assert NATIONAL_MOTTO in text
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in text
    for label in ("Họ, chữ đệm, tên", "Ngày, tháng, năm sinh", "Quê quán", "Người yêu cầu", "Kính gửi"):
        assert label in text, label
    assert "☐ Nam" in text
    assert "Thông tư số 04/2020/TT-BTP" in text


def test_pdf_is_a4_and_embeds_every_font(birth_pdf: PdfReader) -> None:
    box = birth_pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    assert_fonts_embedded(birth_pdf)


def test_docx_has_the_same_content() -> None:
    form = builtin_form("ct01-to-khai-thay-doi-thong-tin-cu-tru")
    document = Document(io.BytesIO(render_docx(form)))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = _nfc("\n".join(paragraphs + cells))
    assert paragraphs[:3] == ["Mẫu CT01", NATIONAL_NAME, NATIONAL_MOTTO]
    assert "TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ" in text
    for label in ("1. Họ, chữ đệm và tên (*):", "Số định danh cá nhân của chủ hộ", "☐ Đăng ký tạm trú"):
        assert label in text, label
    assert "Ý kiến của chủ hộ" in " ".join(cells) and "Người kê khai" in " ".join(cells)
    members = document.tables[0]
    assert [c.text for c in members.rows[0].cells][:2] == ["TT", "Họ, chữ đệm và tên"]
    assert len(members.rows) == 1 + 4
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_pdf_and_docx_number_the_same_fields() -> None:
    form = builtin_form("don-dang-ky-bien-dong-dat-dai")
    pdf_text = _nfc("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf(form))).pages))
    docx_text = "\n".join(p.text for p in Document(io.BytesIO(render_docx(form))).paragraphs)
    for label in ("1. Tên người sử dụng đất", "9. Thửa đất số", "14. Hình thức biến động"):
        assert label in pdf_text, label
        assert label in docx_text, label
