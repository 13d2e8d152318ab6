from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Consent, Membership, User, VerificationCode


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ["username", "full_name", "kind", "email", "phone", "identity_verified_at", "is_staff"]
    list_filter = ["kind", "is_staff", "is_superuser", "is_active"]
    search_fields = ["username", "full_name", "email", "phone", "personal_id", "tax_code"]
    inlines = [MembershipInline]
    readonly_fields = ["identity_verified_at", "identity_provider", "identity_subject", "identity_verified_fields"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (
            _("MotCua"),
            {
                "fields": (
                    "kind",
                    "full_name",
                    "phone",
                    "personal_id",
                    "tax_code",
                    "birth_date",
                    "address",
                    "province_code",
                    "ward_code",
                )
            },
        ),
        (
            _("Định danh điện tử"),
            {"fields": ("identity_verified_at", "identity_provider", "identity_subject", "identity_verified_fields")},
        ),
    )


@admin.register(VerificationCode)
class VerificationCodeAdmin(admin.ModelAdmin[VerificationCode]):
    """Read-only: for support staff answering "I never got the code"."""

    list_display = ["address", "purpose", "created_at", "expires_at", "attempts", "used_at"]
    list_filter = ["purpose"]
    search_fields = ["address"]
    exclude = ["code_hash"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: VerificationCode | None = None) -> bool:
        return False


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin[Consent]):
    """Consents are evidence: they are recorded and revoked through services, never edited here."""

    list_display = ["citizen_name", "citizen_personal_id", "official", "agency", "method", "given_at", "revoked_at"]
    list_filter = ["method", "agency"]
    search_fields = ["citizen_name", "citizen_personal_id", "purpose"]
    date_hierarchy = "given_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Consent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Consent | None = None) -> bool:
        return False
