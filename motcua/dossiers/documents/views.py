"""Downloads of issued documents and of the dossier register. Views only check who asks and
hand the file over; the gate is selectors.dossier_get_for_user."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_safe

from motcua.accounts.models import User
from motcua.catalog.models import Agency
from motcua.core.errors import InvalidInput, NotAllowed
from motcua.dossiers.documents import services
from motcua.dossiers.models import IssuedDocument
from motcua.dossiers.selectors import dossier_get_for_user, official_agency_ids
from motcua.eforms.views import attachment_disposition

NOT_FOUND = "Không có giấy tờ này hoặc bạn không có quyền xem / No such document, or not yours to see"


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required ran first
    return request.user


@require_safe
@login_required
def issued_document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """An issued PDF, for the dossier's applicant and the officials who may see the dossier (the
    register, which has no dossier: officials of its agency). Anyone else: 404, the same answer
    as for a document that does not exist."""
    user = _user(request)
    document = IssuedDocument.objects.select_related("dossier").filter(pk=pk).first()
    if document is None:
        raise Http404(NOT_FOUND)
    if document.dossier_id is not None:
        try:
            dossier_get_for_user(user, document.dossier_id)
        except NotAllowed as refused:
            raise Http404(NOT_FOUND) from refused
    elif document.agency_id not in official_agency_ids(user):
        raise Http404(NOT_FOUND)
    with document.file.open("rb") as stored:
        content = stored.read()
    response = HttpResponse(content, content_type="application/pdf")
    title = f"{document.get_kind_display()} {document.dossier.code if document.dossier else ''} v{document.version}"
    response["Content-Disposition"] = attachment_disposition(title.strip(), "pdf", fallback=f"giay-to-{document.pk}")
    return response


def _day(value: str | None, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError as error:
        raise InvalidInput(f"{what}: cần ngày dạng YYYY-MM-DD", f"{what}: a YYYY-MM-DD date is required") from error


@require_safe
@login_required
def register_download(request: HttpRequest, file_format: Literal["pdf", "xlsx"]) -> HttpResponse:
    """Sổ theo dõi hồ sơ of the official's agency, `?from=YYYY-MM-DD&to=YYYY-MM-DD`; an official of
    several agencies says which with `&agency=<code>`."""
    agency_ids = official_agency_ids(_user(request))
    agencies = Agency.objects.filter(pk__in=agency_ids)
    if code := request.GET.get("agency"):
        agencies = agencies.filter(code=code)
    candidates = list(agencies[:2])
    if not candidates:
        raise Http404("Bạn không thuộc cơ quan nào / You belong to no agency")
    if len(candidates) > 1:
        return HttpResponseBadRequest("Cần chọn cơ quan: ?agency=<mã định danh> / Choose the agency")
    agency = candidates[0]
    try:
        start, end = _day(request.GET.get("from"), "from"), _day(request.GET.get("to"), "to")
        if file_format == "xlsx":
            content = services.register_xlsx(agency=agency, start=start, end=end)
            content_type = services.XLSX_CONTENT_TYPE
        else:
            content = services.register_pdf(agency=agency, start=start, end=end)
            content_type = "application/pdf"
    except InvalidInput as error:
        return HttpResponseBadRequest(str(error))
    response = HttpResponse(content, content_type=content_type)
    title = f"Sổ theo dõi hồ sơ {agency.code} {start:%Y-%m-%d} {end:%Y-%m-%d}"
    response["Content-Disposition"] = attachment_disposition(title, file_format, fallback="so-theo-doi")
    return response
