"""The working calendar: appointments (ngày hẹn trả kết quả) counted in office time.

Pure Python: no database, no Django. `motcua.calendars` builds a `WorkingCalendar` for an agency
from its rows; everything here is arithmetic on that calendar and is tested in milliseconds.

The rules (docs: /work/shared/domain/REGULATIONS.md §4):

- A working day is a day of the agency's working weekdays (Mon-Fri by default) that is not a
  public holiday, plus the weekend days worked to bridge a holiday ("làm bù"), plus the days the
  agency adds, minus the days the agency declares off. Holidays, their observed days and the
  national swaps come from the `holidays` package (country VN); the agency's own decisions win.
- `working_hours` / `working_days` (1 working day = 8 working hours): the appointment is the
  instant at which that much office time has elapsed after the receipt. A receipt outside office
  hours starts counting at the next office period. A count that ends exactly at a period's end
  ends there (Friday 17:00), not at the next period's start (Monday 07:30).
- `calendar_days` (Civil Code 2015 Art. 147-148): counting starts the day after the receipt; the
  period ends at the end of the last day's office hours, or, when that day is not a working day,
  at the end of the next working day.
- `same_day` with a cut-off (e.g. 15:00): received on a working day at or before the cut-off ->
  end of that day's office hours; later, or on a day off -> end of the next working day.
- Clock stops (supplement requests, "tạm dừng"): the time between the request and the
  supplement's arrival is not counted.

How it is fast (>= 100,000 appointments per second on one core): every working day of every
office day has the same office time, so a year is a sorted list of working-day ordinals and the
office time before the i-th working day is simply i x (length of an office day). An instant maps
to its *position* (office microseconds since the first day of the cached span) with one bisect;
adding office time is integer addition; the position maps back with one division. Nothing loops
over days in the hot path. Years are built once per calendar, on first use, and kept.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from itertools import pairwise
from types import MappingProxyType
from typing import NamedTuple
from zoneinfo import ZoneInfo

import holidays

from motcua.core.errors import InvalidInput

# The same zone as settings.TIME_ZONE (a test checks it); this module must not import Django.
TIME_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")

DEFAULT_PERIODS: tuple[tuple[dt.time, dt.time], ...] = (
    (dt.time(7, 30), dt.time(11, 30)),
    (dt.time(13, 0), dt.time(17, 0)),
)
DEFAULT_WORKING_WEEKDAYS = frozenset({0, 1, 2, 3, 4})  # Monday = 0
HOURS_PER_WORKING_DAY = 8
DUE_SOON_DEFAULT = dt.timedelta(hours=HOURS_PER_WORKING_DAY)  # less than one working day left

_MICROSECONDS_PER_HOUR = 3_600_000_000
_MICROSECONDS_PER_MINUTE = 60_000_000
_MAX_YEARS_AHEAD = 100  # a count running further than this is a typing error, not a deadline
_WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
_WEEKDAY_NAMES_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Unit(StrEnum):
    WORKING_HOURS = "working_hours"
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    SAME_DAY = "same_day"


_OFFICE_UNITS = (Unit.WORKING_HOURS, Unit.WORKING_DAYS)


class DeadlineStatus(StrEnum):
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


class DayKind(StrEnum):
    WEEKEND = "weekend"  # not one of the agency's working weekdays
    HOLIDAY = "holiday"  # public holiday, observed or substituted day off (holidays package)
    AGENCY_DAY_OFF = "agency_day_off"  # added by the agency
    SWAPPED_WORKING_DAY = "swapped_working_day"  # weekend day worked nationally (holidays package)
    AGENCY_WORKING_DAY = "agency_working_day"  # declared working by the agency


class SpecialDay(NamedTuple):
    """A day that is off on a weekday, or worked on a weekend, and why."""

    date: dt.date
    is_working: bool
    kind: DayKind
    name: str
    name_en: str


class NationalYear(NamedTuple):
    days_off: Mapping[dt.date, tuple[str, str]]  # date -> (Vietnamese name, English name)
    weekend_workdays: frozenset[dt.date]


@lru_cache(maxsize=64)
def national_year(year: int) -> NationalYear:
    """What the `holidays` package says about `year` in Viet Nam: days off and worked weekend days.

    Why three years are loaded: the package files a swap under the year of the day off, so the
    Saturday 27 Dec 2014 worked for Friday 2 Jan 2015 only appears when 2015 is loaded, and an
    observed day can fall in the next year. Cached: building the set costs ~10 ms.
    """
    years = [year - 1, year, year + 1]
    vietnamese = holidays.country_holidays("VN", years=years, language="vi")
    english = holidays.country_holidays("VN", years=years, language="en_US")
    days_off = {day: (str(name), str(english.get(day, name))) for day, name in vietnamese.items() if day.year == year}
    workdays = frozenset(day for day in vietnamese.weekend_workdays if day.year == year)
    return NationalYear(MappingProxyType(dict(sorted(days_off.items()))), workdays)


def to_local(moment: dt.datetime) -> dt.datetime:
    """`moment` in Asia/Ho_Chi_Minh. A naive datetime is refused.

    Why refuse instead of assuming: `naive.astimezone()` silently takes the *server's* zone
    (UTC in containers), which moves every appointment by seven hours.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(
            "Thời điểm phải có múi giờ (ví dụ 2026-02-13T10:00:00+07:00)",
            "The time must carry a UTC offset (e.g. 2026-02-13T10:00:00+07:00)",
        )
    return moment.astimezone(TIME_ZONE)


