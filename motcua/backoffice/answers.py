"""The e-form answers of a dossier as an official reads them: by the labels of the form
definition, values as the citizen sees them. Used to pick what a supplement request asks for
and to show what the citizen changed (the SUPPLY event's diff). Reads only."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.eforms.engine import Field, sections
from motcua.eforms.engine.fields import get_value, is_visible
from motcua.eforms.engine.pages import display_value
from motcua.eforms.models import FormDefinition
from motcua.eforms.selectors import form_definition_get

# Separates the form code from the field path in a requested item ("to-khai/me.ho_ten"), the
# shape dossiers.supplements.requested_items keeps.
KEY_SEPARATOR = "/"


@dataclass(frozen=True)
class AnsweredField:
    key: str  # "<form code>/<dotted path>"
    label: str
    answer: str  # as the citizen reads it; "" when empty


@dataclass(frozen=True)
class AnsweredForm:
    code: str
    title: str
    fields: list[AnsweredField]


@dataclass(frozen=True)
class ChangeRow:
    form_title: str
    label: str
    old: str
    new: str


def _shown(fld: Field | None, value: Any) -> str:
    if fld is None:
        return "" if value is None else str(value)
    if fld.kind == "repeat":
        return f"{len(value)} dòng" if isinstance(value, list) and value else ""
    return display_value(fld, value)


def _definitions(codes: Iterable[str]) -> dict[str, FormDefinition | None]:
    return {code: form_definition_get(code=code) for code in codes}


def answered_forms(dossier: Dossier) -> list[AnsweredForm]:
    """Every field the citizen could be asked to correct, form by form, with the current answer
    (fields hidden by the form's conditions are left out)."""
    result = []
    definitions = _definitions(sorted(dossier.form_data))
    for code, definition in definitions.items():
        answers = (dossier.form_data.get(code) or {}).get("answers", {}) or {}
        if definition is None:  # the definition was removed: paths are all we have
            fields = [
                AnsweredField(key=f"{code}{KEY_SEPARATOR}{path}", label=path, answer=_shown(None, value))
                for path, value in sorted(answers.items())
            ]
            result.append(AnsweredForm(code=code, title=code, fields=fields))
            continue
        fields = [
            AnsweredField(
                key=f"{code}{KEY_SEPARATOR}{fld.path}",
                label=fld.label,
                answer=_shown(fld, get_value(answers, fld.path)),
            )
            for section in sections(definition)
            if is_visible(section.when, answers)
            for fld in section.fields
            if fld.kind != "computed" and is_visible(fld.when, answers)
        ]
        result.append(AnsweredForm(code=code, title=definition.title, fields=fields))
    return result


def change_rows(changes: Iterable[Mapping[str, Any]]) -> list[ChangeRow]:
    """A SUPPLY event's `changes` ([{"form", "field", "old", "new"}]) with labels and values as read."""
    items = [c for c in changes if isinstance(c, Mapping)]
    definitions = _definitions(sorted({str(c.get("form", "")) for c in items}))
    rows = []
    for change in items:
        definition = definitions.get(str(change.get("form", "")))
        fld = None
        if definition is not None:
            fld = next(
                (f for s in sections(definition) for f in s.fields if f.path == change.get("field")),
                None,
            )
        rows.append(
            ChangeRow(
                form_title=definition.title if definition else str(change.get("form", "")),
                label=fld.label if fld else str(change.get("field", "")),
                old=_shown(fld, change.get("old")),
                new=_shown(fld, change.get("new")),
            )
        )
    return rows


def supply_changes(events: Iterable[DossierEvent]) -> dict[int, list[ChangeRow]]:
    """{event id: its change rows} for the events that carry a diff (online supplements)."""
    return {
        event.pk: change_rows(event.data["changes"])
        for event in events
        if isinstance(event.data, dict) and isinstance(event.data.get("changes"), list) and event.data["changes"]
    }
