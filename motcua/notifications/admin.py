from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.notifications import templating
from motcua.notifications.models import Notification, NotificationPreference, NotificationTemplate


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["created_at", "event", "channel", "address", "recipient", "subject", "status", "attempts"]
    list_filter = ["channel", "status", "event"]
    search_fields = ["address", "subject", "dossier__code"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin[NotificationTemplate]):
    """Each template is tried on a sample dossier when saved (NotificationTemplate.clean); a new
    one starts from the shipped wording of the event and language chosen in the address
    (?event=received&language=en&channel=sms)."""

    list_display = ["event", "language", "channel", "subject", "active", "updated_at"]
    list_filter = ["event", "language", "channel", "active"]
    search_fields = ["subject", "body"]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        event = str(initial.get("event") or "received")
        if event in templating.EVENT_VARIABLES:
            language = str(initial.get("language") or templating.DEFAULT_LANGUAGE)
            channel = str(initial.get("channel") or templating.ALL_CHANNELS)
            default = templating.default_template(event, language, channel)
            initial.setdefault("subject", default.subject)
            initial.setdefault("body", default.body)
        return initial


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin[NotificationPreference]):
    list_display = ["user", "email", "sms", "language", "updated_at"]
    list_filter = ["email", "sms", "language"]
    search_fields = ["user__username", "user__full_name"]
    raw_id_fields = ["user"]
