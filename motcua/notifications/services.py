"""Writes of notifications: put messages in the outbox, in the caller's transaction; send
them after commit through a background task, retrying failures with exponential backoff.

`notify_event` is the way in: it picks the template of the event in the person's language,
renders it per channel and writes one outbox row per channel the person wants. `notify` (text
given by the caller) stays for messages that have no template.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from motcua.accounts.models import Membership, User
from motcua.dossiers.models import Dossier
from motcua.notifications import selectors, templating
from motcua.notifications.channels.base import DeliveryError, SmsProvider
from motcua.notifications.models import (
    DeliveryStatus,
    Language,
    Notification,
    NotificationChannel,
    NotificationPreference,
)

logger = logging.getLogger("motcua.notifications")

MAX_ATTEMPTS = 5
# After the n-th failed attempt the next one comes 1, 4, 16, 64 minutes later: a gateway that
# is down for a few minutes costs one retry, one down for an hour is still reached.
BACKOFF_FIRST = dt.timedelta(minutes=1)
BACKOFF_FACTOR = 4
# How late a scheduled retry must be before the retry command re-enqueues it (the worker was
# down, or the enqueue after commit was lost). Shorter would race with the scheduled task.
RETRY_GRACE = dt.timedelta(minutes=5)
ERASED = "[đã xoá sau khi gửi / erased after sending]"


@dataclass(frozen=True)
class EventRules:
    in_app: bool = True  # also a row in the portal inbox when the person has an account
    respects_preferences: bool = True  # False: sent on the channel given, whatever the person chose
    secret: bool = False  # the body is erased once delivered or given up (it holds a code)
    max_attempts: int = MAX_ATTEMPTS


_RULES: dict[str, EventRules] = {
    # A one-time code is asked for on one channel and is useless ten minutes later: no inbox
    # copy, no opting out, one retry, and it does not stay readable in the admin.
    "verification_code": EventRules(in_app=False, respects_preferences=False, secret=True, max_attempts=2),
}


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failed attempt: 1, 4, 16, 64 minutes."""
    factor: int = BACKOFF_FACTOR ** (attempts - 1)
    return BACKOFF_FIRST * factor


# -- Writing the outbox ---------------------------------------------------------------------------


def _outbox(rows: list[Notification]) -> list[Notification]:
    created = Notification.objects.bulk_create(rows)
    ids = [row.pk for row in created]
    # After commit: nothing is announced that was rolled back.
    transaction.on_commit(lambda: _enqueue(ids))
    return created


def notify(
    *,
    subject: str,
    body: str,
    dossier: Dossier | None = None,
    user: User | None = None,
    email: str = "",
    phone: str = "",
) -> list[Notification]:
    """One outbox row per channel the person has (in-app for an account, e-mail, SMS), with the
    caller's own text. Prefer `notify_event`, whose wording the agency can edit."""
    rows = []
    if user is not None:
        rows.append(Notification(channel=NotificationChannel.IN_APP, recipient=user, subject=subject, body=body))
    if email:
        rows.append(
            Notification(channel=NotificationChannel.EMAIL, recipient=user, address=email, subject=subject, body=body)
        )
    if phone:
        text = templating.sms_compose(subject, body)
        rows.append(
            Notification(channel=NotificationChannel.SMS, recipient=user, address=phone, subject=subject, body=text)
        )
    for row in rows:
        row.subject = row.subject[:255]
        row.dossier = dossier
    return _outbox(rows)


def notify_event(
    *,
    event: str,
    dossier: Dossier | None = None,
    user: User | None = None,
    email: str = "",
    phone: str = "",
    context: Mapping[str, object] | None = None,
    language: str | None = None,
) -> list[Notification]:
    """Tell one person that `event` happened, in their language, on the channels they want.

    - language: `language` if given, else the person's choice, else Vietnamese;
    - channels: in-app when there is an account; e-mail and SMS when an address is given and the
      person has not switched that channel off (someone without an account gets every channel
      they gave);
    - `context`: the event's values besides the dossier's own (note, reason, old/new appointment,
      code, minutes); datetimes are written as "08:00 ngày 05/03/2026".
    """
    if event not in templating.EVENT_VARIABLES:
        raise ValueError(f"unknown notification event {event!r}")
    rules = _RULES.get(event, EventRules())
    preference = selectors.preference_for_user(user)
    if language is None or language not in templating.LANGUAGES:
        language = preference.language
    values = _context(event, dossier, context or {}, language)
    targets: list[tuple[str, str]] = []
    if user is not None and rules.in_app:
        targets.append((NotificationChannel.IN_APP, ""))
    if email and (preference.email or not rules.respects_preferences):
        targets.append((NotificationChannel.EMAIL, email))
    if phone and (preference.sms or not rules.respects_preferences):
        targets.append((NotificationChannel.SMS, phone))
    rows = []
    for channel, address in targets:
        message = _render(event, language, channel, values)
        rows.append(
            Notification(
                channel=channel,
                recipient=user,
                address=address,
                subject=message.subject,
                body=message.body,
                dossier=dossier,
                event=event,
            )
        )
    return _outbox(rows)


