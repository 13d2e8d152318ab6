"""Online supplements: the citizen changes only what the officer asked for; the officer sees
what changed. The dossier code never changes; the answers' history stays in the events
(Decree 45/2020 Art. 12: the amendment history is kept)."""

from __future__ import annotations

import copy
from typing import Any

from django.db import transaction

from motcua.accounts.models import User
from motcua.core.errors import InvalidInput
from motcua.dossiers import services
from motcua.dossiers.lifecycle import Action, Status
from motcua.dossiers.models import Dossier


def requested_items(dossier: Dossier) -> dict[str, list[Any]]:
    """What the last supplement request asked for: {"fields": ["form/path", ...], "components": [id, ...]}."""
    event = dossier.events.filter(action=Action.REQUEST_SUPPLEMENT).order_by("-at", "-id").first()
    asked = (event.data.get("requested") if event else None) or {}
    return {"fields": list(asked.get("fields", [])), "components": list(asked.get("components", []))}


def answers_diff(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Changed answers as [{"form", "field", "old", "new"}], for the officer's review."""
    changes = []
    for form_code in sorted(set(before) | set(after)):
        old = (before.get(form_code) or {}).get("answers", {})
        new = (after.get(form_code) or {}).get("answers", {})
        for name in sorted(set(old) | set(new)):
            if old.get(name) != new.get(name):
                changes.append({"form": form_code, "field": name, "old": old.get(name), "new": new.get(name)})
    return changes


def dossier_supplement_online(
    *, dossier: Dossier, applicant: User, answers: dict[str, dict[str, Any]], note: str = ""
) -> Dossier:
    """Apply the citizen's corrections to the fields asked for, then hand the dossier back
    (SUPPLY): the clock restarts and the appointment moves by the time it waited."""
    asked = set(requested_items(dossier)["fields"])
    if Status(dossier.status) != Status.SUPPLEMENT_REQUESTED:
        raise InvalidInput("Hồ sơ không ở trạng thái chờ bổ sung", "The dossier is not waiting for a supplement")
    changed_paths = {f"{form}/{name}" for form, values in answers.items() for name in values}
    outside = sorted(changed_paths - asked)
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
            entry["answers"] = {**entry.get("answers", {}), **values}
        return services.dossier_transition(
            dossier=locked,
            actor=applicant,
            transition=services.Transition(
                action=Action.SUPPLY,
                note=note,
                form_data=after,
                data={"changes": answers_diff(locked.form_data, after)},
            ),
        )
