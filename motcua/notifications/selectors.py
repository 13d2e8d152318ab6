"""Reads of notifications: a person's channel choices, their portal inbox, the template to use."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from motcua.accounts.models import User
from motcua.notifications import templating
from motcua.notifications.models import (
    Language,
    Notification,
    NotificationChannel,
    NotificationPreference,
    NotificationTemplate,
)


@dataclass(frozen=True)
class Preference:
    """What a person wants; `stored` is False for the defaults of someone who never chose."""

    email: bool = True
    sms: bool = True
    in_app: bool = True
    language: str = Language.VI
    stored: bool = False


def preference_for_user(user: User | None) -> Preference:
    if user is None or user.pk is None:
        return Preference()
    row = NotificationPreference.objects.filter(user=user).first()
    if row is None:
        return Preference()
    return Preference(email=row.email, sms=row.sms, language=row.language, stored=True)


def inbox_for_user(user: User, *, limit: int = 100) -> QuerySet[Notification]:
    """The person's own portal notifications, newest first: never anyone else's."""
    return Notification.objects.filter(recipient=user, channel=NotificationChannel.IN_APP).order_by(
        "-created_at", "-pk"
    )[:limit]


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, channel=NotificationChannel.IN_APP, read_at__isnull=True).count()


def template_for(*, event: str, language: str, channel: str) -> templating.TemplateText:
    """The active row for this channel, else for all channels, in `language` then Vietnamese;
    else the shipped default. A row always wins over a default in the same language."""
    languages = [language] if language == templating.DEFAULT_LANGUAGE else [language, templating.DEFAULT_LANGUAGE]
    rows = {
        (row.language, row.channel): row
        for row in NotificationTemplate.objects.filter(
            event=event, language__in=languages, channel__in=[channel, templating.ALL_CHANNELS], active=True
        )
    }
    for lang in languages:
        for each in (channel, templating.ALL_CHANNELS):
            if (lang, each) in rows:
                row = rows[(lang, each)]
                return templating.TemplateText(row.subject, row.body, row.channel)
        for each in (channel, templating.ALL_CHANNELS):
            if (event, lang, each) in templating.DEFAULTS:
                return templating.DEFAULTS[(event, lang, each)]
    return templating.default_template(event, language, channel)
