"""System checks (`manage.py check`): private uploads must never land where MEDIA_URL serves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.core.files.storage import FileSystemStorage, storages
from django.core.files.storage.handler import InvalidStorageError

from motcua.uploads.storage import PRIVATE_STORAGE_ALIAS


@register()
def private_storage_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        storage = storages[PRIVATE_STORAGE_ALIAS]
    except InvalidStorageError:
        return [Error('settings.STORAGES has no "private" storage for uploads', id="uploads.E001")]
    if isinstance(storage, FileSystemStorage):
        location = Path(storage.location).resolve()
        media = Path(settings.MEDIA_ROOT).resolve()
        if location == media or media in location.parents:
            return [
                Error(
                    "The private upload storage lies inside MEDIA_ROOT, which is served publicly in DEBUG",
                    hint="Set UPLOAD_STORAGE_LOCATION outside MEDIA_ROOT (default: var/private)",
                    id="uploads.E002",
                )
            ]
    return []
