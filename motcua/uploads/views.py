"""Uploads are served here only: after the permission gate, never inline, never sniffed."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from motcua.uploads import selectors
from motcua.uploads.models import UploadStatus


@require_GET
@login_required
def upload_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    upload = selectors.upload_get_for_user(request.user, pk)  # type: ignore[arg-type]
    if upload is None:
        raise Http404("Không có tệp này hoặc bạn không có quyền xem / No such file, or not yours to see")
    if upload.status == UploadStatus.QUARANTINED:
        return HttpResponse(
            "Tệp đang chờ quét virus, hãy thử lại sau ít phút / The file is waiting for its virus scan",
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    if not upload.servable:  # infected or rejected: never served
        return HttpResponse(
            f"Tệp không được cung cấp: {upload.get_status_display()} / The file is not available",
            status=410,
            content_type="text/plain; charset=utf-8",
        )
    response = FileResponse(
        upload.file.open("rb"),
        as_attachment=True,  # never rendered by the browser, whatever it is
        filename=upload.display_name,
        content_type=upload.content_type,  # what we found in the content, not what the browser said
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
