"""The calendar admin: pages load, a year can be filtered, edits reach the calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from motcua.accounts.models import User
from motcua.calendars import services
from motcua.calendars.models import OfficeSchedule
from motcua.calendars.selectors import calendar_for_agency
from motcua.catalog.tests.factories import make_agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client) -> Client:
    user = User.objects.create_superuser(username="admin", email="admin@example.org", password="x")
    client.force_login(user)
    return client


def test_pages_load_and_filter_by_year(admin_client: Client) -> None:
    agency = make_agency()
    services.calendar_day_set(agency=agency, date=dt.date(2026, 1, 5), is_working=False, note="Nghỉ năm 2026")
    services.calendar_day_set(agency=agency, date=dt.date(2027, 1, 4), is_working=False, note="Nghỉ năm 2027")
    changelist = reverse("admin:calendars_calendarday_changelist")
    response = admin_client.get(changelist, {"year": "2026"})
    assert response.status_code == 200
    assert "Nghỉ năm 2026" in response.text and "Nghỉ năm 2027" not in response.text
    for name in ("calendars_calendarday_add", "calendars_officeschedule_changelist", "calendars_officeschedule_add"):
        assert admin_client.get(reverse(f"admin:{name}")).status_code == 200


def test_office_schedule_from_the_admin(admin_client: Client) -> None:
    agency = make_agency()
    response = admin_client.post(
        reverse("admin:calendars_officeschedule_add"),
        {
            "agency": agency.pk,
            "periods": "08:00-12:00, 13:00-17:00",
            "working_weekdays": ["0", "1", "2", "3", "4", "5"],
        },
    )
    assert response.status_code == 302
    assert OfficeSchedule.objects.get(agency=agency).working_weekdays == [0, 1, 2, 3, 4, 5]
    assert calendar_for_agency(agency).is_working_day(dt.date(2026, 1, 10))
    response = admin_client.post(
        reverse("admin:calendars_officeschedule_add"),
        {"agency": make_agency().pk, "periods": "12:00-08:00", "working_weekdays": ["0"]},
    )
    assert response.status_code == 200
    assert "must start before it ends" in response.text
