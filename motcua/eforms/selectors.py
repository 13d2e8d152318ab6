"""Reads for form definitions. Forms are public documents: no permission gate."""

from __future__ import annotations

from motcua.eforms.models import FormDefinition


def form_definition_get(*, code: str) -> FormDefinition | None:
    return FormDefinition.objects.filter(code=code).first()
