from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from motcua.catalog.models import Channel
from motcua.dossiers.tests.factories import make_citizen, make_dossier
from motcua.notifications import services
from motcua.notifications.channels import sms_sandbox
from motcua.notifications.channels.base import DeliveryError, SmsProvider
from motcua.notifications.models import DeliveryStatus, Notification, NotificationChannel, NotificationTemplate
from motcua.notifications.services import (
    notification_preference_set,
    notification_send,
    notify,
    notify_applicant,
    notify_event,
)

pytestmark = pytest.mark.django_db


class FlakyProvider(SmsProvider):
    """A gateway that is down: every send fails, but not for good."""

    calls: list[str] = []

    def send(self, *, phone: str, text: str, reference: str = "") -> str:
        FlakyProvider.calls.append(reference)
        raise DeliveryError("gateway down")


FLAKY = f"{__name__}.FlakyProvider"


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


def test_a_landline_fails_at_once_for_good() -> None:
    [row] = notify(subject="Thông báo", body="Nội dung", phone="0281234567")  # a landline
    assert notification_send(row.pk) == DeliveryStatus.FAILED
    row.refresh_from_db()
    assert "di động" in row.error
    assert row.attempts == 1
    assert row.next_attempt_at is None


def test_sending_twice_sends_once() -> None:
    [row] = notify(subject="Một lần", body="", email="b@example.vn")
    notification_send(row.pk)
    notification_send(row.pk)
    assert len(mail.outbox) == 1


# -- Templates, languages, preferences ------------------------------------------------------------


def _dossier_with_addresses(citizen: Any = None) -> Any:
    dossier = make_dossier(channel=Channel.ONLINE, applicant=citizen or make_citizen())
    dossier.applicant_email = "an@example.vn"
    return dossier


def test_an_event_is_rendered_per_channel_with_the_dossier_facts() -> None:
    dossier = _dossier_with_addresses()
    rows = services.notify_applicant_event(dossier, event="refused", context={"note": "Thiếu giấy tờ"})
    by_channel = {row.channel: row for row in rows}
    assert set(by_channel) == {"in_app", "email", "sms"}
    email = by_channel["email"]
    assert email.subject == f"Hồ sơ {dossier.code} không được tiếp nhận"
    assert email.event == "refused"
    assert f"Thủ tục: {dossier.procedure_version.name}." in email.body
    assert "Thiếu giấy tờ" in email.body
    assert f"/tra-cuu/{dossier.code}/" in email.body
    sms = by_channel["sms"]
    assert sms.subject == email.subject  # the outbox reads the same on every channel
    assert sms.body.startswith(f"Hồ sơ {dossier.code} không được tiếp nhận. Thủ tục:")
    sms_sandbox.OUTBOX.clear()
    assert notification_send(sms.pk) == DeliveryStatus.SENT
    [(_phone, text)] = sms_sandbox.OUTBOX
    assert text.startswith(f"Ho so {dossier.code} khong duoc tiep nhan. Thu tuc:")  # sent without diacritics
    assert "Thieu giay to" in text


def test_an_english_preferring_citizen_gets_the_english_template() -> None:
    citizen = make_citizen()
    notification_preference_set(user=citizen, email=True, sms=True, language="en")
    dossier = _dossier_with_addresses(citizen)
    rows = services.notify_applicant_event(dossier, event="withdrawn")
    assert {row.subject for row in rows if row.channel != "sms"} == {f"Dossier {dossier.code} has been withdrawn"}
    # An explicit language wins over the preference.
    [row, *_] = notify_event(event="withdrawn", dossier=dossier, user=citizen, language="vi")
    assert row.subject == f"Hồ sơ {dossier.code} đã được rút"


def test_sms_off_means_no_sms_row_but_the_inbox_stays() -> None:
    citizen = make_citizen()
    notification_preference_set(user=citizen, email=True, sms=False, language="vi")
    rows = services.notify_applicant_event(_dossier_with_addresses(citizen), event="result_ready")
    assert {row.channel for row in rows} == {"in_app", "email"}
    notification_preference_set(user=citizen, email=False, sms=False, language="vi")
    rows = services.notify_applicant_event(_dossier_with_addresses(citizen), event="result_ready")
    assert {row.channel for row in rows} == {"in_app"}


def test_an_applicant_without_an_account_gets_every_channel_given() -> None:
    rows = notify_event(event="received", email="khach@example.vn", phone="0912345678")
    assert {row.channel for row in rows} == {"email", "sms"}
    assert all(row.recipient is None for row in rows)


def test_an_edited_template_replaces_the_default_and_a_channel_row_wins_for_its_channel() -> None:
    dossier = _dossier_with_addresses()
    template = NotificationTemplate(
        event="returned", language="vi", subject="Kết quả {{ dossier_code }} đã trao", body="Cảm ơn. {{ tracking_url }}"
    )
    template.full_clean()
    template.save()
    NotificationTemplate.objects.create(
        event="returned", language="vi", channel="sms", subject="SMS", body="KQ {{ dossier_code }} da tra"
    )
    rows = {row.channel: row for row in services.notify_applicant_event(dossier, event="returned")}
    assert rows["email"].subject == f"Kết quả {dossier.code} đã trao"
    assert rows["sms"].body == f"KQ {dossier.code} da tra"  # an SMS template sends its body alone
    NotificationTemplate.objects.update(active=False)
    rows = {row.channel: row for row in services.notify_applicant_event(dossier, event="returned")}
    assert rows["email"].subject == f"Đã trả kết quả hồ sơ {dossier.code}"


