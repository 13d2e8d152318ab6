"""Form definitions: one JSON Schema (2020-12) + layout per form, rendered as paper (PDF, DOCX)
now and as an interactive e-form later, so paper and e-form never drift."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel


class FormDefinition(TimeStampedModel):
    code = models.SlugField(_("mã biểu mẫu"), max_length=100, unique=True)
    title = models.CharField(_("tên biểu mẫu"), max_length=500)
    title_en = models.CharField(_("tên tiếng Anh"), max_length=500, blank=True)
    legal_reference = models.CharField(
        _("ban hành kèm theo"),
        max_length=500,
        blank=True,
        help_text=_("Ví dụ: Mẫu ban hành kèm theo Thông tư 04/2020/TT-BTP."),
    )
    schema = models.JSONField(_("lược đồ dữ liệu (JSON Schema 2020-12)"))
    layout = models.JSONField(_("bố cục và hướng dẫn"), default=dict)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    class Meta:
        verbose_name = _("biểu mẫu")
        verbose_name_plural = _("biểu mẫu")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title
