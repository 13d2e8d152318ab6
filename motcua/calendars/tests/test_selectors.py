"""calendar_for_agency against the database: agency days, inheritance, cache invalidation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from motcua.calendars import services
from motcua.calendars.models import CalendarDay, OfficeSchedule
from motcua.calendars.selectors import calendar_for_agency
from motcua.catalog.models import AgencyKind
from motcua.catalog.tests.factories import make_agency
from motcua.core.workcalendar import TIME_ZONE, Unit

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 1, 5)
SATURDAY = dt.date(2026, 1, 10)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=TIME_ZONE)


def test_default_calendar_without_rows() -> None:
    calendar = calendar_for_agency(make_agency())
    assert [f"{s:%H:%M}-{e:%H:%M}" for s, e in calendar.periods] == ["07:30-11:30", "13:00-17:00"]
    assert calendar.add(at(2026, 2, 13, 15), 1, Unit.WORKING_DAYS) == at(2026, 2, 23, 15)


def test_agency_days_and_cache_invalidation() -> None:
    agency = make_agency()
    assert calendar_for_agency(agency) is calendar_for_agency(agency)  # cached
    services.calendar_day_set(agency=agency, date=MONDAY, is_working=False, note="Nghỉ bầu cử")
    calendar = calendar_for_agency(agency)
    assert not calendar.is_working_day(MONDAY)
    services.calendar_day_set(agency=agency, date=MONDAY, is_working=True)  # an update
    assert calendar_for_agency(agency).is_working_day(MONDAY)
    assert CalendarDay.objects.count() == 1
    assert services.calendar_day_delete(agency=agency, date=MONDAY)
    assert calendar_for_agency(agency).is_working_day(MONDAY)
    assert not services.calendar_day_delete(agency=agency, date=MONDAY)


def test_children_inherit_and_override_ancestors() -> None:
    province = make_agency(kind=AgencyKind.PROVINCE_COMMITTEE)
    department = make_agency(kind=AgencyKind.DEPARTMENT, parent=province)
    ward = make_agency(parent=department)
    other = make_agency()
    services.calendar_day_set(agency=province, date=MONDAY, is_working=False, note="Tỉnh cho nghỉ")
    services.calendar_day_set(agency=province, date=SATURDAY, is_working=True, note="Làm bù")
    services.calendar_day_set(agency=ward, date=MONDAY, is_working=True, note="Phường vẫn làm việc")
    services.office_schedule_set(
        agency=department, periods=[(dt.time(8), dt.time(12)), (dt.time(13, 30), dt.time(17, 30))]
    )

    assert not calendar_for_agency(department).is_working_day(MONDAY)
    assert calendar_for_agency(department).is_working_day(SATURDAY)
    ward_calendar = calendar_for_agency(ward)
    assert ward_calendar.is_working_day(MONDAY)  # nearest decision wins
    assert ward_calendar.is_working_day(SATURDAY)
    assert ward_calendar.periods[0] == (dt.time(8), dt.time(12))  # the department's hours
    assert calendar_for_agency(province).periods[0] == (dt.time(7, 30), dt.time(11, 30))
    assert calendar_for_agency(other).is_working_day(MONDAY)


def test_office_schedule_change_is_seen() -> None:
    agency = make_agency()
    services.office_schedule_set(agency=agency, periods=[(dt.time(7), dt.time(11))], working_weekdays=range(6))
    calendar = calendar_for_agency(agency)
    assert calendar.office_day == dt.timedelta(hours=4)
    assert calendar.is_working_day(SATURDAY)
    services.office_schedule_set(agency=agency, periods=[(dt.time(7), dt.time(15))])
    assert calendar_for_agency(agency).office_day == dt.timedelta(hours=8)
    assert not calendar_for_agency(agency).is_working_day(SATURDAY)


@pytest.mark.parametrize(
    ("periods", "weekdays"),
    [("07:30-11:30, 11:00-17:00", [0]), ("17:00-07:30", [0]), ("sáng", [0]), ("07:30-11:30", []), ("07:30-11:30", [7])],
)
def test_office_schedule_is_validated(periods: str, weekdays: list[int]) -> None:
    schedule = OfficeSchedule(agency=make_agency(), periods=periods, working_weekdays=weekdays)
    with pytest.raises(ValidationError):
        schedule.full_clean()


def test_periods_text_is_normalised() -> None:
    schedule = OfficeSchedule(agency=make_agency(), periods=" 13:00-17:00,07:30-11:30 ", working_weekdays=[4, 0, 0])
    schedule.full_clean()
    assert (schedule.periods, schedule.working_weekdays) == ("07:30-11:30, 13:00-17:00", [0, 4])


def test_one_row_per_agency_and_date() -> None:
    agency = make_agency()
    services.calendar_day_set(agency=agency, date=MONDAY, is_working=False)
    with pytest.raises(ValidationError):
        day = CalendarDay(agency=agency, date=MONDAY, is_working=True)
        day.full_clean()
