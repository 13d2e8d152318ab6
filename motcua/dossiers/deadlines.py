"""Deadlines of dossiers, on the working calendar of the agency concerned.

A thin bridge: the arithmetic is the pure motcua.core.workcalendar; which calendar applies
(office periods, days off and swapped days of an agency) comes from motcua.calendars.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from motcua.catalog.models import Agency, ProcedureVersion, TimeUnit

if TYPE_CHECKING:
    from motcua.core.workcalendar import WorkingCalendar


def calendar_for_agency(agency: Agency) -> WorkingCalendar:
    # Imported here: the calendar app loads its models, and dossiers' models must not depend on it.
    from motcua.calendars.selectors import calendar_for_agency as for_agency

    return for_agency(agency)


_UNITS = {
    TimeUnit.WORKING_HOURS: "working_hours",
    TimeUnit.WORKING_DAYS: "working_days",
    TimeUnit.CALENDAR_DAYS: "calendar_days",
}


def appointment(agency: Agency, received_at: dt.datetime, version: ProcedureVersion) -> dt.datetime | None:
    """The lawful appointment for a dossier received at `received_at`; None when the procedure
    publishes no processing time (the officer must then enter one)."""
    calendar = calendar_for_agency(agency)
    if version.processing_time_value is None:
        return None
    if version.processing_time_value == 0:
        return calendar.add(received_at, Decimal(0), "same_day", cutoff=version.same_day_cutoff)
    return calendar.add(received_at, version.processing_time_value, _UNITS[TimeUnit(version.processing_time_unit)])


def add_working_hours(agency: Agency, start: dt.datetime, hours: Decimal) -> dt.datetime:
    return calendar_for_agency(agency).add(start, hours, "working_hours")


def working_minutes_between(agency: Agency, start: dt.datetime, end: dt.datetime) -> int:
    return calendar_for_agency(agency).working_minutes_between(start, end)


def extend(agency: Agency, due: dt.datetime, stopped_at: dt.datetime, resumed_at: dt.datetime) -> dt.datetime:
    """`due` moved later by the office time the clock was stopped (a supplement's wait)."""
    return calendar_for_agency(agency).extend(due, stopped_at, resumed_at)


def remaining(agency: Agency, now: dt.datetime, due: dt.datetime) -> dt.timedelta:
    """Office time left until `due` (negative when overdue)."""
    return calendar_for_agency(agency).remaining(now, due)


def status(agency: Agency, now: dt.datetime, due: dt.datetime) -> str:
    """ "on_time", "due_soon" (less than one working day of office time left) or "overdue"."""
    return str(calendar_for_agency(agency).status(now, due))


def receipt_sla_breached(agency: Agency, submitted_at: dt.datetime, now: dt.datetime) -> bool:
    """Online dossiers must be accepted or sent back within 8 working hours of arrival (what
    arrives outside office hours counts from the next working period)."""
    return calendar_for_agency(agency).working_minutes_between(submitted_at, now) > RECEIPT_SLA_MINUTES


RECEIPT_SLA_MINUTES = 8 * 60
