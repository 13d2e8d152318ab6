"""The working calendar, on frozen explicit instants (Asia/Ho_Chi_Minh unless said), no database.

What the `holidays` package (0.109) says about Viet Nam in 2026 is asserted first, so that when
the package changes, the failing test is the one that says what changed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from hypothesis import assume, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from motcua.core.errors import InvalidInput
from motcua.core.workcalendar import (
    TIME_ZONE,
    DayKind,
    DeadlineStatus,
    Unit,
    WorkingCalendar,
    national_year,
)

CALENDAR = WorkingCalendar()
UTC = dt.UTC


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=TIME_ZONE)


def add(received: dt.datetime, amount: float | str, unit: str, cutoff: dt.time | None = None) -> dt.datetime:
    return CALENDAR.add(received, Decimal(str(amount)), unit, cutoff)


def test_time_zone_is_the_projects() -> None:
    assert TIME_ZONE.key == settings.TIME_ZONE


# -- What the package knows, and what an agency must add ------------------------------------------


def test_package_days_off_2026() -> None:
    days_off = national_year(2026).days_off
    assert sorted(days_off) == [
        dt.date(2026, 1, 1),
        # Tết: Mon 16 - Fri 20 Feb; with the weekends that is exactly the official
        # "off Sat 14 Feb - Sun 22 Feb": an agency has nothing to add for Tết 2026.
        *(dt.date(2026, 2, day) for day in range(16, 21)),
        dt.date(2026, 4, 26),  # Hùng Kings, a Sunday ...
        dt.date(2026, 4, 27),  # ... observed on Monday
        dt.date(2026, 4, 30),
        dt.date(2026, 5, 1),
        dt.date(2026, 8, 31),  # substituted: Saturday 22 Aug is worked instead
        dt.date(2026, 9, 1),
        dt.date(2026, 9, 2),
        dt.date(2026, 11, 24),  # "Ngày Văn hóa Việt Nam": the package's reading of Resolution 80-NQ/TW
    ]
    assert days_off[dt.date(2026, 2, 17)][0] == "Tết Nguyên Đán"
    assert national_year(2026).weekend_workdays == {dt.date(2026, 8, 22)}


def test_swaps_filed_under_another_year_are_found() -> None:
    # The package lists "Sat 27 Dec 2014 worked for Fri 2 Jan 2015" under 2015 only.
    assert WorkingCalendar().is_working_day(dt.date(2014, 12, 27))
    assert not WorkingCalendar().is_working_day(dt.date(2015, 1, 2))


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (dt.date(2026, 2, 13), True),  # the last Friday before Tết
        *((dt.date(2026, 2, day), False) for day in range(14, 23)),
        (dt.date(2026, 2, 23), True),  # dossiers accepted again
        (dt.date(2026, 4, 27), False),
        (dt.date(2026, 8, 22), True),  # swap Saturday
        (dt.date(2026, 8, 29), False),  # an ordinary Saturday
        (dt.date(2026, 9, 3), True),
    ],
)
def test_is_working_day(day: dt.date, working: bool) -> None:
    assert CALENDAR.is_working_day(day) is working


def test_working_days_of_2026() -> None:
    # 261 weekdays - 13 weekday holidays (incl. 24 Nov) + Saturday 22 Aug.
    days = CALENDAR.working_days(2026)
    assert len(days) == 249
    assert days == sorted(days)
    assert all(CALENDAR.is_working_day(day) for day in days)


def test_special_days_say_why() -> None:
    special = {day.date: day for day in CALENDAR.special_days(2026)}
    assert special[dt.date(2026, 8, 22)].kind == DayKind.SWAPPED_WORKING_DAY
    assert "31/08/2026" in special[dt.date(2026, 8, 22)].name
    assert special[dt.date(2026, 9, 2)].kind == DayKind.HOLIDAY
    assert special[dt.date(2026, 9, 2)].name_en == "National Day"
    assert special[dt.date(2026, 1, 3)].kind == DayKind.WEEKEND
    assert dt.date(2026, 1, 5) not in special


def test_agency_days_beat_the_package() -> None:
    calendar = WorkingCalendar(
        extra_days_off={dt.date(2026, 1, 5): "Bầu cử"},
        extra_working_days={dt.date(2026, 1, 10): "Làm bù", dt.date(2026, 11, 24): "Không nghỉ"},
    )
    assert not calendar.is_working_day(dt.date(2026, 1, 5))
    assert calendar.is_working_day(dt.date(2026, 1, 10))
    assert calendar.is_working_day(dt.date(2026, 11, 24))
    assert calendar.add(at(2026, 1, 2, 16), 2, Unit.WORKING_HOURS) == at(2026, 1, 6, 8, 30)
    assert calendar.add(at(2026, 1, 9, 16), 2, Unit.WORKING_HOURS) == at(2026, 1, 10, 8, 30)
    special = {day.date: day for day in calendar.special_days(2026)}
    assert special[dt.date(2026, 1, 5)].kind == DayKind.AGENCY_DAY_OFF
    assert special[dt.date(2026, 1, 5)].name == "Bầu cử"
    assert special[dt.date(2026, 1, 10)].kind == DayKind.AGENCY_WORKING_DAY


def test_a_day_cannot_be_both() -> None:
    with pytest.raises(InvalidInput):
        WorkingCalendar(extra_days_off=[dt.date(2026, 1, 5)], extra_working_days=[dt.date(2026, 1, 5)])


@pytest.mark.parametrize(
    "periods",
    [[], [("11:30", "07:30")], [("07:30", "12:00"), ("11:00", "17:00")], [("7h30", "11:30")], [("07:30",)]],
)
def test_bad_periods_are_refused(periods: list[tuple[str, ...]]) -> None:
    with pytest.raises(InvalidInput):
        WorkingCalendar(periods=periods)


# -- Working hours and working days -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "amount", "unit", "expected"),
    [
        # Inside a period, lunch break skipped.
        (at(2026, 1, 5, 8), 1, Unit.WORKING_HOURS, at(2026, 1, 5, 9)),
        (at(2026, 1, 5, 11), 1, Unit.WORKING_HOURS, at(2026, 1, 5, 13, 30)),
        (at(2026, 1, 5, 12, 15), 1, Unit.WORKING_HOURS, at(2026, 1, 5, 14)),
        (at(2026, 1, 5, 8), "0.5", Unit.WORKING_HOURS, at(2026, 1, 5, 8, 30)),
        # Ending exactly at a period's end: that instant, not the next period's start.
        (at(2026, 1, 5, 7, 30), 4, Unit.WORKING_HOURS, at(2026, 1, 5, 11, 30)),
        (at(2026, 1, 5, 7, 30), 1, Unit.WORKING_DAYS, at(2026, 1, 5, 17)),
        (at(2026, 1, 9, 13), 4, Unit.WORKING_HOURS, at(2026, 1, 9, 17)),
        (at(2026, 1, 5, 12), 4, Unit.WORKING_HOURS, at(2026, 1, 5, 17)),
        # Receipts outside office hours start at the next period.
        (at(2026, 1, 5, 6), 1, Unit.WORKING_HOURS, at(2026, 1, 5, 8, 30)),
        (at(2026, 1, 5, 18), 1, Unit.WORKING_HOURS, at(2026, 1, 6, 8, 30)),
        (at(2026, 1, 5, 17), 1, Unit.WORKING_HOURS, at(2026, 1, 6, 8, 30)),
        (at(2026, 1, 10, 10), 1, Unit.WORKING_HOURS, at(2026, 1, 12, 8, 30)),  # Saturday
        (at(2026, 1, 11, 23, 59), 1, Unit.WORKING_DAYS, at(2026, 1, 12, 17)),  # Sunday night
        # Working days are 8 working hours each.
        (at(2026, 1, 9, 9), 1, Unit.WORKING_DAYS, at(2026, 1, 12, 9)),
        (at(2026, 1, 5, 14), 3, Unit.WORKING_DAYS, at(2026, 1, 8, 14)),
        (at(2026, 1, 5, 14), "1.5", Unit.WORKING_DAYS, at(2026, 1, 7, 8, 30)),  # 3 + 8 + 1 hours
        # New Year: Wed 31 Dec 2025 -> Thu 1 Jan off -> Fri 2 Jan.
        (at(2025, 12, 31, 16), 2, Unit.WORKING_HOURS, at(2026, 1, 2, 8, 30)),
        # Tết 2026: off Sat 14 - Sun 22 Feb, back on Mon 23 Feb.
        (at(2026, 2, 13, 15), 1, Unit.WORKING_DAYS, at(2026, 2, 23, 15)),
        (at(2026, 2, 13, 10), 8, Unit.WORKING_HOURS, at(2026, 2, 23, 10)),
        (at(2026, 2, 14, 9), 2, Unit.WORKING_HOURS, at(2026, 2, 23, 9, 30)),
        (at(2026, 2, 18, 9), 1, Unit.WORKING_DAYS, at(2026, 2, 23, 17)),
        # Hùng Kings: Sunday 26 Apr, observed Monday 27 Apr.
        (at(2026, 4, 24, 16), 2, Unit.WORKING_HOURS, at(2026, 4, 28, 8, 30)),
        # 30/4 (Thu) and 1/5 (Fri): four days off in a row.
        (at(2026, 4, 29, 14), 1, Unit.WORKING_DAYS, at(2026, 5, 4, 14)),
        # National Day 2026: Sat 22 Aug worked, Mon 31 Aug - Wed 2 Sep off.
        (at(2026, 8, 21, 16), 2, Unit.WORKING_HOURS, at(2026, 8, 22, 8, 30)),
        (at(2026, 8, 28, 16, 30), 4, Unit.WORKING_HOURS, at(2026, 9, 3, 11)),
        # National Day 2027: Thu 2 and Fri 3 Sep.
        (at(2027, 9, 1, 16), 2, Unit.WORKING_HOURS, at(2027, 9, 6, 8, 30)),
        # Tết 2027 (package: Thu 4 - Wed 10 Feb).
        (at(2027, 2, 3, 16), 2, Unit.WORKING_HOURS, at(2027, 2, 11, 8, 30)),
    ],
)
def test_office_time(received: dt.datetime, amount: float | str, unit: str, expected: dt.datetime) -> None:
    assert add(received, amount, unit) == expected


def test_zero_office_time_is_the_counting_start() -> None:
    assert add(at(2026, 1, 5, 9), 0, Unit.WORKING_HOURS) == at(2026, 1, 5, 9)
    assert add(at(2026, 1, 5, 11, 30), 0, Unit.WORKING_HOURS) == at(2026, 1, 5, 13)
    assert add(at(2026, 1, 9, 18), 0, Unit.WORKING_DAYS) == at(2026, 1, 12, 7, 30)


def test_any_zone_in_asia_ho_chi_minh_out() -> None:
    received = dt.datetime(2026, 1, 5, 1, 0, tzinfo=UTC)  # 08:00 in Hà Nội
    appointment = CALENDAR.add(received, 1, Unit.WORKING_HOURS)
    assert appointment == at(2026, 1, 5, 9)
    assert appointment.tzinfo is TIME_ZONE
    assert appointment.isoformat() == "2026-01-05T09:00:00+07:00"
    # 23:30 UTC on Sunday is already Monday 06:30 in Viet Nam.
    assert CALENDAR.add(dt.datetime(2026, 1, 4, 23, 30, tzinfo=UTC), 1, Unit.WORKING_HOURS) == at(2026, 1, 5, 8, 30)


def test_seconds_are_kept() -> None:
    received = dt.datetime(2026, 1, 5, 8, 0, 30, 500, tzinfo=TIME_ZONE)
    assert CALENDAR.add(received, 1, Unit.WORKING_HOURS) == received + dt.timedelta(hours=1)


@pytest.mark.parametrize(
    ("received", "amount", "unit"),
    [
        (dt.datetime(2026, 1, 5, 8), 1, Unit.WORKING_HOURS),  # naive
        (at(2026, 1, 5, 8), -1, Unit.WORKING_HOURS),
        (at(2026, 1, 5, 8), float("nan"), Unit.WORKING_HOURS),
        (at(2026, 1, 5, 8), Decimal("Infinity"), Unit.WORKING_DAYS),
        (at(2026, 1, 5, 8), Decimal("1.5"), Unit.CALENDAR_DAYS),
        (at(2026, 1, 5, 8), 1, "fortnights"),
        (at(2026, 1, 5, 8), 10**7, Unit.WORKING_DAYS),  # 40,000 years: a typing error
    ],
)
def test_bad_input_is_refused(received: dt.datetime, amount: float | Decimal, unit: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        CALENDAR.add(received, amount, unit)
    assert caught.value.message_vi and caught.value.message_en


def test_other_office_periods() -> None:
    calendar = WorkingCalendar(periods=[("13:30", "17:30"), ("08:00", "12:00")], working_weekdays=range(6))
    assert calendar.add(at(2026, 1, 5, 8), 4, Unit.WORKING_HOURS) == at(2026, 1, 5, 12)
    assert calendar.add(at(2026, 1, 9, 17), 1, Unit.WORKING_HOURS) == at(2026, 1, 10, 8, 30)  # works Saturdays
    assert calendar.office_day == dt.timedelta(hours=8)


# -- Calendar days and same day ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "days", "expected"),
    [
        (at(2026, 1, 5, 9), 4, at(2026, 1, 9, 17)),  # Mon + 4 = Fri
        (at(2026, 1, 5, 16, 59), 5, at(2026, 1, 12, 17)),  # ends on Saturday -> Monday
        (at(2026, 1, 5, 20), 5, at(2026, 1, 12, 17)),  # the hour of receipt does not matter
        (at(2026, 1, 10, 10), 2, at(2026, 1, 12, 17)),  # received on Saturday: counts from Sunday
        (at(2025, 12, 29, 10), 3, at(2026, 1, 2, 17)),  # ends on 1 Jan
        (at(2026, 2, 11, 10), 5, at(2026, 2, 23, 17)),  # ends inside Tết
        (at(2026, 2, 11, 10), 15, at(2026, 2, 26, 17)),  # Tết inside the period counts (calendar days)
        (at(2026, 8, 28, 10), 3, at(2026, 9, 3, 17)),  # ends on Mon 31 Aug (substituted day off)
        (at(2026, 8, 19, 10), 3, at(2026, 8, 22, 17)),  # ends on the swap Saturday: a working day
        (at(2026, 1, 5, 10), 0, at(2026, 1, 5, 17)),
        (at(2026, 1, 5, 18), 0, at(2026, 1, 6, 17)),
    ],
)
def test_calendar_days(received: dt.datetime, days: int, expected: dt.datetime) -> None:
    assert add(received, days, Unit.CALENDAR_DAYS) == expected


@pytest.mark.parametrize(
    ("received", "cutoff", "expected"),
    [
        (at(2026, 1, 5, 6), dt.time(15), at(2026, 1, 5, 17)),
        (at(2026, 1, 5, 14, 59), dt.time(15), at(2026, 1, 5, 17)),
        (at(2026, 1, 5, 15), dt.time(15), at(2026, 1, 5, 17)),  # "after 15:00" is strictly after
        (at(2026, 1, 5, 15, 1), dt.time(15), at(2026, 1, 6, 17)),
        (at(2026, 1, 9, 16), dt.time(15), at(2026, 1, 12, 17)),  # Friday -> Monday
        (at(2026, 1, 10, 9), dt.time(15), at(2026, 1, 12, 17)),  # Saturday
        (at(2026, 2, 13, 16), dt.time(15), at(2026, 2, 23, 17)),  # before Tết
        (at(2026, 4, 30, 10), dt.time(15), at(2026, 5, 4, 17)),  # on a holiday
        (at(2026, 8, 22, 10), dt.time(15), at(2026, 8, 22, 17)),  # swap Saturday
        (at(2026, 1, 5, 16, 30), None, at(2026, 1, 5, 17)),
        (at(2026, 1, 5, 17, 30), None, at(2026, 1, 6, 17)),
        (at(2026, 1, 5, 17, 30), dt.time(18), at(2026, 1, 6, 17)),  # cut-off after closing time
    ],
)
def test_same_day(received: dt.datetime, cutoff: dt.time | None, expected: dt.datetime) -> None:
    assert add(received, 0, Unit.SAME_DAY, cutoff) == expected


# -- Clock stops -----------------------------------------------------------------------------------

RECEIVED = at(2026, 1, 5, 8)  # Monday
DUE = at(2026, 1, 7, 8)  # 2 working days later


def test_a_stop_moves_the_appointment_by_its_office_time() -> None:
    # Mon 10:00 -> Tue 10:00 is 8 office hours (Mon 1.5 + 4, Tue 2.5).
    stop = (at(2026, 1, 5, 10), at(2026, 1, 6, 10))
    assert CALENDAR.add_with_stops(RECEIVED, 2, Unit.WORKING_DAYS, []) == DUE
    assert CALENDAR.add_with_stops(RECEIVED, 2, Unit.WORKING_DAYS, [stop]) == at(2026, 1, 8, 8)
    assert CALENDAR.extend(DUE, *stop) == at(2026, 1, 8, 8)


def test_stops_over_weekends_and_nested_stops() -> None:
    stops = [
        (at(2026, 1, 5, 14), at(2026, 1, 5, 15)),  # inside the next one: merged
        (at(2026, 1, 5, 10), at(2026, 1, 6, 10)),
    ]
    assert CALENDAR.add_with_stops(RECEIVED, 2, Unit.WORKING_DAYS, stops) == at(2026, 1, 8, 8)
    # Fri 16:00 -> Mon 08:00 stops 1 + 0.5 office hours.
    weekend = [(at(2026, 1, 9, 16), at(2026, 1, 12, 8))]
    assert CALENDAR.add_with_stops(at(2026, 1, 9, 9), 1, Unit.WORKING_DAYS, weekend) == at(2026, 1, 12, 10, 30)


def test_stops_that_do_not_count() -> None:
    before_receipt = (at(2026, 1, 2, 8), at(2026, 1, 5, 9))  # only Mon 08:00-09:00 counts
    assert CALENDAR.add_with_stops(RECEIVED, 2, Unit.WORKING_DAYS, [before_receipt]) == at(2026, 1, 7, 9)
    after_due = (at(2026, 1, 7, 8), at(2026, 1, 9, 8))
    assert CALENDAR.add_with_stops(RECEIVED, 2, Unit.WORKING_DAYS, [after_due]) == DUE
    in_the_evening = (at(2026, 1, 5, 18), at(2026, 1, 5, 22))
    assert CALENDAR.add_with_stops(RECEIVED, 2, Unit.WORKING_DAYS, [in_the_evening]) == DUE


def test_an_open_stop_has_no_appointment() -> None:
    assert CALENDAR.add_with_stops(RECEIVED, 2, Unit.WORKING_DAYS, [(at(2026, 1, 6, 9), None)]) is None
    assert CALENDAR.add_with_stops(RECEIVED, 2, Unit.WORKING_DAYS, [(at(2026, 1, 8, 9), None)]) == DUE


def test_a_stop_cannot_resume_before_it_stops() -> None:
    with pytest.raises(InvalidInput):
        CALENDAR.add_with_stops(RECEIVED, 2, Unit.WORKING_DAYS, [(at(2026, 1, 6, 9), at(2026, 1, 5, 9))])


def test_stops_in_calendar_days_and_same_day() -> None:
    # Mon + 4 days = Fri 9; waiting Tue -> Thu adds 2 days: Sun 11 -> Mon 12.
    stop = (at(2026, 1, 6, 10), at(2026, 1, 8, 10))
    assert CALENDAR.add_with_stops(RECEIVED, 4, Unit.CALENDAR_DAYS, [stop]) == at(2026, 1, 12, 17)
    # Same day: the supplement's arrival after the cut-off is a next-day result.
    stop = (at(2026, 1, 5, 10), at(2026, 1, 5, 16))
    assert CALENDAR.add_with_stops(at(2026, 1, 5, 9), 0, Unit.SAME_DAY, [stop], dt.time(15)) == at(2026, 1, 6, 17)


# -- Time left --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "left", "status"),
    [
        (at(2026, 1, 5, 8), dt.timedelta(hours=16), DeadlineStatus.ON_TIME),
        (at(2026, 1, 6, 7, 0), dt.timedelta(hours=8, minutes=30), DeadlineStatus.ON_TIME),
        (at(2026, 1, 6, 9), dt.timedelta(hours=7), DeadlineStatus.DUE_SOON),
        (at(2026, 1, 7, 8), dt.timedelta(0), DeadlineStatus.DUE_SOON),
        (at(2026, 1, 7, 9), -dt.timedelta(hours=1), DeadlineStatus.OVERDUE),
        (at(2026, 1, 12, 8), -dt.timedelta(hours=24), DeadlineStatus.OVERDUE),  # 7.5 + 8 + 8 + 0.5
    ],
)
def test_remaining_and_status(now: dt.datetime, left: dt.timedelta, status: DeadlineStatus) -> None:
    assert CALENDAR.remaining(now, DUE) == left
    assert CALENDAR.status(now, DUE) == status


def test_overdue_on_the_weekend_after_a_friday_appointment() -> None:
    due = at(2026, 1, 9, 17)
    assert CALENDAR.remaining(at(2026, 1, 10, 10), due) == dt.timedelta(0)
    assert CALENDAR.status(at(2026, 1, 10, 10), due) == DeadlineStatus.OVERDUE


def test_due_soon_threshold_is_configurable() -> None:
    now = at(2026, 1, 6, 9)  # 7 working hours left
    assert CALENDAR.status(now, DUE, due_soon=dt.timedelta(hours=4)) == DeadlineStatus.ON_TIME


def test_working_minutes_between() -> None:
    assert CALENDAR.working_minutes_between(at(2026, 1, 9, 16), at(2026, 1, 12, 8)) == 90
    assert CALENDAR.working_minutes_between(at(2026, 1, 12, 8), at(2026, 1, 9, 16)) == -90
    assert CALENDAR.working_minutes_between(at(2026, 2, 13, 17), at(2026, 2, 23, 7, 30)) == 0
    seconds = dt.datetime(2026, 1, 5, 8, 0, 59, tzinfo=TIME_ZONE)
    assert CALENDAR.working_minutes_between(at(2026, 1, 5, 8), seconds) == 0


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2026, 1, 5, 10), at(2026, 1, 5, 10)),
        (at(2026, 1, 5, 7, 30), at(2026, 1, 5, 7, 30)),
        (at(2026, 1, 5, 11, 30), at(2026, 1, 5, 13)),
        (at(2026, 1, 5, 12), at(2026, 1, 5, 13)),
        (at(2026, 1, 5, 17), at(2026, 1, 6, 7, 30)),
        (at(2026, 2, 13, 17), at(2026, 2, 23, 7, 30)),
    ],
)
def test_next_period_start(moment: dt.datetime, expected: dt.datetime) -> None:
    assert CALENDAR.next_period_start(moment) == expected
    assert CALENDAR.is_office_time(expected)


# -- Properties -------------------------------------------------------------------------------------

receipts = st.datetimes(
    min_value=dt.datetime(2025, 12, 1), max_value=dt.datetime(2027, 12, 31, 23, 59), timezones=st.just(TIME_ZONE)
).map(lambda moment: moment.replace(second=0, microsecond=0) if moment.second % 2 else moment)
amounts = st.decimals(min_value=0, max_value=30, places=2)
office_units = st.sampled_from([Unit.WORKING_HOURS, Unit.WORKING_DAYS])
cutoffs = st.sampled_from([None, dt.time(11), dt.time(15), dt.time(16, 30)])
SLOW = hypothesis_settings(max_examples=300, deadline=None)


def _microseconds(moment: dt.datetime) -> int:
    return ((moment.hour * 60 + moment.minute) * 60 + moment.second) * 1_000_000 + moment.microsecond


def _in_or_at_end_of_a_period(moment: dt.datetime) -> bool:
    time_of_day = _microseconds(moment)
    return CALENDAR.is_working_day(moment.date()) and any(
        _microseconds(dt.datetime.combine(moment.date(), start))
        < time_of_day
        <= _microseconds(dt.datetime.combine(moment.date(), end))
        for start, end in CALENDAR.periods
    )


def _appointment(received: dt.datetime, amount: Decimal, unit: Unit, cutoff: dt.time | None) -> dt.datetime:
    if unit == Unit.CALENDAR_DAYS:
        amount = amount.to_integral_value()
    return CALENDAR.add(received, amount, unit, cutoff)


@SLOW
@given(received=receipts, amount=amounts.filter(lambda amount: amount > 0), unit=office_units)
def test_office_time_lands_in_office_hours_and_adds_up(received: dt.datetime, amount: Decimal, unit: Unit) -> None:
    appointment = CALENDAR.add(received, amount, unit)
    assert appointment.tzinfo is TIME_ZONE
    assert appointment > received
    assert _in_or_at_end_of_a_period(appointment)
    hours = amount * 8 if unit == Unit.WORKING_DAYS else amount
    assert CALENDAR.working_time_between(received, appointment) == dt.timedelta(hours=float(hours))


@SLOW
@given(received=receipts, amount=amounts, unit=st.sampled_from(list(Unit)), cutoff=cutoffs)
def test_never_on_a_day_off_nor_before_receipt(
    received: dt.datetime, amount: Decimal, unit: Unit, cutoff: dt.time | None
) -> None:
    appointment = _appointment(received, amount, unit, cutoff)
    assert appointment >= received
    assert CALENDAR.is_working_day(appointment.date())
    if unit in (Unit.CALENDAR_DAYS, Unit.SAME_DAY):
        assert appointment.time() == dt.time(17)
    elif amount == 0:
        assert CALENDAR.is_office_time(appointment)
    else:
        assert _in_or_at_end_of_a_period(appointment)


@SLOW
@given(received=receipts, first=amounts, second=amounts, unit=st.sampled_from(list(Unit)), cutoff=cutoffs)
def test_monotonic_in_the_amount(
    received: dt.datetime, first: Decimal, second: Decimal, unit: Unit, cutoff: dt.time | None
) -> None:
    low, high = sorted((first, second))
    assert _appointment(received, low, unit, cutoff) <= _appointment(received, high, unit, cutoff)


@SLOW
@given(first=receipts, second=receipts, amount=amounts, unit=st.sampled_from(list(Unit)), cutoff=cutoffs)
def test_monotonic_in_the_receipt(
    first: dt.datetime, second: dt.datetime, amount: Decimal, unit: Unit, cutoff: dt.time | None
) -> None:
    early, late = sorted((first, second))
    assert _appointment(early, amount, unit, cutoff) <= _appointment(late, amount, unit, cutoff)


@SLOW
@given(
    received=receipts,
    amount=amounts.filter(lambda amount: amount > 0),
    unit=office_units,
    stop_after=st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=20)),
    stop_length=st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=20)),
)
def test_a_stop_equals_extending_the_appointment(
    received: dt.datetime, amount: Decimal, unit: Unit, stop_after: dt.timedelta, stop_length: dt.timedelta
) -> None:
    due = CALENDAR.add(received, amount, unit)
    stopped_at = received + stop_after
    assume(stopped_at < due)
    resumed_at = stopped_at + stop_length
    with_stop = CALENDAR.add_with_stops(received, amount, unit, [(stopped_at, resumed_at)])
    assert with_stop == CALENDAR.extend(due, stopped_at, resumed_at)
    assert with_stop is not None and with_stop >= due


def _reference(received: dt.datetime, minutes: int) -> dt.datetime:
    """Minute by minute, the obvious way (for receipts on whole minutes)."""
    moment = received.replace(second=0, microsecond=0)
    assert moment == received

    def counts(minute_start: dt.datetime) -> bool:
        return CALENDAR.is_working_day(minute_start.date()) and any(
            start <= minute_start.time() < end for start, end in CALENDAR.periods
        )

    last_end = moment
    while minutes > 0:
        if counts(moment):
            minutes -= 1
            last_end = moment + dt.timedelta(minutes=1)
        moment += dt.timedelta(minutes=1)
    return last_end


@hypothesis_settings(max_examples=60, deadline=None)
@given(
    received=st.datetimes(
        min_value=dt.datetime(2026, 2, 5), max_value=dt.datetime(2026, 9, 5), timezones=st.just(TIME_ZONE)
    ).map(lambda moment: moment.replace(second=0, microsecond=0)),
    minutes=st.integers(min_value=1, max_value=3 * 480),
)
def test_agrees_with_minute_stepping(received: dt.datetime, minutes: int) -> None:
    assert CALENDAR.add(received, Decimal(minutes) / 60, Unit.WORKING_HOURS) == _reference(received, minutes)
