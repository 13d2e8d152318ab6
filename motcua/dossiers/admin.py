"""Admin: workflows are edited here; dossiers and their events are read-only (append-only
audit), changed only through the back office, which calls the transition service."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from motcua.dossiers.documents import admin as _documents_admin  # noqa: F401 - registers DocumentTemplate
from motcua.dossiers.models import Dossier, DossierEvent, DossierRating, DossierView, Workflow, WorkflowStep


class WorkflowStepInline(admin.TabularInline[WorkflowStep, Workflow]):
    model = WorkflowStep
    extra = 0
    autocomplete_fields = ["agency"]


@admin.register(Workflow)
class WorkflowAdmin(admin.ModelAdmin[Workflow]):
    list_display = ["procedure_version", "number", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["procedure_version__name", "procedure_version__procedure__national_code"]
    autocomplete_fields = ["procedure_version"]
    inlines = [WorkflowStepInline]

    def has_change_permission(self, request: HttpRequest, obj: Workflow | None = None) -> bool:
        # A workflow some dossier is pinned to is history: change it by adding a new one.
        if obj is not None and Dossier.objects.filter(workflow=obj).exists():
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Workflow | None = None) -> bool:
        if obj is not None and Dossier.objects.filter(workflow=obj).exists():
            return False
        return super().has_delete_permission(request, obj)


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EventInline(admin.TabularInline[DossierEvent, Dossier]):
    model = DossierEvent
    fields = ("at", "actor", "actor_role", "action", "from_status", "to_status", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Dossier | None = None) -> bool:
        return False


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdmin):
    list_display = ["code", "applicant_name", "procedure_version", "agency", "status", "received_at", "due_at"]
    list_filter = ["status", "channel", "agency"]
    search_fields = ["code", "applicant_name", "applicant_id_number"]
    date_hierarchy = "submitted_at"
    inlines = [EventInline]


@admin.register(DossierEvent)
class DossierEventAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "at", "actor", "action", "from_status", "to_status"]
    list_filter = ["action"]
    search_fields = ["dossier__code"]


@admin.register(DossierView)
class DossierViewAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "user", "at"]
    search_fields = ["dossier__code", "user__username"]


@admin.register(DossierRating)
class DossierRatingAdmin(ReadOnlyAdmin):
    list_display = ["dossier", "overall", "convenience", "staff_attitude", "on_time", "rated_at"]
    list_filter = ["overall", "on_time"]
    search_fields = ["dossier__code"]
