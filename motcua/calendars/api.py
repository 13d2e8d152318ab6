"""The calendar API (/api/v1/calendar/...): appointments and working days of an agency. Reads only.

Query parameters arrive as text and are parsed here, so that every refusal is a 400 with a
Vietnamese and an English message (pydantic's own 422 speaks English only).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field as SchemaField

from motcua.calendars.selectors import calendar_for_agency
from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.api import ErrorOut
from motcua.core.errors import InvalidInput, MotCuaError
from motcua.core.workcalendar import TIME_ZONE, Unit, to_local

router = Router(tags=["calendar"])

MIN_YEAR, MAX_YEAR = 1995, 2100


class DeadlineQuery(Schema):
    agency: str = SchemaField("", description="Agency code (Circular 10/2016), e.g. 000.01.01.H29")
    received_at: str = SchemaField("", description="ISO 8601 with offset, e.g. 2026-02-13T15:00:00+07:00; empty = now")
    amount: str = SchemaField("0", description="Processing time, e.g. 3 or 1.5 (ignored for same_day)")
    unit: str = SchemaField("", description="working_hours | working_days | calendar_days | same_day")
    cutoff: str = SchemaField("", description='same_day only: "15:00" = received later -> next working day')


class DeadlineOut(Schema):
    agency: str
    received_at: dt.datetime = SchemaField(description="The receipt, in Asia/Ho_Chi_Minh")
    counting_from: dt.datetime | None = SchemaField(
        description="working_hours/working_days: when office time starts counting"
    )
    amount: float
    unit: str
    cutoff: str | None
    appointment_at: dt.datetime = SchemaField(description="Ngày hẹn trả kết quả, ISO 8601 with +07:00")


class WorkingDaysQuery(Schema):
    agency: str = SchemaField("", description="Agency code")
    year: str = SchemaField("", description="e.g. 2026")


class DayOut(Schema):
    date: dt.date
    is_working: bool
    kind: str = SchemaField(description="weekend | holiday | agency_day_off | swapped_working_day | agency_working_day")
    name: str
    name_en: str


class WorkingDaysOut(Schema):
    agency: str
    year: int
    office_periods: list[str] = SchemaField(description='e.g. ["07:30-11:30", "13:00-17:00"]')
    working_weekdays: list[int] = SchemaField(description="0 = Monday ... 6 = Sunday")
    working_day_count: int
    working_days: list[dt.date]
    days_off: list[DayOut] = SchemaField(description="Every day off of the year, with its reason")
    extra_working_days: list[DayOut] = SchemaField(description="Weekend days worked (swaps), with their reason")


def _error(message_vi: str, message_en: str) -> ErrorOut:
    return ErrorOut(detail=f"{message_vi} / {message_en}", message_vi=message_vi, message_en=message_en)


def _from_error(error: MotCuaError) -> ErrorOut:
    return _error(error.message_vi, error.message_en)


def _agency_not_found(code: str) -> ErrorOut:
    return _error(f"Không tìm thấy cơ quan {code}", f"No agency {code}")


# "+07:00" in a query string decodes to " 07:00" when the client did not encode the "+".
_SPACE_FOR_PLUS = re.compile(r" (\d{2}(?::?\d{2})?)$")


def _parse_moment(text: str) -> dt.datetime:
    text = _SPACE_FOR_PLUS.sub(r"+\1", text.strip())
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"received_at không phải thời điểm ISO 8601: {text!r}", f"received_at is not an ISO 8601 time: {text!r}"
        ) from None
    return to_local(moment)


def _parse_deadline_query(query: DeadlineQuery) -> tuple[dt.datetime, Decimal, Unit, dt.time | None]:
    try:
        unit = Unit(query.unit)
    except ValueError:
        raise InvalidInput(
            f"unit phải là một trong {', '.join(Unit)}, không phải {query.unit!r}",
            f"unit must be one of {', '.join(Unit)}, not {query.unit!r}",
        ) from None
    try:
        amount = Decimal(query.amount or "0")
    except InvalidOperation:
        raise InvalidInput(
            f"amount phải là một số, không phải {query.amount!r}", f"amount must be a number, not {query.amount!r}"
        ) from None
    if not amount.is_finite() or amount < 0:
        raise InvalidInput(
            f"amount phải là số không âm, không phải {query.amount!r}",
            f"amount must be a non-negative number, not {query.amount!r}",
        )
    cutoff = None
    if unit == Unit.SAME_DAY:
        if not query.cutoff:
            raise InvalidInput(
                "Thủ tục trả kết quả trong ngày cần giờ tiếp nhận muộn nhất (cutoff, ví dụ 15:00)",
                "same_day needs a cut-off time (cutoff, e.g. 15:00)",
            )
        try:
            cutoff = dt.time.fromisoformat(query.cutoff)
        except ValueError:
            raise InvalidInput(
                f"cutoff phải có dạng HH:MM, không phải {query.cutoff!r}",
                f"cutoff must be HH:MM, not {query.cutoff!r}",
            ) from None
    received_at = _parse_moment(query.received_at) if query.received_at else timezone.now().astimezone(TIME_ZONE)
    return received_at, amount, unit, cutoff


@router.get(
    "/deadline",
    response={200: DeadlineOut, 400: ErrorOut, 404: ErrorOut},
    summary="Tính ngày hẹn trả kết quả / Compute an appointment",
)
def deadline(request: HttpRequest, query: Query[DeadlineQuery]) -> Status[DeadlineOut | ErrorOut]:
    if not query.agency:
        return Status(400, _error("Thiếu mã cơ quan (agency)", "agency is required"))
    try:
        received_at, amount, unit, cutoff = _parse_deadline_query(query)
    except MotCuaError as error:
        return Status(400, _from_error(error))
    agency = catalog_selectors.agency_get_by_code(query.agency)
    if agency is None:
        return Status(404, _agency_not_found(query.agency))
    calendar = calendar_for_agency(agency)
    try:
        appointment_at = calendar.add(received_at, amount, unit, cutoff)
    except MotCuaError as error:
        return Status(400, _from_error(error))
    counting = unit in (Unit.WORKING_HOURS, Unit.WORKING_DAYS)
    return Status(
        200,
        DeadlineOut(
            agency=agency.code,
            received_at=received_at,
            counting_from=calendar.next_period_start(received_at) if counting else None,
            amount=float(amount),
            unit=unit.value,
            cutoff=cutoff.strftime("%H:%M") if cutoff else None,
            appointment_at=appointment_at,
        ),
    )


@router.get(
    "/working-days",
    response={200: WorkingDaysOut, 400: ErrorOut, 404: ErrorOut},
    summary="Ngày làm việc và ngày nghỉ trong năm / Working days and days off of a year",
)
def working_days(request: HttpRequest, query: Query[WorkingDaysQuery]) -> Status[WorkingDaysOut | ErrorOut]:
    if not query.agency:
        return Status(400, _error("Thiếu mã cơ quan (agency)", "agency is required"))
    if not query.year.isdigit() or not MIN_YEAR <= int(query.year) <= MAX_YEAR:
        return Status(
            400,
            _error(
                f"year phải là một năm từ {MIN_YEAR} đến {MAX_YEAR}, không phải {query.year!r}",
                f"year must be a year from {MIN_YEAR} to {MAX_YEAR}, not {query.year!r}",
            ),
        )
    year = int(query.year)
    agency = catalog_selectors.agency_get_by_code(query.agency)
    if agency is None:
        return Status(404, _agency_not_found(query.agency))
    calendar = calendar_for_agency(agency)
    special = [
        DayOut(date=day.date, is_working=day.is_working, kind=day.kind.value, name=day.name, name_en=day.name_en)
        for day in calendar.special_days(year)
    ]
    days = calendar.working_days(year)
    return Status(
        200,
        WorkingDaysOut(
            agency=agency.code,
            year=year,
            office_periods=[f"{start:%H:%M}-{end:%H:%M}" for start, end in calendar.periods],
            working_weekdays=sorted(calendar.working_weekdays),
            working_day_count=len(days),
            working_days=days,
            days_off=[day for day in special if not day.is_working],
            extra_working_days=[day for day in special if day.is_working],
        ),
    )
