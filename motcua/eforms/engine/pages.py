"""One section per page: read a POST into answers (`parse_section`), draw a page (`render_section`),
the "check your answers" page (`render_review`) and the printed answers (`answers_pdf`).

The HTML works without JavaScript: every change of the page (add or remove a row, pick a
province so the ward list is filtered) is a submit button whose name is `action`; the small
optional script only hides fields whose condition is false and filters wards in place.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from vietnam_provinces import Province

from motcua.catalog.divisions import province as province_2025
from motcua.catalog.divisions import ward as ward_2025
from motcua.eforms.engine import validators as v
from motcua.eforms.engine.checking import coerce, problems_of, visible_answers
from motcua.eforms.engine.fields import Field, FormLayout, Section, apply_patch, get_value, is_visible, layout_of
from motcua.eforms.models import FormDefinition
from motcua.eforms.printable import DEFAULT_SIGNATURE_NOTE, NATIONAL_MOTTO, NATIONAL_NAME, Signature, signature_rows

ROWS_SUFFIX = "__rows"
PICK_SUFFIX = "__pick"
KEEP_SUFFIX = "__keep"
MAX_ROWS = 50  # a posted row count is never trusted beyond this


@dataclass
class SectionResult:
    """What one POST of a section says.

    `answers_patch`: dotted path -> value to store (None removes); apply it with
    `apply_patch(answers, patch)`. A value that could not be read is kept as the text typed, so
    the page comes back with it, and its message is in `errors`.
    `action`: "next", "back", "stay" (save only), "add_row", "remove_row" or "choose_province";
    `target`: the repeat or province field the action is about; `row`: the row to remove.
    `files`: the uploaded files by field path (storing them is the caller's job).
    """

    answers_patch: dict[str, Any]
    errors: dict[str, list[str]]
    action: str = "next"
    target: str = ""
    row: int | None = None
    files: dict[str, UploadedFile[Any]] = field(default_factory=dict)

    @property
    def moves_on(self) -> bool:
        """True when the citizen asked to leave the page forwards and nothing is wrong."""
        return self.action == "next" and not self.errors


def sections(form: FormDefinition) -> list[Section]:
    """Every section (page) of the form, in order; `Section.index` is 0-based."""
    return list(layout_of(form).sections)


def visible_sections(form: FormDefinition, answers: Mapping[str, Any]) -> list[Section]:
    """The sections whose layout "when" holds for these answers (the pages to walk through)."""
    return [s for s in layout_of(form).sections if is_visible(s.when, dict(answers))]


def _parse_action(raw: str) -> tuple[str, str, int | None]:
    name, _sep, rest = raw.partition(":")
    if name == "add":
        return "add_row", rest, None
    if name == "remove":
        target, _sep, row = rest.rpartition(":")
        return "remove_row", target, int(row) if row.isdigit() else None
    if name == "choose":
        return "choose_province", rest, None
    return (name if name in ("next", "back", "stay") else "next"), "", None


def _read(field: Field, name: str, post: Any) -> tuple[Any, str | None]:
    """(value, error) of one input; a failed value comes back as the text typed."""
    if field.kind == "checkboxes":
        picked = set(post.getlist(name))
        return [value for value, _label in field.choices if str(value) in picked] or None, None
    if field.kind == "check":
        return (True if post.get(name) else None), None
    if field.kind == "yesno":
        raw = post.get(name, "")
        return {"1": True, "0": False}.get(raw), None
    text = str(post.get(name, ""))
    pick = str(post.get(name + PICK_SUFFIX, ""))
    if pick:  # "Dùng thông tin đã có": a value picked from earlier answers wins over the box
        text = pick
    try:
        return coerce(field, text), None
    except v.InputError as error:
        return text.strip(), str(error)


def parse_section(
    form: FormDefinition,
    index: int,
    post: Any,
    files: Any = None,
    *,
    answers: Mapping[str, Any] | None = None,
) -> SectionResult:
    """Read the POST of section `index` (0-based). `answers` (what is stored so far) lets the
    checks see fields of other sections: conditions, CCCD against a date of birth, sums."""
    layout = layout_of(form)
    section = layout.sections[index]
    action, target, row_to_remove = _parse_action(str(post.get("action", "next")))
    stored = dict(answers or {})
    patch: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    uploaded: dict[str, UploadedFile[Any]] = {}
    for fld in section.fields:
        if fld.kind == "computed":
            continue
        if fld.kind == "file":
            upload = files.get(fld.path) if files is not None else None
            if isinstance(upload, UploadedFile):
                uploaded[fld.path] = upload
                patch[fld.path] = upload.name
            elif not post.get(fld.path + KEEP_SUFFIX):
                patch[fld.path] = None
            continue
        if fld.kind == "repeat":
            patch[fld.path], row_errors = _read_rows(fld, post, action, target, row_to_remove)
            errors.update(row_errors)
            continue
        value, error = _read(fld, fld.path, post)
        patch[fld.path] = value
        if error:
            errors[fld.path] = [error]
    if action == "choose_province":
        # A new province empties the ward picked in the old one.
        for fld in section.fields:
            if fld.kind == "ward" and fld.province_path == target:
                chosen_ward = ward_2025(patch[fld.path]) if isinstance(patch.get(fld.path), int) else None
                if chosen_ward is None or int(chosen_ward.province_code) != patch.get(target):
                    patch[fld.path] = None
    merged = apply_patch(stored, patch)
    for fld in section.fields:  # hidden by a condition: nothing is kept
        if not is_visible(fld.when, merged):
            patch[fld.path] = None
            errors = {p: m for p, m in errors.items() if p != fld.path and not p.startswith(fld.path + ".")}
    merged = visible_answers(layout, apply_patch(stored, patch))
    for fld in section.fields:
        if fld.kind == "computed":
            patch[fld.path] = get_value(merged, fld.path)
    for path, messages in problems_of(layout, form.schema, apply_patch(stored, patch)).items():
        if any(path == f.path or path.startswith(f.path + ".") for f in section.fields) and path not in errors:
            errors[path] = messages
    return SectionResult(
        answers_patch=patch, errors=errors, action=action, target=target, row=row_to_remove, files=uploaded
    )


def _read_rows(
    fld: Field, post: Any, action: str, target: str, row_to_remove: int | None
) -> tuple[list[dict[str, Any]] | None, dict[str, list[str]]]:
    try:
        count = min(int(post.get(f"{fld.path}.{ROWS_SUFFIX}", 0)), MAX_ROWS)
    except ValueError:
        count = 0
    rows: list[tuple[dict[str, Any], dict[str, list[str]]]] = []
    for number in range(count):
        row: dict[str, Any] = {}
        row_errors: dict[str, str] = {}
        for column in fld.columns:
            value, error = _read(column, f"{fld.path}.{number}.{column.path}", post)
            if value is not None:
                row[column.path] = value
            if error:
                row_errors[column.path] = error
        if row and not (action == "remove_row" and target == fld.path and number == row_to_remove):
            rows.append((row, {k: [m] for k, m in row_errors.items()}))
    if action == "add_row" and target == fld.path and (fld.max_rows is None or len(rows) < fld.max_rows):
        rows.append(({}, {}))
    errors = {f"{fld.path}.{n}.{col}": msgs for n, (_row, errs) in enumerate(rows) for col, msgs in errs.items()}
    return [row for row, _errs in rows] or None, errors


# --- showing values ---


def display_value(fld: Field, value: Any) -> str:
    """An answer as a person reads it: labels for choices, 1.500.000 đồng, 05/09/1990, names."""
    if value is None or value == "" or value == []:
        return ""
    if fld.kind in ("radio", "select", "yesno"):
        return next((label for choice, label in fld.choices if choice == value), str(value))
    if fld.kind == "checkboxes" and isinstance(value, list):
        return ", ".join(label for choice, label in fld.choices if choice in value)
    if fld.kind == "check":
        return _("Có") if value is True else ""
    if fld.kind == "money" and isinstance(value, int):
        return f"{v.format_money(value)} đồng"
    if fld.kind == "date" and isinstance(value, str):
        return v.format_date(value)
    if fld.kind == "province" and isinstance(value, int):
        found = province_2025(value)
        return found.name if found else str(value)
    if fld.kind == "ward" and isinstance(value, int):
        found_ward = ward_2025(value)
        return found_ward.name if found_ward else str(value)
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    if fld.kind == "computed" and isinstance(value, int):
        return v.format_money(value)
    return str(value)


def _input_text(fld: Field, value: Any) -> str:
    """What goes back into a text box: the stored value as the citizen typed it."""
    if value is None:
        return ""
    if fld.kind == "money" and isinstance(value, int):
        return v.format_money(value)
    if fld.kind == "date" and isinstance(value, str):
        return v.format_date(value)
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return str(value)


def _help(fld: Field) -> str:
    return fld.help_en if get_language() == "en" and fld.help_en else fld.help


def _field_context(
    fld: Field,
    name: str,
    value: Any,
    errors: Mapping[str, list[str]],
    answers: dict[str, Any],
    *,
    prefilled: bool = False,
    earlier: list[Any] | None = None,
    section_paths: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    html_id = "f-" + name.replace(".", "-")
    context: dict[str, Any] = {
        "field": fld,
        "name": name,
        "id": html_id,
        "help": _help(fld),
        "errors": errors.get(name, []),
        "text": _input_text(fld, value),
        "value": value,
        "prefilled": prefilled,
        "earlier": [(_input_text(fld, e), display_value(fld, e)) for e in earlier or [] if e not in (None, "")],
        "display": display_value(fld, value),
        "condition": None,
        "input_type": {"email": "email", "phone": "tel", "mobile": "tel"}.get(fld.kind, "text"),
    }
    if fld.when and fld.when.get("field") in section_paths:
        # Same page: the field stays on the page without JavaScript (the note says when to
        # fill it); the script hides it while the condition is false.
        context["condition"] = {"field": fld.when["field"], "equals": str(fld.when.get("equals", ""))}
    if fld.kind in ("radio", "select", "checkboxes", "yesno"):
        chosen = value if isinstance(value, list) else [value]
        context["options"] = [
            {"value": "1" if c is True else "0" if c is False else str(c), "label": label, "checked": c in chosen}
            for c, label in fld.choices
        ]
    if fld.kind == "province":
        context["options"] = [
            {"value": str(int(p.code)), "label": p.name, "checked": int(p.code) == value}
            for p in sorted(Province.iter_all(), key=lambda p: p.name)
        ]
    if fld.kind == "ward":
        province_code = get_value(answers, fld.province_path)
        context["province_chosen"] = isinstance(province_code, int)
        context["options"] = [
            {"value": str(int(w.code)), "label": w.name, "checked": int(w.code) == value}
            for w in _wards_of(province_code)
        ]
    if fld.kind == "repeat":
        rows = value if isinstance(value, list) else []
        shown_rows = rows or [{}]
        context["rows"] = [
            {
                "number": number,
                "cells": [
                    _field_context(column, f"{name}.{number}.{column.path}", row.get(column.path), errors, answers)
                    for column in fld.columns
                ],
            }
            for number, row in enumerate(shown_rows)
        ]
        context["rows_name"] = f"{name}.{ROWS_SUFFIX}"
        context["row_count"] = len(shown_rows)
        context["can_add"] = fld.max_rows is None or len(rows) < fld.max_rows
    if fld.kind == "file":
        context["keep_name"] = name + KEEP_SUFFIX
    return context


def wards_of(province_code: Any) -> list[tuple[int, str]]:
    """(code, name) of the wards of a 2025 province, by name; [] for an unknown province."""
    return [(int(w.code), w.name) for w in _wards_of(province_code)]


def _wards_of(province_code: Any) -> list[Any]:
    if not isinstance(province_code, int) or province_2025(province_code) is None:
        return []
    from vietnam_provinces import Ward

    return sorted((w for w in Ward.iter_all() if int(w.province_code) == province_code), key=lambda w: w.name)


def _error_summary(
    layout: FormLayout, errors: Mapping[str, list[str]], link: Callable[[str], str] | None = None
) -> list[dict[str, str]]:
    summary = []
    for path, messages in errors.items():
        fld = layout.by_path.get(path)
        label = fld.label if fld else path
        if fld is None:  # a repeat's cell: "Thành viên, dòng 2: Họ tên"
            parts = path.split(".")
            for cut in range(len(parts) - 1, 0, -1):
                parent = layout.by_path.get(".".join(parts[:cut]))
                if parent is not None and parent.kind == "repeat" and parts[cut].isdigit():
                    column = next((c for c in parent.columns if c.path == ".".join(parts[cut + 1 :])), None)
                    label = _("%(group)s, dòng %(row)s: %(column)s") % {
                        "group": parent.label,
                        "row": int(parts[cut]) + 1,
                        "column": column.label if column else parts[-1],
                    }
                    break
        anchor = "#f-" + path.replace(".", "-")
        for message in messages:
            summary.append({"href": (link(path) if link else "") + anchor, "label": label, "message": message})
    return summary


def _condition_note(layout: FormLayout, fld: Field) -> str:
    condition = fld.when or {}
    source = layout.by_path.get(str(condition.get("field", "")))
    if source is None:
        return ""
    wanted = display_value(source, condition.get("equals")) if "equals" in condition else _("đã có")
    return _("Chỉ điền mục này khi “%(label)s” là “%(value)s”.") % {"label": source.label, "value": wanted}


def render_section(
    request: HttpRequest | None,
    form: FormDefinition,
    index: int,
    answers: Mapping[str, Any],
    errors: Mapping[str, list[str]] | None = None,
    *,
    prefill: Mapping[str, Any] | None = None,
    choices_from_earlier: Mapping[str, list[Any]] | None = None,
    action_url: str = "",
    back_url: str = "",
) -> str:
    """The HTML (a fragment: the caller's template places it) of section `index` (0-based).

    `prefill`: path -> value the system already holds (the citizen's profile); shown in empty
    fields with a note, so the citizen checks instead of retyping. `choices_from_earlier`:
    path -> values given before (earlier dossiers); offered in a "Dùng thông tin đã có" list.
    """
    layout = layout_of(form)
    section = layout.sections[index]
    stored = visible_answers(layout, dict(answers))
    stored_raw = dict(answers)
    errors = errors or {}
    prefill = prefill or {}
    earlier = choices_from_earlier or {}
    section_paths = frozenset(f.path for f in section.fields)
    fields = []
    for fld in section.fields:
        if fld.when and fld.when.get("field") not in section_paths and not is_visible(fld.when, stored_raw):
            continue
        value = get_value(stored_raw, fld.path)
        if fld.kind == "computed":
            value = get_value(stored, fld.path)
        prefilled = False
        if value is None and fld.path in prefill:
            value, prefilled = prefill[fld.path], True
        context = _field_context(
            fld,
            fld.path,
            value,
            errors,
            stored_raw,
            prefilled=prefilled,
            earlier=earlier.get(fld.path),
            section_paths=section_paths,
        )
        if context["condition"]:
            context["condition"]["note"] = _condition_note(layout, fld)
        fields.append(context)
    all_sections = list(layout.sections)
    return render_to_string(
        "eforms/fill/section.html",
        {
            "form": form,
            "section": section,
            "section_title": section.title_en if get_language() == "en" and section.title_en else section.title,
            "number": index + 1,
            "total": len(all_sections),
            "fields": fields,
            "summary": _error_summary(layout, errors),
            "action_url": action_url,
            "back_url": back_url,
            "is_first": index == 0,
            "wards_url": reverse("eforms:wards"),
        },
        request=request,
    )


def _review_sections(layout: FormLayout, answers: dict[str, Any]) -> list[dict[str, Any]]:
    shown = visible_answers(layout, answers)
    result = []
    for section in layout.sections:
        if not is_visible(section.when, answers):
            continue
        rows = []
        for fld in section.fields:
            if not is_visible(fld.when, answers):
                continue
            value = get_value(shown, fld.path)
            entry: dict[str, Any] = {"field": fld, "display": display_value(fld, value)}
            if fld.kind == "repeat":
                entry["columns"] = [c.label for c in fld.columns]
                entry["table"] = [
                    [display_value(c, row.get(c.path)) for c in fld.columns]
                    for row in (value if isinstance(value, list) else [])
                    if isinstance(row, dict)
                ]
            rows.append(entry)
        result.append({"section": section, "number": section.index + 1, "rows": rows})
    return result


def render_review(
    request: HttpRequest | None,
    form: FormDefinition,
    answers: Mapping[str, Any],
    *,
    edit_url: Callable[[int], str] | None = None,
    pdf_url: str = "",
) -> str:
    """The "check your answers" page (fragment): every visible answer by section with a change
    link (`edit_url(index)`), and every problem of `validate_all` listed at the top."""
    layout = layout_of(form)
    answers = dict(answers)
    problems = problems_of(layout, form.schema, answers)

    def link(path: str) -> str:
        if edit_url is None:
            return ""
        for section in layout.sections:
            if any(path == f.path or path.startswith(f.path + ".") for f in section.fields):
                return edit_url(section.index)
        return ""

    review = _review_sections(layout, answers)
    for item in review:
        item["edit_url"] = edit_url(item["section"].index) if edit_url else ""
    return render_to_string(
        "eforms/fill/review.html",
        {
            "form": form,
            "sections": review,
            "summary": _error_summary(layout, problems, link),
            "pdf_url": pdf_url,
        },
        request=request,
    )


def answers_pdf(form: FormDefinition, answers: Mapping[str, Any]) -> bytes:
    """A4 PDF of what was entered: national heading, form title, every answer filled in."""
    from weasyprint import HTML

    layout = layout_of(form)
    footer: dict[str, Any] = form.layout.get("footer", {})
    signatures = tuple(
        Signature(title=str(s["title"]), note=str(s.get("note", DEFAULT_SIGNATURE_NOTE)))
        for s in footer.get("signatures", [])
    ) or (Signature(title="Người làm đơn"),)
    html = render_to_string(
        "eforms/fill/answers_print.html",
        {
            "form": form,
            "form_number": form.layout.get("form_number", ""),
            "addressee": form.layout.get("addressee", ""),
            "sections": _review_sections(layout, dict(answers)),
            "national_name": NATIONAL_NAME,
            "national_motto": NATIONAL_MOTTO,
            "declaration": footer.get("declaration", ""),
            "signature_rows": signature_rows(signatures),
        },
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
