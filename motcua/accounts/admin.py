from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Membership, User


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ["username", "full_name", "kind", "email", "is_staff"]
    list_filter = ["kind", "is_staff", "is_superuser", "is_active"]
    search_fields = ["username", "full_name", "email", "personal_id", "tax_code"]
    inlines = [MembershipInline]
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (_("MotCua"), {"fields": ("kind", "full_name", "phone", "personal_id", "tax_code")}),
    )
