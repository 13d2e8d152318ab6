from django.contrib import admin
from django.http import HttpRequest

from motcua.uploads.models import Upload


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin[Upload]):
    """Read-only: uploads change only through motcua.uploads.services (accept, scan)."""

    list_display = ["display_name", "kind", "size", "status", "owner", "uploaded_by", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["display_name", "sha256"]
    # The stored file has no URL (private storage): it is fetched through the upload view only.
    exclude = ["file"]
    readonly_fields = [field.name for field in Upload._meta.fields if field.name != "file"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Upload | None = None) -> bool:
        return False