def _context(event: str, dossier: Dossier | None, extra: Mapping[str, object], language: str) -> dict[str, str]:
    """Plain strings only (see templating): the dossier's facts, then the caller's values; a
    template sees exactly the variables of its event, empty when there is nothing to say."""
    from motcua.dossiers.services import tracking_url

    english = language == Language.EN
    values: dict[str, str] = {"site_name": str(settings.SITE_NAME)}
    if dossier is not None:
        version = dossier.procedure_version
        agency = dossier.agency
        values |= {
            "dossier_code": dossier.code,
            "procedure": (version.name_en if english and version.name_en else version.name),
            "agency": (agency.name_en if english and agency.name_en else agency.name),
            "appointment": templating.when(dossier.due_at, language),
            "tracking_url": tracking_url(dossier),
        }
    for name, value in extra.items():
        values[name] = templating.when(value, language) if isinstance(value, dt.datetime) else str(value).strip()
    return {name: values.get(name, "") for name in templating.EVENT_VARIABLES[event]}


def _render(event: str, language: str, channel: str, values: dict[str, str]) -> templating.Rendered:
    template = selectors.template_for(event=event, language=language, channel=channel)
    try:
        return templating.render(template, values, channel=channel)
    except templating.TemplateProblem:
        # A row that slipped past the admin's check (written by hand in the database): the
        # citizen still gets the shipped wording, and the failure is in the log.
        logger.exception("notification template %s/%s/%s fails; using the default", event, language, channel)
        return templating.render(templating.default_template(event, language, channel), values, channel=channel)


def _applicant_addresses(dossier: Dossier) -> tuple[str, str]:
    email = dossier.applicant_email or (dossier.applicant.email if dossier.applicant else "")
    return email, dossier.applicant_phone


def notify_applicant(dossier: Dossier, *, subject: str, body: str) -> list[Notification]:
    """Through every channel the applicant gave us, with the caller's text."""
    email, phone = _applicant_addresses(dossier)
    return notify(subject=subject, body=body, dossier=dossier, user=dossier.applicant, email=email, phone=phone)


def notify_applicant_event(
    dossier: Dossier, *, event: str, context: Mapping[str, object] | None = None
) -> list[Notification]:
    """`notify_event` for the applicant of `dossier`, at the addresses on the dossier."""
    email, phone = _applicant_addresses(dossier)
    return notify_event(event=event, dossier=dossier, user=dossier.applicant, email=email, phone=phone, context=context)


def _officials(dossier: Dossier, roles: set[str]) -> list[User]:
    """The assignee and every active official of the handling agency holding one of `roles`."""
    agency_id = dossier.current_agency_id or dossier.agency_id
    users = {
        m.user
        for m in Membership.objects.filter(agency_id=agency_id, role__in=roles, active=True).select_related("user")
    }
    if dossier.assignee is not None:
        users.add(dossier.assignee)
    return sorted(users, key=lambda u: u.pk)


def notify_officials(dossier: Dossier, *, roles: set[str], subject: str, body: str) -> list[Notification]:
    """The assignee and every official of the handling agency holding one of `roles`."""
    sent = []
    for user in _officials(dossier, roles):
        sent += notify(subject=subject, body=body, dossier=dossier, user=user, email=user.email)
    return sent


def notify_officials_event(
    dossier: Dossier, *, roles: set[str], event: str, context: Mapping[str, object] | None = None
) -> list[Notification]:
    """`notify_event` for the assignee and the officials of the handling agency holding `roles`."""
    sent = []
    for user in _officials(dossier, roles):
        sent += notify_event(event=event, dossier=dossier, user=user, email=user.email, context=context)
    return sent


# -- Choices and the inbox ------------------------------------------------------------------------


def notification_preference_set(*, user: User, email: bool, sms: bool, language: str) -> NotificationPreference:
    row = NotificationPreference.objects.filter(user=user).first() or NotificationPreference(user=user)
    row.email = email
    row.sms = sms
    row.language = language
    row.full_clean()
    row.save()
    return row


