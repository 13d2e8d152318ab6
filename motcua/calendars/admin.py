"""Calendar admin: each agency's office periods, and its days off and swapped working days per year.

The national public holidays are not listed here: they come from the `holidays` package. Only
what the agency decides on top of them is edited here (a day off more, a Saturday worked).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.db.models.functions import ExtractYear
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.calendars.models import WEEKDAY_CHOICES, CalendarDay, OfficeSchedule


class YearFilter(admin.SimpleListFilter):
    title = _("năm")
    parameter_name = "year"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        years = (
            CalendarDay.objects.annotate(year=ExtractYear("date"))
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        )
        return [(str(year), str(year)) for year in years]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(date__year=int(value))
        return queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin[CalendarDay]):
    list_display = ["date", "weekday", "agency", "is_working", "note"]
    list_filter = [YearFilter, "is_working"]
    search_fields = ["agency__code", "agency__name", "note"]
    autocomplete_fields = ["agency"]
    list_select_related = ["agency"]
    date_hierarchy = "date"
    ordering = ["-date", "agency__code"]

    @admin.display(description=_("thứ"), ordering="date")
    def weekday(self, day: CalendarDay) -> str:
        return str(WEEKDAY_CHOICES[day.date.weekday()][1])


class OfficeScheduleForm(forms.ModelForm[OfficeSchedule]):
    working_weekdays = forms.TypedMultipleChoiceField(
        label=_("ngày làm việc trong tuần"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = OfficeSchedule
        fields = ["agency", "periods", "working_weekdays"]


@admin.register(OfficeSchedule)
class OfficeScheduleAdmin(admin.ModelAdmin[OfficeSchedule]):
    form = OfficeScheduleForm
    list_display = ["agency", "periods", "weekdays"]
    search_fields = ["agency__code", "agency__name"]
    autocomplete_fields = ["agency"]
    list_select_related = ["agency"]

    @admin.display(description=_("ngày làm việc trong tuần"))
    def weekdays(self, schedule: OfficeSchedule) -> str:
        names = dict(WEEKDAY_CHOICES)
        return ", ".join(str(names[day]) for day in schedule.working_weekdays if day in names)
