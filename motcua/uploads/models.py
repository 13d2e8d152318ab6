from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.uploads.inspection import Kind
from motcua.uploads.storage import private_storage


class UploadStatus(models.TextChoices):
    QUARANTINED = "quarantined", _("Đang cách ly, chờ quét virus")
    CLEAN = "clean", _("Đã quét, sạch")
    NOT_SCANNED = "not_scanned", _("Chưa quét (không cấu hình ClamAV)")
    INFECTED = "infected", _("Nhiễm mã độc")
    REJECTED = "rejected", _("Bị từ chối")


# Only these may ever be served. "Not scanned" is usable, but the row says so for everyone to see.
SERVABLE = frozenset({UploadStatus.CLEAN, UploadStatus.NOT_SCANNED})


class Upload(models.Model):
    """A file someone uploaded (tệp tải lên), kept in the private storage under a random name.

    Refused files leave a row too (status rejected, no stored file): who tried to send what.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chủ sở hữu"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="uploads",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    display_name = models.CharField(_("tên tệp"), max_length=255)
    file = models.FileField(_("tệp"), storage=private_storage, upload_to="uploads/%Y/%m/", max_length=200, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True, help_text=_("của tệp gốc đã nhận"))
    kind = models.CharField(_("loại tệp (theo nội dung)"), max_length=10, choices=Kind.choices, blank=True)
    content_type = models.CharField(_("kiểu nội dung lưu trữ"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("dung lượng lưu trữ (byte)"), default=0)
    original_size = models.PositiveBigIntegerField(_("dung lượng gốc (byte)"), default=0)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=UploadStatus.choices, default=UploadStatus.QUARANTINED
    )
    scan_note = models.CharField(_("ghi chú quét / lý do từ chối"), max_length=500, blank=True)
    scanned_at = models.DateTimeField(_("quét lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp tải lên")
        verbose_name_plural = _("tệp tải lên")
        indexes = [
            # The retry sweep looks only at files still waiting for their scan.
            models.Index(
                fields=["created_at"], condition=models.Q(status="quarantined"), name="upload_quarantined_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def servable(self) -> bool:
        return self.status in SERVABLE and bool(self.file)
