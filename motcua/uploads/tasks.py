"""Background work of uploads (django-tasks): thin wrappers around one service each."""

from __future__ import annotations

from django_tasks import task

from motcua.uploads import services


@task()
def upload_scan(upload_id: int) -> str:
    return services.upload_scan(upload_id=upload_id).value


@task()
def uploads_rescan_quarantined() -> int:
    return services.uploads_rescan_quarantined()
