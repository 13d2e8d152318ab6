"""Catalogue admin: agencies, fields, topics, procedures and their versions.

A published version is read-only here (every field and inline, no delete): the admin's change
permission is refused for it, so Django shows it view-only and refuses a POST with 403. Changing
it means "Tạo phiên bản mới" (services.procedure_version_new_draft), editing the draft, then
"Công bố" (services.procedure_version_publish).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from motcua.catalog import services
from motcua.catalog.models import (
    VERSION_CONTENT_FIELDS,
    Agency,
    DossierComponent,
    Fee,
    Field,
    LegalBasis,
    Procedure,
    ProcedureStep,
    ProcedureVersion,
    ProcessingTimeByChannel,
    Topic,
    VersionState,
)
from motcua.core.errors import MotCuaError

FEE_NEGATIVE = "Mức thu phải ≥ 0 đồng / The amount must be ≥ 0 VND."
TIME_NOT_POSITIVE = " / ".join(services.PROCESSING_TIME_RULE) + "."


# -- Agencies, fields, topics -------------------------------------------------------------------


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    # search_fields is also what the accounts Membership inline's autocomplete uses.
    list_display = ["code", "name", "kind", "parent", "province_code", "ward_code", "is_receiving_point", "active"]
    list_filter = ["kind", "province_code", "is_receiving_point", "active"]
    search_fields = ["code", "name", "short_name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("code", "name", "name_en", "short_name", "kind", "parent", "active")}),
        (_("Địa bàn"), {"fields": ("province_code", "ward_code", "is_receiving_point")}),
        (_("Liên hệ"), {"fields": ("address", "phone", "email", "website", "office_hours")}),
    )


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin[Field]):
    list_display = ["name", "code", "slug"]
    search_fields = ["name", "code", "slug"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin[Topic]):
    list_display = ["name", "slug", "order", "icon"]
    list_editable = ["order"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}


# -- Procedures -----------------------------------------------------------------------------------


class VersionListInline(admin.TabularInline[ProcedureVersion, Procedure]):
    """The procedure's versions, newest first, each linking to its own page."""

    model = ProcedureVersion
    fields = ["number", "name", "state", "effective_from", "published_at"]
    readonly_fields = ["number", "name", "state", "effective_from", "published_at"]
    ordering = ["-number"]
    extra = 0
    show_change_link = True
    can_delete = False
    verbose_name_plural = _("các phiên bản")

    def has_add_permission(self, request: HttpRequest, obj: Procedure | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Procedure | None = None) -> bool:
        return False


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin[Procedure]):
    list_display = ["__str__", "name", "field", "status", "current_version_number"]
    list_filter = ["status", "field"]
    search_fields = ["national_code", "slug", "versions__name"]
    list_select_related = ["field", "current_version"]
    autocomplete_fields = ["field"]
    filter_horizontal = ["topics"]
    readonly_fields = ["current_version"]
    inlines = [VersionListInline]

    @admin.display(description=_("tên thủ tục"))
    def name(self, procedure: Procedure) -> str:
        return procedure.current_version.name if procedure.current_version else "—"

    @admin.display(description=_("phiên bản hiện hành"))
    def current_version_number(self, procedure: Procedure) -> str:
        return f"v{procedure.current_version.number}" if procedure.current_version else "—"


# -- Versions -------------------------------------------------------------------------------------


class _VersionChildInline:
    """Children of a version follow its state: editable on a draft, read-only once published."""

    extra = 0

    def _editable(self, obj: ProcedureVersion | None) -> bool:
        return obj is None or obj.state == VersionState.DRAFT

    def has_add_permission(self, request: HttpRequest, obj: ProcedureVersion | None = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: ProcedureVersion | None = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: ProcedureVersion | None = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)  # type: ignore[misc]


class StepInline(_VersionChildInline, admin.TabularInline[ProcedureStep, ProcedureVersion]):
    model = ProcedureStep


class LegalBasisInline(_VersionChildInline, admin.TabularInline[LegalBasis, ProcedureVersion]):
    model = LegalBasis


