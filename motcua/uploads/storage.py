"""The private storage of uploads: `settings.STORAGES["private"]`, never under MEDIA_URL.

Uploads hold personal data (ID cards, birth certificates): they are served only by
`motcua.uploads.views.upload_download`, after the permission gate. The file-system backend here
refuses to make a URL at all, so no template can link to a file by mistake.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

PRIVATE_STORAGE_ALIAS = "private"


class PrivateFileSystemStorage(FileSystemStorage):
    """Local disk (settings.UPLOAD_STORAGE_LOCATION, var/private by default), with no public URL."""

    def __init__(self, location: str | None = None, **kwargs: Any) -> None:
        super().__init__(location=location or str(settings.UPLOAD_STORAGE_LOCATION), **kwargs)

    def url(self, name: str | None) -> str:
        raise NotImplementedError("Private uploads have no URL: serve them through motcua.uploads.views")


if TYPE_CHECKING:
    _LazyStorage = LazyObject[Storage]
else:
    _LazyStorage = LazyObject  # not subscriptable at run time


class _PrivateStorage(_LazyStorage):
    # Resolved on first use, not at import: the model field is built when the app loads, before
    # a test (or a deployment's settings) may have chosen the backend.
    def _setup(self) -> None:
        self._wrapped = storages[PRIVATE_STORAGE_ALIAS]


_private_storage = _PrivateStorage()


def private_storage() -> Storage:
    """The callable the `Upload.file` field names (a callable keeps migrations free of the backend)."""
    return cast(Storage, _private_storage)


@receiver(setting_changed)
def _storages_changed(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        _private_storage._wrapped = empty  # type: ignore[assignment]  # LazyObject's own "not set yet"
