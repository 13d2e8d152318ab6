"""The wording of the standard documents in the admin. A superuser edits the wording of every
agency; an agency admin (accounts Role.AGENCY_ADMIN, with staff access and the model's
permissions) only that of their own agencies. The model's clean() renders the wording with a
sample dossier before it is saved.

Registered by `motcua.dossiers.admin` importing this module (the admin autodiscovers only an
app's top-level admin module).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import ForeignKey, QuerySet
from django.http import HttpRequest

from motcua.accounts.models import Membership, Role
from motcua.catalog.models import Agency
from motcua.dossiers.models import DocumentTemplate


def _admin_agency_ids(request: HttpRequest) -> set[int]:
    if not request.user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(user=request.user, role=Role.AGENCY_ADMIN, active=True).values_list(
            "agency_id", flat=True
        )
    )


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin[DocumentTemplate]):
    list_display = ["kind", "agency", "active", "updated_at"]
    list_filter = ["kind", "active"]
    search_fields = ["agency__name", "agency__code"]
    formfield_overrides = {
        # Room to edit HTML; monospace so the template tags line up.
        DocumentTemplate._meta.get_field("html").__class__: {
            "widget": forms.Textarea(attrs={"rows": 30, "cols": 110, "style": "font-family: monospace;"})
        }
    }

    def get_queryset(self, request: HttpRequest) -> QuerySet[DocumentTemplate]:
        queryset = super().get_queryset(request).select_related("agency")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(agency_id__in=_admin_agency_ids(request))

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if db_field.name == "agency" and not request.user.is_superuser:
            # An agency admin may not write the wording of all agencies (agency empty) either.
            kwargs["queryset"] = Agency.objects.filter(pk__in=_admin_agency_ids(request))
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