def parse_periods(periods: Sequence[Sequence[dt.time | str]]) -> tuple[tuple[dt.time, dt.time], ...]:
    """Office periods from times or "HH:MM" strings; sorted, each non-empty, not overlapping."""
    parsed: list[tuple[dt.time, dt.time]] = []
    for period in periods:
        if len(period) != 2:
            raise InvalidInput(
                "Mỗi buổi làm việc gồm giờ bắt đầu và giờ kết thúc", "Each office period is a start and an end"
            )
        start, end = (_parse_time(value) for value in period)
        if start >= end:
            raise InvalidInput(
                f"Buổi làm việc {start:%H:%M}-{end:%H:%M} phải bắt đầu trước khi kết thúc",
                f"Office period {start:%H:%M}-{end:%H:%M} must start before it ends",
            )
        parsed.append((start, end))
    if not parsed:
        raise InvalidInput("Cần ít nhất một buổi làm việc", "At least one office period is needed")
    parsed.sort()
    for (_, previous_end), (start, _) in pairwise(parsed):
        if start < previous_end:
            raise InvalidInput("Các buổi làm việc không được chồng nhau", "Office periods must not overlap")
    return tuple(parsed)


def _parse_time(value: dt.time | str) -> dt.time:
    if isinstance(value, dt.time):
        return value
    try:
        return dt.time.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"Giờ không hợp lệ: {value!r} (HH:MM)", f"Invalid time: {value!r} (HH:MM)") from None


def _microseconds_of_day(value: dt.time | dt.datetime) -> int:
    return ((value.hour * 60 + value.minute) * 60 + value.second) * 1_000_000 + value.microsecond


class _Span(NamedTuple):
    """The working days of the years first_year..last_year, as sorted date ordinals."""

    first_year: int
    last_year: int
    first_ordinal: int  # 1 January of first_year
    last_ordinal: int  # 31 December of last_year
    ordinals: list[int]


