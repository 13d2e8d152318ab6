"""Downloads of printed forms (level 2 of Circular 32/2017): PDF and DOCX of every form."""

from __future__ import annotations

from urllib.parse import quote

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from motcua.core.text import fold
from motcua.eforms import selectors
from motcua.eforms.render import CONTENT_TYPES, FileFormat, form_file_bytes


def attachment_disposition(title: str, extension: str, *, fallback: str) -> str:
    """`attachment` with an ASCII filename for old clients and the Vietnamese one (RFC 5987/6266)."""
    ascii_name = slugify(fold(title))[:120] or fallback
    return f"attachment; filename=\"{ascii_name}.{extension}\"; filename*=UTF-8''{quote(f'{title}.{extension}')}"


def _download(code: str, file_format: FileFormat) -> HttpResponse:
    form = selectors.form_definition_get(code=code)
    if form is None:
        raise Http404("Không có biểu mẫu này / No such form")
    response = HttpResponse(form_file_bytes(form, file_format=file_format), content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = attachment_disposition(form.title, file_format, fallback=form.code)
    return response


@require_safe
def form_pdf(request: HttpRequest, code: str) -> HttpResponse:
    return _download(code, "pdf")


@require_safe
def form_docx(request: HttpRequest, code: str) -> HttpResponse:
    return _download(code, "docx")
