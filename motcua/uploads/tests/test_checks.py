"""The system check refusing a private storage that MEDIA_URL would serve."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from motcua.uploads.checks import private_storage_check


def test_a_private_storage_outside_media_root_passes(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    assert private_storage_check() == []


def test_a_private_storage_inside_media_root_is_an_error(settings: Any, private_storage: Path) -> None:
    settings.MEDIA_ROOT = str(private_storage.parent)
    assert [m.id for m in private_storage_check()] == ["uploads.E002"]


def test_a_missing_private_storage_is_an_error(settings: Any) -> None:
    settings.STORAGES = {k: v for k, v in settings.STORAGES.items() if k != "private"}
    assert [m.id for m in private_storage_check()] == ["uploads.E001"]


def test_private_files_have_no_url() -> None:
    from motcua.uploads.storage import private_storage

    with pytest.raises(NotImplementedError):
        private_storage().url("uploads/x.pdf")
