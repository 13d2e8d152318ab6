"""Writes for form definitions: the built-in loader and the one save path (admin and loader)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from motcua.core.errors import InvalidInput
from motcua.eforms.models import FormDefinition
from motcua.eforms.validation import definition_file_problems, form_definition_problems

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"
# What a change to any of these means: the printed form changed, so its version goes up.
PRINTED_FIELDS = ("title", "title_en", "legal_reference", "schema", "layout")


def builtin_definitions(directory: Path = DEFINITIONS_DIR) -> list[dict[str, Any]]:
    """Every built-in definition file, checked; raises InvalidInput listing all problems of all files."""
    problems: list[str] = []
    definitions: list[dict[str, Any]] = []
    owners: dict[str, str] = {}
    for path in sorted(directory.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            problems.append(f"{path.name}: không đọc được JSON / invalid JSON: {exc}")
            continue
        file_problems = definition_file_problems(data)
        problems.extend(f"{path.name}: {problem}" for problem in file_problems)
        if file_problems:
            continue
        if data["code"] in owners:
            problems.append(f"{path.name}: mã '{data['code']}' trùng với {owners[data['code']]} / duplicate code")
            continue
        owners[data["code"]] = path.name
        definitions.append(data)
    if problems:
        raise InvalidInput("Biểu mẫu có sẵn không hợp lệ", "Built-in form definitions are invalid", problems=problems)
    return definitions


def form_definition_save(*, form: FormDefinition, bump_version: bool) -> FormDefinition:
    """Validate and save one definition; `bump_version` when the printed content changed."""
    problems = form_definition_problems(form.schema, form.layout)
    if problems:
        raise InvalidInput(f"Biểu mẫu '{form.code}' không hợp lệ", f"Form '{form.code}' is invalid", problems=problems)
    if bump_version and form.pk is not None:
        form.version += 1
    form.full_clean()
    form.save()
    return form


def form_definition_upsert(
    *, code: str, title: str, title_en: str, legal_reference: str, schema: dict[str, Any], layout: dict[str, Any]
) -> FormDefinition:
    """Create the definition, or update it if its content differs (then its version goes up).

    Unchanged content is not saved at all: updated_at stays, so cached PDF/DOCX stay valid and
    loading twice is a no-op.
    """
    content = {
        "title": title,
        "title_en": title_en,
        "legal_reference": legal_reference,
        "schema": schema,
        "layout": layout,
    }
    form = FormDefinition.objects.filter(code=code).first()
    if form is None:
        return form_definition_save(form=FormDefinition(code=code, **content), bump_version=False)
    if all(getattr(form, name) == value for name, value in content.items()):
        return form
    for name, value in content.items():
        setattr(form, name, value)
    return form_definition_save(form=form, bump_version=True)


@transaction.atomic
def form_definitions_load_builtin() -> dict[str, FormDefinition]:
    """Upsert every definition in eforms/definitions/ by code; returns them by code.

    Idempotent. Call before publishing procedure versions (published versions are immutable,
    so their components must point at their form when they are created).
    """
    return {
        data["code"]: form_definition_upsert(
            code=data["code"],
            title=data["title"],
            title_en=data.get("title_en", ""),
            legal_reference=data["legal_reference"],
            schema=data["schema"],
            layout=data["layout"],
        )
        for data in builtin_definitions()
    }


def builtin_attachments() -> dict[tuple[str, int], str]:
    """(procedure national code, or its exact name_vi when it has no code; 1-based component
    index in procedures.json) -> form code, from the files' `attach_to`."""
    attachments: dict[tuple[str, int], str] = {}
    problems: list[str] = []
    for data in builtin_definitions():
        for target in data.get("attach_to", []):
            key = (target["procedure"], target["component"])
            if key in attachments:
                problems.append(f"{key} có hai biểu mẫu / has two forms: {attachments[key]}, {data['code']}")
            attachments[key] = data["code"]
    if problems:
        raise InvalidInput("Biểu mẫu có sẵn gắn trùng thành phần hồ sơ", "Duplicate attachments", problems=problems)
    return attachments
