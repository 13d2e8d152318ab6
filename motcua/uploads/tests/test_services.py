"""upload_accept and upload_scan against the database, the private storage and the fake clamd."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from typing import Any

import pytest
from PIL import Image

from motcua.dossiers.tests.factories import make_citizen
from motcua.uploads import services
from motcua.uploads.models import Upload, UploadStatus
from motcua.uploads.services import NOT_SCANNED_NOTE, upload_accept, upload_scan
from motcua.uploads.tests import samples
from motcua.uploads.tests.conftest import FakeClamd

pytestmark = pytest.mark.django_db


def test_good_files_are_kept_and_bad_ones_refused_each_with_its_reason(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    citizen = make_citizen()
    files = [
        samples.upload("Giấy khai sinh.pdf", samples.pdf_bytes()),
        samples.upload("virus.pdf", b"MZ" + b"\0" * 100),  # the browser says PDF: it lies
        samples.upload("IMG_0001.jpg", samples.image_bytes(gps=True), "image/jpeg"),
        samples.upload("rong.pdf", b""),
        samples.upload("../../etc/passwd.pdf", samples.pdf_bytes()),
        samples.upload("Đơn.docx", samples.docx_bytes(), "application/octet-stream"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        results = upload_accept(files=files, owner=citizen, uploaded_by=citizen)
    assert [r.ok for r in results] == [True, False, True, False, True, True]
    assert [r.name for r in results] == [
        "Giấy khai sinh.pdf",
        "virus.pdf",
        "IMG_0001.jpg",
        "rong.pdf",
        "passwd.pdf",
        "Đơn.docx",
    ]
    assert "chương trình" in results[1].reason_vi and "executable" in results[1].reason_en
    assert "rỗng" in results[3].reason_vi
    kept = [r.upload for r in results if r.upload is not None]
    for upload in kept:
        upload.refresh_from_db()
        # Stored under a random name, not the person's.
        assert upload.file.name.startswith("uploads/") and upload.display_name not in upload.file.name
        assert upload.status == UploadStatus.NOT_SCANNED and upload.scan_note == NOT_SCANNED_NOTE
    pdf, jpeg, passwd, docx = kept
    assert pdf.kind == "pdf" and pdf.content_type == "application/pdf"
    assert docx.content_type.endswith("wordprocessingml.document")
    with jpeg.file.open("rb") as stored:
        assert len(Image.open(io.BytesIO(stored.read())).getexif()) == 0  # GPS gone from the disk too
    assert passwd.file.name.endswith(".pdf") and "etc" not in passwd.file.name
    rejected = Upload.objects.filter(status=UploadStatus.REJECTED).order_by("pk")
    assert [u.display_name for u in rejected] == ["virus.pdf", "rong.pdf"]
    assert all(not u.file and len(u.sha256) == 64 for u in rejected)


def test_the_dossier_total_is_enforced_file_by_file(settings: Any) -> None:
    settings.UPLOAD_MAX_DOSSIER_MB = 1
    citizen = make_citizen()
    big = samples.pdf_bytes(padding=600_000)
    results = upload_accept(
        files=[
            samples.upload("a.pdf", big),
            samples.upload("b.pdf", big),
            samples.upload("c.pdf", samples.pdf_bytes()),
        ],
        owner=citizen,
        uploaded_by=citizen,
    )
    assert [r.ok for r in results] == [True, False, True]  # the small one after still fits
    assert "tổng dung lượng 1 MB" in results[1].reason_vi
    results = upload_accept(
        files=[samples.upload("d.pdf", big)], owner=citizen, uploaded_by=citizen, dossier_bytes_so_far=700_000
    )
    assert not results[0].ok


def test_the_file_limit_comes_from_settings(settings: Any) -> None:
    settings.UPLOAD_MAX_FILE_MB = 1
    citizen = make_citizen()
    big = samples.upload("lon.pdf", b"%PDF-" + b"x" * (1024 * 1024 + 10))
    (result,) = upload_accept(files=[big], owner=citizen, uploaded_by=citizen)
    assert not result.ok and "lớn hơn 1 MB" in result.reason_vi


def _accept_one(data: bytes = b"") -> Upload:
    citizen = make_citizen()
    (result,) = upload_accept(
        files=[samples.upload("to-khai.pdf", data or samples.pdf_bytes())], owner=citizen, uploaded_by=citizen
    )
    assert result.upload is not None
    return result.upload


def test_a_file_stays_quarantined_until_the_scan(settings: Any, tcp_clamd: tuple[FakeClamd, int]) -> None:
    server, port = tcp_clamd
    settings.CLAMD_HOST, settings.CLAMD_PORT = "127.0.0.1", port
    upload = _accept_one()  # no on_commit in this test's transaction: the scan has not run
    assert Upload.objects.get(pk=upload.pk).status == UploadStatus.QUARANTINED
    assert upload_scan(upload_id=upload.pk) == UploadStatus.CLEAN
    upload.refresh_from_db()
    assert upload.scanned_at is not None and "OK" in upload.scan_note
    assert server.received == [samples.pdf_bytes()] or server.received[0].startswith(b"%PDF-")
    assert upload_scan(upload_id=upload.pk) == UploadStatus.CLEAN  # idempotent: not scanned twice
    assert len(server.received) == 1


def test_an_infected_file_is_marked_and_never_servable(settings: Any, unix_clamd: tuple[FakeClamd, str]) -> None:
    _server, path = unix_clamd
    settings.CLAMD_SOCKET = path
    # A valid PDF carrying the EICAR string in a comment: it passes the type checks, not the scan.
    data = samples.pdf_bytes().replace(b"%PDF-1.3\n", b"%PDF-1.3\n%" + samples.EICAR + b"\n", 1)
    upload = _accept_one(data)
    assert upload_scan(upload_id=upload.pk) == UploadStatus.INFECTED
    upload.refresh_from_db()
    assert upload.scan_note == "ClamAV: Eicar-Test-Signature" and not upload.servable


def test_a_scanner_that_is_down_leaves_the_file_quarantined_with_a_clear_note(settings: Any) -> None:
    settings.CLAMD_SOCKET = "/nonexistent/clamd.sock"
    upload = _accept_one()
    assert upload_scan(upload_id=upload.pk) == UploadStatus.QUARANTINED
    upload.refresh_from_db()
    assert upload.status == UploadStatus.QUARANTINED and not upload.servable
    assert upload.scan_note.startswith("quét lỗi, còn cách ly") and "/nonexistent/clamd.sock" in upload.scan_note


def test_without_clamav_files_are_usable_but_recorded_as_not_scanned_with_one_warning(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "_warned_unconfigured", False)
    first, second = _accept_one(), _accept_one()
    with caplog.at_level(logging.WARNING, logger="motcua.uploads.services"):
        assert upload_scan(upload_id=first.pk) == UploadStatus.NOT_SCANNED
        assert upload_scan(upload_id=second.pk) == UploadStatus.NOT_SCANNED
    assert [r.message for r in caplog.records].count(caplog.records[0].message) == 1
    assert "ClamAV is not configured" in caplog.records[0].message
    first.refresh_from_db()
    assert first.servable and first.scan_note == "chưa quét (không cấu hình ClamAV)" and first.scanned_at


def test_the_rescan_sweep_retries_quarantined_files(settings: Any, tcp_clamd: tuple[FakeClamd, int]) -> None:
    import datetime as dt

    upload = _accept_one()
    _server, port = tcp_clamd
    settings.CLAMD_HOST, settings.CLAMD_PORT = "127.0.0.1", port
    assert services.uploads_rescan_quarantined(older_than=dt.timedelta(0)) == 1
    upload.refresh_from_db()
    assert upload.status == UploadStatus.CLEAN


def test_the_scan_task_runs_after_commit(django_capture_on_commit_callbacks: Callable[..., Any]) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        upload = _accept_one()
    assert len(callbacks) == 1
    upload.refresh_from_db()
    assert upload.status == UploadStatus.NOT_SCANNED
