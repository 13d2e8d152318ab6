"""The REST API at /api/v1/: routers from each domain app, one OpenAPI document."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI, Schema, Status
from ninja.renderers import JSONRenderer

from motcua.calendars.api import router as calendar_router
from motcua.catalog.api import router as catalog_router
from motcua.core.errors import NotAllowed
from motcua.dossiers.api import router as dossier_router
from motcua.interop.auth import token_issue


class UnicodeJSONRenderer(JSONRenderer):
    """Vietnamese stays readable in the JSON ("Đăng ký", not "\\u0110\\u0103ng k\\u00fd")."""

    json_dumps_params: Mapping[str, Any] = {"ensure_ascii": False}


api = NinjaAPI(
    title="MotCua API",
    version="1",
    description="Danh mục thủ tục hành chính, cơ quan, hồ sơ / Procedure catalogue, agencies, dossiers.",
    urls_namespace="api-v1",
    renderer=UnicodeJSONRenderer(),
)
api.add_router("/", catalog_router)
api.add_router("/calendar", calendar_router)
api.add_router("/", dossier_router)


class TokenIn(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime


class RefusedOut(Schema):
    detail: str
    message_vi: str
    message_en: str


@api.post("/auth/token", response={200: TokenOut, 401: RefusedOut}, tags=["Tài khoản / auth"])
def auth_token(request: HttpRequest, payload: TokenIn) -> Status[TokenOut | RefusedOut]:
    """A bearer token (30 days) for a username, e-mail or phone and password."""
    try:
        key, token = token_issue(request, username=payload.username, password=payload.password)
    except NotAllowed as refused:
        return Status(
            401, RefusedOut(detail=str(refused), message_vi=refused.message_vi, message_en=refused.message_en)
        )
    return Status(200, TokenOut(token=key, expires_at=token.expires_at))