def test_a_broken_row_written_behind_the_admins_back_falls_back_to_the_default() -> None:
    NotificationTemplate.objects.create(event="stopped", language="vi", subject="{% if %}", body="x")
    dossier = _dossier_with_addresses()
    [row, *_] = services.notify_applicant_event(dossier, event="stopped")
    assert row.subject == f"Hồ sơ {dossier.code} bị dừng xử lý"


def test_a_verification_code_goes_only_where_asked_and_is_erased_once_sent() -> None:
    citizen = make_citizen()
    notification_preference_set(user=citizen, email=False, sms=False, language="vi")
    sms_sandbox.OUTBOX.clear()
    [row] = notify_event(
        event="verification_code", user=citizen, phone="0912345678", context={"code": "482913", "minutes": 10}
    )
    assert row.channel == "sms"  # no inbox copy, and the opt-out does not apply to a code asked for
    assert "482913" in row.body
    assert notification_send(row.pk) == DeliveryStatus.SENT
    assert "482913" in sms_sandbox.OUTBOX[-1][1]
    row.refresh_from_db()
    assert "482913" not in row.body


def test_an_unknown_event_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown"):
        notify_event(event="nonsense", email="a@example.vn")


# -- Retries ------------------------------------------------------------------------------------------


@override_settings(SMS_PROVIDER=FLAKY)
def test_a_failed_send_is_retried_after_1_4_16_64_minutes_then_given_up() -> None:
    FlakyProvider.calls.clear()
    [row] = notify(subject="Thông báo", body="Nội dung", phone="0912345678")
    now = timezone.now()
    waits = []
    for attempt in range(1, 5):
        assert notification_send(row.pk, now=now) == DeliveryStatus.PENDING
        row.refresh_from_db()
        assert row.attempts == attempt
        assert row.next_attempt_at is not None
        waits.append(row.next_attempt_at - now)
        # Too early: nothing is tried.
        assert notification_send(row.pk, now=row.next_attempt_at - dt.timedelta(seconds=1)) == DeliveryStatus.PENDING
        now = row.next_attempt_at
    assert waits == [dt.timedelta(minutes=m) for m in (1, 4, 16, 64)]
    assert notification_send(row.pk, now=now) == DeliveryStatus.FAILED
    row.refresh_from_db()
    assert (row.attempts, row.next_attempt_at, row.error) == (5, None, "gateway down")
    assert FlakyProvider.calls == [f"motcua-{row.pk}"] * 5  # the same reference on every retry


@override_settings(SMS_PROVIDER=FLAKY, TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
def test_a_retry_is_enqueued_to_run_after_the_backoff(django_capture_on_commit_callbacks: Any) -> None:
    from django_tasks import default_task_backend

    [row] = notify(subject="x", body="y", phone="0912345678")
    default_task_backend.clear()  # type: ignore[attr-defined]
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(row.pk, now=now)
    [queued] = default_task_backend.results  # type: ignore[attr-defined]
    assert queued.task.name == "send_notification"
    assert queued.args == [row.pk]
    assert queued.task.run_after == now + dt.timedelta(minutes=1)


@override_settings(SMS_PROVIDER=FLAKY)
def test_the_retry_command_sends_rows_whose_time_has_come() -> None:
    FlakyProvider.calls.clear()
    [due] = notify(subject="x", body="y", email="due@example.vn")
    [later] = notify(subject="x", body="y", email="later@example.vn")
    [flaky] = notify(subject="x", body="y", phone="0912345678")
    past = timezone.now() - dt.timedelta(minutes=10)
    Notification.objects.filter(pk__in=[due.pk, flaky.pk]).update(attempts=1, next_attempt_at=past)
    Notification.objects.filter(pk=later.pk).update(attempts=1, next_attempt_at=timezone.now() + dt.timedelta(hours=1))
    out = StringIO()
    call_command("notifications_retry", stdout=out)  # the immediate test backend sends at once
    assert "re-enqueued: 2" in out.getvalue()
    assert [m.to for m in mail.outbox] == [["due@example.vn"]]
    statuses = dict(Notification.objects.values_list("pk", "status"))
    assert statuses == {due.pk: "sent", later.pk: "pending", flaky.pk: "pending"}
    flaky.refresh_from_db()
    assert flaky.attempts == 2
    assert flaky.next_attempt_at is not None and flaky.next_attempt_at > timezone.now() + dt.timedelta(minutes=3)


def test_the_retry_command_leaves_rows_not_yet_late_when_tasks_can_wait() -> None:
    [row] = notify(subject="x", body="y", email="a@example.vn")
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - dt.timedelta(minutes=2))
    assert services.notifications_retry_due(grace=dt.timedelta(minutes=5)) == 0
    assert services.notifications_retry_due(grace=dt.timedelta(0)) == 1
