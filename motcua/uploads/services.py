"""All writes of uploads: accept files (content checks, private storage, quarantine) and scan them.

`upload_accept` judges each file on its own and returns one result per file: a bad scan among
good ones costs only itself. `uploaded_files_check` is the all-or-nothing form the dossier flow
uses inside its transaction (motcua.dossiers.services._check_files).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.core.errors import InvalidInput
from motcua.uploads import clamav
from motcua.uploads.inspection import Accepted, Limits, Refused, inspect, oversize
from motcua.uploads.models import Upload, UploadStatus

logger = logging.getLogger(__name__)

NOT_SCANNED_NOTE = "chưa quét (không cấu hình ClamAV)"
MB = 1024 * 1024


@dataclass(frozen=True, kw_only=True)
class UploadResult:
    ok: bool
    upload: Upload | None
    name: str  # the display name (safe to show)
    reason_vi: str = ""
    reason_en: str = ""


def limits() -> Limits:
    return Limits(
        max_file_bytes=settings.UPLOAD_MAX_FILE_MB * MB,
        image_max_px=settings.UPLOAD_IMAGE_MAX_PX,
    )


def uploaded_file_inspect(upload: UploadedFile[Any], *, limits: Limits) -> Accepted | Refused:
    """Read one uploaded file (never more than the limit allows) and inspect its content."""
    if (upload.size or 0) > limits.max_file_bytes:
        return oversize(upload.name, limits)  # judged by the size alone: no need to read it all
    upload.seek(0)
    data = upload.read(limits.max_file_bytes + 1)
    upload.seek(0)  # the caller may read it again
    return inspect(data, name=upload.name, limits=limits)


def _over_total(result: Accepted, bytes_so_far: int) -> Refused | None:
    cap = settings.UPLOAD_MAX_DOSSIER_MB * MB
    if bytes_so_far + len(result.data) <= cap:
        return None
    return Refused(
        display_name=result.display_name,
        reason_vi=f"«{result.display_name}»: hồ sơ vượt quá tổng dung lượng {settings.UPLOAD_MAX_DOSSIER_MB} MB",
        reason_en=f"“{result.display_name}”: the dossier would exceed {settings.UPLOAD_MAX_DOSSIER_MB} MB in total",
    )


def uploaded_files_check(files: Sequence[UploadedFile[Any]], *, bytes_so_far: int = 0) -> list[Accepted]:
    """Every file accepted, in order, or InvalidInput listing each refused file with its reason."""
    accepted: list[Accepted] = []
    problems: list[str] = []
    current = limits()
    total = bytes_so_far
    for upload in files:
        result = uploaded_file_inspect(upload, limits=current)
        if isinstance(result, Accepted) and (over := _over_total(result, total)):
            result = over
        if isinstance(result, Refused):
            problems.append(f"{result.reason_vi} / {result.reason_en}")
            continue
        total += len(result.data)
        accepted.append(result)
    if problems:
        raise InvalidInput("Tệp đính kèm không hợp lệ", "Invalid attachment", problems=problems)
    return accepted


def upload_accept(
    *,
    files: Sequence[UploadedFile[Any]],
    owner: User | None,
    uploaded_by: User | None,
    dossier_bytes_so_far: int = 0,
) -> list[UploadResult]:
    """Check each file by its content and keep the good ones, quarantined until scanned.

    One result per file, in order. A refused file leaves an audit row (status rejected, nothing
    stored). The scan runs as a task after commit (`tasks.upload_scan`).
    """
    current = limits()
    total = dossier_bytes_so_far
    results = []
    for upload in files:
        result = uploaded_file_inspect(upload, limits=current)
        if isinstance(result, Accepted) and (over := _over_total(result, total)):
            result = over
        if isinstance(result, Refused):
            _record_refusal(upload, result, owner=owner, uploaded_by=uploaded_by)
            results.append(
                UploadResult(
                    ok=False,
                    upload=None,
                    name=result.display_name,
                    reason_vi=result.reason_vi,
                    reason_en=result.reason_en,
                )
            )
            continue
        total += len(result.data)
        stored = _store(upload, result, owner=owner, uploaded_by=uploaded_by)
        results.append(UploadResult(ok=True, upload=stored, name=stored.display_name))
    return results


def _sha256(upload: UploadedFile[Any]) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _record_refusal(
    upload: UploadedFile[Any], refused: Refused, *, owner: User | None, uploaded_by: User | None
) -> None:
    Upload.objects.create(
        owner=owner,
        uploaded_by=uploaded_by,
        display_name=refused.display_name,
        sha256=_sha256(upload),
        original_size=upload.size or 0,
        status=UploadStatus.REJECTED,
        scan_note=refused.reason_vi[:500],
    )


def _store(upload: UploadedFile[Any], accepted: Accepted, *, owner: User | None, uploaded_by: User | None) -> Upload:
    row = Upload(
        owner=owner,
        uploaded_by=uploaded_by,
        display_name=accepted.display_name,
        sha256=_sha256(upload),
        kind=accepted.kind,
        content_type=accepted.content_type,
        size=len(accepted.data),
        original_size=accepted.original_size,
        status=UploadStatus.QUARANTINED,
    )
    # A random name: the person's name for the file never reaches the file system.
    row.file.save(f"{uuid.uuid4().hex}.{accepted.extension}", ContentFile(accepted.data), save=False)
    try:
        with transaction.atomic():
            row.full_clean()
            row.save()
    except Exception:
        row.file.delete(save=False)  # no orphan bytes when the row could not be written
        raise
    upload_id = row.pk
    transaction.on_commit(lambda: _enqueue_scan(upload_id))
    return row


def _enqueue_scan(upload_id: int) -> None:
    from motcua.uploads.tasks import upload_scan as upload_scan_task

    upload_scan_task.enqueue(upload_id)


def scanner() -> clamav.Scanner:
    return clamav.Scanner(
        socket_path=settings.CLAMD_SOCKET,
        host=settings.CLAMD_HOST,
        port=settings.CLAMD_PORT,
        timeout=float(settings.CLAMD_TIMEOUT),
    )


_warned_unconfigured = False


def _warn_unconfigured_once() -> None:
    global _warned_unconfigured  # one warning per process, not one per file
    if not _warned_unconfigured:
        _warned_unconfigured = True
        logger.warning(
            "ClamAV is not configured (CLAMD_SOCKET or CLAMD_HOST): uploads are kept as not scanned / "
            "chưa cấu hình ClamAV: tệp tải lên được ghi nhận là chưa quét"
        )


def upload_scan(*, upload_id: int, now: dt.datetime | None = None) -> UploadStatus:
    """Scan a quarantined upload with clamd and record the verdict; returns the status after.

    Idempotent: an upload no longer quarantined is left alone. When clamd fails (down, timeout,
    error) the file stays quarantined, unserved, with the failure in `scan_note`; a later call
    (`uploads_rescan_quarantined`) tries again. It never claims a scan that did not happen.
    """
    now = now or timezone.now()
    upload = Upload.objects.get(pk=upload_id)
    if upload.status != UploadStatus.QUARANTINED:
        return UploadStatus(upload.status)
    config = scanner()
    if not config.configured:
        _warn_unconfigured_once()
        return _record_scan(upload_id, UploadStatus.NOT_SCANNED, NOT_SCANNED_NOTE, now)
    with upload.file.open("rb") as stored:
        data = stored.read()
    try:
        verdict = clamav.scan_bytes(config, data)
    except clamav.ScanFailed as failure:
        logger.warning("Scan of upload %s failed, it stays quarantined: %s", upload_id, failure)
        note = f"quét lỗi, còn cách ly, sẽ quét lại / scan failed, still quarantined: {failure}"
        Upload.objects.filter(pk=upload_id, status=UploadStatus.QUARANTINED).update(scan_note=note[:500])
        return UploadStatus.QUARANTINED
    if verdict.outcome is clamav.Outcome.INFECTED:
        logger.warning("Upload %s is infected: %s", upload_id, verdict.signature)
        return _record_scan(upload_id, UploadStatus.INFECTED, f"ClamAV: {verdict.signature}", now)
    return _record_scan(upload_id, UploadStatus.CLEAN, f"ClamAV ({config.describe()}): OK", now)


def _record_scan(upload_id: int, status: UploadStatus, note: str, now: dt.datetime) -> UploadStatus:
    # Conditional on still being quarantined: two scans of the same file racing write once.
    Upload.objects.filter(pk=upload_id, status=UploadStatus.QUARANTINED).update(
        status=status, scan_note=note[:500], scanned_at=now
    )
    return UploadStatus(Upload.objects.values_list("status", flat=True).get(pk=upload_id))


def uploads_rescan_quarantined(*, older_than: dt.timedelta = dt.timedelta(minutes=5)) -> int:
    """Scan again the files still quarantined (clamd was down, or the worker was): returns how many."""
    cutoff = timezone.now() - older_than
    ids = list(
        Upload.objects.filter(status=UploadStatus.QUARANTINED, created_at__lt=cutoff).values_list("pk", flat=True)
    )
    for upload_id in ids:
        upload_scan(upload_id=upload_id)
    return len(ids)
