"""Deadlines of dossiers, on the working calendar of the agency concerned.

A thin bridge: the arithmetic is the pure motcua.core.workcalendar; which calendar applies
(office periods, days off and swapped days of an agency) comes from motcua.calendars.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from motcua.calendars.selectors import calendar_for_agency
from motcua.catalog.models import Agency, ProcedureVersion, TimeUnit
from motcua.core.workcalendar import Unit

_UNITS = {
    TimeUnit.WORKING_HOURS: Unit.WORKING_HOURS,
    TimeUnit.WORKING_DAYS: Unit.WORKING_DAYS,
    TimeUnit.CALENDAR_DAYS: Unit.CALENDAR_DAYS,
}


def appointment(agency: Agency, received_at: dt.datetime, version: ProcedureVersion) -> dt.datetime | None:
    """The lawful appointment for a dossier received at `received_at`; None when the procedure
    publishes no processing time (the officer must then enter one)."""
    calendar = calendar_for_agency(agency)
    if version.processing_time_value is None:
        return None
    if version.processing_time_value == 0:
        return calendar.add(received_at, Decimal(0), Unit.SAME_DAY, cutoff=version.same_day_cutoff)
    return calendar.add(received_at, version.processing_time_value, _UNITS[TimeUnit(version.processing_time_unit)])


def add_working_hours(agency: Agency, start: dt.datetime, hours: Decimal) -> dt.datetime:
    return calendar_for_agency(agency).add(start, hours, Unit.WORKING_HOURS)


def working_minutes_between(agency: Agency, start: dt.datetime, end: dt.datetime) -> int:
    return calendar_for_agency(agency).working_minutes_between(start, end)


def extend(agency: Agency, due: dt.datetime, minutes: int) -> dt.datetime:
    """`due` moved later by `minutes` of office time (a clock stop's length)."""
    return calendar_for_agency(agency).add(due, Decimal(minutes) / 60, Unit.WORKING_HOURS)
