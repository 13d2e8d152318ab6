"""Serving an upload's bytes: only to those allowed, only when scanned, never inline or sniffed."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.accounts.models import User
from motcua.dossiers.tests.factories import make_citizen
from motcua.uploads import selectors
from motcua.uploads.models import Upload, UploadStatus
from motcua.uploads.services import upload_accept, upload_scan
from motcua.uploads.tests import samples

pytestmark = [pytest.mark.django_db, pytest.mark.urls("motcua.uploads.tests.urls")]


def _upload(owner: User, name: str = "Giấy khai sinh.pdf", data: bytes = b"") -> Upload:
    (result,) = upload_accept(
        files=[samples.upload(name, data or samples.pdf_bytes(), "text/html")], owner=owner, uploaded_by=owner
    )
    assert result.upload is not None
    return result.upload


def _get(client: Client, user: User | None, upload: Upload) -> Any:
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(f"/tep-tai-len/{upload.pk}/")


def test_the_owner_gets_the_bytes_as_an_attachment_with_the_detected_type(client: Client) -> None:
    owner = make_citizen()
    upload = _upload(owner, data=samples.pdf_bytes(pages=2))
    upload_scan(upload_id=upload.pk)
    response = _get(client, owner, upload)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"  # not the "text/html" the browser claimed
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Gi%E1%BA%A5y%20khai%20sinh.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"] and "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == samples.pdf_bytes(pages=2)


def test_strangers_and_anonymous_visitors_get_nothing(client: Client) -> None:
    upload = _upload(make_citizen())
    upload_scan(upload_id=upload.pk)
    assert _get(client, make_citizen(), upload).status_code == 404
    anonymous = _get(client, None, upload)
    assert anonymous.status_code == 302 and "/dang-nhap/" in anonymous["Location"]
    assert _get(client, make_citizen(), Upload(pk=upload.pk + 999)).status_code == 404


def test_the_uploader_may_read_what_they_uploaded_for_someone_else(client: Client) -> None:
    citizen, officer = make_citizen(), make_citizen()
    (result,) = upload_accept(files=[samples.pdf_upload()], owner=citizen, uploaded_by=officer)
    assert result.upload is not None
    upload_scan(upload_id=result.upload.pk)
    assert _get(client, officer, result.upload).status_code == 200


def test_an_official_is_let_through_only_by_a_registered_gate(client: Client) -> None:
    upload = _upload(make_citizen())
    upload_scan(upload_id=upload.pk)
    official = make_citizen()
    assert _get(client, official, upload).status_code == 404

    def same_desk(user: User, candidate: Upload) -> bool:
        return user.pk == official.pk

    selectors.upload_gate_register(same_desk)
    try:
        assert _get(client, official, upload).status_code == 200
        assert _get(client, make_citizen(), upload).status_code == 404
    finally:
        selectors.upload_gate_unregister(same_desk)
    assert _get(client, official, upload).status_code == 404


def test_quarantined_and_infected_files_are_never_served(client: Client) -> None:
    owner = make_citizen()
    upload = _upload(owner)  # not scanned yet
    response = _get(client, owner, upload)
    assert response.status_code == 409 and "chờ quét" in response.content.decode()
    Upload.objects.filter(pk=upload.pk).update(status=UploadStatus.INFECTED)
    response = _get(client, owner, upload)
    assert response.status_code == 410 and "Nhiễm mã độc" in response.content.decode()


def test_images_are_served_as_the_jpeg_we_made(client: Client) -> None:
    owner = make_citizen()
    upload = _upload(owner, "ảnh CCCD.png", samples.image_bytes("PNG", gps=True))
    upload_scan(upload_id=upload.pk)
    response = _get(client, owner, upload)
    assert response["Content-Type"] == "image/jpeg"
    assert "attachment" in response["Content-Disposition"] and ".jpg" in response["Content-Disposition"]
