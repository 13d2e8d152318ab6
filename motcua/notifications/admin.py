from __future__ import annotations

from django.contrib import admin

from motcua.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["created_at", "channel", "address", "recipient", "subject", "status", "attempts"]
    list_filter = ["channel", "status"]
    search_fields = ["address", "subject", "dossier__code"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
