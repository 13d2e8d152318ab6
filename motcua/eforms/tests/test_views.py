from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from docx import Document
from pypdf import PdfReader

from motcua.eforms.models import FormDefinition
from motcua.eforms.services import form_definitions_load_builtin

pytestmark = pytest.mark.django_db
CODE = "to-khai-dang-ky-khai-sinh"


@pytest.fixture(autouse=True)
def forms() -> dict[str, FormDefinition]:
    cache.clear()
    return form_definitions_load_builtin()


def _content(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else bytes(response.content)


def test_pdf_download(client: Client) -> None:
    response = client.get(reverse("eforms:pdf", args=[CODE]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="to-khai-dang-ky-khai-sinh.pdf"; '
        "filename*=UTF-8''T%E1%BB%9D%20khai%20%C4%91%C4%83ng%20k%C3%BD%20khai%20sinh.pdf"
    )
    text = PdfReader(io.BytesIO(_content(response))).pages[0].extract_text()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text


def test_docx_download(client: Client) -> None:
    response = client.get(f"/bieu-mau/{CODE}.docx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert 'filename="to-khai-dang-ky-khai-sinh.docx"' in response["Content-Disposition"]
    paragraphs = [p.text for p in Document(io.BytesIO(_content(response))).paragraphs]
    assert "TỜ KHAI ĐĂNG KÝ KHAI SINH" in paragraphs


@pytest.mark.parametrize("url", ["/bieu-mau/khong-co.pdf", "/bieu-mau/khong-co.docx", f"/bieu-mau/{CODE}.odt"])
def test_unknown_form_is_404(client: Client, url: str) -> None:
    assert client.get(url).status_code == 404


def test_post_is_refused(client: Client) -> None:
    assert client.post(f"/bieu-mau/{CODE}.pdf").status_code == 405


def test_generated_file_is_cached_until_the_form_changes(
    client: Client, forms: dict[str, FormDefinition], monkeypatch: pytest.MonkeyPatch
) -> None:
    from motcua.eforms import render

    calls: list[str] = []
    real = render.render_docx

    def counting(form: FormDefinition) -> bytes:
        calls.append(form.code)
        return real(form)

    monkeypatch.setattr(render, "render_docx", counting)
    url = f"/bieu-mau/{CODE}.docx"
    first = _content(client.get(url))
    assert _content(client.get(url)) == first
    assert calls == [CODE]
    form = forms[CODE]
    form.title = "Tờ khai đăng ký khai sinh (sửa)"
    form.save()
    client.get(url)
    assert calls == [CODE, CODE]
