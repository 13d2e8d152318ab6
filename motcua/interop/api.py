"""The REST API at /api/v1/: routers from each domain app, one OpenAPI document."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="MotCua API",
    version="1",
    description="Danh mục thủ tục hành chính, cơ quan, hồ sơ / Procedure catalogue, agencies, dossiers.",
    urls_namespace="api-v1",
)
