"""The calendar API over HTTP."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from motcua.calendars import services
from motcua.catalog.models import Agency
from motcua.catalog.tests.factories import make_agency

pytestmark = pytest.mark.django_db

CODE = "000.01.01.H29"


@pytest.fixture
def agency() -> Agency:
    return make_agency(code=CODE, name="UBND Phường Sài Gòn")


def deadline(client: Client, **params: Any) -> Any:
    return client.get("/api/v1/calendar/deadline", {"agency": CODE, **params})


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"received_at": "2026-02-13T15:00:00+07:00", "amount": "1", "unit": "working_days"},
            "2026-02-23T15:00:00+07:00",
        ),
        ({"received_at": "2026-02-13T09:00:00Z", "amount": "2", "unit": "working_hours"}, "2026-02-23T08:30:00+07:00"),
        (
            {"received_at": "2026-08-28T10:00:00+07:00", "amount": "3", "unit": "calendar_days"},
            "2026-09-03T17:00:00+07:00",
        ),
        (
            {"received_at": "2026-01-05T15:30:00+07:00", "unit": "same_day", "cutoff": "15:00"},
            "2026-01-06T17:00:00+07:00",
        ),
        (
            {"received_at": "2026-01-05T07:30:00+07:00", "amount": "0.5", "unit": "working_days"},
            "2026-01-05T11:30:00+07:00",
        ),
    ],
)
def test_deadline(client: Client, agency: Agency, params: dict[str, str], expected: str) -> None:
    response = deadline(client, **params)
    assert response.status_code == 200, response.json()
    assert response.json()["appointment_at"] == expected


def test_deadline_body(client: Client, agency: Agency) -> None:
    data = deadline(client, received_at="2026-01-05T12:00:00+07:00", amount="1", unit="working_hours").json()
    assert data == {
        "agency": CODE,
        "received_at": "2026-01-05T12:00:00+07:00",
        "counting_from": "2026-01-05T13:00:00+07:00",
        "amount": 1.0,
        "unit": "working_hours",
        "cutoff": None,
        "appointment_at": "2026-01-05T14:00:00+07:00",
    }


def test_unencoded_plus_in_the_offset_is_understood(client: Client, agency: Agency) -> None:
    response = client.get(
        f"/api/v1/calendar/deadline?agency={CODE}&received_at=2026-01-05T08:00:00+07:00&amount=1&unit=working_hours"
    )
    assert response.json()["appointment_at"] == "2026-01-05T09:00:00+07:00"


def test_the_agency_days_count(client: Client, agency: Agency) -> None:
    services.calendar_day_set(agency=agency, date=dt.date(2026, 1, 6), is_working=False, note="Nghỉ")
    data = deadline(client, received_at="2026-01-05T16:00:00+07:00", amount="2", unit="working_hours").json()
    assert data["appointment_at"] == "2026-01-07T08:30:00+07:00"


def test_received_at_defaults_to_now(client: Client, agency: Agency) -> None:
    data = deadline(client, amount="1", unit="working_days").json()
    assert data["appointment_at"].endswith("+07:00")


@pytest.mark.parametrize(
    ("params", "fragment"),
    [
        ({"received_at": "2026-01-05T08:00:00+07:00", "amount": "1", "unit": "weeks"}, "unit"),
        ({"received_at": "2026-01-05T08:00:00+07:00", "unit": "same_day"}, "cutoff"),
        ({"received_at": "2026-01-05T08:00:00+07:00", "unit": "same_day", "cutoff": "3pm"}, "cutoff"),
        ({"received_at": "2026-01-05T08:00:00", "amount": "1", "unit": "working_days"}, "UTC offset"),
        ({"received_at": "hôm qua", "amount": "1", "unit": "working_days"}, "ISO 8601"),
        ({"received_at": "2026-01-05T08:00:00+07:00", "amount": "-1", "unit": "working_days"}, "non-negative"),
        ({"received_at": "2026-01-05T08:00:00+07:00", "amount": "ba", "unit": "working_days"}, "number"),
        ({"received_at": "2026-01-05T08:00:00+07:00", "amount": "NaN", "unit": "working_days"}, "non-negative"),
        ({"received_at": "2026-01-05T08:00:00+07:00", "amount": "1.5", "unit": "calendar_days"}, "whole days"),
        ({"received_at": "2026-01-05T08:00:00+07:00", "amount": "1e9", "unit": "working_days"}, "too far"),
        ({"agency": "", "amount": "1", "unit": "working_days"}, "agency"),
    ],
)
def test_deadline_bad_input(client: Client, agency: Agency, params: dict[str, str], fragment: str) -> None:
    response = deadline(client, **params)
    assert response.status_code == 400
    data = response.json()
    assert fragment in data["message_en"]
    assert data["message_vi"] and data["message_vi"] != data["message_en"]


def test_unknown_agency(client: Client, agency: Agency) -> None:
    response = deadline(client, agency="999.99.99.H99", amount="1", unit="working_days")
    assert response.status_code == 404
    assert response.json()["message_vi"] == "Không tìm thấy cơ quan 999.99.99.H99"
    response = client.get("/api/v1/calendar/working-days", {"agency": "999.99.99.H99", "year": "2026"})
    assert response.status_code == 404


def test_working_days(client: Client, agency: Agency) -> None:
    services.calendar_day_set(agency=agency, date=dt.date(2026, 11, 24), is_working=True, note="Không áp dụng")
    services.calendar_day_set(agency=agency, date=dt.date(2026, 12, 31), is_working=False, note="Nghỉ cuối năm")
    response = client.get("/api/v1/calendar/working-days", {"agency": CODE, "year": "2026"})
    assert response.status_code == 200
    data = response.json()
    assert data["office_periods"] == ["07:30-11:30", "13:00-17:00"]
    assert data["working_weekdays"] == [0, 1, 2, 3, 4]
    assert data["working_day_count"] == len(data["working_days"]) == 249
    assert "2026-02-13" in data["working_days"] and "2026-02-16" not in data["working_days"]
    days_off = {day["date"]: day for day in data["days_off"]}
    assert days_off["2026-02-17"] == {
        "date": "2026-02-17",
        "is_working": False,
        "kind": "holiday",
        "name": "Tết Nguyên Đán",
        "name_en": "Lunar New Year",
    }
    assert days_off["2026-02-14"]["kind"] == "weekend"
    assert days_off["2026-12-31"]["kind"] == "agency_day_off"
    extra = {day["date"]: day["kind"] for day in data["extra_working_days"]}
    assert extra == {"2026-08-22": "swapped_working_day", "2026-11-24": "agency_working_day"}


@pytest.mark.parametrize("year", ["", "hai nghìn", "1900", "3000"])
def test_working_days_bad_year(client: Client, agency: Agency, year: str) -> None:
    response = client.get("/api/v1/calendar/working-days", {"agency": CODE, "year": year})
    assert response.status_code == 400
    assert "year" in response.json()["message_en"]