def notification_mark_read(*, user: User, notification_id: int, now: dt.datetime | None = None) -> bool:
    """Mark one of the person's own inbox items as read; False if there is no such item of theirs."""
    own = Notification.objects.filter(pk=notification_id, recipient=user, channel=NotificationChannel.IN_APP)
    if not own.exists():
        return False
    own.filter(read_at__isnull=True).update(read_at=now or timezone.now())
    return True


def notifications_mark_all_read(*, user: User, now: dt.datetime | None = None) -> int:
    return Notification.objects.filter(recipient=user, channel=NotificationChannel.IN_APP, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


# -- Sending --------------------------------------------------------------------------------------


def _enqueue(ids: list[int]) -> None:
    from motcua.notifications.tasks import send_notification

    for pk in ids:
        send_notification.enqueue(pk)


def _supports_deferred_tasks() -> bool:
    from motcua.notifications.tasks import send_notification

    return bool(send_notification.get_backend().supports_defer)


def _enqueue_retry(notification_id: int, run_after: dt.datetime) -> None:
    """The next attempt as a task that waits until `run_after` (django-tasks' `run_after`). A
    backend that cannot defer (the immediate one) would send again at once and burn every
    attempt in a second: there the retry command is the only retry."""
    from motcua.notifications.tasks import send_notification

    if _supports_deferred_tasks():
        send_notification.using(run_after=run_after).enqueue(notification_id)


def sms_provider() -> SmsProvider:
    provider: SmsProvider = import_string(settings.SMS_PROVIDER)()
    return provider


def _deliver(row: Notification) -> str:
    """Hand the row to its channel; the gateway's message id, if any."""
    if row.channel == NotificationChannel.EMAIL:
        send_mail(row.subject, row.body, None, [row.address])
    elif row.channel == NotificationChannel.SMS:
        # The body of an SMS row is the whole message (templating.render), kept with its
        # diacritics for people reading the outbox; the gateway gets it folded to GSM-7.
        return sms_provider().send(phone=row.address, text=templating.sms_text(row.body), reference=f"motcua-{row.pk}")
    return ""


def notification_send(notification_id: int, *, now: dt.datetime | None = None) -> str:
    """Deliver one outbox row; idempotent (a sent or given-up row is not sent again, and a retry
    that comes before its time waits for the scheduled one).

    The row stays locked while the channel is called, so two workers never send it twice; the
    price is a transaction as long as one gateway call (bounded by its timeout).
    """
    now = now or timezone.now()
    retry_at: dt.datetime | None = None
    with transaction.atomic():
        row = Notification.objects.select_for_update().get(pk=notification_id)
        if row.status != DeliveryStatus.PENDING:
            return row.status
        if row.next_attempt_at is not None and now < row.next_attempt_at:
            return row.status
        rules = _RULES.get(row.event, EventRules())
        row.attempts += 1
        try:
            row.provider_reference = _deliver(row)[:100]
            row.status = DeliveryStatus.SENT
            row.sent_at = now
            row.error = ""
            row.next_attempt_at = None
        except (DeliveryError, OSError) as exc:  # smtplib's errors are OSErrors
            row.error = str(exc)[:2000]
            if getattr(exc, "permanent", False) or row.attempts >= rules.max_attempts:
                row.status = DeliveryStatus.FAILED
                row.next_attempt_at = None
            else:
                retry_at = row.next_attempt_at = now + retry_delay(row.attempts)
            logger.warning("notification %s attempt %s failed: %s", row.pk, row.attempts, exc)
        if rules.secret and row.status != DeliveryStatus.PENDING:
            row.body = ERASED
        row.save(
            update_fields=["status", "attempts", "sent_at", "error", "next_attempt_at", "provider_reference", "body"]
        )
        if retry_at is not None:
            scheduled = retry_at
            transaction.on_commit(lambda: _enqueue_retry(notification_id, scheduled))
    return row.status


def notifications_retry_due(
    *, now: dt.datetime | None = None, grace: dt.timedelta | None = None, limit: int = 1000
) -> int:
    """Re-enqueue pending rows whose attempt is overdue by more than `grace`: the safety net for
    a worker that was down or an enqueue lost after commit. Returns how many were enqueued."""
    now = now or timezone.now()
    if grace is None:
        grace = RETRY_GRACE if _supports_deferred_tasks() else dt.timedelta(0)
    late = now - grace
    ids = list(
        Notification.objects.filter(status=DeliveryStatus.PENDING)
        .filter(Q(next_attempt_at__lte=late) | Q(next_attempt_at__isnull=True, created_at__lte=late))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    _enqueue(ids)
    return len(ids)
