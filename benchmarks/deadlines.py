"""Appointment computations per second: motcua.core.workcalendar against a naive loop.

Run: `.venv/bin/python benchmarks/deadlines.py` (no Django, no database). Draws a realistic mix
(units, amounts 0.5-30, receipts anywhere in 2026-2027 incl. nights, weekends and holidays),
measures WorkingCalendar.add on one core, measures a naive implementation (minute stepping for
office time, day stepping for days) on a smaller sample in the same run, and checks that both
give identical appointments on that sample. Target: >= 100,000 appointments per second.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from motcua.core.workcalendar import TIME_ZONE, Unit, WorkingCalendar

TARGET_PER_SECOND = 100_000
SAMPLE = 200_000
NAIVE_SAMPLE = 1_000
SEED = 20260213

Case = tuple[dt.datetime, Decimal, Unit, dt.time | None]


def cases(count: int, rng: random.Random) -> list[Case]:
    start = dt.datetime(2026, 1, 1, tzinfo=TIME_ZONE)
    minutes_in_two_years = (dt.datetime(2028, 1, 1, tzinfo=TIME_ZONE) - start) // dt.timedelta(minutes=1)
    drawn: list[Case] = []
    for _ in range(count):
        received = start + dt.timedelta(minutes=rng.randrange(minutes_in_two_years))
        if rng.random() < 0.1:
            received = received.astimezone(dt.UTC)  # some clients send UTC
        unit = rng.choices(list(Unit), weights=[3, 5, 2, 1])[0]
        if unit == Unit.CALENDAR_DAYS:
            amount = Decimal(rng.randint(1, 30))
        elif unit == Unit.SAME_DAY:
            amount = Decimal(0)
        else:
            amount = Decimal(rng.randint(1, 60)) / 2  # 0.5 to 30
        drawn.append((received, amount, unit, dt.time(15) if unit == Unit.SAME_DAY else None))
    return drawn


class NaiveCalendar:
    """The obvious implementation: ask every minute (or day) whether it counts."""

    def __init__(self, calendar: WorkingCalendar) -> None:
        self.calendar = calendar  # only for is_working_day and the periods: same rules, no speed-ups
        self.last_end = calendar.periods[-1][1]

    def _counts(self, moment: dt.datetime) -> bool:
        return self.calendar.is_working_day(moment.date()) and any(
            start <= moment.time() < end for start, end in self.calendar.periods
        )

    def _end_of_next_working_day(self, day: dt.date) -> dt.datetime:
        while not self.calendar.is_working_day(day):
            day += dt.timedelta(days=1)
        return dt.datetime.combine(day, self.last_end, tzinfo=TIME_ZONE)

    def add(self, received: dt.datetime, amount: Decimal, unit: Unit, cutoff: dt.time | None) -> dt.datetime:
        received = received.astimezone(TIME_ZONE)
        if unit == Unit.CALENDAR_DAYS:
            return self._end_of_next_working_day(received.date() + dt.timedelta(days=int(amount)))
        if unit == Unit.SAME_DAY:
            day = received.date()
            if self.calendar.is_working_day(day) and received.time() <= (cutoff or self.last_end):
                return dt.datetime.combine(day, self.last_end, tzinfo=TIME_ZONE)
            return self._end_of_next_working_day(day + dt.timedelta(days=1))
        minutes = int(amount * (8 if unit == Unit.WORKING_DAYS else 1) * 60)
        moment = received  # receipts are on whole minutes
        while minutes:
            if self._counts(moment):
                minutes -= 1
                if minutes == 0:
                    return moment + dt.timedelta(minutes=1)
            moment += dt.timedelta(minutes=1)
        return moment


def main() -> None:
    rng = random.Random(SEED)
    calendar = WorkingCalendar()
    sample = cases(SAMPLE, rng)
    for received, amount, unit, cutoff in sample[:1000]:  # warm up: builds the years once
        calendar.add(received, amount, unit, cutoff)

    add = calendar.add
    began = time.perf_counter()
    for received, amount, unit, cutoff in sample:
        add(received, amount, unit, cutoff)
    fast_seconds = time.perf_counter() - began
    fast_rate = SAMPLE / fast_seconds

    naive = NaiveCalendar(calendar)
    small = sample[:NAIVE_SAMPLE]
    began = time.perf_counter()
    naive_answers = [naive.add(*case) for case in small]
    naive_seconds = time.perf_counter() - began
    naive_rate = NAIVE_SAMPLE / naive_seconds

    fast_answers = [add(*case) for case in small]
    mismatches = [
        (case, fast, slow) for case, fast, slow in zip(small, fast_answers, naive_answers, strict=True) if fast != slow
    ]

    print(f"Appointments over {SAMPLE:,} receipts (2026-2027, mixed units), one core")
    print(f"  workcalendar (bisect):  {fast_rate:>12,.0f} /s   ({fast_seconds * 1e6 / SAMPLE:.2f} µs each)")
    print(f"  naive minute stepping:  {naive_rate:>12,.0f} /s   (on {NAIVE_SAMPLE:,} of them)")
    print(f"  speed-up:               {fast_rate / naive_rate:>12,.0f} x")
    print(f"  identical answers:      {NAIVE_SAMPLE - len(mismatches):,} / {NAIVE_SAMPLE:,}")
    print(f"  target >= {TARGET_PER_SECOND:,}/s:     {'met' if fast_rate >= TARGET_PER_SECOND else 'MISSED'}")
    for case, fast, slow in mismatches[:5]:
        print(f"  MISMATCH {case}: {fast} != {slow}")
    if mismatches or fast_rate < TARGET_PER_SECOND:
        sys.exit(1)


if __name__ == "__main__":
    main()
