"""An agency's working calendar: its office periods and the days it adds or swaps.

The national public holidays are not stored: they come from the `holidays` package inside
motcua.core.workcalendar. These rows are only the agency's decisions on top of them.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Agency
from motcua.core.errors import MotCuaError
from motcua.core.models import TimeStampedModel
from motcua.core.workcalendar import DEFAULT_PERIODS, DEFAULT_WORKING_WEEKDAYS, parse_periods

WEEKDAY_CHOICES = [
    (0, _("Thứ Hai")),
    (1, _("Thứ Ba")),
    (2, _("Thứ Tư")),
    (3, _("Thứ Năm")),
    (4, _("Thứ Sáu")),
    (5, _("Thứ Bảy")),
    (6, _("Chủ nhật")),
]


def format_periods(periods: tuple[tuple[dt.time, dt.time], ...]) -> str:
    return ", ".join(f"{start:%H:%M}-{end:%H:%M}" for start, end in periods)


def parse_periods_text(text: str) -> tuple[tuple[dt.time, dt.time], ...]:
    """ "07:30-11:30, 13:00-17:00" -> office periods; raises MotCuaError with both languages."""
    return parse_periods([part.strip().split("-") for part in text.split(",") if part.strip()])


DEFAULT_PERIODS_TEXT = format_periods(DEFAULT_PERIODS)


def default_working_weekdays() -> list[int]:
    return sorted(DEFAULT_WORKING_WEEKDAYS)


class OfficeSchedule(TimeStampedModel):
    """Giờ làm việc của cơ quan. An agency without one uses its nearest ancestor's, else the default."""

    agency = models.OneToOneField(
        Agency, verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="office_schedule"
    )
    periods = models.CharField(
        _("các buổi làm việc"),
        max_length=100,
        default=DEFAULT_PERIODS_TEXT,
        help_text=_("Giờ bắt đầu-giờ kết thúc, cách nhau bởi dấu phẩy, ví dụ 07:30-11:30, 13:00-17:00."),
    )
    working_weekdays = models.JSONField(
        _("ngày làm việc trong tuần"),
        default=default_working_weekdays,
        help_text=_("0 = Thứ Hai ... 6 = Chủ nhật."),
    )

    class Meta:
        verbose_name = _("giờ làm việc")
        verbose_name_plural = _("giờ làm việc")
        ordering = ["agency__code"]

    def __str__(self) -> str:
        return f"{self.agency}: {self.periods}"

    def clean(self) -> None:
        try:
            self.periods = format_periods(parse_periods_text(self.periods))
        except MotCuaError as exc:
            raise ValidationError({"periods": str(exc)}) from exc
        weekdays = self.working_weekdays
        if (
            not isinstance(weekdays, list)
            or not weekdays
            or not all(isinstance(day, int) and 0 <= day <= 6 for day in weekdays)
        ):
            raise ValidationError({"working_weekdays": _("Chọn ít nhất một ngày, từ 0 (Thứ Hai) đến 6 (Chủ nhật).")})
        self.working_weekdays = sorted(set(weekdays))


class CalendarDay(TimeStampedModel):
    """Một ngày nghỉ thêm hoặc ngày làm việc bù do cơ quan quyết định, trong một năm cụ thể."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="calendar_days"
    )
    date = models.DateField(_("ngày"))
    is_working = models.BooleanField(
        _("là ngày làm việc"),
        default=False,
        help_text=_("Đánh dấu: ngày làm việc bù (ví dụ Thứ Bảy làm bù). Bỏ trống: ngày nghỉ thêm."),
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True, help_text=_("Ví dụ: Thông báo số .../TB-UBND."))

    class Meta:
        verbose_name = _("ngày nghỉ / ngày làm bù")
        verbose_name_plural = _("ngày nghỉ / ngày làm bù")
        ordering = ["agency__code", "date"]
        constraints = [models.UniqueConstraint(fields=["agency", "date"], name="calendar_day_unique_per_agency")]

    def __str__(self) -> str:
        kind = _("làm việc") if self.is_working else _("nghỉ")
        return f"{self.date:%d/%m/%Y} ({kind})"
