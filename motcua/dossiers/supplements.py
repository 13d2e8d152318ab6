"""Online supplements: the citizen changes only what the officer asked for; the officer sees
what changed. The dossier code never changes; the answers' history stays in the events
(Decree 45/2020 Art. 12: the amendment history is kept)."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from motcua.accounts.models import User
from motcua.core.errors import InvalidInput
from motcua.dossiers import services
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier
from motcua.eforms.engine import apply_patch


def requested_items(dossier: Dossier) -> dict[str, list[Any]]:
    """What the last supplement request asked for: {"fields": ["form/path", ...], "components": [id, ...]}."""
    event = dossier.events.filter(action=Action.REQUEST_SUPPLEMENT).order_by("-at", "-id").first()
    asked = (event.data.get("requested") if event else None) or {}
    return {"fields": list(asked.get("fields", [])), "components": list(asked.get("components", []))}


def _leaves(answers: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """{"me": {"ho_ten": "A"}} -> {"me.ho_ten": "A"}: the e-form's dotted paths (a repeat's rows
    stay one value, as the form shows them)."""
    flat: dict[str, Any] = {}
    for key, value in answers.items():
        if isinstance(value, dict):
            flat.update(_leaves(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def answers_diff(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Changed answers as [{"form", "field" (dotted path), "old", "new"}], for the officer's review."""
    changes = []
    for form_code in sorted(set(before) | set(after)):
        old = _leaves((before.get(form_code) or {}).get("answers", {}))
        new = _leaves((after.get(form_code) or {}).get("answers", {}))
        for name in sorted(set(old) | set(new)):
            if old.get(name) != new.get(name):
                changes.append({"form": form_code, "field": name, "old": old.get(name), "new": new.get(name)})
    return changes


def dossier_supplement_online(
    *,
    dossier: Dossier,
    applicant: User,
    answers: dict[str, dict[str, Any]],
    note: str = "",
    files: Mapping[int, Sequence[UploadedFile[Any]]] | None = None,
) -> Dossier:
    """Apply the citizen's corrections to the fields asked for, then hand the dossier back
    (SUPPLY): the clock restarts and the appointment moves by the time it waited.

    `answers` is {form code: {dotted path: value}}; `files` is {component id: uploads}, stored
    as files of that component attached to the SUPPLY event. Anything not asked for is refused.
    """
    requested = requested_items(dossier)
    asked = set(requested["fields"])
    if Status(dossier.status) != Status.SUPPLEMENT_REQUESTED:
        raise InvalidInput("Hồ sơ không ở trạng thái chờ bổ sung", "The dossier is not waiting for a supplement")
    files = {component_id: uploads for component_id, uploads in (files or {}).items() if uploads}
    changed_paths = {f"{form}/{name}" for form, values in answers.items() for name in values}
    asked_components = {str(c) for c in requested["components"]}
    outside = sorted(changed_paths - asked) + sorted(f"component/{c}" for c in files if str(c) not in asked_components)
    if outside:
        raise InvalidInput(
            "Chỉ được sửa những mục cơ quan yêu cầu bổ sung",
            "Only the items asked for may be changed",
            problems=outside,
        )
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        after = copy.deepcopy(locked.form_data)
        for form_code, values in answers.items():
            entry = after.setdefault(form_code, {"answers": {}})
            # Dotted paths ("me.ho_ten") go into their groups, as the e-form stores them.
            entry["answers"] = apply_patch(entry.get("answers", {}), values)
        supplied = services.dossier_transition(
            dossier=locked,
            actor=applicant,
            transition=services.Transition(
                action=Action.SUPPLY,
                note=note,
                form_data=after,
                data={"changes": answers_diff(locked.form_data, after)},
            ),
        )
        if files:
            # Checked by content here; a refused file raises InvalidInput naming it, and the
            # whole supplement (answers and status) rolls back with it.
            event = supplied.events.filter(action=Action.SUPPLY).order_by("-at", "-id").first()
            components = {c.pk: c for c in supplied.procedure_version.components.filter(pk__in=list(files))}
            for component_id, uploads in files.items():
                services.dossier_files_store(
                    dossier=supplied,
                    files=uploads,
                    actor=applicant,
                    event=event,
                    component=components.get(int(component_id)),
                )
        return supplied