class FeeForm(forms.ModelForm[Fee]):
    class Meta:
        model = Fee
        fields = ["order", "code", "name", "kind", "amount_vnd", "exemptions"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Our own message rather than the generic "≥ 0" of PositiveBigIntegerField.
        amount = self.fields["amount_vnd"]
        assert isinstance(amount, forms.IntegerField)
        amount.min_value = None
        amount.validators = []
        amount.widget.attrs.pop("min", None)

    def clean_amount_vnd(self) -> int | None:
        amount: int | None = self.cleaned_data.get("amount_vnd")
        if amount is not None and amount < 0:
            raise forms.ValidationError(FEE_NEGATIVE, code="fee_negative")
        return amount


class FeeInline(_VersionChildInline, admin.TabularInline[Fee, ProcedureVersion]):
    model = Fee
    form = FeeForm


class ComponentInline(_VersionChildInline, admin.StackedInline[DossierComponent, ProcedureVersion]):
    model = DossierComponent
    fields = [("order", "code"), "name", ("originals", "copies", "required"), "form", "note"]


class ChannelTimeForm(forms.ModelForm[ProcessingTimeByChannel]):
    class Meta:
        model = ProcessingTimeByChannel
        fields = ["channel", "value", "unit", "note"]

    def clean_value(self) -> Decimal:
        value: Decimal = self.cleaned_data["value"]
        if value is not None and value <= 0:
            raise forms.ValidationError(TIME_NOT_POSITIVE, code="time_not_positive")
        return value


class ChannelTimeInline(_VersionChildInline, admin.TabularInline[ProcessingTimeByChannel, ProcedureVersion]):
    model = ProcessingTimeByChannel
    form = ChannelTimeForm


class VersionForm(forms.ModelForm[ProcedureVersion]):
    class Meta:
        model = ProcedureVersion
        fields = ["procedure", *VERSION_CONTENT_FIELDS, "receiving_agencies"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        value = data.get("processing_time_value")
        cutoff = data.get("same_day_cutoff")
        if not services.processing_time_is_valid(value, cutoff):
            self.add_error("processing_time_value", TIME_NOT_POSITIVE)
        return data


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin[ProcedureVersion]):
    form = VersionForm
    list_display = ["procedure", "number", "name", "state", "effective_from", "published_at"]
    list_filter = ["state", "administrative_level", "online_level", "legacy_level"]
    search_fields = ["name", "procedure__national_code", "procedure__slug"]
    list_select_related = ["procedure"]
    autocomplete_fields = ["procedure", "competent_agency", "receiving_agencies"]
    readonly_fields = ["number", "state", "published_at", "version_actions"]
    actions = ["publish_selected", "new_draft_of_selected"]
    inlines = [StepInline, ComponentInline, FeeInline, LegalBasisInline, ChannelTimeInline]
    fieldsets = (
        (None, {"fields": ("version_actions", "procedure", ("number", "state"), ("effective_from", "published_at"))}),
        (_("Thông tin chung"), {"fields": ("name", "name_en", "summary", "summary_en", "administrative_level")}),
        (_("Đối tượng"), {"fields": (("for_citizens", "for_businesses", "for_organisations"),)}),
        (_("Cơ quan"), {"fields": ("competent_agency", "competent_agency_text", "receiving_agencies")}),
        (
            _("Cách thức và thời hạn"),
            {
                "fields": (
                    ("channel_counter", "channel_online", "channel_post"),
                    ("processing_time_value", "processing_time_unit", "same_day_cutoff"),
                    "processing_time_note",
                )
            },
        ),
        (
            _("Kết quả"),
            {"fields": ("result_name", "result_template", ("result_by_counter", "result_by_post", "result_online"))},
        ),
        (
            _("Khác"),
            {
                "fields": (
                    "requirements",
                    "publishing_decision",
                    "source",
                    ("legacy_level", "online_level", "full_online_eligible"),
                )
            },
        ),
    )

    # Published versions: view-only, never deleted.
    def has_change_permission(self, request: HttpRequest, obj: ProcedureVersion | None = None) -> bool:
        if obj is not None and obj.state == VersionState.PUBLISHED:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: ProcedureVersion | None = None) -> bool:
        if obj is not None and obj.state == VersionState.PUBLISHED:
            return False
        return super().has_delete_permission(request, obj)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        # Bulk delete from the changelist must skip published versions too.
        if any(getattr(o, "state", None) == VersionState.PUBLISHED for o in objs):
            return [], {}, {_("phiên bản đã công bố / published version")}, []
        return super().get_deleted_objects(objs, request)

    def save_model(self, request: HttpRequest, obj: ProcedureVersion, form: Any, change: bool) -> None:
        if change:
            services.ensure_editable(ProcedureVersion.objects.get(pk=obj.pk))
        else:
            last = obj.procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0
            obj.number = last + 1
            obj.state = VersionState.DRAFT
        obj.search_text = services.version_search_text(obj)
        super().save_model(request, obj, form, change)

    # -- buttons on the change page ---------------------------------------------------------------

    @admin.display(description=_("Thao tác"))
    def version_actions(self, version: ProcedureVersion) -> SafeString | str:
        if version.pk is None:
            return "—"
        if version.state == VersionState.PUBLISHED:
            url = reverse("admin:catalog_procedureversion_new_draft", args=[version.pk])
            label = "Tạo phiên bản mới"
            hint = "Phiên bản đã công bố không sửa được / A published version cannot be edited."
        else:
            url = reverse("admin:catalog_procedureversion_publish", args=[version.pk])
            label = "Công bố"
            hint = "Lưu các thay đổi trước khi công bố / Save your changes before publishing."
        # `formaction` posts the change form (with its CSRF token) to our own view.
        return format_html(
            '<button type="submit" class="button" formaction="{}" formmethod="post" formnovalidate>{}</button> '
            '<span class="help">{}</span>',
            url,
            label,
            hint,
        )

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "<int:object_id>/cong-bo/",
                self.admin_site.admin_view(self.publish_view),
                name="catalog_procedureversion_publish",
            ),
            path(
                "<int:object_id>/phien-ban-moi/",
                self.admin_site.admin_view(self.new_draft_view),
                name="catalog_procedureversion_new_draft",
            ),
        ]
        return own + super().get_urls()

    def _change_url(self, version: ProcedureVersion) -> str:
        return reverse("admin:catalog_procedureversion_change", args=[version.pk])

    def publish_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        version = get_object_or_404(ProcedureVersion, pk=object_id)
        if not self.has_change_permission(request, version):
            messages.error(request, "Phiên bản đã công bố / Already published.")
            return HttpResponseRedirect(self._change_url(version))
        self._publish(request, version)
        return HttpResponseRedirect(self._change_url(version))

    def new_draft_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_add_permission(request):
            return HttpResponseRedirect(reverse("admin:index"))
        version = get_object_or_404(ProcedureVersion, pk=object_id)
        draft = self._new_draft(request, version)
        return HttpResponseRedirect(self._change_url(draft or version))

    def _publish(self, request: HttpRequest, version: ProcedureVersion) -> bool:
        try:
            services.procedure_version_publish(version=version)
        except MotCuaError as error:
            messages.error(request, f"{version}: {error}")
            return False
        messages.success(request, f"Đã công bố {version} / Published.")
        return True

    def _new_draft(self, request: HttpRequest, version: ProcedureVersion) -> ProcedureVersion | None:
        try:
            draft = services.procedure_version_new_draft(version=version)
        except MotCuaError as error:
            messages.error(request, f"{version}: {error}")
            return None
        messages.success(request, f"Đã tạo bản nháp {draft} từ {version} / Draft created.")
        return draft

    # -- changelist actions -----------------------------------------------------------------------

    @admin.action(description="Công bố các bản nháp đã chọn / Publish the selected drafts")
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> None:
        for version in queryset.select_related("procedure"):
            if version.state == VersionState.PUBLISHED:
                messages.warning(request, f"{version}: đã công bố, bỏ qua / already published, skipped.")
                continue
            self._publish(request, version)

    @admin.action(description="Tạo phiên bản mới từ các phiên bản đã chọn / New draft from the selected versions")
    def new_draft_of_selected(self, request: HttpRequest, queryset: QuerySet[ProcedureVersion]) -> None:
        for version in queryset.select_related("procedure"):
            self._new_draft(request, version)
