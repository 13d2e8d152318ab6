"""Reads: which WorkingCalendar applies to an agency.

Inheritance (a decision of this module): an agency's calendar is
- its own office schedule, else its nearest ancestor's, else the default (07:30-11:30, 13:00-17:00,
  Monday-Friday);
- the national holidays, plus the calendar days of the agency *and of all its ancestors*; when the
  agency and an ancestor both decide about the same date, the nearest one wins (a ward can work
  on a Saturday its province gave off).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Hashable

from django.db.models import Count, Max

from motcua.calendars.models import CalendarDay, OfficeSchedule, parse_periods_text
from motcua.catalog.models import Agency
from motcua.core.workcalendar import WorkingCalendar

_CACHE_SIZE = 512
_cache: OrderedDict[Hashable, WorkingCalendar] = OrderedDict()
_cache_lock = threading.Lock()


def agency_chain_ids(agency: Agency) -> list[int]:
    """The agency's id, then its parent's, up to the root (a cycle, which clean() should prevent,
    stops the walk instead of looping)."""
    chain = [agency.pk]
    parent_id = agency.parent_id
    while parent_id is not None and parent_id not in chain:
        chain.append(parent_id)
        parent_id = Agency.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
    return chain


def calendar_for_agency(agency: Agency) -> WorkingCalendar:
    """The agency's WorkingCalendar, built once per version of its rows and kept in the process.

    Why an in-process cache and not Django's cache: a WorkingCalendar holds the precomputed arrays
    that make it fast; pickling it to Redis and back would cost more than rebuilding.
    Why the key is (count, last updated_at) of the rows: it changes on every insert, update and
    delete made through the ORM (admin included), so no write path has to remember to invalidate,
    and every worker process sees the change on its next read. The one blind spot is
    `QuerySet.update()`, which skips auto_now: services never use it on these tables.
    """
    chain = agency_chain_ids(agency)
    days = CalendarDay.objects.filter(agency_id__in=chain).aggregate(count=Count("id"), last=Max("updated_at"))
    schedules = sorted(OfficeSchedule.objects.filter(agency_id__in=chain).values_list("agency_id", "updated_at"))
    key = (tuple(chain), days["count"], days["last"], tuple(schedules))
    with _cache_lock:
        calendar = _cache.get(key)
        if calendar is not None:
            _cache.move_to_end(key)
            return calendar
    calendar = _build(chain)
    with _cache_lock:
        _cache[key] = calendar
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return calendar


def _build(chain: list[int]) -> WorkingCalendar:
    depth = {agency_id: level for level, agency_id in enumerate(chain)}
    days_off: dict[dt.date, str] = {}
    working: dict[dt.date, str] = {}
    rows = CalendarDay.objects.filter(agency_id__in=chain).values_list("agency_id", "date", "is_working", "note")
    # Farthest ancestor first, so that a nearer agency's row for the same date replaces it.
    for _agency_id, date, is_working, note in sorted(rows, key=lambda row: -depth[row[0]]):
        days_off.pop(date, None)
        working.pop(date, None)
        (working if is_working else days_off)[date] = note
    schedules = {schedule.agency_id: schedule for schedule in OfficeSchedule.objects.filter(agency_id__in=chain)}
    nearest = next((schedules[agency_id] for agency_id in chain if agency_id in schedules), None)
    if nearest is None:
        return WorkingCalendar(extra_days_off=days_off, extra_working_days=working)
    return WorkingCalendar(
        periods=parse_periods_text(nearest.periods),
        working_weekdays=nearest.working_weekdays,
        extra_days_off=days_off,
        extra_working_days=working,
    )


def calendar_days_for_year(agency: Agency, year: int) -> list[CalendarDay]:
    """The agency's own rows for `year` (not its ancestors'), for the admin and reports."""
    return list(CalendarDay.objects.filter(agency=agency, date__year=year).order_by("date"))
