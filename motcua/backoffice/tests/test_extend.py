"""The apology with a new appointment (phiếu xin lỗi và hẹn lại ngày trả kết quả) from the
dossier page, role by role (HTTP)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from motcua.accounts.models import User
from motcua.backoffice.tests.conftest import Ward
from motcua.core.workcalendar import TIME_ZONE
from motcua.dossiers import services
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import DocumentKind, Dossier, DossierEvent, IssuedDocument
from motcua.dossiers.tests.factories import make_dossier
from motcua.notifications.models import Notification

EXTEND_FORM = 'name="form" value="extend"'


def received(ward: Ward, now: dt.datetime | None = None) -> Dossier:
    """Received at the counter by the receiving officer, who is now its assignee."""
    dossier = make_dossier(
        procedure=ward.procedure, agency=ward.agency, officer=ward.receiving_officer, applicant=ward.citizen, now=now
    )
    return services.dossier_transition(
        dossier=dossier, actor=ward.receiving_officer, transition=services.Transition(action=Action.RECEIVE), now=now
    )


def extend_data(
    due_at: dt.datetime, *, days: int = 2, reason: str = "Cần xác minh thêm tại nơi cư trú"
) -> dict[str, Any]:
    local = due_at.astimezone(TIME_ZONE) + dt.timedelta(days=days)
    return {"form": "extend", "reason": reason, "new_due_date": f"{local:%Y-%m-%d}", "new_due_time": f"{local:%H:%M}"}


def user(ward: Ward, name: str) -> User:
    official: User = getattr(ward, name)
    return official


@pytest.mark.parametrize("who", ["receiving_officer", "department_head", "leader"])
def test_the_assignee_and_the_heads_issue_the_apology_and_the_applicant_is_told(
    client: Client, ward: Ward, who: str
) -> None:
    dossier = received(ward)
    assert dossier.assignee == ward.receiving_officer and dossier.due_at is not None
    old_due_at = dossier.due_at
    client.force_login(user(ward, who))
    page = client.get(f"/mot-cua/ho-so/{dossier.pk}/").content.decode()
    assert "Xin lỗi và hẹn lại ngày trả" in page and EXTEND_FORM in page
    assert f'value="{old_due_at.astimezone(TIME_ZONE):%H:%M}"' in page  # the old hour, offered again

    data = extend_data(old_due_at)
    response = client.post(f"/mot-cua/ho-so/{dossier.pk}/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert response["Location"] == f"/mot-cua/ho-so/{dossier.pk}/"

    dossier.refresh_from_db()
    new_due_at = old_due_at + dt.timedelta(days=2)
    assert dossier.due_at == new_due_at.replace(second=0, microsecond=0)
    assert dossier.original_due_at == old_due_at  # the 766 index still measures against it
    assert dossier.status == Status.RECEIVED
    apology = IssuedDocument.objects.get(dossier=dossier, kind=DocumentKind.APOLOGY)
    assert apology.file.size > 0
    event = DossierEvent.objects.get(dossier=dossier, action=Action.EXTEND)
    assert event.actor == user(ward, who) and event.note == data["reason"]
    told = Notification.objects.filter(dossier=dossier, subject__startswith="Xin lỗi")
    assert {n.channel for n in told} >= {"sms", "in_app"}  # the phone and the account they gave
    assert all("Cần xác minh thêm tại nơi cư trú" in n.body for n in told)

    page = client.get(response["Location"]).content.decode()
    assert "Đã lập Phiếu xin lỗi và hẹn lại ngày trả kết quả" in page
    assert f"{dossier.due_at.astimezone(TIME_ZONE):%H:%M %d/%m/%Y}" in page  # the new appointment
    assert f"hẹn ban đầu {old_due_at.astimezone(TIME_ZONE):%H:%M %d/%m/%Y}" in page
    assert "Xin lỗi, hẹn lại ngày trả" in page and "Cần xác minh thêm tại nơi cư trú" in page  # timeline
    assert f"/hoso/giay-to/{apology.pk}.pdf" in page and "04. Phiếu xin lỗi và hẹn lại ngày trả kết quả" in page


@pytest.mark.parametrize("who", ["specialist", "agency_admin"])
def test_other_officials_do_not_see_the_form_and_may_not_post_it(client: Client, ward: Ward, who: str) -> None:
    dossier = received(ward)
    old_due_at = dossier.due_at
    assert old_due_at is not None
    client.force_login(user(ward, who))
    response = client.get(f"/mot-cua/ho-so/{dossier.pk}/")
    assert response.status_code == 200 and EXTEND_FORM not in response.content.decode()
    assert client.post(f"/mot-cua/ho-so/{dossier.pk}/", extend_data(old_due_at)).status_code == 403
    dossier.refresh_from_db()
    assert dossier.due_at == old_due_at
    assert not IssuedDocument.objects.filter(dossier=dossier, kind=DocumentKind.APOLOGY).exists()
    assert not Notification.objects.filter(dossier=dossier, subject__startswith="Xin lỗi").exists()


def test_an_official_of_another_ward_and_a_citizen_cannot_post_it(client: Client, ward: Ward) -> None:
    dossier = received(ward)
    assert dossier.due_at is not None
    client.force_login(ward.outsider)
    assert client.post(f"/mot-cua/ho-so/{dossier.pk}/", extend_data(dossier.due_at)).status_code == 404
    client.force_login(ward.citizen)
    assert client.post(f"/mot-cua/ho-so/{dossier.pk}/", extend_data(dossier.due_at)).status_code == 403
    assert not DossierEvent.objects.filter(dossier=dossier, action=Action.EXTEND).exists()


@pytest.mark.parametrize("days", [0, -1])
def test_a_new_appointment_not_after_the_old_one_is_refused_keeping_what_was_typed(
    client: Client, ward: Ward, days: int
) -> None:
    dossier = received(ward)
    old_due_at = dossier.due_at
    assert old_due_at is not None
    client.force_login(ward.leader)
    data = extend_data(old_due_at, days=days, reason="Lý do đã gõ")
    response = client.post(f"/mot-cua/ho-so/{dossier.pk}/", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ngày hẹn mới phải sau ngày hẹn cũ" in page
    assert "Lý do đã gõ</textarea>" in page
    assert f'value="{data["new_due_date"]}"' in page and f'value="{data["new_due_time"]}"' in page
    dossier.refresh_from_db()
    assert dossier.due_at == old_due_at
    assert not IssuedDocument.objects.filter(dossier=dossier, kind=DocumentKind.APOLOGY).exists()


def test_a_reason_and_a_date_are_required(client: Client, ward: Ward) -> None:
    dossier = received(ward)
    client.force_login(ward.leader)
    response = client.post(
        f"/mot-cua/ho-so/{dossier.pk}/", {"form": "extend", "reason": "  ", "new_due_date": "", "new_due_time": "9:00"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and page.count('class="error"') >= 2
    assert not DossierEvent.objects.filter(dossier=dossier, action=Action.EXTEND).exists()


def test_once_the_appointment_has_passed_the_form_is_gone_and_a_late_post_is_told_why(
    client: Client, ward: Ward
) -> None:
    dossier = received(ward, now=timezone.now() - dt.timedelta(days=30))
    assert dossier.due_at is not None and dossier.due_at < timezone.now()
    client.force_login(ward.leader)
    assert EXTEND_FORM not in client.get(f"/mot-cua/ho-so/{dossier.pk}/").content.decode()
    response = client.post(f"/mot-cua/ho-so/{dossier.pk}/", extend_data(timezone.now(), days=3))
    assert response.status_code == 200
    assert "Đã quá ngày hẹn: văn bản xin lỗi phải được gửi trước ngày hẹn trả" in response.content.decode()
    assert not DossierEvent.objects.filter(dossier=dossier, action=Action.EXTEND).exists()


def test_no_form_once_the_dossier_is_finished(client: Client, ward: Ward) -> None:
    dossier = make_dossier(procedure=ward.procedure, agency=ward.agency, officer=ward.receiving_officer)
    services.dossier_transition(
        dossier=dossier,
        actor=ward.receiving_officer,
        transition=services.Transition(action=Action.REFUSE, note="Không thuộc thẩm quyền"),
    )
    client.force_login(ward.leader)
    assert EXTEND_FORM not in client.get(f"/mot-cua/ho-so/{dossier.pk}/").content.decode()
