"""Typed values from what was typed (`coerce`), and every problem of a whole answer object.

`validate_all` = the Vietnamese validators on each visible field + JSON Schema 2020-12 (with
format checking) over the answer object + the cross-field checks of layout "checks". Each
problem is a message in the active language, keyed by the dotted path of its field.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

from motcua.catalog.divisions import province as province_2025
from motcua.catalog.divisions import ward as ward_2025
from motcua.eforms.engine import validators as v
from motcua.eforms.engine.fields import Field, FormLayout, form_layout, get_value, is_visible, with_computed
from motcua.eforms.models import FormDefinition

# Kinds whose stored value is worked out from text: a string left in the answers is what was
# typed and failed, and is parsed again to give the same message.
PARSED_KINDS = frozenset({"money", "date", "cccd", "tax_code", "phone", "mobile", "email", "number"})


def coerce(field: Field, text: str) -> Any:
    """The stored value of typed text (None when empty); raises `validators.InputError`."""
    text = text.strip()
    if not text:
        return None
    match field.kind:
        case "money":
            return v.parse_money(text)
        case "date":
            return v.parse_date(text)
        case "cccd":
            return v.parse_cccd(text).number
        case "tax_code":
            return v.parse_tax_code(text)
        case "phone" | "mobile":
            return v.parse_phone(text, mobile_only=field.kind == "mobile")
        case "email":
            return v.parse_email(text)
        case "number":
            return v.parse_number(text, integer=field.integer)
        case "province":
            if text.isdigit() and province_2025(int(text)) is not None:
                return int(text)
            raise v.InputError(_("Chọn tỉnh, thành phố trong danh sách."))
        case "ward":
            if text.isdigit() and ward_2025(int(text)) is not None:
                return int(text)
            raise v.InputError(_("Chọn xã, phường trong danh sách."))
        case "radio" | "select":
            for value, _label in field.choices:
                if str(value) == text:
                    return value
            raise v.InputError(_("Chọn một trong các lựa chọn có sẵn."))
    return text


def _value_problems(field: Field, value: Any, answers: dict[str, Any]) -> list[str]:
    if isinstance(value, str) and field.kind in PARSED_KINDS:
        try:
            coerce(field, value)
        except v.InputError as error:
            return [str(error)]
    if field.kind == "ward" and isinstance(value, int):
        found = ward_2025(value)
        province_code = get_value(answers, field.province_path)
        if found is None:
            return [_("Chọn xã, phường trong danh sách.")]
        if isinstance(province_code, int) and int(found.province_code) != province_code:
            return [_("Xã, phường này không thuộc tỉnh, thành phố đã chọn: chọn lại.")]
    return []


def _message(error: Any, field: Field | None) -> str:
    keyword = error.validator
    limit = error.validator_value
    if keyword == "required":
        if field is not None and field.kind in ("radio", "select", "yesno", "province", "ward"):
            return _("Chưa chọn mục này: chọn một lựa chọn.")
        if field is not None and field.kind == "check":
            return _("Cần đánh dấu vào ô này.")
        return _("Chưa điền mục này: mục bắt buộc.")
    if keyword == "maxLength":
        return _("Dài quá: tối đa %(max)s ký tự, đang có %(count)s.") % {"max": limit, "count": len(error.instance)}
    if keyword == "minLength":
        return _("Ngắn quá: ít nhất %(min)s ký tự.") % {"min": limit}
    if keyword == "pattern":
        return _("Chưa đúng dạng: xem hướng dẫn ngay dưới tên mục.")
    if keyword in ("minimum", "exclusiveMinimum"):
        return _("Số này nhỏ quá: ít nhất là %(limit)s.") % {"limit": limit}
    if keyword in ("maximum", "exclusiveMaximum"):
        return _("Số này lớn quá: nhiều nhất là %(limit)s.") % {"limit": limit}
    if keyword in ("enum", "oneOf", "anyOf", "const"):
        return _("Chọn một trong các lựa chọn có sẵn.")
    if keyword == "minItems":
        return _("Cần ít nhất %(count)s dòng.") % {"count": limit}
    if keyword == "maxItems":
        return _("Nhiều nhất %(count)s dòng: xóa bớt.") % {"count": limit}
    if keyword == "uniqueItems":
        return _("Mỗi lựa chọn chỉ chọn một lần.")
    if keyword == "format" and limit == "date":
        return _("Ghi ngày theo dạng ngày/tháng/năm, ví dụ 05/09/1990.")
    if keyword == "format" and limit == "email":
        return _("Địa chỉ thư điện tử không đúng, ví dụ ten@gmail.com.")
    if keyword == "type" and limit in ("integer", "number"):
        return _("Ghi bằng chữ số.")
    return _("Giá trị này không dùng được: sửa lại theo hướng dẫn.")


def _column_field(layout: FormLayout, path: str) -> Field | None:
    """The Field of "rows.2.name" (a repeat's cell) or of a plain path."""
    if path in layout.by_path:
        return layout.by_path[path]
    parts = path.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        parent = layout.by_path.get(".".join(parts[:cut]))
        if parent is not None and parent.kind == "repeat":
            column = ".".join(p for p in parts[cut:] if not p.isdigit())
            return next((c for c in parent.columns if c.path == column), None)
    return None


def visible_answers(layout: FormLayout, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers with hidden fields and sections removed and computed values worked out."""
    from motcua.eforms.engine.fields import apply_patch

    hidden: dict[str, Any] = {}
    for section in layout.sections:
        section_shown = is_visible(section.when, answers)
        for field in section.fields:
            if not section_shown or not is_visible(field.when, answers):
                hidden[field.path] = None
    return with_computed(layout, apply_patch(answers, hidden) if hidden else answers)


def problems_of(layout: FormLayout, schema: dict[str, Any], answers: dict[str, Any]) -> dict[str, list[str]]:
    shown = visible_answers(layout, answers)
    hidden_paths = {
        f.path
        for s in layout.sections
        for f in s.fields
        if not is_visible(s.when, answers) or not is_visible(f.when, answers)
    }
    problems: dict[str, list[str]] = {}
    for path, field in layout.by_path.items():
        if path in hidden_paths:
            continue
        value = get_value(shown, path)
        if field.kind == "repeat" and isinstance(value, list):
            for row_number, row in enumerate(value):
                for column in field.columns:
                    cell = get_value(row, column.path) if isinstance(row, dict) else None
                    found = _value_problems(column, cell, shown)
                    if found:
                        problems[f"{path}.{row_number}.{column.path}"] = found
        else:
            found = _value_problems(field, value, shown)
            if found:
                problems[path] = found
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    for error in validator.iter_errors(shown):
        parent = ".".join(str(p) for p in error.absolute_path)
        if error.validator == "required" and isinstance(error.instance, dict):
            paths = [f"{parent}.{name}" if parent else name for name in error.validator_value]
            paths = [p for p in paths if p.split(".")[-1] not in error.instance]
        else:
            paths = [parent]
        for path in paths:
            if path in problems or path in hidden_paths or any(path.startswith(h + ".") for h in hidden_paths):
                continue
            problems[path] = [_message(error, _column_field(layout, path))]
    for check in layout.checks:
        cccd_path = str(check.get("cccd", ""))
        number = get_value(shown, cccd_path)
        if not isinstance(number, str) or cccd_path in problems:
            continue
        try:
            person = v.parse_cccd(number)
        except v.InputError:
            continue
        gender = get_value(shown, str(check.get("gender", ""))) if check.get("gender") else None
        male = True if gender == check.get("male", "nam") else False if gender == check.get("female", "nu") else None
        birth = get_value(shown, str(check.get("birth_date", ""))) if check.get("birth_date") else None
        mismatches = v.cccd_mismatches(person, birth_date=birth if isinstance(birth, str) else None, male=male)
        if mismatches:
            problems[cccd_path] = mismatches
    return problems


def validate_all(form: FormDefinition, answers: dict[str, Any]) -> dict[str, list[str]]:
    """Every problem of the answers to `form`: {dotted path: [messages in the active language]}.

    An empty dict means the answers may be submitted. Hidden fields (layout "when") are ignored.
    """
    return problems_of(form_layout(form.schema, form.layout), form.schema, answers)
