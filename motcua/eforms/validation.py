"""Checks a form definition (JSON Schema 2020-12 + layout) before it is saved or printed.

Pure functions, no database: every problem is returned as one bilingual line, so the admin can
list them all at once instead of making the editor fix one error per save.

The rules that matter for printing (see definitions/README.md):
- the schema is valid JSON Schema 2020-12 and describes an object;
- every field the citizen fills (a "leaf": an object's sub-properties are expanded into dotted
  paths, "me.ho_ten") appears exactly once in the layout, and the layout names no other field:
  a field missing from the layout would silently vanish from the paper form;
- every field has a title (its printed label) and plain-language help text (Circular 32/2017:
  help text at each field).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from jsonschema import Draft202012Validator

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCALAR_TYPES = frozenset({"string", "integer", "number", "boolean"})
MAX_LINES = 20
CODE_PATTERN = re.compile(r"^[-a-zA-Z0-9_]+$")

_META_VALIDATOR = Draft202012Validator(Draft202012Validator.META_SCHEMA)


def _problem(vi: str, en: str) -> str:
    return f"{vi} / {en}"


def choices_of(prop: dict[str, Any]) -> list[tuple[Any, str]] | None:
    """The (value, printed label) pairs of a choice field, or None if it is not one.

    `oneOf: [{"const": ..., "title": ...}]` is the 2020-12 idiom for labelled choices; a bare
    `enum` prints its values as they are.
    """
    if isinstance(prop.get("oneOf"), list) and all(isinstance(o, dict) and "const" in o for o in prop["oneOf"]):
        return [(o["const"], str(o.get("title", o["const"]))) for o in prop["oneOf"]]
    if isinstance(prop.get("enum"), list):
        return [(value, str(value)) for value in prop["enum"]]
    return None


def field_kind(prop: dict[str, Any]) -> str | None:
    """How a leaf field prints: text, date, choice, multichoice, check or table (None: unsupported)."""
    kind = prop.get("type")
    if choices_of(prop) is not None:
        return "choice"
    if kind == "boolean":
        return "check"
    if kind == "string" and prop.get("format") == "date":
        return "date"
    if kind in SCALAR_TYPES:
        return "text"
    if kind == "array" and isinstance(prop.get("items"), dict):
        items = prop["items"]
        if choices_of(items) is not None:
            return "multichoice"
        columns = items.get("properties")
        if (
            items.get("type") == "object"
            and isinstance(columns, dict)
            and columns
            and all(isinstance(c, dict) and c.get("type") in SCALAR_TYPES for c in columns.values())
        ):
            return "table"
    return None


def iter_leaves(schema: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """(dotted path, property schema) of every field to fill; objects are expanded, in order."""
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return
    for name, prop in properties.items():
        if not isinstance(prop, dict):
            continue
        path = f"{prefix}{name}"
        if prop.get("type") == "object" and isinstance(prop.get("properties"), dict):
            yield from iter_leaves(prop, prefix=f"{path}.")
        else:
            yield path, prop


def _schema_problems(schema: Any) -> list[str]:
    if not isinstance(schema, dict):
        return [_problem("Lược đồ phải là một đối tượng JSON", "The schema must be a JSON object")]
    problems = [
        _problem(
            f"Lược đồ sai chuẩn JSON Schema 2020-12 tại '{'/'.join(map(str, error.absolute_path)) or '(gốc)'}': "
            f"{error.message}",
            f"schema is not valid JSON Schema 2020-12 at '{'/'.join(map(str, error.absolute_path)) or '(root)'}'",
        )
        for error in _META_VALIDATOR.iter_errors(schema)
    ]
    if problems:
        return problems
    if schema.get("$schema", SCHEMA_DIALECT) != SCHEMA_DIALECT:
        problems.append(
            _problem(f"'$schema' phải là {SCHEMA_DIALECT}", f"'$schema' must be {SCHEMA_DIALECT}"),
        )
    if schema.get("type") != "object" or not isinstance(schema.get("properties"), dict) or not schema["properties"]:
        problems.append(
            _problem(
                'Lược đồ phải có "type": "object" và ít nhất một trường trong "properties"',
                'The schema must have "type": "object" and at least one property',
            )
        )
        return problems
    problems.extend(_object_problems(schema, prefix=""))
    return problems


def _object_problems(obj: dict[str, Any], prefix: str) -> list[str]:
    problems: list[str] = []
    properties: dict[str, Any] = obj.get("properties", {})
    for name in obj.get("required", []):
        if name not in properties:
            problems.append(
                _problem(
                    f"Trường bắt buộc '{prefix}{name}' không có trong properties",
                    f"required field '{prefix}{name}' is not a property",
                )
            )
    for name, prop in properties.items():
        path = f"{prefix}{name}"
        if not isinstance(prop, dict):
            problems.append(_problem(f"Trường '{path}' phải là một đối tượng", f"field '{path}' must be an object"))
            continue
        if not isinstance(prop.get("title"), str) or not prop["title"].strip():
            problems.append(
                _problem(
                    f"Trường '{path}' thiếu nhãn (title) để in trên tờ khai",
                    f"field '{path}' has no title to print",
                )
            )
        if prop.get("type") == "object":
            if not isinstance(prop.get("properties"), dict) or not prop["properties"]:
                problems.append(_problem(f"Nhóm '{path}' không có trường con nào", f"group '{path}' has no properties"))
            else:
                problems.extend(_object_problems(prop, prefix=f"{path}."))
        elif field_kind(prop) is None:
            problems.append(
                _problem(
                    f"Trường '{path}' có kiểu chưa hỗ trợ để in (dùng string, integer, number, boolean, "
                    "lựa chọn, hoặc danh sách bảng)",
                    f"field '{path}' has a type that cannot be printed",
                )
            )
    return problems


def _layout_problems(layout: Any, leaves: dict[str, dict[str, Any]]) -> list[str]:
    if not isinstance(layout, dict):
        return [_problem("Bố cục phải là một đối tượng JSON", "The layout must be a JSON object")]
    problems: list[str] = []
    sections = layout.get("sections")
    if not isinstance(sections, list) or not sections:
        return [_problem("Bố cục phải có ít nhất một phần (sections)", "The layout needs at least one section")]
    seen: list[str] = []
    for index, section in enumerate(sections, start=1):
        if not isinstance(section, dict) or not isinstance(section.get("fields"), list):
            problems.append(
                _problem(
                    f'Phần thứ {index} phải có "title" và danh sách "fields"',
                    f'section {index} needs a "title" and a "fields" list',
                )
            )
            continue
        if not isinstance(section.get("title"), str):
            problems.append(_problem(f"Phần thứ {index} thiếu tiêu đề", f"section {index} has no title"))
        for field in section["fields"]:
            if not isinstance(field, str) or field not in leaves:
                problems.append(
                    _problem(
                        f"Bố cục (phần {index}) có trường '{field}' không tồn tại trong lược đồ",
                        f"layout field '{field}' (section {index}) is not in the schema",
                    )
                )
            elif field in seen:
                problems.append(
                    _problem(f"Trường '{field}' xuất hiện hai lần trong bố cục", f"field '{field}' appears twice")
                )
            if isinstance(field, str):
                seen.append(field)
    for path in leaves:
        if path not in seen:
            problems.append(
                _problem(
                    f"Trường '{path}' có trong lược đồ nhưng không có trong bố cục (sẽ không được in)",
                    f"schema field '{path}' is missing from the layout",
                )
            )
    help_vi = layout.get("help", {})
    if not isinstance(help_vi, dict):
        problems.append(_problem('"help" phải là một đối tượng', '"help" must be an object'))
        help_vi = {}
    for path in leaves:
        text = help_vi.get(path)
        if not isinstance(text, str) or not text.strip():
            problems.append(
                _problem(f"Trường '{path}' thiếu hướng dẫn cách ghi (help)", f"field '{path}' has no help text")
            )
    for key in ("help", "help_en", "lines"):
        mapping = layout.get(key, {})
        if not isinstance(mapping, dict):
            problems.append(_problem(f'"{key}" phải là một đối tượng', f'"{key}" must be an object'))
            continue
        for path, value in mapping.items():
            if path not in leaves:
                problems.append(
                    _problem(
                        f"\"{key}\" nhắc đến trường '{path}' không có trong lược đồ",
                        f"\"{key}\" names unknown field '{path}'",
                    )
                )
            elif key == "lines" and (
                not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_LINES
            ):
                problems.append(
                    _problem(
                        f"Số dòng của '{path}' phải là số nguyên từ 1 đến {MAX_LINES}",
                        f"lines for '{path}' must be an integer from 1 to {MAX_LINES}",
                    )
                )
    problems.extend(_footer_problems(layout.get("footer", {})))
    return problems


def _footer_problems(footer: Any) -> list[str]:
    if not isinstance(footer, dict):
        return [_problem('"footer" phải là một đối tượng', '"footer" must be an object')]
    signatures = footer.get("signatures", [])
    if not isinstance(signatures, list) or not all(
        isinstance(s, dict) and isinstance(s.get("title"), str) and s["title"].strip() for s in signatures
    ):
        return [
            _problem(
                '"footer.signatures" phải là danh sách các ô ký, mỗi ô có "title"',
                '"footer.signatures" must be a list of signature blocks, each with a "title"',
            )
        ]
    return []


def form_definition_problems(schema: Any, layout: Any) -> list[str]:
    """Every problem with a definition, in Vietnamese / English; an empty list means printable."""
    problems = _schema_problems(schema)
    leaves = dict(iter_leaves(schema)) if isinstance(schema, dict) else {}
    problems += _layout_problems(layout, leaves)
    if not problems:
        # The e-form keys (widgets, when, computed, checks, addresses): checked once the
        # printable part is sound. Imported here: the engine itself builds on this module.
        from motcua.eforms.engine.fields import layout_extension_problems

        problems += layout_extension_problems(schema, layout)
    return problems


def definition_file_problems(data: Any) -> list[str]:
    """Problems with a built-in definition file: its top-level keys, then the definition itself."""
    if not isinstance(data, dict):
        return [_problem("Tệp biểu mẫu phải là một đối tượng JSON", "A definition file must be a JSON object")]
    problems: list[str] = []
    code = data.get("code")
    if not isinstance(code, str) or not CODE_PATTERN.match(code) or len(code) > 100:
        problems.append(
            _problem(
                '"code" phải là mã không dấu (chữ, số, gạch ngang), tối đa 100 ký tự',
                '"code" must be a slug of at most 100 characters',
            )
        )
    for key in ("title", "legal_reference"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            problems.append(_problem(f'Thiếu "{key}"', f'"{key}" is missing'))
    if not isinstance(data.get("title_en", ""), str):
        problems.append(_problem('"title_en" phải là chuỗi', '"title_en" must be a string'))
    attach_to = data.get("attach_to", [])
    if not isinstance(attach_to, list) or not all(
        isinstance(a, dict)
        and isinstance(a.get("procedure"), str)
        and a["procedure"].strip()
        and isinstance(a.get("component"), int)
        and not isinstance(a.get("component"), bool)
        and a["component"] >= 1
        for a in attach_to
    ):
        problems.append(
            _problem(
                '"attach_to" phải là danh sách {"procedure": mã hoặc tên thủ tục, "component": số thứ tự từ 1}',
                '"attach_to" must be a list of {"procedure": code or name, "component": 1-based index}',
            )
        )
    unknown = set(data) - {"code", "title", "title_en", "legal_reference", "schema", "layout", "attach_to"}
    if unknown:
        problems.append(
            _problem(f"Khóa không được hỗ trợ: {', '.join(sorted(unknown))}", f"unknown keys: {sorted(unknown)}")
        )
    return problems + form_definition_problems(data.get("schema"), data.get("layout"))
