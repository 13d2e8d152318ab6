"""All writes to agencies' calendars.

No cache to clear: calendar_for_agency keys its cache on the rows' count and last update, so a
write through here, the admin or a migration is seen on the next read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from motcua.calendars.models import CalendarDay, OfficeSchedule, format_periods
from motcua.catalog.models import Agency
from motcua.core.workcalendar import parse_periods


def calendar_day_set(*, agency: Agency, date: dt.date, is_working: bool, note: str = "") -> CalendarDay:
    """Declare `date` a day off (is_working=False) or a working day (True) for `agency`."""
    day = CalendarDay.objects.filter(agency=agency, date=date).first() or CalendarDay(agency=agency, date=date)
    day.is_working = is_working
    day.note = note
    day.full_clean()
    day.save()
    return day


def calendar_day_delete(*, agency: Agency, date: dt.date) -> bool:
    """Back to what the national calendar says for `date`. True when a row was removed."""
    deleted, _ = CalendarDay.objects.filter(agency=agency, date=date).delete()
    return deleted > 0


def office_schedule_set(
    *,
    agency: Agency,
    periods: Iterable[tuple[dt.time, dt.time]],
    working_weekdays: Iterable[int] = (0, 1, 2, 3, 4),
) -> OfficeSchedule:
    with transaction.atomic():
        schedule = OfficeSchedule.objects.select_for_update().filter(agency=agency).first() or OfficeSchedule(
            agency=agency
        )
        schedule.periods = format_periods(parse_periods(list(periods)))
        schedule.working_weekdays = sorted(set(working_weekdays))
        schedule.full_clean()
        schedule.save()
    return schedule