class WorkingCalendar:
    """One agency's working time. Immutable once built; safe to share between threads."""

    def __init__(
        self,
        *,
        periods: Sequence[Sequence[dt.time | str]] = DEFAULT_PERIODS,
        working_weekdays: Iterable[int] = DEFAULT_WORKING_WEEKDAYS,
        extra_days_off: Mapping[dt.date, str] | Iterable[dt.date] = (),
        extra_working_days: Mapping[dt.date, str] | Iterable[dt.date] = (),
        national_holidays: bool = True,
    ) -> None:
        self.periods = parse_periods(periods)
        self.working_weekdays = frozenset(working_weekdays)
        if not self.working_weekdays or not self.working_weekdays <= set(range(7)):
            raise InvalidInput(
                "Ngày làm việc trong tuần là các số 0 (Thứ Hai) đến 6 (Chủ nhật), ít nhất một ngày",
                "Working weekdays are numbers 0 (Monday) to 6 (Sunday), at least one",
            )
        self.extra_days_off = MappingProxyType(_notes(extra_days_off))
        self.extra_working_days = MappingProxyType(_notes(extra_working_days))
        if both := sorted(set(self.extra_days_off) & set(self.extra_working_days)):
            raise InvalidInput(
                f"Ngày {both[0]:%d/%m/%Y} vừa là ngày nghỉ vừa là ngày làm việc",
                f"{both[0]:%Y-%m-%d} is both a day off and a working day",
            )
        self.national_holidays = national_holidays

        self._periods_us = tuple((_microseconds_of_day(s), _microseconds_of_day(e)) for s, e in self.periods)
        # (start, end, office time before this period's start), all in microseconds of the day.
        cumulative: list[tuple[int, int, int]] = []
        before = 0
        for start, end in self._periods_us:
            cumulative.append((start, end, before))
            before += end - start
        self._periods_cumulative = tuple(cumulative)
        self._day_us = before  # office time of one working day
        self._first_start_us = self._periods_us[0][0]
        self._last_end_us = self._periods_us[-1][1]
        self._years: dict[int, list[int]] = {}
        self._span: _Span | None = None
        self._lock = threading.Lock()

    # -- Days -------------------------------------------------------------------------------

    @property
    def office_day(self) -> dt.timedelta:
        """Office time of one working day (8 hours with the default periods)."""
        return dt.timedelta(microseconds=self._day_us)

    def is_working_day(self, day: dt.date) -> bool:
        # Order matters: the agency's decision beats the package, the package beats the weekday.
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off:
            return False
        if self.national_holidays:
            national = national_year(day.year)
            if day in national.days_off:
                return False
            if day in national.weekend_workdays:
                return True
        return day.weekday() in self.working_weekdays

    def working_days(self, year: int) -> list[dt.date]:
        return [dt.date.fromordinal(ordinal) for ordinal in self._year_ordinals(year)]

    def special_days(self, year: int) -> list[SpecialDay]:
        """Every day of `year` whose status differs from its weekday's, plus the package's holidays
        on weekends (so a Sunday Hùng Kings day is listed with its name), with the reason."""
        national = national_year(year) if self.national_holidays else NationalYear(MappingProxyType({}), frozenset())
        days: list[SpecialDay] = []
        day = dt.date(year, 1, 1)
        while day.year == year:
            working = self.is_working_day(day)
            normally_working = day.weekday() in self.working_weekdays
            if day in self.extra_working_days:
                note = self.extra_working_days[day]
                days.append(SpecialDay(day, True, DayKind.AGENCY_WORKING_DAY, note, note))
            elif day in self.extra_days_off:
                note = self.extra_days_off[day]
                days.append(SpecialDay(day, False, DayKind.AGENCY_DAY_OFF, note, note))
            elif day in national.days_off:
                days.append(SpecialDay(day, False, DayKind.HOLIDAY, *national.days_off[day]))
            elif working and not normally_working:
                days.append(_swapped_day(day, national))
            elif not working:
                weekday = day.weekday()
                days.append(
                    SpecialDay(day, False, DayKind.WEEKEND, _WEEKDAY_NAMES[weekday], _WEEKDAY_NAMES_EN[weekday])
                )
            day += dt.timedelta(days=1)
        return days

    def _year_ordinals(self, year: int) -> list[int]:
        ordinals = self._years.get(year)
        if ordinals is None:
            # Built once per year and calendar; this loop is the only day-by-day walk.
            first = dt.date(year, 1, 1).toordinal()
            last = dt.date(year, 12, 31).toordinal()
            ordinals = [o for o in range(first, last + 1) if self.is_working_day(dt.date.fromordinal(o))]
            self._years[year] = ordinals
        return ordinals

    def _covering(self, first_ordinal: int, last_ordinal: int) -> _Span:
        """A span whose years contain both ordinals (built or widened on first need).

        Why a span and not one list per year: positions must be continuous across New Year, so a
        count started on 30 December runs on into January without special cases.
        """
        span = self._span
        if span is not None and span.first_ordinal <= first_ordinal and last_ordinal <= span.last_ordinal:
            return span
        with self._lock:
            span = self._span
            first_year = dt.date.fromordinal(first_ordinal).year
            last_year = dt.date.fromordinal(last_ordinal).year + 1  # one year ahead: counts run on
            if span is not None:
                first_year = min(first_year, span.first_year)
                last_year = max(last_year, span.last_year)
            if last_year - first_year > 2 * _MAX_YEARS_AHEAD or last_year > dt.MAXYEAR - 1:
                raise InvalidInput("Thời hạn quá xa", "The deadline is too far away")
            ordinals: list[int] = []
            for year in range(first_year, last_year + 1):
                ordinals.extend(self._year_ordinals(year))
            # Readers take self._span once per call: replacing the whole tuple keeps them
            # consistent without a lock on the hot path.
            span = _Span(
                first_year,
                last_year,
                dt.date(first_year, 1, 1).toordinal(),
                dt.date(last_year, 12, 31).toordinal(),
                ordinals,
            )
            self._span = span
            return span

    def _working_day_at(self, span: _Span, index: int) -> tuple[_Span, int]:
        """The index-th working day of `span`, widening the span forward when the count runs past
        its end. Returns the span to use from now on and the index in it."""
        while index >= len(span.ordinals):
            missing = index - len(span.ordinals) + 1
            if missing > 366 * _MAX_YEARS_AHEAD:
                raise InvalidInput("Thời hạn quá xa", "The deadline is too far away")
            first_ordinal = span.ordinals[0] if span.ordinals else span.first_ordinal
            # Widen by about enough years at once (>= 200 working days a year with any sane
            # calendar); the loop covers the rest.
            wider = self._covering(span.first_ordinal, span.last_ordinal + 366 * (missing // 200 + 1))
            # Another thread may have widened the span backwards meanwhile: shift the index.
            index += wider.ordinals.index(first_ordinal) if span.ordinals else 0
            span = wider
        return span, index

    # -- Positions: office microseconds since the first day of a span -------------------------

    def _office_before(self, microseconds_of_day: int) -> int:
        elapsed = 0
        for start, end in self._periods_us:
            if microseconds_of_day <= start:
                break
            if microseconds_of_day < end:
                return elapsed + microseconds_of_day - start
            elapsed += end - start
        return elapsed

    def _position(self, span: _Span, local: dt.datetime) -> int:
        ordinal = local.toordinal()
        ordinals = span.ordinals
        index = bisect_left(ordinals, ordinal)
        if index < len(ordinals) and ordinals[index] == ordinal:
            return index * self._day_us + self._office_before(_microseconds_of_day(local))
        # A day off: nothing of it counts; the position is that of the next working day's start.
        return index * self._day_us

    def _moment(self, span: _Span, position: int) -> dt.datetime:
        """The earliest instant at `position`.

        Why the earliest: 11:30 and 13:00 (and Friday 17:00 and Monday 07:30) share a position;
        a count that ends there ends at the period's end, which is the earliest of them.
        """
        index, rest = divmod(position, self._day_us)
        if rest == 0 and index > 0:
            index -= 1
            rest = self._day_us
        span, index = self._working_day_at(span, index)
        time_of_day = self._first_start_us
        for start, end, before in self._periods_cumulative:
            if rest <= before + end - start:
                time_of_day = start + rest - before
                break
        return self._at(span.ordinals[index], time_of_day)

    @staticmethod
    def _at(ordinal: int, microseconds_of_day: int) -> dt.datetime:
        # Wall-clock arithmetic on an aware datetime is safe here only because Viet Nam has kept
        # UTC+7 without daylight saving since 1975; a zone with DST would need fold handling.
        return dt.datetime.fromordinal(ordinal).replace(tzinfo=TIME_ZONE) + dt.timedelta(
            microseconds=microseconds_of_day
        )

    def _end_of_working_day(self, span: _Span, index: int) -> dt.datetime:
        span, index = self._working_day_at(span, index)
        return self._at(span.ordinals[index], self._last_end_us)

    # -- Appointments -------------------------------------------------------------------------

    def add(
        self,
        received_at: dt.datetime,
        amount: int | float | Decimal,
        unit: Unit | str,
        cutoff: dt.time | None = None,
    ) -> dt.datetime:
        """The appointment for a dossier validly received at `received_at` (any zone).

        `amount` is ignored for `same_day`; `cutoff` only applies to it (None = no cut-off: any
        receipt during a working day is returned that day). `calendar_days` must be whole days.
        """
        local = to_local(received_at)
        if unit in _OFFICE_UNITS:
            return self._add_office_time(local, _office_microseconds(amount, unit))
        if unit == Unit.CALENDAR_DAYS:
            return self._add_calendar_days(local, _whole_days(amount))
        if unit == Unit.SAME_DAY:
            return self._same_day(local, cutoff)
        raise InvalidInput(
            f"Đơn vị thời hạn không hợp lệ: {unit!r} (working_hours, working_days, calendar_days, same_day)",
            f"Unknown time unit: {unit!r} (working_hours, working_days, calendar_days, same_day)",
        )

    def _add_office_time(self, local: dt.datetime, microseconds: int) -> dt.datetime:
        if microseconds == 0:
            return self.next_period_start(local)
        ordinal = local.toordinal()
        span = self._covering(ordinal, ordinal)
        return self._moment(span, self._position(span, local) + microseconds)

    def _add_calendar_days(self, local: dt.datetime, days: int) -> dt.datetime:
        # Art. 147: the day of the event does not count; the last day is receipt day + days.
        last = local.toordinal() + days
        span = self._covering(last, last)
        index = bisect_left(span.ordinals, last)
        appointment = self._end_of_working_day(span, index)
        if appointment < local:  # 0 days, received after hours: the next working day's end
            appointment = self._end_of_working_day(span, index + 1)
        return appointment

    def _same_day(self, local: dt.datetime, cutoff: dt.time | None) -> dt.datetime:
        ordinal = local.toordinal()
        span = self._covering(ordinal, ordinal)
        index = bisect_left(span.ordinals, ordinal)
        today_working = index < len(span.ordinals) and span.ordinals[index] == ordinal
        if today_working:
            # "Received after 15:00 -> next working day": 15:00:00 itself is still that day.
            if cutoff is None or local.time() <= cutoff:
                appointment = self._end_of_working_day(span, index)
                if appointment >= local:
                    return appointment
            index += 1
        return self._end_of_working_day(span, index)

    def add_with_stops(
        self,
        received_at: dt.datetime,
        amount: int | float | Decimal,
        unit: Unit | str,
        stops: Iterable[tuple[dt.datetime, dt.datetime | None]],
        cutoff: dt.time | None = None,
    ) -> dt.datetime | None:
        """The appointment when the clock was stopped (stopped_at, resumed_at) for supplements.

        Office time inside a stop does not count, so the appointment moves by it. A stop that
        begins at or after the appointment changes nothing (the deadline had already come). A stop
        still open (resumed_at None) before the appointment means there is no appointment yet:
        None. For `calendar_days` the period grows by the calendar days the dossier waited
        (resume date - stop date); for `same_day`, the supplement's arrival counts as a new receipt.
        """
        local = to_local(received_at)
        intervals = _merge_stops(stops)
        if unit in _OFFICE_UNITS:
            ordinal = local.toordinal()
            span = self._covering(ordinal, ordinal)
            start = self._position(span, local)
            target = start + _office_microseconds(amount, unit)
            for stopped_at, resumed_at in intervals:
                if stopped_at >= self._moment(span, target):
                    break
                if resumed_at is None:
                    return None
                span = self._covering(min(local.toordinal(), stopped_at.toordinal()), resumed_at.toordinal())
                # Widening the span backwards shifts every position: recompute from the receipt.
                shift = self._position(span, local) - start
                start, target = start + shift, target + shift
                stop_begin = max(self._position(span, stopped_at), start)
                target += max(0, self._position(span, resumed_at) - stop_begin)
            if target == start:
                return self.next_period_start(local)
            return self._moment(span, target)
        appointment = self.add(local, amount, unit, cutoff)
        extra_days = 0
        for stopped_at, resumed_at in intervals:
            if stopped_at >= appointment:
                break
            if resumed_at is None:
                return None
            if unit == Unit.SAME_DAY:
                appointment = self._same_day(max(resumed_at, local), cutoff)
            else:
                extra_days += (resumed_at.date() - stopped_at.date()).days
                appointment = self._add_calendar_days(local, _whole_days(amount) + extra_days)
        return appointment

    def extend(self, appointment_at: dt.datetime, stopped_at: dt.datetime, resumed_at: dt.datetime) -> dt.datetime:
        """`appointment_at` moved later by the office time between `stopped_at` and `resumed_at`
        (the incremental form of add_with_stops, for a dossier whose appointment is stored)."""
        stopped = self.working_time_between(stopped_at, resumed_at)
        if stopped <= dt.timedelta(0):
            return to_local(appointment_at)
        local = to_local(appointment_at)
        ordinal = local.toordinal()
        span = self._covering(ordinal, ordinal)
        return self._moment(span, self._position(span, local) + stopped // dt.timedelta(microseconds=1))

    # -- Time left ----------------------------------------------------------------------------

    def next_period_start(self, moment: dt.datetime) -> dt.datetime:
        """`moment` itself when it is inside an office period, else the next period's start:
        the instant from which a receipt's office time counts."""
        local = to_local(moment)
        ordinal = local.toordinal()
        span = self._covering(ordinal, ordinal)
        index = bisect_left(span.ordinals, ordinal)
        if index < len(span.ordinals) and span.ordinals[index] == ordinal:
            time_of_day = _microseconds_of_day(local)
            for start, end in self._periods_us:
                if time_of_day < end:
                    return local if time_of_day >= start else self._at(ordinal, start)
            index += 1
        span, index = self._working_day_at(span, index)
        return self._at(span.ordinals[index], self._first_start_us)

    def is_office_time(self, moment: dt.datetime) -> bool:
        """Inside an office period of a working day (start included, end excluded)."""
        local = to_local(moment)
        if not self.is_working_day(local.date()):
            return False
        time_of_day = _microseconds_of_day(local)
        return any(start <= time_of_day < end for start, end in self._periods_us)

    def working_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Office time from `start` to `end`; negative when `end` is earlier."""
        local_start, local_end = to_local(start), to_local(end)
        first, last = sorted((local_start.toordinal(), local_end.toordinal()))
        span = self._covering(first, last)
        return dt.timedelta(microseconds=self._position(span, local_end) - self._position(span, local_start))

    def working_minutes_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Whole minutes of office time from `start` to `end` (towards zero; negative when earlier)."""
        microseconds = self.working_time_between(start, end) // dt.timedelta(microseconds=1)
        minutes = abs(microseconds) // _MICROSECONDS_PER_MINUTE
        return minutes if microseconds >= 0 else -minutes

    def remaining(self, now: dt.datetime, due: dt.datetime) -> dt.timedelta:
        """Office time left before `due`; negative once office time has run past it.

        Zero, not negative, on the evening or weekend right after a Friday 17:00 appointment: no
        office time has passed yet. Whether a dossier is late is `status()`, which compares instants.
        """
        return self.working_time_between(now, due)

    def status(self, now: dt.datetime, due: dt.datetime, due_soon: dt.timedelta = DUE_SOON_DEFAULT) -> DeadlineStatus:
        """Overdue once `now` is past `due`; due soon when less than `due_soon` office time is left."""
        if to_local(now) > to_local(due):
            return DeadlineStatus.OVERDUE
        if self.remaining(now, due) < due_soon:
            return DeadlineStatus.DUE_SOON
        return DeadlineStatus.ON_TIME


def _swapped_day(day: dt.date, national: NationalYear) -> SpecialDay:
    # The package names the day off "Ngày nghỉ (thay cho ngày 22/08/2026)": find it to say which.
    for day_off, (name, _) in national.days_off.items():
        if f"{day:%d/%m/%Y}" in name:
            return SpecialDay(
                day,
                True,
                DayKind.SWAPPED_WORKING_DAY,
                f"Làm việc bù cho ngày nghỉ {day_off:%d/%m/%Y}",
                f"Worked in exchange for {day_off:%Y-%m-%d}",
            )
    return SpecialDay(day, True, DayKind.SWAPPED_WORKING_DAY, "Ngày làm việc bù", "Swapped working day")


def _notes(days: Mapping[dt.date, str] | Iterable[dt.date]) -> dict[dt.date, str]:
    if isinstance(days, Mapping):
        return {day: str(note) for day, note in days.items()}
    return dict.fromkeys(days, "")


def _check_amount(amount: int | float | Decimal) -> None:
    finite = amount.is_finite() if isinstance(amount, Decimal) else math.isfinite(amount)
    if not finite or amount < 0:
        raise InvalidInput(
            f"Thời hạn phải là một số không âm, không phải {amount}",
            f"The amount must be a non-negative number, not {amount}",
        )


def _office_microseconds(amount: int | float | Decimal, unit: Unit | str) -> int:
    _check_amount(amount)
    hours = amount * HOURS_PER_WORKING_DAY if unit == Unit.WORKING_DAYS else amount
    # Decimal x int stays exact; round() gives an int for both Decimal and float.
    return round(hours * _MICROSECONDS_PER_HOUR)


def _whole_days(amount: int | float | Decimal) -> int:
    _check_amount(amount)
    if amount != int(amount):
        raise InvalidInput(
            f"Thời hạn theo ngày (Bộ luật Dân sự Điều 147) phải là số ngày nguyên, không phải {amount}",
            f"Calendar-day periods (Civil Code Art. 147) are whole days, not {amount}",
        )
    return int(amount)


def _merge_stops(
    stops: Iterable[tuple[dt.datetime, dt.datetime | None]],
) -> list[tuple[dt.datetime, dt.datetime | None]]:
    """Stops in Asia/Ho_Chi_Minh, sorted, overlapping ones merged (an open stop absorbs the rest)."""
    intervals: list[tuple[dt.datetime, dt.datetime | None]] = []
    for stopped_at, resumed_at in sorted(
        ((to_local(s), to_local(r) if r is not None else None) for s, r in stops), key=lambda stop: stop[0]
    ):
        if resumed_at is not None and resumed_at < stopped_at:
            raise InvalidInput(
                "Thời điểm tiếp tục phải sau thời điểm tạm dừng", "A clock stop must resume after it stopped"
            )
        if intervals:
            last_stopped, last_resumed = intervals[-1]
            if last_resumed is None or stopped_at <= last_resumed:
                merged = None if last_resumed is None or resumed_at is None else max(last_resumed, resumed_at)
                intervals[-1] = (last_stopped, merged)
                continue
        intervals.append((stopped_at, resumed_at))
    return intervals
