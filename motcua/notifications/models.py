"""Outbox: one row per message and channel, written in the same transaction as the change
that caused it and sent after commit, so nothing is announced that did not happen and
nothing that happened is left unannounced (a failed send stays `pending`/`failed` to retry)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.notifications import templating


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    IN_APP = "in_app", _("Thông báo trên cổng")


class TemplateChannel(models.TextChoices):
    ALL = "all", _("Mọi kênh")
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    IN_APP = "in_app", _("Thông báo trên cổng")


class Language(models.TextChoices):
    VI = "vi", "Tiếng Việt"
    EN = "en", "English"


class NotificationEvent(models.TextChoices):
    """What happened; each event has its own template (templating.EVENT_VARIABLES says what it may use)."""

    RECEIVED = "received", _("Hồ sơ được tiếp nhận")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Yêu cầu bổ sung hồ sơ")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    PROCESSING = "processing", _("Bắt đầu giải quyết")
    FEES_DUE = "fees_due", _("Đề nghị nộp phí, lệ phí")
    RESULT_READY = "result_ready", _("Đã có kết quả")
    RETURNED = "returned", _("Đã trả kết quả")
    WITHDRAWN = "withdrawn", _("Hồ sơ được rút")
    STOPPED = "stopped", _("Dừng xử lý")
    OVERDUE_APOLOGY = "overdue_apology", _("Xin lỗi và hẹn lại ngày trả")
    DUE_SOON = "due_soon", _("Cán bộ: hồ sơ sắp đến hạn")
    OVERDUE = "overdue", _("Cán bộ: hồ sơ quá hạn")
    VERIFICATION_CODE = "verification_code", _("Mã xác thực")


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
    event = models.CharField(_("sự kiện"), max_length=30, choices=NotificationEvent.choices, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    error = models.TextField(_("lỗi lần gửi cuối"), blank=True)
    # When a failed send is tried again (exponential backoff); the retry command polls it.
    next_attempt_at = models.DateTimeField(_("gửi lại lúc"), null=True, blank=True)
    provider_reference = models.CharField(_("mã tin của nhà cung cấp"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("đã gửi lúc"), null=True, blank=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at"]
        indexes = [
            # Partial: the retry poll reads only the few pending rows, however long the outbox grows.
            models.Index(
                fields=["next_attempt_at"], name="notification_retry_due", condition=models.Q(status="pending")
            ),
            # The inbox and its unread count.
            models.Index(fields=["recipient", "channel", "read_at"], name="notification_inbox"),
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


class NotificationTemplate(models.Model):
    """The wording of one event in one language, for every channel or for one of them. Without a
    row, the shipped default (templating.DEFAULTS) is used; a row for one channel wins over the
    row for all channels."""

    event = models.CharField(_("sự kiện"), max_length=30, choices=NotificationEvent.choices)
    language = models.CharField(_("ngôn ngữ"), max_length=5, choices=Language.choices, default=Language.VI)
    channel = models.CharField(_("kênh"), max_length=10, choices=TemplateChannel.choices, default=TemplateChannel.ALL)
    subject = models.CharField(
        _("tiêu đề"),
        max_length=255,
        help_text=_("Cú pháp mẫu Django, ví dụ: Hồ sơ {{ dossier_code }} đã được tiếp nhận"),
    )
    body = models.TextField(
        _("nội dung"),
        help_text=_(
            "Văn bản thuần; dòng trống do thẻ {% if %} để lại sẽ bị bỏ. SMS được gửi không dấu, "
            'tối đa 459 ký tự (mẫu cho mọi kênh gửi SMS dạng "tiêu đề. nội dung").'
        ),
    )
    active = models.BooleanField(_("đang dùng"), default=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("mẫu thông báo")
        verbose_name_plural = _("mẫu thông báo")
        ordering = ["event", "language", "channel"]
        constraints = [
            models.UniqueConstraint(fields=["event", "language", "channel"], name="notification_template_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} ({self.language}, {self.get_channel_display()})"

    def clean(self) -> None:
        """A template is tried on a sample dossier before it is saved: a broken one never reaches a citizen."""
        if self.event not in templating.EVENT_VARIABLES:
            return  # the choices check reports it
        try:
            templating.validate(event=self.event, channel=self.channel, subject=self.subject, body=self.body)
        except templating.TemplateProblem as problem:
            raise ValidationError({problem.field: problem.message}) from problem


class NotificationPreference(models.Model):
    """The channels a citizen wants besides the portal inbox (always on), and their language."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email = models.BooleanField(_("nhận qua thư điện tử"), default=True)
    sms = models.BooleanField(_("nhận qua tin nhắn SMS"), default=True)
    language = models.CharField(_("ngôn ngữ"), max_length=5, choices=Language.choices, default=Language.VI)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("lựa chọn nhận thông báo")
        verbose_name_plural = _("lựa chọn nhận thông báo")

    def __str__(self) -> str:
        return f"{self.user}: email={self.email} sms={self.sms} {self.language}"

    @property
    def in_app(self) -> bool:
        """The portal inbox cannot be switched off: it is the record of what we told the citizen."""
        return True
