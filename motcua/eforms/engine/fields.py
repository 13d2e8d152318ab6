"""The e-form's fields, worked out once from a definition's schema + layout.

Pure: no database, no request. Each leaf of the schema (see `validation.iter_leaves`) becomes a
`Field` with a kind (how it is typed and stored), and each layout section a `Section` (one page).
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from motcua.eforms.models import FormDefinition
from motcua.eforms.validation import choices_of, iter_leaves

# Every kind the engine renders; layout "widgets" may name any of the first group.
WIDGET_KINDS = frozenset(
    {
        "text",
        "textarea",
        "number",
        "money",
        "date",
        "select",
        "radio",
        "checkboxes",
        "check",
        "yesno",
        "email",
        "phone",
        "mobile",
        "cccd",
        "tax_code",
        "file",
    }
)
# Set by the engine itself: "addresses" makes province/ward, "computed" makes computed,
# an array of objects is a repeat (repeating group).
DERIVED_KINDS = frozenset({"province", "ward", "computed", "repeat"})
RADIO_MAX_CHOICES = 6
TEXTAREA_MIN_LENGTH = 500
COMPUTED_OPS = frozenset({"sum", "age", "count"})

# Autocomplete tokens (WHATWG) by kind; layout "autocomplete" overrides per field.
_AUTOCOMPLETE = {"email": "email", "phone": "tel", "mobile": "tel"}


@dataclass(frozen=True)
class Field:
    path: str  # dotted path in the answers object; a repeat's columns are relative ("ho_ten")
    kind: str
    label: str
    help: str = ""
    help_en: str = ""
    required: bool = False
    choices: tuple[tuple[Any, str], ...] = ()
    integer: bool = False  # number kind: whole numbers only
    max_length: int | None = None
    columns: tuple[Field, ...] = ()  # repeat: one Field per column
    min_rows: int = 0
    max_rows: int | None = None
    when: dict[str, Any] | None = None  # {"field": path, "equals": value}
    computed: dict[str, Any] | None = None  # {"sum": [...]} | {"age": path} | {"count": path}
    province_path: str = ""  # ward: the province field it is filtered by
    autocomplete: str = ""

    @property
    def html_id(self) -> str:
        return "f-" + self.path.replace(".", "-").replace("[]", "")

    @property
    def inputmode(self) -> str:
        if self.kind in ("cccd", "money", "tax_code") or (self.kind == "number" and self.integer):
            return "numeric"
        if self.kind == "number":
            return "decimal"
        if self.kind in ("phone", "mobile"):
            return "tel"
        return ""


@dataclass(frozen=True)
class Section:
    index: int  # 0-based; pages and URLs show index + 1
    title: str
    title_en: str
    fields: tuple[Field, ...]
    when: dict[str, Any] | None = None


@dataclass(frozen=True)
class FormLayout:
    sections: tuple[Section, ...]
    checks: tuple[dict[str, Any], ...] = ()
    by_path: dict[str, Field] = field(default_factory=dict)


def _required_paths(schema: dict[str, Any], prefix: str = "") -> set[str]:
    paths = {f"{prefix}{name}" for name in schema.get("required", [])}
    for name, prop in schema.get("properties", {}).items():
        if isinstance(prop, dict) and prop.get("type") == "object":
            paths |= _required_paths(prop, prefix=f"{prefix}{name}.")
    return paths


def _kind(path: str, prop: dict[str, Any], layout: dict[str, Any]) -> str:
    widget = layout.get("widgets", {}).get(path)
    if isinstance(widget, str) and widget in WIDGET_KINDS:
        return widget
    kind = prop.get("type")
    choices = choices_of(prop)
    if choices is not None:
        return "radio" if len(choices) <= RADIO_MAX_CHOICES else "select"
    if kind == "boolean":
        return "check"
    if kind == "array":
        items = prop.get("items", {})
        if isinstance(items, dict) and items.get("type") == "object":
            return "repeat"
        return "checkboxes"
    if kind in ("integer", "number"):
        return "number"
    if prop.get("format") == "date":
        return "date"
    if prop.get("format") == "email":
        return "email"
    if int(layout.get("lines", {}).get(path, 1)) > 1 or int(prop.get("maxLength", 0)) >= TEXTAREA_MIN_LENGTH:
        return "textarea"
    return "text"


def _field(path: str, prop: dict[str, Any], layout: dict[str, Any], *, required: bool, widget_key: str = "") -> Field:
    key = widget_key or path
    kind = _kind(key, prop, layout)
    computed = layout.get("computed", {}).get(key)
    if isinstance(computed, dict):
        kind = "computed"
    choices: tuple[tuple[Any, str], ...] = ()
    if kind in ("radio", "select"):
        choices = tuple(choices_of(prop) or ())
    elif kind == "checkboxes":
        choices = tuple(choices_of(prop.get("items", {})) or ())
    elif kind == "yesno":
        choices = ((True, "Có"), (False, "Không"))
    columns: tuple[Field, ...] = ()
    if kind == "repeat":
        items = prop["items"]
        item_required = set(items.get("required", []))
        columns = tuple(
            _field(name, column, layout, required=name in item_required, widget_key=f"{path}[].{name}")
            for name, column in items.get("properties", {}).items()
            if isinstance(column, dict)
        )
    when = layout.get("when", {}).get(key)
    return Field(
        path=path,
        kind=kind,
        label=str(prop.get("title", path)),
        help=str(layout.get("help", {}).get(key, "")),
        help_en=str(layout.get("help_en", {}).get(key, "")),
        required=required,
        choices=choices,
        integer=prop.get("type") == "integer",
        max_length=prop.get("maxLength") if isinstance(prop.get("maxLength"), int) else None,
        columns=columns,
        min_rows=int(prop.get("minItems", 0)),
        max_rows=prop.get("maxItems") if isinstance(prop.get("maxItems"), int) else None,
        when=when if isinstance(when, dict) else None,
        computed=computed if isinstance(computed, dict) else None,
        autocomplete=str(layout.get("autocomplete", {}).get(key, _AUTOCOMPLETE.get(kind, ""))),
    )


def form_layout(schema: dict[str, Any], layout: dict[str, Any]) -> FormLayout:
    """Sections and fields of a definition (assumed valid: see validation.py)."""
    leaves = dict(iter_leaves(schema))
    required = _required_paths(schema)
    address_of: dict[str, tuple[str, str]] = {}
    for pair in layout.get("addresses", []):
        address_of[pair["province"]] = ("province", "")
        address_of[pair["ward"]] = ("ward", pair["province"])
    sections: list[Section] = []
    by_path: dict[str, Field] = {}
    for index, section in enumerate(layout.get("sections", [])):
        fields: list[Field] = []
        for path in section.get("fields", []):
            if path not in leaves:
                continue
            made = _field(path, leaves[path], layout, required=path in required)
            if path in address_of:
                kind, province_path = address_of[path]
                made = Field(**{**made.__dict__, "kind": kind, "province_path": province_path, "choices": ()})
            fields.append(made)
            by_path[path] = made
        when = section.get("when")
        sections.append(
            Section(
                index=index,
                title=str(section.get("title", "")),
                title_en=str(section.get("title_en", "")),
                fields=tuple(fields),
                when=when if isinstance(when, dict) else None,
            )
        )
    checks = tuple(c for c in layout.get("checks", []) if isinstance(c, dict))
    return FormLayout(sections=tuple(sections), checks=checks, by_path=by_path)


def layout_of(form: FormDefinition) -> FormLayout:
    return form_layout(form.schema, form.layout)


# --- answers: a nested dict shaped like the schema; paths are dotted, array rows by number ---


def get_value(answers: dict[str, Any], path: str) -> Any:
    node: Any = answers
    for part in path.split("."):
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def set_value(answers: dict[str, Any], path: str, value: Any) -> None:
    """Set (or, for None, remove) the value at a dotted path of objects, creating groups."""
    *parents, last = path.split(".")
    node = answers
    for part in parents:
        child = node.get(part)
        if not isinstance(child, dict):
            if value is None:
                return
            child = node[part] = {}
        node = child
    if value is None:
        node.pop(last, None)
    else:
        node[last] = value


def apply_patch(answers: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """A copy of `answers` with `patch` (path -> value; None removes) applied; empty groups dropped."""
    result = copy.deepcopy(answers)
    for path, value in patch.items():
        set_value(result, path, value)
    return _drop_empty_groups(result)


def _drop_empty_groups(node: dict[str, Any]) -> dict[str, Any]:
    for key in list(node):
        if isinstance(node[key], dict):
            _drop_empty_groups(node[key])
            if not node[key]:
                del node[key]
    return node


def is_visible(condition: dict[str, Any] | None, answers: dict[str, Any]) -> bool:
    if not condition:
        return True
    value = get_value(answers, str(condition.get("field", "")))
    if "equals" in condition:
        return bool(value == condition["equals"])
    if "in" in condition and isinstance(condition["in"], list):
        return value in condition["in"]
    return value not in (None, "", [], False)


# --- computed values: a whitelist of three operations, never eval ---


def _numbers(answers: dict[str, Any], path: str) -> list[float]:
    """ "a.b" -> [value]; "rows[].amount" -> the amount of every row."""
    if "[]." in path:
        array_path, column = path.split("[].", 1)
        rows = get_value(answers, array_path)
        values = [get_value(row, column) for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []
    else:
        values = [get_value(answers, path)]
    return [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]


def compute(spec: dict[str, Any], answers: dict[str, Any], *, today: dt.date | None = None) -> int | float | None:
    """{"sum": [paths]} (a path may be "rows[].column"), {"age": date path}, {"count": array path}."""
    if isinstance(spec.get("sum"), list):
        total = sum(number for path in spec["sum"] for number in _numbers(answers, str(path)))
        return int(total) if float(total).is_integer() else total
    if isinstance(spec.get("age"), str):
        born = get_value(answers, spec["age"])
        try:
            birth = dt.date.fromisoformat(born) if isinstance(born, str) else None
        except ValueError:
            birth = None
        if birth is None:
            return None
        now = today or timezone.localdate()  # the Vietnamese date, not the server's UTC one
        return now.year - birth.year - ((now.month, now.day) < (birth.month, birth.day))
    if isinstance(spec.get("count"), str):
        rows = get_value(answers, spec["count"])
        return len(rows) if isinstance(rows, list) else 0
    return None


def with_computed(form_layout_: FormLayout, answers: dict[str, Any]) -> dict[str, Any]:
    """`answers` with every computed field worked out again (hidden ones removed)."""
    patch = {
        path: compute(f.computed, answers) if is_visible(f.when, answers) else None
        for path, f in form_layout_.by_path.items()
        if f.computed is not None
    }
    return apply_patch(answers, patch) if patch else answers


def layout_extension_problems(schema: dict[str, Any], layout: dict[str, Any]) -> list[str]:
    """Problems with the e-form keys of a layout (widgets, when, computed, checks, addresses)."""
    leaves = dict(iter_leaves(schema))
    columns = {
        f"{path}[].{name}"
        for path, prop in leaves.items()
        if prop.get("type") == "array" and isinstance(prop.get("items"), dict)
        for name in prop["items"].get("properties", {})
    }
    known = set(leaves) | columns
    problems: list[str] = []

    def problem(vi: str, en: str) -> None:
        problems.append(f"{vi} / {en}")

    for key in ("widgets", "when", "computed", "autocomplete"):
        mapping = layout.get(key, {})
        if not isinstance(mapping, dict):
            problem(f'"{key}" phải là một đối tượng', f'"{key}" must be an object')
            continue
        for path, value in mapping.items():
            if path not in known:
                problem(f"\"{key}\" nhắc đến trường '{path}' không có", f"\"{key}\" names unknown field '{path}'")
            elif key == "widgets" and value not in WIDGET_KINDS:
                problem(
                    f"Kiểu nhập '{value}' của '{path}' không có (dùng: {', '.join(sorted(WIDGET_KINDS))})",
                    f"unknown widget '{value}' for '{path}'",
                )
            elif key == "when" and (not isinstance(value, dict) or value.get("field") not in leaves):
                problem(
                    f'Điều kiện hiện \'{path}\' phải là {{"field": trường có thật, "equals": giá trị}}',
                    f"condition of '{path}' must name an existing field",
                )
            elif key == "computed" and (
                not isinstance(value, dict) or len(value) != 1 or next(iter(value)) not in COMPUTED_OPS
            ):
                problem(
                    f"Công thức của '{path}' phải là một trong: {', '.join(sorted(COMPUTED_OPS))}",
                    f"computed '{path}' must use one of {sorted(COMPUTED_OPS)}",
                )
            elif key == "computed":
                operands = value.get("sum") if "sum" in value else [next(iter(value.values()))]
                if not isinstance(operands, list) or any(o not in known for o in operands):
                    problem(
                        f"Công thức của '{path}' nhắc đến trường không có", f"computed '{path}' names unknown fields"
                    )
    for pair in layout.get("addresses", []):
        if not isinstance(pair, dict) or pair.get("province") not in leaves or pair.get("ward") not in leaves:
            problem(
                '"addresses" phải là danh sách {"province": trường, "ward": trường}',
                '"addresses" must list {"province": field, "ward": field}',
            )
    for check in layout.get("checks", []):
        if (
            not isinstance(check, dict)
            or check.get("cccd") not in leaves
            or any(check.get(k) not in leaves for k in ("birth_date", "gender") if k in check)
        ):
            problem(
                '"checks" phải là danh sách {"cccd": trường, "birth_date": trường, "gender": trường}',
                '"checks" must list {"cccd": field, "birth_date": field, "gender": field}',
            )
    for index, section in enumerate(layout.get("sections", []), start=1):
        when = section.get("when") if isinstance(section, dict) else None
        if when is not None and (not isinstance(when, dict) or when.get("field") not in leaves):
            problem(f"Điều kiện của phần {index} phải nhắc đến trường có thật", f"section {index} condition")
    return problems
