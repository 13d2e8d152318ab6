"""A citizen's own dossiers: list, timeline, withdrawal with confirmation; nobody else's."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.catalog.models import Channel
from motcua.dossiers.lifecycle import Status
from motcua.dossiers.tests.factories import make_citizen, make_dossier
from motcua.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_citizen_sees_own_dossiers_with_timeline_and_withdraws_with_confirmation(client: Client) -> None:
    citizen = make_citizen()
    dossier = make_dossier(channel=Channel.ONLINE, applicant=citizen)
    someone_elses = make_dossier(channel=Channel.ONLINE, applicant=make_citizen())
    client.force_login(citizen)
    listing = client.get("/ho-so-cua-toi/").content.decode()
    assert dossier.code in listing and someone_elses.code not in listing
    page = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert "Nộp hồ sơ qua kênh Trực tuyến" in page and "Rút hồ sơ" in page
    assert client.get(f"/ho-so-cua-toi/{someone_elses.code}/").status_code == 404

    unconfirmed = client.post(f"/ho-so-cua-toi/{dossier.code}/", {"reason": "Nộp nhầm thủ tục"})
    assert unconfirmed.status_code == 400 and "xác nhận" in unconfirmed.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED

    done = client.post(f"/ho-so-cua-toi/{dossier.code}/", {"reason": "Nộp nhầm thủ tục", "confirm": "yes"}, follow=True)
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN and dossier.national_status == 7
    assert "Đã rút hồ sơ" in done.content.decode()
    assert "Rút hồ sơ</button>" not in done.content.decode()
    assert Notification.objects.filter(dossier=dossier, subject__contains="đã được rút").exists()


def test_my_dossiers_needs_login(client: Client) -> None:
    response = client.get("/ho-so-cua-toi/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
