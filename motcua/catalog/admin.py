from __future__ import annotations

from django.contrib import admin

from motcua.catalog.models import Agency


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ["code", "name", "kind", "parent"]
    search_fields = ["code", "name"]
