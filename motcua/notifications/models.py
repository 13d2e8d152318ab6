"""Outbox: one row per message and channel, written in the same transaction as the change
that caused it and sent after commit, so nothing is announced that did not happen and
nothing that happened is left unannounced (a failed send stays `pending`/`failed` to retry)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    IN_APP = "in_app", _("Thông báo trên cổng")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")


class Notification(models.Model):
    channel = models.CharField(_("kênh"), max_length=10, choices=NotificationChannel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    address = models.CharField(_("địa chỉ nhận"), max_length=255, blank=True)
    subject = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"))
    dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status"], name="notification_pending", condition=models.Q(status="pending")),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.address or self.recipient_id}: {self.subject}"


class DeadlineWarning(models.Model):
    """A due-soon or overdue warning already sent for a dossier (so each is sent once)."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=10, choices=[("due_soon", _("Sắp đến hạn")), ("overdue", _("Quá hạn"))])
    due_at = models.DateTimeField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dossier", "level", "due_at"], name="deadline_warning_once"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} {self.level}"
