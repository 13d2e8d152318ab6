"""The REST API at /api/v1/: routers from each domain app, one OpenAPI document."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from motcua.calendars.api import router as calendar_router
from motcua.catalog.api import router as catalog_router
from motcua.dossiers.api import router as dossier_router


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
