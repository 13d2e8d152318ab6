"""Form definitions in the admin: JSON editing, every problem listed at once, printed previews."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.fields import InvalidJSONInput
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from motcua.core.errors import InvalidInput
from motcua.eforms import services
from motcua.eforms.models import FormDefinition
from motcua.eforms.validation import form_definition_problems

_JSON_WIDGET = forms.Textarea(attrs={"rows": 30, "cols": 110, "style": "font-family: monospace; font-size: 12px;"})


class IndentedJSONField(forms.JSONField):
    """Shows the JSON indented, Vietnamese letters as they are (not \\u escapes), so it can be edited."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, InvalidJSONInput):
            return value
        return json.dumps(value, ensure_ascii=False, indent=2)


class FormDefinitionAdminForm(forms.ModelForm[FormDefinition]):
    schema = IndentedJSONField(label=_("lược đồ dữ liệu (JSON Schema 2020-12)"), widget=_JSON_WIDGET)
    layout = IndentedJSONField(label=_("bố cục và hướng dẫn"), widget=_JSON_WIDGET)

    class Meta:
        model = FormDefinition
        fields = ["code", "title", "title_en", "legal_reference", "schema", "layout"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "schema" in cleaned and "layout" in cleaned:
            problems = form_definition_problems(cleaned["schema"], cleaned["layout"])
            if problems:
                raise ValidationError([ValidationError(problem) for problem in problems])
        return cleaned


@admin.register(FormDefinition)
class FormDefinitionAdmin(admin.ModelAdmin[FormDefinition]):
    form = FormDefinitionAdminForm
    list_display = ["code", "title", "version", "updated_at", "printed_form_links"]
    search_fields = ["code", "title", "title_en"]
    readonly_fields = ["version", "updated_at", "printed_form_links"]
    fields = [
        "code",
        "title",
        "title_en",
        "legal_reference",
        "version",
        "updated_at",
        "printed_form_links",
        "schema",
        "layout",
    ]

    @admin.display(description=_("xem bản in"))
    def printed_form_links(self, obj: FormDefinition) -> SafeString | str:
        if obj.pk is None:
            return "-"
        return format_html(
            '<a class="button" href="{}" target="_blank" rel="noopener">PDF</a> '
            '<a class="button" href="{}" target="_blank" rel="noopener">DOCX</a>',
            reverse("eforms:pdf", args=[obj.code]),
            reverse("eforms:docx", args=[obj.code]),
        )

    def save_model(self, request: HttpRequest, obj: FormDefinition, form: Any, change: bool) -> None:
        # The form's clean() already listed the problems; the service checks again (one save path).
        printed_changed = change and bool(set(form.changed_data) & set(services.PRINTED_FIELDS))
        try:
            services.form_definition_save(form=obj, bump_version=printed_changed)
        except InvalidInput as exc:  # pragma: no cover - clean() catches the same problems first
            raise ValidationError(exc.problems) from exc
