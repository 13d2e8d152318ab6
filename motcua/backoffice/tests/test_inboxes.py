"""Inboxes and their counts, deadlines on the working calendar, and search (HTTP)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from motcua.backoffice import selectors
from motcua.backoffice.tests.conftest import Ward
from motcua.calendars.selectors import calendar_for_agency
from motcua.catalog.models import Channel
from motcua.catalog.tests.factories import make_procedure
from motcua.core.templatetags.office_time import office_time, office_time_words
from motcua.core.workcalendar import Unit
from motcua.dossiers import services
from motcua.dossiers.lifecycle import Action
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import make_dossier, make_workflow


def received(ward: Ward, *, now: dt.datetime | None = None, due_at: dt.datetime | None = None) -> Dossier:
    """Received at `now`; with `due_at`, on a procedure that publishes no processing time."""
    procedure = ward.procedure
    if due_at is not None:
        procedure = make_procedure(name="Chứng thực chữ ký", agency=ward.agency, processing_time=None)
        make_workflow(procedure)
    dossier = make_dossier(procedure=procedure, agency=ward.agency, officer=ward.receiving_officer, now=now)
    return services.dossier_transition(
        dossier=dossier,
        actor=ward.receiving_officer,
        transition=services.Transition(action=Action.RECEIVE, due_at=due_at),
        now=now,
    )


def nav_count(page: str, label: str) -> str:
    nav = page.split('aria-label="Hộp hồ sơ"')[1]
    return nav.split(label, 1)[1].split('<span class="n', 1)[1].split(">", 1)[1].split("<", 1)[0]


def test_office_time_in_words() -> None:
    assert office_time_words(dt.timedelta(hours=10, minutes=5)) == "1 ngày 2 giờ 5 phút"
    assert office_time_words(dt.timedelta(0)) == "0 phút"
    assert office_time(dt.timedelta(hours=-3)) == "quá 3 giờ làm việc"
    assert office_time(dt.timedelta(hours=16)) == "còn 2 ngày làm việc"
    assert office_time(None) == ""


def test_overdue_and_due_soon_are_read_on_the_working_calendar(client: Client, ward: Ward) -> None:
    now = timezone.now()
    calendar = calendar_for_agency(ward.agency)
    late = received(ward, now=now - dt.timedelta(days=40))
    soon = received(ward, due_at=calendar.add(now, Decimal(2), Unit.WORKING_HOURS))
    later = received(ward, due_at=calendar.add(now, Decimal(30), Unit.WORKING_HOURS))
    client.force_login(ward.agency_admin)
    page = client.get("/mot-cua/?hop=qua-han").content.decode()
    assert late.code in page and soon.code not in page and later.code not in page
    assert "quá " in page and nav_count(page, "Quá hạn") == "1"
    page = client.get("/mot-cua/?hop=sap-den-han").content.decode()
    assert soon.code in page and late.code not in page and later.code not in page
    assert nav_count(page, "Sắp đến hạn") == "1"
    detail = client.get(f"/mot-cua/ho-so/{later.pk}/").content.decode()
    assert "còn 3 ngày 6 giờ" in detail or "còn 3 ngày 5 giờ" in detail


def test_a_stopped_clock_is_neither_due_soon_nor_overdue(ward: Ward) -> None:
    now = timezone.now()
    dossier = received(ward, now=now - dt.timedelta(days=40))
    services.dossier_transition(
        dossier=dossier,
        actor=ward.receiving_officer,
        transition=services.Transition(action=Action.START),
        now=now - dt.timedelta(days=40),
    )
    services.dossier_transition(
        dossier=dossier,
        actor=ward.receiving_officer,
        transition=services.Transition(action=Action.REQUEST_SUPPLEMENT, note="Thiếu giấy"),
        now=now - dt.timedelta(days=40),
    )
    desk = selectors.desk_for(ward.agency_admin)
    assert desk is not None
    counts = {c.inbox: c.count for c in selectors.inbox_counts(desk, now, selectors.Clocks())}
    assert counts[selectors.Inbox.OVERDUE] == 0 and counts[selectors.Inbox.DUE_SOON] == 0


def test_online_dossiers_waiting_past_8_working_hours_are_flagged(client: Client, ward: Ward) -> None:
    now = timezone.now()
    old = make_dossier(
        procedure=ward.procedure, agency=ward.agency, channel=Channel.ONLINE, now=now - dt.timedelta(days=5)
    )
    fresh = make_dossier(procedure=ward.procedure, agency=ward.agency, channel=Channel.ONLINE, now=now)
    client.force_login(ward.receiving_officer)
    page = client.get("/mot-cua/?hop=tiep-nhan").content.decode()
    assert old.code in page and fresh.code in page
    assert page.count("Quá 8 giờ chưa tiếp nhận") == 1
    assert "1 quá 8 giờ" in page
    assert nav_count(page, "Chờ tiếp nhận") == "2"
    detail = client.get(f"/mot-cua/ho-so/{old.pk}/").content.decode()
    assert "chưa được tiếp nhận trong 8 giờ làm việc" in detail
    detail = client.get(f"/mot-cua/ho-so/{fresh.pk}/").content.decode()
    assert "cần tiếp nhận hoặc yêu cầu bổ sung trước" in detail


def test_to_process_follows_the_current_steps_role(client: Client, ward: Ward) -> None:
    dossier = received(ward)
    for action in (Action.START, Action.FORWARD):
        dossier = services.dossier_transition(
            dossier=dossier, actor=ward.receiving_officer, transition=services.Transition(action=action)
        )
    client.force_login(ward.specialist)
    assert dossier.code in client.get("/mot-cua/?hop=xu-ly").content.decode()
    client.force_login(ward.department_head)
    assert dossier.code not in client.get("/mot-cua/?hop=xu-ly").content.decode()


def test_search_by_each_criterion_only_among_visible_dossiers(client: Client, ward: Ward) -> None:
    mine = received(ward)
    other_officer_dossier = make_dossier(agency=ward.other_agency, officer=ward.outsider)
    client.force_login(ward.specialist)

    def found(**query: str) -> bool:
        page = client.get("/mot-cua/tim/", query).content.decode()
        return f"/mot-cua/ho-so/{mine.pk}/" in page

    assert found(code=mine.code[-6:])
    assert found(name="nguyen van AN")
    assert found(name="Nguyễn An")
    assert not found(name="Trần")
    assert found(id_number="079215000001")
    assert found(procedure="dang ky khai sinh")
    assert not found(procedure="chung thuc chu ky")
    assert found(status="received")
    assert not found(status="processing")
    today = timezone.localdate().isoformat()
    assert found(received_from=today, received_to=today)
    assert not found(received_from="2020-01-01", received_to="2020-01-02")
    page = client.get("/mot-cua/tim/", {"code": other_officer_dossier.code}).content.decode()
    assert f"/mot-cua/ho-so/{other_officer_dossier.pk}/" not in page
    page = client.get("/mot-cua/tim/", {"received_from": "2025-02-02", "received_to": "2025-01-01"}).content.decode()
    assert "Ngày kết thúc phải sau ngày bắt đầu" in page
