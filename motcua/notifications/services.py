"""Writes of notifications: put messages in the outbox, in the caller's transaction; send
them after commit through a background task."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from motcua.accounts.models import Membership, User
from motcua.core.text import strip_accents
from motcua.dossiers.models import Dossier
from motcua.notifications.channels.base import DeliveryError, SmsProvider
from motcua.notifications.models import DeliveryStatus, Notification, NotificationChannel

MAX_ATTEMPTS = 5


def notify(
    *,
    subject: str,
    body: str,
    dossier: Dossier | None = None,
    user: User | None = None,
    email: str = "",
    phone: str = "",
) -> list[Notification]:
    """One outbox row per channel the person has: in-app (an account), e-mail, SMS."""
    rows = []
    if user is not None:
        rows.append(Notification(channel=NotificationChannel.IN_APP, recipient=user))
    if email:
        rows.append(Notification(channel=NotificationChannel.EMAIL, recipient=user, address=email))
    if phone:
        rows.append(Notification(channel=NotificationChannel.SMS, recipient=user, address=phone))
    for row in rows:
        row.subject = subject[:255]
        row.body = body
        row.dossier = dossier
    created = Notification.objects.bulk_create(rows)
    ids = [row.pk for row in created]
    transaction.on_commit(lambda: _enqueue(ids))
    return created


def notify_applicant(dossier: Dossier, *, subject: str, body: str) -> list[Notification]:
    """Through every channel the applicant gave us."""
    return notify(
        subject=subject,
        body=body,
        dossier=dossier,
        user=dossier.applicant,
        email=dossier.applicant_email or (dossier.applicant.email if dossier.applicant else ""),
        phone=dossier.applicant_phone,
    )


def notify_officials(dossier: Dossier, *, roles: set[str], subject: str, body: str) -> list[Notification]:
    """The assignee and every official of the handling agency holding one of `roles`."""
    agency_id = dossier.current_agency_id or dossier.agency_id
    users = {
        m.user
        for m in Membership.objects.filter(agency_id=agency_id, role__in=roles, active=True).select_related("user")
    }
    if dossier.assignee is not None:
        users.add(dossier.assignee)
    sent = []
    for user in sorted(users, key=lambda u: u.pk):
        sent += notify(subject=subject, body=body, dossier=dossier, user=user, email=user.email)
    return sent


def _enqueue(ids: list[int]) -> None:
    from motcua.notifications.tasks import send_notification

    for pk in ids:
        send_notification.enqueue(pk)


def sms_provider() -> SmsProvider:
    provider: SmsProvider = import_string(settings.SMS_PROVIDER)()
    return provider


def notification_send(notification_id: int) -> str:
    """Deliver one outbox row; idempotent (a sent row is not sent again)."""
    with transaction.atomic():
        row = Notification.objects.select_for_update().get(pk=notification_id)
        if row.status == DeliveryStatus.SENT:
            return row.status
        row.attempts += 1
        try:
            if row.channel == NotificationChannel.EMAIL:
                send_mail(row.subject, row.body, None, [row.address])
            elif row.channel == NotificationChannel.SMS:
                sms_provider().send(phone=row.address, text=strip_accents(f"{row.subject}. {row.body}"))
            row.status = DeliveryStatus.SENT
            row.sent_at = timezone.now()
            row.error = ""
        except (DeliveryError, OSError) as exc:
            row.error = str(exc)
            row.status = DeliveryStatus.FAILED if row.attempts >= MAX_ATTEMPTS else DeliveryStatus.PENDING
        row.save(update_fields=["status", "attempts", "sent_at", "error"])
    return row.status
