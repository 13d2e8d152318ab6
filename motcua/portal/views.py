from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("MotCua")


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return HttpResponseNotFound("Không tìm thấy")
