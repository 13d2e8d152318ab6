from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from motcua.catalog.models import Channel
from motcua.dossiers.tests.factories import make_citizen, make_dossier
from motcua.notifications.channels import sms_sandbox
from motcua.notifications.models import DeliveryStatus, Notification, NotificationChannel
from motcua.notifications.services import notification_send, notify, notify_applicant

pytestmark = pytest.mark.django_db


def test_applicant_is_told_through_every_channel_after_commit(django_capture_on_commit_callbacks: Any) -> None:
    citizen = make_citizen()
    dossier = make_dossier(channel=Channel.ONLINE, applicant=citizen)
    dossier.applicant_email = "an@example.vn"
    sms_sandbox.OUTBOX.clear()
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify_applicant(dossier, subject="Hồ sơ đã được tiếp nhận", body=f"Mã hồ sơ {dossier.code}")
    assert {r.channel for r in rows} == {NotificationChannel.IN_APP, NotificationChannel.EMAIL, NotificationChannel.SMS}
    assert set(Notification.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    assert mail.outbox[0].subject == "Hồ sơ đã được tiếp nhận"
    assert mail.outbox[0].to == ["an@example.vn"]
    phone, text = sms_sandbox.OUTBOX[-1]
    assert phone == "+84912345678"
    assert text.startswith("Ho so da duoc tiep nhan.")  # SMS without diacritics (GSM-7)


def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(subject="x", body="y", email="a@example.vn")
    assert len(callbacks) == 1  # sending waits for the commit
    assert mail.outbox == []


def test_a_bad_phone_number_fails_visibly_and_is_retried_then_given_up() -> None:
    [row] = notify(subject="Thông báo", body="Nội dung", phone="0281234567")  # a landline
    for _ in range(4):
        assert notification_send(row.pk) == DeliveryStatus.PENDING
    assert notification_send(row.pk) == DeliveryStatus.FAILED
    row.refresh_from_db()
    assert "di động" in row.error
    assert row.attempts == 5


def test_sending_twice_sends_once() -> None:
    [row] = notify(subject="Một lần", body="", email="b@example.vn")
    notification_send(row.pk)
    notification_send(row.pk)
    assert len(mail.outbox) == 1
